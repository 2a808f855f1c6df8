"""Secure messages against the live server: encrypted here, kept there as ciphertext,
revealed and decrypted here. The server never receives the text, the key or the
password: neither in what the SDK sends, nor in what the database holds."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest
from conftest import LiveServer

from snagdesk import (
    AsyncSnagdesk,
    DecryptionError,
    NotFoundError,
    PermissionDeniedError,
    RequestedSecret,
    SecureMessage,
    SentSecret,
    Snagdesk,
    ValidationError,
    WrongKeyError,
    secrets,
)


def _marker() -> str:
    return f"s3cr3t-{uuid.uuid4().hex[:12]}"


def _text(marker: str = "") -> str:
    """A secret no other test sends, with characters beyond ASCII."""
    return f"sftp deploy@acme.example / {marker or _marker()} Pässwörd ✓"


def _key(link: str) -> str:
    return link.partition("#")[2]


@pytest.fixture
def recorded(live_server: LiveServer) -> Iterator[tuple[Snagdesk, list[httpx.Request]]]:
    """A client of the superuser, and every request it sends."""
    sent: list[httpx.Request] = []
    http = httpx.Client(timeout=10, event_hooks={"request": [sent.append]})
    with http, Snagdesk(live_server.url, live_server.admin_token, http_client=http) as desk:
        yield desk, sent


def _as_sent(request: httpx.Request) -> str:
    """All that reached the server: the URL, the headers and the body."""
    headers = "\n".join(f"{name}: {value}" for name, value in request.headers.items())
    return f"{request.method} {request.url}\n{headers}\n\n{request.content.decode()}"


def _stored(server: LiveServer, secret_id: str) -> tuple[str | None, str | None]:
    """What the server's database holds of a message: its row and its ciphertext
    envelope, as text (None for one that is not there)."""
    with closing(sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)) as db:
        message = db.execute(
            "SELECT * FROM secure_messages_securemessage WHERE id = ?", [secret_id]
        ).fetchone()
        content = db.execute(
            "SELECT envelope FROM secure_messages_secretcontent WHERE message_id = ?",
            [secret_id],
        ).fetchone()
    return (repr(message) if message else None, content[0] if content else None)


# Send and reveal -------------------------------------------------------------------


def test_send_then_reveal_gives_the_text_and_a_second_reveal_is_not_found(
    desk: Snagdesk, live_server: LiveServer
) -> None:
    text = _text()

    sent = desk.secure_messages.send(text, note="FTP for Acme")
    revealed = desk.secure_messages.reveal(sent.link)

    assert isinstance(sent, SentSecret)
    assert isinstance(sent.message, SecureMessage)
    message = sent.message
    assert (message.kind, message.status, message.note) == ("message", "waiting", "FTP for Acme")
    assert (message.expiry, message.burn_after_reading, message.has_password) == (
        "7d",
        True,
        False,
    )
    assert sent.link == f"{live_server.url}/s/{message.id}#{_key(sent.link)}"
    assert len(_key(sent.link)) == 43
    assert revealed == text
    with pytest.raises(NotFoundError) as caught:
        desk.secure_messages.reveal(sent.link)
    assert (caught.value.status, caught.value.code) == (404, "secret_not_found")
    after = desk.secure_messages.get(message.id)
    assert (after.status, after.read_count) == ("read", 1)
    assert after.read_at is not None


def test_the_link_and_the_key_never_show_in_a_repr(desk: Snagdesk) -> None:
    sent = desk.secure_messages.send(_text())

    assert _key(sent.link) not in repr(sent)


def test_the_server_never_receives_the_text_the_key_or_the_password(
    recorded: tuple[Snagdesk, list[httpx.Request]], live_server: LiveServer
) -> None:
    desk, requests = recorded
    marker, password = _marker(), f"pw-{uuid.uuid4().hex}"
    text = _text(marker)

    sent = desk.secure_messages.send(text, password=password)
    message_row, envelope = _stored(live_server, sent.message.id)
    revealed = desk.secure_messages.reveal(sent.link, password=password)

    assert revealed == text
    assert sent.message.has_password is True
    assert message_row is not None
    assert envelope is not None
    assert '"ct"' in envelope
    reached = "\n".join(_as_sent(request) for request in requests)
    # The marker is the text's ASCII part, which JSON would carry as it is.
    for secret in (text, marker, _key(sent.link), password):
        assert secret not in reached
        assert secret not in message_row
        assert secret not in envelope
    reveal = requests[-1]
    assert reveal.url.path == f"/s/{sent.message.id}/reveal"
    assert "Authorization" not in reveal.headers


def test_a_burnt_secret_leaves_no_ciphertext_on_the_server(
    desk: Snagdesk, live_server: LiveServer
) -> None:
    sent = desk.secure_messages.send(_text())
    _row, before = _stored(live_server, sent.message.id)

    desk.secure_messages.reveal(sent.link)

    message_row, after = _stored(live_server, sent.message.id)
    assert before is not None
    assert after is None
    assert message_row is not None  # the metadata stays for the staff list


def test_a_wrong_password_is_a_wrong_key_error_and_burns_nothing(desk: Snagdesk) -> None:
    text = _text()
    sent = desk.secure_messages.send(text, password="correct horse battery")

    with pytest.raises(WrongKeyError) as wrong:
        desk.secure_messages.reveal(sent.link, password="correct horse")
    with pytest.raises(WrongKeyError):
        desk.secure_messages.reveal(sent.link)

    assert isinstance(wrong.value, PermissionDeniedError)
    assert (wrong.value.status, wrong.value.code) == (403, "wrong_key")
    assert desk.secure_messages.get(sent.message.id).status == "waiting"
    assert desk.secure_messages.reveal(sent.link, password="correct horse battery") == text


def test_a_password_is_normalised_as_the_browser_does(desk: Snagdesk) -> None:
    text = _text()
    sent = desk.secure_messages.send(text, password="Cafe\u0301")  # "é" as e + accent

    assert desk.secure_messages.reveal(sent.link, password="Caf\u00e9") == text


def test_a_kept_secret_reveals_again_until_revoked(desk: Snagdesk) -> None:
    text = _text()
    sent = desk.secure_messages.send(text, expiry="1d", burn_after_reading=False)

    first = desk.secure_messages.reveal(sent.link)
    second = desk.secure_messages.reveal(sent.link)
    read_count = desk.secure_messages.get(sent.message.id).read_count
    desk.secure_messages.revoke(sent.message.id)

    assert first == second == text
    assert read_count == 2
    with pytest.raises(NotFoundError) as gone:
        desk.secure_messages.reveal(sent.link)
    assert gone.value.code == "secret_not_found"
    with pytest.raises(NotFoundError):
        desk.secure_messages.get(sent.message.id)


def test_reveal_refuses_a_link_without_its_key(desk: Snagdesk) -> None:
    sent = desk.secure_messages.send(_text())
    cut = sent.link[:-10]

    with pytest.raises(ValueError, match="key"):
        desk.secure_messages.reveal(sent.message.url)
    with pytest.raises(ValueError, match="key"):
        desk.secure_messages.reveal(cut)
    with pytest.raises(ValueError, match="link"):
        desk.secure_messages.reveal("https://desk.example/tickets/42#" + _key(sent.link))
    assert desk.secure_messages.get(sent.message.id).status == "waiting"


# Requests --------------------------------------------------------------------------


def test_request_returns_the_clients_link_and_the_staff_link(
    desk: Snagdesk, live_server: LiveServer
) -> None:
    acme = desk.clients.create(name=f"Acme {uuid.uuid4().hex[:6]}")

    asked = desk.secure_messages.request(note="FTP password please", client=acme, expiry="3d")

    assert isinstance(asked, RequestedSecret)
    message = asked.message
    key = _key(asked.client_link)
    assert (message.kind, message.status, message.expiry) == ("request", "requested", "3d")
    assert message.client is not None
    assert message.client.id == acme.id
    assert asked.client_link == f"{live_server.url}/s/{message.id}/answer#{key}"
    assert asked.staff_link == f"{live_server.url}/s/{message.id}#{key}"
    assert message.answer_url == f"{live_server.url}/s/{message.id}/answer"


def test_the_answer_to_a_request_opens_only_in_the_console(
    desk: Snagdesk, live_server: LiveServer
) -> None:
    asked = desk.secure_messages.request()
    secret_id, key = secrets.parse_link(asked.client_link)
    # What the client's browser does on the answer page, with the link's key.
    answer = secrets.seal(
        "ftp / hunter2", expiry="7d", burn_after_reading=True, secret_id=secret_id, key=key
    )
    sent = httpx.post(
        f"{live_server.url}/s/{secret_id}/answer/send",
        json={"verifier": answer.verifier, "envelope": answer.envelope},
    )

    assert sent.status_code == 201, sent.text
    assert desk.secure_messages.get(secret_id).status == "waiting"
    with pytest.raises(PermissionDeniedError) as refused:
        desk.secure_messages.reveal(asked.staff_link)
    assert not isinstance(refused.value, WrongKeyError)
    assert desk.secure_messages.get(secret_id).status == "waiting"


# The raw operations ----------------------------------------------------------------


def test_list_filters_by_status_and_mine(desk: Snagdesk) -> None:
    waiting = desk.secure_messages.send(_text()).message
    read = desk.secure_messages.send(_text())
    desk.secure_messages.reveal(read.link)
    requested = desk.secure_messages.request().message

    mine = {m.id for m in desk.secure_messages.list(mine=True)}
    waiting_ids = {m.id for m in desk.secure_messages.list(status="waiting")}
    read_ids = {m.id for m in desk.secure_messages.list(status="read", page_size=100)}
    requested_ids = {m.id for m in desk.secure_messages.list(status="requested")}

    assert {waiting.id, read.message.id, requested.id} <= mine
    assert waiting.id in waiting_ids
    assert read.message.id not in waiting_ids
    assert read.message.id in read_ids
    assert requested.id in requested_ids
    assert waiting.id not in requested_ids


def test_create_keeps_what_was_sealed_here(desk: Snagdesk, live_server: LiveServer) -> None:
    text = _text()
    sealed = secrets.seal(text, expiry="never", burn_after_reading=False)

    message = desk.secure_messages.create(
        id=sealed.id,
        kind="message",
        verifier=sealed.verifier,
        envelope=sealed.envelope,
        expiry="never",
        burn_after_reading=False,
    )

    assert (message.id, message.expiry, message.expires_at) == (sealed.id, "never", None)
    assert desk.secure_messages.reveal(secrets.link(message.url, sealed.key)) == text


def test_create_with_a_bad_envelope_names_its_code(desk: Snagdesk) -> None:
    sealed = secrets.seal(_text(), expiry="7d", burn_after_reading=True)

    with pytest.raises(ValidationError) as caught:
        desk.secure_messages.create(
            id=sealed.id,
            kind="message",
            verifier=sealed.verifier,
            envelope={**sealed.envelope, "iv": "AAAA"},
            expiry="7d",
            burn_after_reading=True,
        )

    assert caught.value.code == "invalid_iv"
    assert list(caught.value.fields) == ["envelope"]


def test_a_ciphertext_bound_to_other_flags_is_a_decryption_error(desk: Snagdesk) -> None:
    # Sealed for "1d", kept as "7d": the verifier holds, the bound data does not.
    sealed = secrets.seal(_text(), expiry="1d", burn_after_reading=False)
    message = desk.secure_messages.create(
        id=sealed.id,
        kind="message",
        verifier=sealed.verifier,
        envelope=sealed.envelope,
        expiry="7d",
        burn_after_reading=False,
    )

    with pytest.raises(DecryptionError) as caught:
        desk.secure_messages.reveal(secrets.link(message.url, sealed.key))

    assert (caught.value.status, caught.value.code) == (None, "decryption_failed")


def test_a_staff_member_without_the_module_permission_is_refused(
    live_server: LiveServer,
) -> None:
    with (
        Snagdesk(live_server.url, live_server.reader_token) as reader,
        pytest.raises(PermissionDeniedError),
    ):
        reader.secure_messages.send(_text())


# Async -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_send_reveal_with_a_password_and_request(live_server: LiveServer) -> None:
    text = _text()
    async with AsyncSnagdesk(live_server.url, live_server.admin_token) as desk:
        sent = await desk.secure_messages.send(text, password="correct horse")
        with pytest.raises(WrongKeyError):
            await desk.secure_messages.reveal(sent.link, password="wrong horse")
        revealed = await desk.secure_messages.reveal(sent.link, password="correct horse")
        with pytest.raises(NotFoundError):
            await desk.secure_messages.reveal(sent.link, password="correct horse")
        asked = await desk.secure_messages.request(note="async")
        listed = [m.id async for m in desk.secure_messages.list(mine=True)]
        await desk.secure_messages.revoke(asked.message.id)
        with pytest.raises(NotFoundError):
            await desk.secure_messages.get(asked.message.id)

    assert revealed == text
    assert asked.staff_link.endswith(f"/s/{asked.message.id}#{_key(asked.client_link)}")
    assert {sent.message.id, asked.message.id} <= set(listed)
