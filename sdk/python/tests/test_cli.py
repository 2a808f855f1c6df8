"""The `snagdesk` console script, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
from conftest import LiveServer, python_bin

from snagdesk import Snagdesk, Ticket


def cli(
    server: LiveServer, *args: str, token: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {"SNAGDESK_URL": server.url, "SNAGDESK_TOKEN": token or server.admin_token, "PATH": ""}
    return subprocess.run(
        [python_bin("snagdesk"), *args], env=env, capture_output=True, text=True, timeout=30,
        check=False,
    )  # fmt: skip


@pytest.fixture
def tagged(desk: Snagdesk) -> tuple[str, list[Ticket]]:
    tag = f"cli-{uuid.uuid4().hex[:8]}"
    tickets = [
        desk.tickets.create(
            subject=f"CLI ticket {i}", message="m", submitter_email="a@example.com", tags=[tag]
        )
        for i in range(3)
    ]
    desk.tickets.close(tickets[0].number)
    return tag, tickets


def test_list_prints_a_table_of_the_matching_tickets(
    live_server: LiveServer, tagged: tuple[str, list[Ticket]]
) -> None:
    tag, tickets = tagged

    done = cli(live_server, "tickets", "list", "--status", "open", "--tag", tag)

    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == ["#", "STATUS", "PRIORITY", "ASSIGNEE", "UPDATED", "SUBJECT"]
    assert sorted(row.split()[0] for row in rows) == sorted(str(t.number) for t in tickets[1:])
    assert all("CLI ticket" in row and " open " in row for row in rows)


def test_list_json_prints_the_api_objects(
    live_server: LiveServer, tagged: tuple[str, list[Ticket]]
) -> None:
    tag, tickets = tagged

    done = cli(live_server, "tickets", "list", "--tag", tag, "--json")

    listed = json.loads(done.stdout)
    assert sorted(t["number"] for t in listed) == sorted(t.number for t in tickets)
    assert {t["status"] for t in listed} == {"open", "closed"}


def test_list_limit_stops_early(live_server: LiveServer, tagged: tuple[str, list[Ticket]]) -> None:
    done = cli(live_server, "tickets", "list", "--tag", tagged[0], "--limit", "2", "--json")

    assert len(json.loads(done.stdout)) == 2


def test_show_prints_the_ticket_and_its_thread(live_server: LiveServer, desk: Snagdesk) -> None:
    ticket = desk.tickets.create(
        subject="Show me", message="The opening message", submitter_email="v@example.com"
    )
    desk.tickets.notes.create(ticket.number, message="A private note")

    text = cli(live_server, "tickets", "show", str(ticket.number))
    data = json.loads(cli(live_server, "tickets", "show", str(ticket.number), "--json").stdout)

    assert text.returncode == 0
    assert text.stdout.startswith(f"#{ticket.number}  Show me\n")
    assert "The opening message" in text.stdout
    assert "--- Note by Ada Admin" in text.stdout
    assert "A private note" in text.stdout
    assert data["ticket"]["number"] == ticket.number
    assert [r["message"] for r in data["replies"]] == ["A private note"]


def test_reply_sends_a_public_reply(live_server: LiveServer, desk: Snagdesk) -> None:
    ticket = desk.tickets.create(subject="Reply", message="m", submitter_email="v@example.com")

    done = cli(live_server, "tickets", "reply", str(ticket.number), "--message", "Done!")

    assert (done.returncode, done.stdout) == (0, f"Replied to #{ticket.number}.\n")
    thread = desk.tickets.replies.list(ticket.number)
    assert [(r.message, r.is_internal) for r in thread] == [("Done!", False)]
    assert desk.tickets.get(ticket.number).status == "answered"


def test_a_missing_ticket_prints_the_error_and_exits_1(live_server: LiveServer) -> None:
    done = cli(live_server, "tickets", "show", "999999")

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("snagdesk: ")
    assert "No such ticket." in done.stderr


def test_a_wrong_token_exits_1(live_server: LiveServer) -> None:
    done = cli(live_server, "tickets", "list", token="sdk_bad_token")

    assert done.returncode == 1
    assert "Invalid or revoked API token." in done.stderr


def test_a_validation_error_lists_the_fields(live_server: LiveServer) -> None:
    done = cli(live_server, "tickets", "list", "--status", "sleeping")

    assert done.returncode == 1
    assert "Some fields are invalid." in done.stderr
    assert "  status" in done.stderr
