from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from snagdesk_server.accounts import services
from snagdesk_server.accounts.errors import LoginInvalid, LoginLocked
from snagdesk_server.accounts.models import ApiToken, LoginAttempt
from snagdesk_server.core.errors import Conflict, ValidationError
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
STRONG = "a-strong-passphrase-77"


class TestApiTokens:
    def test_the_key_authenticates_its_owner_and_only_a_hash_is_stored(self):
        user = factories.StaffFactory()
        issued = services.api_token_create(user=user, name="CI", now=NOW)
        assert services.api_token_authenticate(key=issued.key, now=NOW) == user
        stored = ApiToken.objects.get()
        assert issued.key not in (stored.key_hash, stored.prefix)
        assert issued.key.startswith(f"{services.TOKEN_PREFIX}{stored.prefix}_")

    def test_needs_a_name(self):
        with pytest.raises(ValidationError) as error:
            services.api_token_create(user=factories.StaffFactory(), name="  ")
        assert "name" in error.value.field_errors
        assert not ApiToken.objects.exists()

    def test_a_revoked_token_is_refused(self):
        user = factories.StaffFactory()
        issued = services.api_token_create(user=user, name="CI", now=NOW)
        services.api_token_revoke(token=issued.token, actor=user, now=NOW)
        assert services.api_token_authenticate(key=issued.key, now=NOW) is None

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),
            lambda key: key.replace(services.TOKEN_PREFIX, "xyz_", 1),
            str.upper,
        ],
    )
    def test_a_tampered_key_is_refused(self, tamper):
        issued = services.api_token_create(user=factories.StaffFactory(), name="CI", now=NOW)
        assert services.api_token_authenticate(key=tamper(issued.key), now=NOW) is None

    def test_a_deactivated_or_demoted_user_is_refused(self):
        inactive, demoted = factories.StaffFactory(), factories.StaffFactory()
        keys = [services.api_token_create(user=u, name="CI").key for u in (inactive, demoted)]
        inactive.is_active = False
        inactive.save()
        demoted.is_staff = False
        demoted.save()
        assert [services.api_token_authenticate(key=k, now=NOW) for k in keys] == [None, None]

    def test_records_the_last_use(self):
        issued = services.api_token_create(user=factories.StaffFactory(), name="CI", now=NOW)
        services.api_token_authenticate(key=issued.key, now=NOW + timedelta(hours=1))
        issued.token.refresh_from_db()
        assert issued.token.last_used_at == NOW + timedelta(hours=1)


class TestContacts:
    def test_a_new_primary_contact_replaces_the_old_one(self):
        client = factories.ClientFactory()
        old = factories.ContactFactory(client=client, is_primary=True)
        new = services.contact_create(
            actor=None, client=client, first_name="New", email="new@x.example", is_primary=True
        )
        old.refresh_from_db()
        assert new.is_primary
        assert not old.is_primary

    def test_the_same_email_twice_at_one_client_is_refused(self):
        client = factories.ClientFactory()
        factories.ContactFactory(client=client, email="paula@x.example")
        with pytest.raises(ValidationError) as error:
            services.contact_create(
                actor=None, client=client, first_name="P", email="Paula@X.example"
            )
        assert "email" in error.value.field_errors

    def test_portal_password_creates_a_login_with_a_validated_password(self):
        client = factories.ClientFactory()
        with pytest.raises(ValidationError) as error:
            services.contact_create(
                actor=None, client=client, first_name="P", email="p@x.example", portal_password="1"
            )
        assert "portal_password" in error.value.field_errors
        contact = services.contact_create(
            actor=None, client=client, first_name="P", email="p@x.example", portal_password=STRONG
        )
        assert contact.user is not None
        assert not contact.user.is_staff
        assert contact.user.check_password(STRONG)

    def test_portal_login_refused_when_the_email_belongs_to_someone_else(self):
        factories.StaffFactory(email="p@x.example")
        contact = factories.ContactFactory(email="p@x.example")
        with pytest.raises(Conflict):
            services.contact_portal_enable(contact=contact, actor=None, password=STRONG)
        contact.refresh_from_db()
        assert contact.user is None

    def test_deactivating_a_contact_deactivates_its_login(self):
        contact = factories.PortalContactFactory()
        services.contact_update(contact=contact, actor=None, active=False)
        assert contact.user is not None
        contact.user.refresh_from_db()
        assert not contact.user.is_active


class TestStaffAndRoles:
    def test_nobody_can_deactivate_themselves(self):
        user = factories.StaffFactory()
        with pytest.raises(Conflict):
            services.staff_update(user=user, actor=user, is_active=False)
        user.refresh_from_db()
        assert user.is_active

    def test_roles_only_hold_known_permissions(self):
        with pytest.raises(ValidationError) as error:
            services.role_create(actor=None, name="Odd", permissions=["rockets.launch"])
        assert "permissions" in error.value.field_errors
        role = services.role_create(
            actor=None, name="Support", permissions=["tickets.view", "tickets.view"]
        )
        assert role.permissions == ["tickets.view"]


def _fail(email: str, ip: str, times: int = 1, now: datetime = NOW) -> None:
    """Sign-ins whose password turned out wrong: started and never succeeded."""
    for _ in range(times):
        services.login_attempt_start(email=email, ip_address=ip, now=now)


class TestLoginLockout:
    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.LOGIN_FAILURE_LIMIT = 3
        settings.LOGIN_IP_FAILURE_LIMIT = 5
        settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8

    def test_an_email_is_locked_from_the_ip_that_failed_too_often(self):
        _fail("A@x.example", "10.0.0.1", times=3)

        with pytest.raises(LoginLocked) as locked:
            services.login_attempt_start(email="a@x.example", ip_address="10.0.0.1", now=NOW)
        assert locked.value.code == "login_locked"
        assert "for this email" in locked.value.message

    def test_the_same_email_stays_open_from_another_ip(self):
        _fail("a@x.example", "10.0.0.1", times=3)

        attempt = services.login_attempt_start(email="a@x.example", ip_address="10.0.0.2", now=NOW)

        assert attempt.ip_address == "10.0.0.2"

    def test_one_ip_is_locked_for_every_email_once_over_its_limit(self):
        for n in range(5):
            _fail(f"user{n}@x.example", "10.0.0.1")

        with pytest.raises(LoginLocked) as locked:
            services.login_attempt_start(email="new@x.example", ip_address="10.0.0.1", now=NOW)
        assert "from your network" in locked.value.message

    def test_failures_from_many_ips_lock_the_email_everywhere(self):
        for n in range(4):
            _fail("a@x.example", f"10.0.1.{n}", times=2)

        with pytest.raises(LoginLocked) as locked:
            services.login_attempt_start(email="a@x.example", ip_address="10.9.9.9", now=NOW)
        assert "from many places" in locked.value.message

    def test_a_refused_attempt_is_not_counted(self):
        _fail("a@x.example", "10.0.0.1", times=3)
        for _ in range(10):
            with pytest.raises(LoginLocked):
                services.login_attempt_start(email="a@x.example", ip_address="10.0.0.1", now=NOW)

        assert LoginAttempt.objects.count() == 3

    def test_the_lock_ends_when_the_failures_leave_the_window(self):
        _fail("a@x.example", "10.0.0.1", times=3)
        later = NOW + timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES, seconds=1)

        attempt = services.login_attempt_start(
            email="a@x.example", ip_address="10.0.0.1", now=later
        )

        assert attempt.pk is not None

    def test_success_forgets_only_the_failures_from_its_own_ip(self):
        _fail("a@x.example", "10.0.0.1", times=2)
        _fail("a@x.example", "10.0.0.2", times=2)
        attempt = services.login_attempt_start(email="a@x.example", ip_address="10.0.0.1", now=NOW)

        services.login_attempt_succeed(attempt=attempt)

        remaining = LoginAttempt.objects.values_list("ip_address", flat=True)
        assert list(remaining) == ["10.0.0.2", "10.0.0.2"]

    def test_an_unreadable_ip_is_stored_as_unknown(self):
        attempt = services.login_attempt_start(email="a@x.example", ip_address="nonsense", now=NOW)

        assert LoginAttempt.objects.get(pk=attempt.pk).ip_address is None

    def test_pruning_forgets_only_old_attempts(self):
        window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
        _fail("old@x.example", "10.0.0.1", now=NOW - 2 * window)
        _fail("new@x.example", "10.0.0.1", now=NOW)
        assert services.login_attempts_prune(now=NOW) == 1
        assert list(LoginAttempt.objects.values_list("email", flat=True)) == ["new@x.example"]


class TestLoginAuthenticate:
    IP = "10.0.0.1"

    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.LOGIN_FAILURE_LIMIT = 3
        settings.LOGIN_IP_FAILURE_LIMIT = 5
        settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8

    def _sign_in(self, email: str, password: str, *, ip: str = IP, now: datetime = NOW):
        return services.login_authenticate(email=email, password=password, ip_address=ip, now=now)

    def test_the_right_password_returns_the_account_whatever_the_email_case(self):
        staff = factories.StaffFactory(email="sam@agency.example")

        assert self._sign_in("Sam@Agency.example", factories.PASSWORD) == staff

    def test_a_success_forgets_the_failures_from_its_own_ip_only(self):
        staff = factories.StaffFactory()
        _fail(staff.email, self.IP, times=2)
        _fail(staff.email, "10.0.0.2", times=2)

        self._sign_in(staff.email, factories.PASSWORD)

        remaining = LoginAttempt.objects.values_list("ip_address", flat=True)
        assert list(remaining) == ["10.0.0.2", "10.0.0.2"]

    def test_a_wrong_password_is_refused_and_counted(self):
        staff = factories.StaffFactory()

        with pytest.raises(LoginInvalid) as invalid:
            self._sign_in(staff.email, "guess")

        assert invalid.value.code == "invalid_login"
        assert invalid.value.message == "Wrong email or password."
        assert LoginAttempt.objects.filter(email=staff.email, ip_address=self.IP).count() == 1

    def test_an_unknown_email_is_refused_like_a_wrong_password(self):
        with pytest.raises(LoginInvalid) as invalid:
            self._sign_in("nobody@x.example", "guess")

        assert invalid.value.message == "Wrong email or password."
        assert LoginAttempt.objects.filter(email="nobody@x.example").count() == 1

    def test_an_inactive_account_is_refused_with_its_right_password(self):
        staff = factories.StaffFactory(is_active=False)

        with pytest.raises(LoginInvalid):
            self._sign_in(staff.email, factories.PASSWORD)

    def test_the_right_password_is_refused_once_the_email_is_locked_from_this_ip(self):
        staff = factories.StaffFactory()
        for _ in range(3):
            with pytest.raises(LoginInvalid):
                self._sign_in(staff.email, "guess")

        with pytest.raises(LoginLocked) as locked:
            self._sign_in(staff.email, factories.PASSWORD)

        assert "for this email" in locked.value.message
        assert LoginAttempt.objects.count() == 3

    def test_the_same_account_signs_in_from_another_ip_meanwhile(self):
        staff = factories.StaffFactory()
        _fail(staff.email, self.IP, times=3)

        assert self._sign_in(staff.email, factories.PASSWORD, ip="10.0.0.2") == staff

    def test_the_lock_lifts_once_the_failures_leave_the_window(self):
        staff = factories.StaffFactory()
        _fail(staff.email, self.IP, times=3)
        window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)

        with pytest.raises(LoginLocked):
            self._sign_in(staff.email, factories.PASSWORD, now=NOW + window)
        assert (
            self._sign_in(staff.email, factories.PASSWORD, now=NOW + window + timedelta(seconds=1))
            == staff
        )

    def test_a_password_reset_lifts_the_lock(self):
        staff = factories.StaffFactory()
        _fail(staff.email, self.IP, times=3)

        services.user_password_reset(user=staff, password=STRONG, now=NOW)

        assert self._sign_in(staff.email, STRONG) == staff
