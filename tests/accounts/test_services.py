from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from snagdesk.accounts import services
from snagdesk.accounts.models import ApiToken, LoginAttempt
from snagdesk.core.errors import Conflict, ValidationError
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


class TestLoginLockout:
    def test_locks_after_the_limit_within_the_window_then_frees(self):
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            assert not services.login_is_locked(email="a@x.example", now=NOW)
            services.login_failure_record(email="A@x.example", ip_address="10.0.0.1", now=NOW)
        assert services.login_is_locked(email="a@x.example", now=NOW)
        later = NOW + timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES, seconds=1)
        assert not services.login_is_locked(email="a@x.example", now=later)

    def test_pruning_forgets_only_old_attempts(self):
        window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
        services.login_failure_record(email="old@x.example", ip_address=None, now=NOW - 2 * window)
        services.login_failure_record(email="new@x.example", ip_address=None, now=NOW)
        assert services.login_attempts_prune(now=NOW) == 1
        assert list(LoginAttempt.objects.values_list("email", flat=True)) == ["new@x.example"]
