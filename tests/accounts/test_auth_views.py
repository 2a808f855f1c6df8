from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk.accounts.models import User
from snagdesk.core.config import PlatformSettings, settings_save
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")


def _sign_in(client: HttpClient, email: str, password: str, **extra: str) -> Any:
    return client.post(LOGIN_URL, {"email": email, "password": password, **extra})


def test_login_page_renders_the_narrow_panel_not_the_staff_layout(client: HttpClient) -> None:
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="narrow auth"' in html
    assert 'class="sidebar"' not in html
    assert reverse("accounts:password_reset") in html


def test_staff_signing_in_lands_on_the_dashboard(client: HttpClient) -> None:
    staff = factories.StaffFactory()

    response = _sign_in(client, staff.email.upper(), factories.PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("tickets:dashboard")
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_staff_signing_in_follows_a_local_next(client: HttpClient) -> None:
    staff = factories.StaffFactory()

    response = _sign_in(client, staff.email, factories.PASSWORD, next="/clients/?q=acme")

    assert response.url == "/clients/?q=acme"


def test_staff_signing_in_ignores_a_next_on_another_site(client: HttpClient) -> None:
    staff = factories.StaffFactory()

    response = _sign_in(client, staff.email, factories.PASSWORD, next="https://evil.example/")

    assert response.url == reverse("tickets:dashboard")


def test_portal_contact_signing_in_here_is_sent_to_the_portal(client: HttpClient) -> None:
    contact = factories.PortalContactFactory()

    response = _sign_in(client, contact.email, factories.PASSWORD, next="/clients/")

    assert response.url == reverse("portal:home")


def test_wrong_password_is_refused_with_422(client: HttpClient) -> None:
    staff = factories.StaffFactory()

    response = _sign_in(client, staff.email, "not-the-password")

    assert response.status_code == 422
    assert "Wrong email or password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_missing_email_names_the_field(client: HttpClient) -> None:
    response = client.post(LOGIN_URL, {"password": "x"})

    assert response.status_code == 422
    assert "email" in response.context["form"].errors


def test_repeated_failures_lock_the_email_even_for_the_right_password(
    client: HttpClient, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    staff = factories.StaffFactory()
    for _ in range(3):
        _sign_in(client, staff.email, "guess")

    response = _sign_in(client, staff.email, factories.PASSWORD)

    assert response.status_code == 422
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_ends_when_the_window_has_passed(client: HttpClient, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    staff = factories.StaffFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            _sign_in(client, staff.email, "guess")
    later = start + timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES, seconds=1)

    with time_machine.travel(later, tick=False):
        response = _sign_in(client, staff.email, factories.PASSWORD)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_logout_signs_out_on_post(staff_client: HttpClient) -> None:
    response = staff_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert "_auth_user_id" not in staff_client.session


def test_logout_refuses_get(staff_client: HttpClient) -> None:
    response = staff_client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in staff_client.session


# Password reset ------------------------------------------------------------------------


@pytest.fixture
def reset_link(django_capture_on_commit_callbacks: Any) -> Callable[[HttpClient, str], str]:
    """Ask for a reset link and return its path, from the email sent after commit."""

    def ask(client: HttpClient, email: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_reset_done")
        assert len(mail.outbox) == 1
        match = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body)
        assert match is not None
        return match.group(1)

    return ask


def test_password_reset_emails_a_link_to_the_account(client: HttpClient, reset_link: Any) -> None:
    staff = factories.StaffFactory()

    reset_link(client, staff.email)

    message = mail.outbox[0]
    assert message.to == [staff.email]
    assert message.subject == "Reset your Snagdesk password"
    assert django_settings.SITE_URL.rstrip("/") in message.body


def test_password_reset_for_an_unknown_email_sends_nothing_but_looks_the_same(
    client: HttpClient,
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_link_sets_the_new_password(client: HttpClient, reset_link: Any) -> None:
    staff = factories.StaffFactory()
    link = reset_link(client, staff.email)

    form_page = client.get(link, follow=True)
    new = "a-brand-new-passphrase-42"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    staff.refresh_from_db()
    assert staff.check_password(new)


def test_password_reset_lifts_a_lockout(client: HttpClient, reset_link: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    staff = factories.StaffFactory()
    for _ in range(2):
        _sign_in(client, staff.email, "guess")
    link = reset_link(client, staff.email)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "a-brand-new-passphrase-42"
    client.post(set_url, {"new_password1": new, "new_password2": new})

    response = _sign_in(client, staff.email, new)

    assert response.status_code == 302


def test_password_reset_rejects_mismatched_passwords_naming_the_field(
    client: HttpClient, reset_link: Any
) -> None:
    staff = factories.StaffFactory()
    set_url = client.get(reset_link(client, staff.email), follow=True).redirect_chain[-1][0]

    response = client.post(
        set_url, {"new_password1": "a-brand-new-passphrase-42", "new_password2": "other-thing-99"}
    )

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    staff.refresh_from_db()
    assert staff.check_password(factories.PASSWORD)


def test_a_used_reset_link_no_longer_works(client: HttpClient, reset_link: Any) -> None:
    staff = factories.StaffFactory()
    link = reset_link(client, staff.email)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "a-brand-new-passphrase-42"
    client.post(set_url, {"new_password1": new, "new_password2": new})

    response = HttpClient().get(link, follow=True)

    assert "This link no longer works" in response.content.decode()


def test_password_reset_complete_page_links_to_sign_in(client: HttpClient) -> None:
    response = client.get(reverse("accounts:password_reset_complete"))

    assert response.status_code == 200
    assert LOGIN_URL in response.content.decode()


def test_inactive_user_cannot_sign_in(client: HttpClient) -> None:
    staff = factories.StaffFactory(is_active=False)

    response = _sign_in(client, staff.email, factories.PASSWORD)

    assert response.status_code == 422
    assert User.objects.get(pk=staff.pk).last_login is None


def test_password_reset_email_keeps_the_company_name_unescaped(
    client: HttpClient, reset_link: Any
) -> None:
    tricky = "Q&A <b> \"quoted\" 'single'"
    settings_save(PlatformSettings, values={"company_name": tricky}, actor=None)
    staff = factories.StaffFactory(full_name=f"{tricky} Smith")

    reset_link(client, staff.email)

    message = mail.outbox[0]
    assert message.subject == f"Reset your {tricky} password"
    assert message.body.startswith("Hello Q&A,\n")
    assert f"your {tricky} account ({staff.email})" in message.body
