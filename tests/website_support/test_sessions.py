from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from snagdesk_server.core.errors import PermissionDenied
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.errors import SessionExpired, SessionInvalid
from snagdesk_server.website_support.services import widget_token_rotate
from snagdesk_server.website_support.sessions import SALT, widget_session_issue, widget_session_read
from tests import factories
from tests.website_support.widget import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(token):
    return factories.PortalContactFactory(client=token.project.client)


def test_a_session_reads_back_as_its_contact(token, contact):
    value = widget_session_issue(contact=contact, token=token)

    assert widget_session_read(value=value, token=token) == contact


def test_a_session_is_refused_for_a_contact_of_another_client(token):
    outsider = factories.PortalContactFactory()

    with pytest.raises(PermissionDenied):
        widget_session_issue(contact=outsider, token=token)


def test_a_session_expires_after_two_hours(token, contact):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        value = widget_session_issue(contact=contact, token=token)
    later = start + timedelta(hours=2, seconds=1)
    with time_machine.travel(later, tick=False), pytest.raises(SessionExpired):
        widget_session_read(value=value, token=token)


def test_a_tampered_session_is_invalid(token, contact):
    value = widget_session_issue(contact=contact, token=token)

    with pytest.raises(SessionInvalid):
        widget_session_read(value=value[:-2] + "xx", token=token)


def test_a_session_signed_with_another_salt_is_invalid(token, contact):
    value = signing.dumps({"contact": contact.pk, "token": token.pk}, salt="other")

    with pytest.raises(SessionInvalid):
        widget_session_read(value=value, token=token)


def test_a_session_of_another_token_is_invalid(token, contact):
    other = factories.WidgetTokenFactory(project=token.project)
    value = widget_session_issue(contact=contact, token=other)

    with pytest.raises(SessionInvalid):
        widget_session_read(value=value, token=token)


def test_a_session_stops_working_when_the_contact_is_deactivated(token, contact):
    value = widget_session_issue(contact=contact, token=token)
    contact.active = False
    contact.save()

    with pytest.raises(SessionInvalid):
        widget_session_read(value=value, token=token)


def test_the_session_value_is_signed_with_its_own_salt_and_the_token_key(token, contact):
    value = widget_session_issue(contact=contact, token=token)

    salt = f"{SALT}:{token.key}"
    assert signing.loads(value, salt=salt) == {"contact": contact.pk, "token": token.pk}
    with pytest.raises(signing.BadSignature):
        signing.loads(value)


def test_a_session_issued_before_the_key_was_rotated_is_invalid(token, contact, staff_user):
    value = widget_session_issue(contact=contact, token=token)

    rotated = widget_token_rotate(token=token, actor=staff_user)

    with pytest.raises(SessionInvalid):
        widget_session_read(value=value, token=rotated)


def test_a_session_issued_after_the_rotation_works(token, contact, staff_user):
    rotated = widget_token_rotate(token=token, actor=staff_user)

    value = widget_session_issue(contact=contact, token=rotated)

    assert widget_session_read(value=value, token=rotated) == contact


def test_the_widget_api_refuses_a_session_from_before_the_rotation(
    token, contact, staff_user, visitor
):
    token.require_login = True
    token.save()
    value = widget_session_issue(contact=contact, token=token)
    rotated = widget_token_rotate(token=token, actor=staff_user)

    response = submit(visitor, rotated, session=value, name=None, email=None)

    assert (response.status_code, response.json()["code"]) == (401, "session_invalid")
    assert not Ticket.objects.exists()
