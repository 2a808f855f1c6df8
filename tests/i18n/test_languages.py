"""Whose language a page and an email speak: a signed-in person's chosen one, else the
browser's (or the sign-in pages' switcher), and for emails the recipient's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from snagdesk_server.accounts.models import Contact, User
from snagdesk_server.core.languages import language_supported
from snagdesk_server.core.templatetags.snagdesk import money, number, when
from snagdesk_server.tickets import services
from snagdesk_server.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db


def said(language: str, text: str) -> str:
    """``text`` as the catalogue of ``language`` has it: a real translation, not the English."""
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text, f"{language} has no translation of {text!r}"
    return translated


def page(client: HttpClient, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


# Pages -------------------------------------------------------------------------------


def test_a_dutch_contact_sees_the_portal_in_dutch_whatever_the_browser_asks(
    portal_client: HttpClient, contact: Contact
) -> None:
    Contact.objects.filter(pk=contact.pk).update(language="nl")

    response = portal_client.get(reverse("portal:home"), headers={"accept-language": "de"})

    html = response.content.decode()
    assert '<html lang="nl" dir="ltr">' in html
    assert response["Content-Language"] == "nl"
    assert said("nl", "Sign out") in html
    assert said("de", "Sign out") not in html


def test_a_contact_without_a_language_sees_their_browsers(
    portal_client: HttpClient,
) -> None:
    html = page(portal_client, reverse("portal:home"), accept_language="de-CH,de;q=0.9")

    assert '<html lang="de" dir="ltr">' in html
    assert said("de", "Sign out") in html


def test_a_persian_contact_sees_a_right_to_left_portal(
    portal_client: HttpClient, contact: Contact
) -> None:
    Contact.objects.filter(pk=contact.pk).update(language="fa")

    html = page(portal_client, reverse("portal:home"))

    assert '<html lang="fa" dir="rtl">' in html
    assert said("fa", "Home") in html


def test_a_staff_members_language_is_their_own(staff_client: HttpClient, staff_user: User) -> None:
    User.objects.filter(pk=staff_user.pk).update(language="fr")

    response = staff_client.get(reverse("accounts:profile"), headers={"accept-language": "nl"})

    assert response["Content-Language"] == "fr"
    assert said("fr", "Your profile") in response.content.decode()


# Choosing one ------------------------------------------------------------------------


def test_a_contact_chooses_their_language_on_their_profile(
    portal_client: HttpClient, contact: Contact
) -> None:
    html = page(portal_client, reverse("portal:profile"))
    assert contact.email in html
    assert 'name="language"' in html

    response = portal_client.post(reverse("portal:profile"), {"language": "nl"}, follow=True)

    contact.refresh_from_db()
    assert contact.language == "nl"
    assert response.redirect_chain == [(reverse("portal:profile"), 302)]
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert said("nl", "Your language is saved.") in html
    assert '<option value="nl" selected>' in html


def test_choosing_automatic_goes_back_to_the_browsers_language(
    portal_client: HttpClient, contact: Contact
) -> None:
    Contact.objects.filter(pk=contact.pk).update(language="nl")

    portal_client.post(reverse("portal:profile"), {"language": ""})

    contact.refresh_from_db()
    assert contact.language == ""
    assert '<html lang="de"' in page(portal_client, reverse("portal:home"), accept_language="de")


def test_an_unknown_language_is_refused_by_name_and_nothing_changes(
    portal_client: HttpClient, contact: Contact
) -> None:
    Contact.objects.filter(pk=contact.pk).update(language="en")

    response = portal_client.post(reverse("portal:profile"), {"language": "klingon"})

    assert response.status_code == 422
    assert "klingon is not one of the available choices" in response.content.decode()
    contact.refresh_from_db()
    assert contact.language == "en"


def test_a_contact_cannot_reach_the_staff_profile_nor_staff_the_portal_one(
    portal_client: HttpClient, staff_client: HttpClient
) -> None:
    assert (
        portal_client.post(reverse("accounts:profile_language"), {"language": "nl"}).status_code
        == 403
    )
    assert staff_client.get(reverse("portal:profile")).status_code == 403


def test_a_staff_member_chooses_their_language_on_their_profile(
    staff_client: HttpClient, staff_user: User
) -> None:
    response = staff_client.post(
        reverse("accounts:profile_language"), {"language": "pt-br"}, follow=True
    )

    staff_user.refresh_from_db()
    assert staff_user.language == "pt-br"
    assert '<html lang="pt-br"' in response.content.decode()
    assert said("pt-br", "Your language is saved.") in response.content.decode()


def test_the_sign_in_pages_switch_language_for_the_visitor(client: HttpClient) -> None:
    for login in (reverse("accounts:login"), reverse("portal:login")):
        html = page(client, login, accept_language="en")
        assert f'action="{reverse("set_language")}"' in html
        assert '<option value="fa" lang="fa">فارسی</option>' in html

    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("portal:login")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login")
    html = page(client, reverse("portal:login"), accept_language="en")
    assert '<html lang="fr"' in html
    assert said("fr", "Sign in") in html


# Emails ------------------------------------------------------------------------------


def test_a_dutch_contact_gets_their_emails_in_dutch(run, contact: Contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(language="nl")
    contact.refresh_from_db()
    ticket = factories.TicketFactory(contact=contact, subject="Kapotte knop")
    agent = factories.StaffFactory(language="de")

    run(services.ticket_reply, ticket=ticket, actor=agent, message="Opgelost.")

    (email,) = mail.outbox
    assert email.to == [contact.email]
    assert email.extra_headers["Content-Language"] == "nl"
    assert said("nl", "See the whole conversation and reply:") in email.body
    assert "Opgelost." in email.body


def test_each_staff_member_is_told_of_a_new_ticket_in_their_language(run) -> None:
    department = factories.DepartmentFactory()
    german = factories.StaffFactory(language="de")
    japanese = factories.StaffFactory(language="ja")
    automatic = factories.StaffFactory()
    for member in (german, japanese, automatic):
        member.departments.add(department)

    run(
        services.ticket_open,
        actor=None,
        subject="Broken",
        message="It is.",
        source=Ticket.Source.API,
        submitter_email="someone@example.com",
        department=department,
    )

    by_language = {m.extra_headers.get("Content-Language"): m for m in mail.outbox}
    assert sorted(by_language) == ["de", "en", "ja"]
    assert by_language["de"].to == [german.email]
    assert by_language["ja"].to == [japanese.email]
    assert by_language["en"].to == [automatic.email]
    assert by_language["de"].body != by_language["ja"].body


def test_a_reporter_without_a_contact_is_answered_in_the_language_they_wrote_in(
    run,
) -> None:
    ticket = run(
        services.ticket_open,
        actor=None,
        subject="Kapot",
        message="Het formulier werkt niet.",
        source=Ticket.Source.API,
        submitter_email="bezoeker@example.nl",
        language="nl-BE",
    )
    assert ticket.language == "nl"
    mail.outbox.clear()

    run(services.ticket_reply, ticket=ticket, actor=factories.StaffFactory(), message="Opgelost.")

    (email,) = mail.outbox
    assert email.extra_headers["Content-Language"] == "nl"
    assert said("nl", "See the whole conversation and reply:") in email.body


def test_the_password_reset_email_speaks_the_contacts_language(
    client: HttpClient, contact: Contact, django_capture_on_commit_callbacks
) -> None:
    Contact.objects.filter(pk=contact.pk).update(language="nl")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": contact.email})

    (email,) = mail.outbox
    assert email.extra_headers["Content-Language"] == "nl"
    ignore = (
        "The link works once. If you did not ask for it, ignore this email: your password "
        "stays as it is."
    )
    assert said("nl", ignore) in email.body


# The API and formats -------------------------------------------------------------------


def test_the_api_reads_and_writes_a_contacts_language(api, contact: Contact) -> None:
    url = f"/api/v1/contacts/{contact.pk}/"

    response = api.patch(url, {"language": "pt-br"}, format="json")

    assert response.status_code == 200
    assert response.json()["language"] == "pt-br"
    contact.refresh_from_db()
    assert contact.language == "pt-br"

    response = api.patch(url, {"language": "pt-pt"}, format="json")

    assert response.status_code == 400
    assert "language" in response.json()["fields"]
    contact.refresh_from_db()
    assert contact.language == "pt-br"


@pytest.mark.parametrize(
    ("tag", "ours"),
    [
        ("nl-NL", "nl"),
        ("pt-BR", "pt-br"),
        ("pt-PT", "pt"),
        ("fr-CA", "fr-ca"),
        ("zh-CN", "zh-hans"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("en-US", "en"),
        ("tlh", ""),
        ("", ""),
        ("x" * 600, ""),
    ],
)
def test_a_browser_language_maps_to_the_closest_of_ours(tag: str, ours: str) -> None:
    assert language_supported(tag) == ours


def test_moments_are_written_in_the_active_languages_format() -> None:
    moment = datetime(2026, 3, 6, 9, 30, tzinfo=UTC)

    with translation.override("en"):
        assert when(moment) == "6 Mar 2026, 09:30"
    with translation.override("de"):
        assert when(moment) == "6. März 2026 09:30"
    with translation.override("ja"):
        assert when(moment) == "2026年3月6日9:30"


@pytest.mark.parametrize(
    ("language", "count", "amount"),
    [
        ("en", "12,345", "1,234.50\N{NO-BREAK SPACE}EUR"),
        ("de", "12.345", "1.234,50\N{NO-BREAK SPACE}EUR"),
        ("fr", "12\N{NO-BREAK SPACE}345", "1\N{NO-BREAK SPACE}234,50\N{NO-BREAK SPACE}EUR"),
    ],
)
def test_numbers_and_money_are_written_in_the_active_languages_format(
    language: str, count: str, amount: str
) -> None:
    with translation.override(language):
        assert number(12345) == count
        assert money("1234.5", "EUR") == amount
        assert number(None) == money(None, "EUR") == ""
