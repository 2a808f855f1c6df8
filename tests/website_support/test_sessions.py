from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from snagdesk.core.errors import PermissionDenied
from snagdesk.website_support.errors import SessionExpired, SessionInvalid
from snagdesk.website_support.sessions import SALT, widget_session_issue, widget_session_read
from tests import factories

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


def test_the_session_value_is_signed_with_its_own_salt(token, contact):
    value = widget_session_issue(contact=contact, token=token)

    assert signing.loads(value, salt=SALT) == {"contact": contact.pk, "token": token.pk}
    with pytest.raises(signing.BadSignature):
        signing.loads(value)
