"""The administration services behind the console's client, contact and staff pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from snagdesk_server.accounts import services
from snagdesk_server.accounts.models import Contact, LoginAttempt, User
from snagdesk_server.core.errors import PermissionDenied, ValidationError
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.tickets.selectors import ticket_list_latest
from tests import factories

pytestmark = pytest.mark.django_db

STRONG = "a-strong-passphrase-77"


def test_promoting_a_contact_to_primary_demotes_the_previous_one() -> None:
    acme = factories.ClientFactory()
    old = factories.ContactFactory(client=acme, is_primary=True)
    new = factories.ContactFactory(client=acme)

    services.contact_update(contact=new, actor=None, is_primary=True)

    old.refresh_from_db()
    assert not old.is_primary
    assert Contact.objects.get(client=acme, is_primary=True) == new


def test_changing_a_contact_email_to_a_colleagues_names_the_email_field() -> None:
    acme = factories.ClientFactory()
    factories.ContactFactory(client=acme, email="taken@acme.example")
    contact = factories.ContactFactory(client=acme)

    with pytest.raises(ValidationError) as error:
        services.contact_update(contact=contact, actor=None, email="TAKEN@acme.example")

    assert list(error.value.field_errors) == ["email"]


def test_contact_update_with_a_weak_portal_password_changes_nothing() -> None:
    contact = factories.ContactFactory(first_name="Paul")

    with pytest.raises(ValidationError) as error:
        services.contact_update(
            contact=contact, actor=None, first_name="Paula", portal_password="1"
        )

    assert list(error.value.field_errors) == ["portal_password"]
    contact.refresh_from_db()
    assert (contact.first_name, contact.user_id) == ("Paul", None)


def test_contact_update_with_a_portal_password_resets_an_existing_login() -> None:
    contact = factories.PortalContactFactory()

    services.contact_update(contact=contact, actor=None, portal_password=STRONG)

    assert contact.user is not None
    contact.user.refresh_from_db()
    assert contact.user.check_password(STRONG)


def test_staff_create_refuses_a_weak_password_on_the_password_field() -> None:
    with pytest.raises(ValidationError) as error:
        services.staff_create(
            actor=factories.AdminFactory(), email="sam@x.example", full_name="Sam", password="sam"
        )

    assert list(error.value.field_errors) == ["password"]
    assert not User.objects.filter(email="sam@x.example").exists()


def test_only_an_admin_may_create_an_admin() -> None:
    with pytest.raises(PermissionDenied):
        services.staff_create(
            actor=factories.StaffFactory(),
            email="eve@x.example",
            full_name="Eve",
            password=STRONG,
            is_superuser=True,
        )

    admin = services.staff_create(
        actor=factories.AdminFactory(),
        email="ada@x.example",
        full_name="Ada",
        password=STRONG,
        is_superuser=True,
    )
    assert admin.is_superuser


def test_a_non_admin_may_not_promote_anyone_to_admin() -> None:
    member = factories.StaffFactory()

    with pytest.raises(PermissionDenied):
        services.staff_update(user=member, actor=factories.StaffFactory(), is_superuser=True)

    member.refresh_from_db()
    assert not member.is_superuser


def test_a_non_admin_may_not_change_an_admins_email() -> None:
    admin = factories.AdminFactory(email="ada@x.example")

    with pytest.raises(PermissionDenied):
        services.staff_update(user=admin, actor=factories.StaffFactory(), email="eve@x.example")

    admin.refresh_from_db()
    assert admin.email == "ada@x.example"


def test_password_reset_sets_the_password_and_forgets_failed_sign_ins() -> None:
    user = factories.StaffFactory()
    LoginAttempt.objects.create(email=user.email, created_at=timezone.now())

    services.user_password_reset(user=user, password=STRONG)

    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert not LoginAttempt.objects.filter(email=user.email).exists()
    assert AuditEntry.objects.filter(action="user.password_reset", object_id=str(user.pk)).exists()


def test_ticket_list_latest_holds_only_the_clients_latest_tickets() -> None:
    acme = factories.ClientFactory()
    contact = factories.ContactFactory(client=acme)
    now = timezone.now()
    old, new = (
        factories.TicketFactory(contact=contact, updated_at=now - timedelta(days=1)),
        factories.TicketFactory(contact=contact, updated_at=now),
    )
    factories.TicketFactory()  # another client's

    assert ticket_list_latest(client=acme, limit=10) == [new, old]
    assert ticket_list_latest(client=acme, limit=1) == [new]
