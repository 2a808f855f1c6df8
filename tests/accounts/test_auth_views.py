from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from snagdesk_server.accounts.models import LoginAttempt, User
from snagdesk_server.core.config import PlatformSettings, settings_save
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")


def _sign_in(
    client: HttpClient,
    email: str,
    password: str,
    *,
    meta: dict[str, str] | None = None,
    **extra: str,
) -> Any:
    """Post the sign-in form; ``meta`` sets the request's ``REMOTE_ADDR`` and the like."""
    return client.post(LOGIN_URL, {"email": email, "password": password, **extra}, **(meta or {}))


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
    assert response.url == reverse("core:dashboard")
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_staff_signing_in_follows_a_local_next(client: HttpClient) -> None:
    staff = factories.StaffFactory()

    response = _sign_in(client, staff.email, factories.PASSWORD, next="/clients/?q=acme")

    assert response.url == "/clients/?q=acme"


def test_staff_signing_in_ignores_a_next_on_another_site(client: HttpClient) -> None:
    staff = factories.StaffFactory()

    response = _sign_in(client, staff.email, factories.PASSWORD, next="https://evil.example/")

    assert response.url == reverse("core:dashboard")


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


def test_a_lock_from_one_ip_leaves_the_owner_signing_in_from_another(
    client: HttpClient, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    staff = factories.StaffFactory()
    for _ in range(5):
        _sign_in(client, staff.email, "guess", meta={"REMOTE_ADDR": "203.0.113.5"})

    response = _sign_in(
        client, staff.email, factories.PASSWORD, meta={"REMOTE_ADDR": "198.51.100.7"}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_behind_a_trusted_proxy_failures_count_per_forwarded_ip(
    client: HttpClient, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.WIDGET_NUM_PROXIES = 1
    staff = factories.StaffFactory()
    for _ in range(3):
        _sign_in(client, staff.email, "guess", meta={"HTTP_X_FORWARDED_FOR": "203.0.113.5"})

    locked = _sign_in(
        client, staff.email, factories.PASSWORD, meta={"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    )
    owner = _sign_in(
        client, staff.email, factories.PASSWORD, meta={"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    )

    assert locked.status_code == 422
    assert owner.status_code == 302
    assert list(LoginAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"] * 3


def test_one_ip_trying_a_password_across_many_emails_is_stopped(
    client: HttpClient, settings: Any
) -> None:
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    staff = factories.StaffFactory()
    for n in range(4):
        _sign_in(client, f"someone{n}@example.com", "Summer2026!")

    response = _sign_in(client, staff.email, factories.PASSWORD)

    assert response.status_code == 422
    assert "Too many failed sign-ins from your network." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_ips_failing_on_one_email_lock_it_everywhere(
    client: HttpClient, settings: Any
) -> None:
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    staff = factories.StaffFactory()
    for n in range(4):
        _sign_in(client, staff.email, "guess", meta={"REMOTE_ADDR": f"203.0.113.{n}"})

    response = _sign_in(
        client, staff.email, factories.PASSWORD, meta={"REMOTE_ADDR": "198.51.100.7"}
    )

    assert response.status_code == 422
    assert "locked after failed sign-ins from many places" in response.content.decode()


def test_a_locked_unknown_email_reads_the_same_as_a_locked_account(
    client: HttpClient, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    staff = factories.StaffFactory()
    pages = []
    for email in (staff.email, "nobody@example.com"):
        for _ in range(2):
            _sign_in(client, email, "guess")
        pages.append(_sign_in(client, email, "guess"))

    errors = [page.context["form"].non_field_errors() for page in pages]
    assert errors[0] == errors[1]
    assert "Too many failed sign-ins for this email" in errors[0][0]


def test_the_portal_login_is_locked_the_same_way(client: HttpClient, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    contact = factories.PortalContactFactory()
    for _ in range(2):
        client.post(reverse("portal:login"), {"email": contact.email, "password": "guess"})

    response = client.post(
        reverse("portal:login"), {"email": contact.email, "password": factories.PASSWORD}
    )

    assert response.status_code == 422
    assert "Too many failed sign-ins for this email" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_widget_sign_in_popup_is_locked_the_same_way(client: HttpClient, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    contact = factories.PortalContactFactory()
    project = factories.ProjectFactory(client=contact.client)
    token = factories.WidgetTokenFactory(project=project, require_login=True)
    popup = "/portal/widget-login/?" + urlencode(
        {"token": token.key, "origin": "https://client.example"}
    )
    for _ in range(2):
        client.post(popup, {"email": contact.email, "password": "guess"})

    response = client.post(popup, {"email": contact.email, "password": factories.PASSWORD})

    assert response.status_code == 422
    assert "Too many failed sign-ins for this email" in response.content.decode()
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
