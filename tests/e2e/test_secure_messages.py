"""Secure messages in Chromium: a secret made in the console opens once in another
browser, with and without a password; a client answers a request; and what the page's
WebCrypto code seals, Python's ``cryptography`` opens, and the other way round.

Every request both browsers send is recorded, in the browser and as the server receives
it: neither the secret's text nor its key (the link's fragment) may appear in any URL,
header or body."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from cryptography.exceptions import InvalidTag
from django.core.signals import request_started
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from snagdesk_server.accounts.models import User
from snagdesk_server.secure_messages.models import SecretContent, SecureMessage
from tests import factories
from tests.e2e.browser import VIEWPORT, Console, wait_until
from tests.e2e.test_console import sign_in
from tests.secure_messages import crypto
from tests.secure_messages.sealing import make_secret

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request

pytestmark = pytest.mark.e2e

GONE = "This secret is gone"
WRONG_KEY = "The password is wrong, or the link is incomplete. The secret is still there."


# What reaches the server ---------------------------------------------------------------------


@dataclass
class Sent:
    """Every request, as the browsers sent it and as the server received it."""

    requests: list[Request] = field(default_factory=list)
    captured: list[str] = field(default_factory=list)
    received: list[dict[str, str]] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self._record)

    def _record(self, request: Request) -> None:
        self.requests.append(request)

    def receive(self, sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        self.received.append(
            {
                "path": environ.get("PATH_INFO", ""),
                "query": environ.get("QUERY_STRING", ""),
                **{k: str(v) for k, v in environ.items() if k.startswith(("HTTP_", "CONTENT"))},
            }
        )

    def collect(self) -> None:
        """Each request's URL (its fragment aside: browsers never send one), headers and
        body; called before a context closes, as its requests' headers go with it."""
        while self.requests:
            request = self.requests.pop(0)
            self.captured.append(request.url.split("#", 1)[0])
            self.captured.extend(f"{k}: {v}" for k, v in request.all_headers().items())
            self.captured.append(request.post_data or "")

    def texts(self) -> list[str]:
        """What the browsers sent, and what the server received of it."""
        self.collect()
        return self.captured + [json.dumps(received) for received in self.received]

    def assert_never_sent(self, *needles: str) -> None:
        texts = self.texts()
        assert self.captured, "no request was recorded"
        assert any("/s/" in r["path"] for r in self.received), "the server saw no link"
        forms = {form for needle in needles for form in (needle, json.dumps(needle)[1:-1])}
        leaks = [(form, text[:200]) for text in texts for form in forms if form in text]
        assert leaks == []


@pytest.fixture
def sent() -> Iterator[Sent]:
    recorder = Sent()
    request_started.connect(recorder.receive)
    yield recorder
    request_started.disconnect(recorder.receive)


# Two people, two browsers ------------------------------------------------------------------------


@pytest.fixture
def staff(transactional_db: None) -> User:
    return factories.StaffFactory(full_name="Sam Staff")


@pytest.fixture
def staff_page(page: Page, context: BrowserContext, staff: User, snagdesk: str, sent: Sent) -> Page:
    sign_in(context, staff, snagdesk)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=snagdesk)
    sent.watch(context)
    return page


@pytest.fixture
def recipient(browser: Browser, sent: Sent, console: Console) -> Iterator[Page]:
    """A fresh browser context: no cookie, no storage, nothing shared with staff's."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(15_000)
    sent.watch(context)
    page = context.new_page()
    page.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
    yield page
    sent.collect()
    context.close()


def _create_secret(page: Page, snagdesk: str, text: str, password: str = "") -> str:
    """Create a secret in the console; the link it shows, as its copy button copies it."""
    page.goto(f"{snagdesk}/secure-messages/new/")
    page.get_by_role("textbox", name="Secret", exact=True).fill(text)
    page.get_by_label("Expires after").select_option("3d")
    if password:
        page.get_by_label("Password").fill(password)
    page.get_by_label("Note").fill("Shop admin")
    page.get_by_role("button", name="Encrypt and create the link").click()
    shown = page.locator("#secret-link")
    expect(shown).to_contain_text("/s/")
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_text("Copied")).to_be_visible()
    link: str = page.evaluate("() => navigator.clipboard.readText()")
    assert link == shown.inner_text()
    return link


def _errors(console: Console) -> list[str]:
    """The page's script errors; a 404 is the gone page, which the tests expect."""
    return [error for error in console.errors if not error.startswith("Failed to load resource")]


def _message(link: str) -> SecureMessage:
    secret_id = link.split("/s/", 1)[1].split("#", 1)[0].removesuffix("/answer")
    return SecureMessage.objects.get(pk=secret_id)


def _key(link: str) -> str:
    key = link.split("#", 1)[1]
    assert len(key) == 43
    return key


# Burn after reading, end to end -----------------------------------------------------------------


def test_a_console_secret_opens_once_in_a_fresh_browser_and_never_travels(
    staff_page: Page, recipient: Page, snagdesk: str, sent: Sent, console: Console
) -> None:
    text = f"wp-admin / {secrets.token_urlsafe(12)}"

    link = _create_secret(staff_page, snagdesk, text)

    assert link.startswith(f"{snagdesk}/s/")
    message = _message(link)
    assert (message.note, message.expiry, message.burn_after_reading) == ("Shop admin", "3d", True)
    assert SecretContent.objects.filter(message=message).exists()

    recipient.goto(link)
    expect(
        recipient.get_by_role("heading", name="A secure message is waiting for you")
    ).to_be_visible()
    expect(recipient.get_by_text("It will be destroyed as soon as you reveal it")).to_be_visible()
    recipient.get_by_role("button", name="Reveal the secret").click()

    expect(recipient.locator("#secret-text")).to_have_value(text)
    expect(recipient.get_by_text("This secret is now destroyed on the server")).to_be_visible()
    assert "#" not in recipient.url  # the key left the address bar
    message.refresh_from_db()
    assert message.read_count == 1
    assert not SecretContent.objects.filter(message=message).exists()

    recipient.reload()
    expect(recipient.get_by_role("heading", name=GONE)).to_be_visible()
    recipient.goto(link)
    expect(recipient.get_by_role("heading", name=GONE)).to_be_visible()

    sent.assert_never_sent(text, _key(link))
    # What the browsers did send was recorded: the envelope, then the verifier.
    ciphertext_posted = [t for t in sent.texts() if '"ct":' in t and message.pk in t]
    assert ciphertext_posted
    verifier = crypto.verifier_for(_key(link), None, message.pk)
    assert any(verifier in t for t in sent.texts())
    assert _errors(console) == []


def test_a_password_protected_secret_survives_a_wrong_password(
    staff_page: Page, recipient: Page, snagdesk: str, sent: Sent
) -> None:
    text = f"stripe sk_live_{secrets.token_hex(8)}"
    password = "Grüne Wiese 42"
    link = _create_secret(staff_page, snagdesk, text, password=password)
    message = _message(link)
    assert message.has_password

    recipient.goto(link)
    password_field = recipient.get_by_label("Password")
    password_field.fill("wrong password")
    recipient.get_by_role("button", name="Reveal the secret").click()

    expect(recipient.get_by_text(WRONG_KEY)).to_be_visible()
    message.refresh_from_db()
    assert (message.read_count, message.read_at) == (0, None)
    assert SecretContent.objects.filter(message=message).exists()

    password_field.fill(password)
    recipient.get_by_role("button", name="Reveal the secret").click()
    expect(recipient.locator("#secret-text")).to_have_value(text)
    assert not SecretContent.objects.filter(message=message).exists()

    sent.assert_never_sent(text, _key(link), password)


def test_a_client_answers_a_request_and_staff_open_it(
    staff_page: Page, recipient: Page, snagdesk: str, sent: Sent, console: Console
) -> None:
    answer = f"ftp / {secrets.token_urlsafe(12)}"
    staff_page.goto(f"{snagdesk}/secure-messages/request/")
    staff_page.get_by_label("What you ask for").fill("FTP password for the shop")
    staff_page.get_by_role("button", name="Create the request").click()
    client_link = staff_page.locator("#request-client-link")
    expect(client_link).to_contain_text("/answer#")
    client_url, staff_url = (
        client_link.inner_text(),
        staff_page.locator("#request-staff-link").inner_text(),
    )
    assert _key(client_url) == _key(staff_url)
    message = _message(staff_url)
    assert message.kind == "request"

    recipient.goto(client_url)
    expect(recipient.get_by_text("FTP password for the shop")).to_be_visible()
    recipient.get_by_role("textbox", name="Secret", exact=True).fill(answer)
    recipient.get_by_role("button", name="Encrypt and send").click()
    expect(recipient.get_by_text("Sent. Only the person who asked can read it.")).to_be_visible()
    wait_until(
        lambda: SecureMessage.objects.filter(pk=message.pk, answered_at__isnull=False).exists(),
        what="the answer",
    )
    recipient.reload()
    expect(recipient.get_by_role("heading", name=GONE)).to_be_visible()

    staff_page.goto(staff_url)
    expect(staff_page.get_by_role("heading", name="A client's answer is waiting")).to_be_visible()
    staff_page.get_by_role("button", name="Reveal the secret").click()
    expect(staff_page.locator("#secret-text")).to_have_value(answer)
    assert not SecretContent.objects.filter(message=message).exists()

    sent.assert_never_sent(answer, _key(staff_url))
    assert _errors(console) == []


def test_a_contact_sends_a_kept_secret_from_the_portal_and_it_reads_twice(
    page: Page, browser: Browser, snagdesk: str, sent: Sent, console: Console
) -> None:
    contact = factories.PortalContactFactory(first_name="Ada")
    assert contact.user is not None
    sign_in(page.context, contact.user, snagdesk)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=snagdesk)
    sent.watch(page.context)
    text = f"shop admin / {secrets.token_urlsafe(12)}"

    page.goto(f"{snagdesk}/portal/secure-messages/new/")
    page.get_by_role("textbox", name="Secret", exact=True).fill(text)
    page.get_by_label("Keep until it expires").check()
    page.get_by_role("button", name="Encrypt and create the link").click()
    expect(page.locator("#secret-link")).to_contain_text("/s/")
    link = page.locator("#secret-link").inner_text()
    message = _message(link)
    assert (message.created_by_contact, message.client) == (contact, contact.client)
    assert message.burn_after_reading is False
    page.goto(f"{snagdesk}/portal/secure-messages/")
    expect(page.get_by_role("cell", name="Waiting")).to_be_visible()

    for reader in range(2):
        context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
        sent.watch(context)
        fresh = context.new_page()
        fresh.goto(link)
        expect(fresh.get_by_text("It can be revealed until")).to_be_visible()
        fresh.get_by_role("button", name="Reveal the secret").click()
        expect(fresh.locator("#secret-text")).to_have_value(text)
        sent.collect()
        context.close()
        message.refresh_from_db()
        assert message.read_count == reader + 1
    assert SecretContent.objects.filter(message=message).exists()

    sent.assert_never_sent(text, _key(link))
    assert _errors(console) == []


# The same cryptography on both sides ------------------------------------------------------------

SEAL = "(options) => window.SnagdeskSecrets.seal(options)"
OPEN = "(options) => window.SnagdeskSecrets.open(options)"
VERIFIER = "([key, password, id]) => window.SnagdeskSecrets.verifierFor(key, password, id)"


@pytest.fixture
def crypto_page(page: Page, snagdesk: str, staff: User) -> Page:
    """A link's page, which loads the secure messages' script (and its CSP)."""
    made = make_secret(actor=staff)
    page.goto(f"{snagdesk}/s/{made.id}")
    expect(page.get_by_role("button", name="Reveal the secret")).to_be_visible()
    return page


VECTORS = [
    {"text": "plain ASCII secret", "expiry": "7d", "burn": True, "password": ""},
    {"text": "Ünïcödé — 密码 🔑\nline two", "expiry": "never", "burn": False, "password": ""},
    {"text": "with a password", "expiry": "1d", "burn": True, "password": "pässwörd Ω"},
]


def _open_in_python(vector: dict[str, Any], sealed: dict[str, Any], **changes: Any) -> str:
    options = {
        "envelope": sealed["envelope"],
        "key": sealed["key"],
        "secret_id": sealed["id"],
        "expiry": vector["expiry"],
        "burn": vector["burn"],
        "password": vector["password"] or None,
        **changes,
    }
    return crypto.open_envelope(**options)


def _flipped(text: str, index: int = 0) -> str:
    data = bytearray(crypto.unb64url(text))
    data[index] ^= 0x01
    return crypto.b64url(bytes(data))


@pytest.mark.parametrize("vector", VECTORS, ids=["ascii", "unicode-keep", "password"])
def test_what_the_browser_seals_python_opens_and_tampering_fails(
    crypto_page: Page, vector: dict[str, Any]
) -> None:
    sealed = crypto_page.evaluate(SEAL, vector)

    assert _open_in_python(vector, sealed) == vector["text"]
    envelope = sealed["envelope"]
    assert (envelope["v"], envelope["alg"]) == (1, "A256GCM")
    assert len(crypto.unb64url(envelope["iv"])) == 12
    assert len(crypto.unb64url(sealed["id"])) == 16
    if vector["password"]:
        assert (envelope["kdf"], envelope["iter"]) == ("PBKDF2-SHA256", 600_000)
    else:
        assert envelope["kdf"] == "none"
        assert "iter" not in envelope
    assert sealed["verifier"] == crypto.verifier_for(
        sealed["key"], vector["password"] or None, sealed["id"]
    )

    ct, iv = envelope["ct"], envelope["iv"]
    tampered = [
        {"envelope": {**envelope, "ct": _flipped(ct)}},
        {"envelope": {**envelope, "ct": _flipped(ct, -1)}},  # the tag
        {"envelope": {**envelope, "iv": _flipped(iv)}},
        {"secret_id": crypto.new_id()},
        {"expiry": "30d"},
        {"burn": not vector["burn"]},
        {"key": crypto.new_key()},
        {"password": "not it" if vector["password"] else "a password it never had"},
    ]
    for changes in tampered:
        with pytest.raises(InvalidTag):
            _open_in_python(vector, sealed, **changes)


def test_the_browser_seals_with_the_id_and_key_it_is_given(crypto_page: Page) -> None:
    secret_id, key = crypto.new_id(), crypto.new_key()

    sealed = crypto_page.evaluate(
        SEAL, {"text": "x", "expiry": "3d", "burn": True, "id": secret_id, "key": key}
    )

    assert (sealed["id"], sealed["key"]) == (secret_id, key)
    found = crypto.open_envelope(
        envelope=sealed["envelope"], key=key, secret_id=secret_id, expiry="3d", burn=True
    )
    assert found == "x"
    again = crypto_page.evaluate(
        SEAL, {"text": "x", "expiry": "3d", "burn": True, "id": secret_id, "key": key}
    )
    assert again["envelope"]["iv"] != sealed["envelope"]["iv"]  # a fresh IV each time


@pytest.mark.parametrize("vector", VECTORS, ids=["ascii", "unicode-keep", "password"])
def test_what_python_seals_the_browser_opens(crypto_page: Page, vector: dict[str, Any]) -> None:
    sealed = crypto.seal(
        text=vector["text"],
        expiry=vector["expiry"],
        burn=vector["burn"],
        password=vector["password"] or None,
    )
    options = {
        "envelope": sealed.envelope,
        "key": sealed.key,
        "password": vector["password"],
        "id": sealed.id,
        "expiry": vector["expiry"],
        "burn": vector["burn"],
    }

    assert crypto_page.evaluate(OPEN, options) == vector["text"]
    verifier = crypto_page.evaluate(VERIFIER, [sealed.key, vector["password"], sealed.id])
    assert verifier == sealed.verifier
    for changes in (
        {"envelope": {**sealed.envelope, "ct": _flipped(sealed.envelope["ct"])}},
        {"envelope": {**sealed.envelope, "iv": _flipped(sealed.envelope["iv"])}},
        {"id": crypto.new_id()},
        {"expiry": "1d" if vector["expiry"] != "1d" else "3d"},
        {"burn": not vector["burn"]},
    ):
        with pytest.raises(PlaywrightError):
            crypto_page.evaluate(OPEN, {**options, **changes})


def test_a_password_is_normalised_to_nfc_on_both_sides(crypto_page: Page) -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    sealed = crypto_page.evaluate(
        SEAL, {"text": "t", "expiry": "7d", "burn": True, "password": decomposed}
    )

    found = crypto.open_envelope(
        envelope=sealed["envelope"],
        key=sealed["key"],
        secret_id=sealed["id"],
        expiry="7d",
        burn=True,
        password=composed,
    )
    assert found == "t"
