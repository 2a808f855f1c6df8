"""Every console and portal page, and the sign-in pages, through axe-core in Chromium, in
the light and the dark colour scheme, on the demo desk: no serious or critical finding.

One test walks all pages: the demo is seeded once and each page is loaded once, then
checked in both schemes (switching the emulated scheme restyles the page in place)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from snagdesk_server.accounts.demo import ADMIN_EMAIL, PORTAL_EMAIL
from snagdesk_server.accounts.models import Client, Contact, Role, User
from snagdesk_server.billing.models import CreditNote, Invoice, Service
from snagdesk_server.billing.services import service_refund
from snagdesk_server.demo.seeding import demo_seed
from snagdesk_server.memos.models import Memo
from snagdesk_server.projects.models import Project
from snagdesk_server.secure_messages.models import SecureMessage
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import AXE
from tests.e2e.test_console import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.e2e

# In the dark scheme only the rules about colour can find anything new.
RUN_AXE = """async (rules) => {
    const options = {resultTypes: ['violations']};
    if (rules) options.runOnly = {type: 'rule', values: rules};
    const results = await axe.run(document, options);
    return results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({id: v.id, impact: v.impact,
                      nodes: v.nodes.map((n) => [n.target.join(' '), n.failureSummary])}));
}"""
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def _console_pages() -> list[str]:
    """The console's pages, on the demo's objects: a ticket that came from the widget
    (so it has a Browser info tab) and has a conversation; a memo with highlighted code,
    and a search whose matches are marked."""
    ticket = Ticket.objects.filter(browser_info__isnull=False, replies__isnull=False).first()
    assert ticket is not None, "the demo has no widget ticket with replies"
    client = Client.objects.order_by("pk").first()
    assert client is not None
    project = Project.objects.order_by("pk").first()
    role = Role.objects.order_by("pk").first()
    token = WidgetToken.objects.order_by("pk").first()
    memo = Memo.objects.filter(body__contains="```", visibility=Memo.Visibility.PUBLIC).first()
    service = Service.objects.filter(invoices__isnull=False).order_by("pk").first()
    assert service is not None, "the demo has no service with an invoice"
    assert project is not None
    assert role is not None
    assert token is not None
    assert memo is not None, "the demo has no public memo with code"
    return [
        "/",
        "/tickets/",
        f"/tickets/{ticket.number}/",
        f"/tickets/{ticket.number}/?tab=browser",
        "/tickets/new/",
        "/departments/",
        "/clients/",
        f"/clients/{client.pk}/",
        f"/clients/{client.pk}/contacts/new/",
        "/projects/",
        f"/projects/{project.pk}/",
        "/staff/",
        f"/roles/{role.pk}/edit/",
        "/settings/",
        "/settings/tickets/",
        "/website-support/settings/",
        "/website-support/",
        f"/website-support/{token.pk}/",
        "/website-support/new/",
        "/secure-messages/",
        "/secure-messages/new/",
        "/secure-messages/request/",
        f"/secure-messages/{_secret('message').pk}/",
        f"/secure-messages/{_secret('request').pk}/",
        "/secure-messages/settings/",
        "/memos/",
        "/memos/?q=cache+static",
        f"/memos/{memo.pk}/",
        f"/memos/{memo.pk}/edit/",
        "/memos/tags/",
        "/memos/settings/",
        "/billing/settings/",
        "/billing/services/",
        "/billing/services/new/",
        "/billing/products/",
        "/billing/revenue/",
        f"/billing/services/{service.pk}/",
        f"/billing/invoices/{service.invoices.order_by('pk').first().pk}/",
        f"/billing/clients/{service.client_id}/",
        f"/billing/credit-notes/{_credit_note(service).pk}/",
        "/profile/",
    ]


def _credit_note(kept: Service) -> CreditNote:
    """A credit note: the demo issues none, so a paid invoice of a service other than
    ``kept`` (whose page is checked as the demo left it) is refunded."""
    paid = (
        Invoice.objects.filter(status=Invoice.Status.PAID, service__isnull=False)
        .exclude(service=kept)
        .first()
    )
    assert paid is not None, "the demo has no other paid invoice of a service"
    assert paid.service is not None
    return service_refund(
        actor=None, service=paid.service, reason="Closed", to_wallet=True, now=timezone.now()
    )


def _secret(kind: str, *, read: bool = False) -> SecureMessage:
    """One of the demo's secure messages: a request, a secret waiting or a burnt one."""
    found = SecureMessage.objects.filter(kind=kind, read_at__isnull=not read).first()
    assert found is not None, f"the demo has no {'read ' if read else ''}{kind}"
    return found


def _link_pages() -> list[tuple[str, int]]:
    """The pages of a secure message's link, for anyone who holds it; a burnt one's is
    the gone page (404)."""
    return [
        (f"/s/{_secret('message').pk}", 200),
        (f"/s/{_secret('request').pk}/answer", 200),
        (f"/s/{_secret('request').pk}", 200),
        (f"/s/{_secret('message', read=True).pk}", 404),
    ]


def _portal_pages(contact: Contact) -> list[str]:
    ticket = Ticket.objects.filter(contact=contact, replies__isnull=False).first()
    assert ticket is not None, "the demo's portal contact has no conversation"
    invoice = Invoice.objects.filter(client=contact.client).first()
    assert invoice is not None, "the demo's portal contact's company has no invoice"
    return [
        "/portal/",
        "/portal/tickets/",
        f"/portal/tickets/{ticket.number}/",
        "/portal/tickets/new/",
        "/portal/company/",
        "/portal/profile/",
        "/portal/secure-messages/",
        "/portal/services/",
        f"/portal/invoices/{invoice.pk}/",
        "/portal/secure-messages/new/",
    ]


def _findings(page: Page, url: str, status: int = 200) -> dict[str, Any]:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, url
    found = {}
    backgrounds = set()
    for scheme, rules in (("light", None), ("dark", COLOUR_RULES)):
        page.emulate_media(color_scheme=scheme)
        backgrounds.add(page.evaluate(BACKGROUND))
        if violations := page.evaluate(RUN_AXE, rules):
            found[f"{url} ({scheme})"] = violations
    assert len(backgrounds) == 2, f"{url} looks the same in both schemes"
    return found


@pytest.mark.usefixtures("transactional_db")
def test_every_page_passes_axe_in_both_colour_schemes(
    page: Page, context: BrowserContext, snagdesk: str, settings: Any
) -> None:
    if not AXE.exists():
        pytest.skip(f"needs axe-core at {AXE}: run `cd widget && npm ci`")
    # Online payment on, so the pages show its buttons and the portal's add-funds form.
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_axe", "whsec_axe"
    # An init script, as the pages' policy refuses an inline one.
    context.add_init_script(path=AXE)
    demo_seed(now=timezone.now())
    findings: dict[str, Any] = {}
    for path in ("/login/", "/password-reset/", "/portal/login/"):
        findings |= _findings(page, snagdesk + path)
    for path, status in _link_pages():
        findings |= _findings(page, snagdesk + path, status)

    sign_in(context, User.objects.get(email=ADMIN_EMAIL), snagdesk)
    for path in _console_pages():
        findings |= _findings(page, snagdesk + path)

    contact = Contact.objects.get(email=PORTAL_EMAIL)
    assert contact.user is not None
    context.clear_cookies()
    sign_in(context, contact.user, snagdesk)
    for path in _portal_pages(contact):
        findings |= _findings(page, snagdesk + path)

    # Mirrored, and in another script: the portal of a contact who reads Persian.
    Contact.objects.filter(pk=contact.pk).update(language="fa")
    for path in ("/portal/", "/portal/profile/"):
        findings |= {f"{key} (fa)": v for key, v in _findings(page, snagdesk + path).items()}

    assert findings == {}
