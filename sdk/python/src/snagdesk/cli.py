"""The ``snagdesk`` command: tickets from a terminal or a script.

    snagdesk tickets list --status open [--json]
    snagdesk tickets show 42 [--json]
    snagdesk tickets reply 42 --message "Fixed, thanks."
    snagdesk tickets note 42 --message "Customer called."

The desk and the token come from ``--url``/``--token`` or ``SNAGDESK_URL``/
``SNAGDESK_TOKEN``. Output is a table for people, or the API's JSON with ``--json``.
An error prints its message on stderr and exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO, cast

from snagdesk._version import __version__
from snagdesk.client import Snagdesk
from snagdesk.errors import SnagdeskError
from snagdesk.models import NamedRef, Reply, Ticket, TicketPriority, TicketStatus

SUBJECT_WIDTH = 60


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="snagdesk", description="Work with a Snagdesk desk's tickets."
    )
    parser.add_argument("--version", action="version", version=f"snagdesk {__version__}")
    parser.add_argument("--url", help="the desk's URL (default: $SNAGDESK_URL)")
    parser.add_argument("--token", help="a personal API token (default: $SNAGDESK_TOKEN)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds (default: 30)")
    groups = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")

    tickets = groups.add_parser("tickets", help="list, show and answer tickets")
    commands = tickets.add_subparsers(dest="command", required=True, metavar="ACTION")

    listing = commands.add_parser("list", help="list tickets, most recently updated first")
    listing.add_argument("--status", help="statuses, comma separated (open,answered)")
    listing.add_argument("--priority", help="priorities, comma separated")
    listing.add_argument("--assignee", help="a staff member's id, 'me' or 'none'")
    listing.add_argument("--department", type=int, help="a department's id")
    listing.add_argument("--client", type=int, help="a client's id")
    listing.add_argument("--project", type=int, help="a project's id")
    listing.add_argument("--tag", help="a tag name")
    listing.add_argument("-q", "--search", help="search the subject and requester's email")
    listing.add_argument("--ordering", help="updated, -created, number, subject…")
    listing.add_argument(
        "--limit", type=int, default=50, help="at most this many tickets (0: all; default 50)"
    )
    _json_flag(listing)

    show = commands.add_parser("show", help="a ticket and its thread")
    show.add_argument("number", type=int)
    _json_flag(show)

    for name, what in (("reply", "send a public reply"), ("note", "add an internal note")):
        write = commands.add_parser(name, help=what)
        write.add_argument("number", type=int)
        write.add_argument("-m", "--message", required=True, help="the text; '-' reads stdin")
        _json_flag(write)
    return parser


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the API's JSON")


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; the exit status is returned, not raised."""
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        with Snagdesk(args.url, args.token, timeout=args.timeout) as desk:
            return COMMANDS[args.command](desk, args, out)
    except SnagdeskError as exc:
        print(f"snagdesk: {exc.message}", file=sys.stderr)
        for field, messages in exc.fields.items():
            print(f"  {field}: {' '.join(messages)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())


# Commands ---------------------------------------------------------------------------


def tickets_list(desk: Snagdesk, args: argparse.Namespace, out: TextIO) -> int:
    pager = desk.tickets.list(
        # The server checks the values: argparse need not know them.
        status=cast("list[TicketStatus] | None", _split(args.status)),
        priority=cast("list[TicketPriority] | None", _split(args.priority)),
        assignee=args.assignee,
        department=args.department,
        client=args.client,
        project=args.project,
        tag=args.tag,
        q=args.search,
        ordering=args.ordering,
        page_size=min(args.limit, 100) if args.limit > 0 else 100,
    )
    tickets: list[Ticket] = []
    for ticket in pager:
        tickets.append(ticket)
        if args.limit and len(tickets) >= args.limit:
            break
    if args.json:
        _print_json([t.to_dict() for t in tickets], out)
    elif not tickets:
        print("No tickets.", file=out)
    else:
        print(ticket_table(tickets), file=out)
    return 0


def tickets_show(desk: Snagdesk, args: argparse.Namespace, out: TextIO) -> int:
    ticket = desk.tickets.get(args.number)
    replies = desk.tickets.replies.list(args.number)
    if args.json:
        _print_json({"ticket": ticket.to_dict(), "replies": [r.to_dict() for r in replies]}, out)
    else:
        print(ticket_detail(ticket, replies), file=out)
    return 0


def tickets_reply(desk: Snagdesk, args: argparse.Namespace, out: TextIO) -> int:
    reply = desk.tickets.replies.create(args.number, message=_message(args.message))
    return _print_written(reply, f"Replied to #{args.number}.", args, out)


def tickets_note(desk: Snagdesk, args: argparse.Namespace, out: TextIO) -> int:
    note = desk.tickets.notes.create(args.number, message=_message(args.message))
    return _print_written(note, f"Added a note to #{args.number}.", args, out)


COMMANDS = {
    "list": tickets_list,
    "show": tickets_show,
    "reply": tickets_reply,
    "note": tickets_note,
}


# Output -----------------------------------------------------------------------------


def ticket_table(tickets: Sequence[Ticket]) -> str:
    """Aligned columns, one ticket per line, under a header."""
    rows = [["#", "STATUS", "PRIORITY", "ASSIGNEE", "UPDATED", "SUBJECT"]]
    rows += [
        [
            str(t.number),
            t.status,
            t.priority,
            _name(t.assignee),
            _when(t.updated_at),
            _truncate(t.subject, SUBJECT_WIDTH),
        ]
        for t in tickets
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def ticket_detail(ticket: Ticket, replies: Sequence[Reply]) -> str:
    requester = _name(ticket.contact) if ticket.contact else ticket.submitter_email or "-"
    lines = [
        f"#{ticket.number}  {ticket.subject}",
        f"Status: {ticket.status}   Priority: {ticket.priority}   Source: {ticket.source}",
        f"Client: {_name(ticket.client)}   Requester: {requester}",
        f"Assignee: {_name(ticket.assignee)}   Department: {_name(ticket.department)}",
        f"Opened: {_when(ticket.created_at)}   Updated: {_when(ticket.updated_at)}",
    ]
    if ticket.tags:
        lines.append("Tags: " + ", ".join(ticket.tags))
    lines += ["", ticket.message]
    for reply in replies:
        kind = "Note" if reply.is_internal else "Reply"
        lines += ["", f"--- {kind} by {reply.author_name or '-'}, {_when(reply.created_at)}"]
        lines.append(reply.message)
    return "\n".join(lines)


def _print_written(reply: Reply, done: str, args: argparse.Namespace, out: TextIO) -> int:
    if args.json:
        _print_json(reply.to_dict(), out)
    else:
        print(done, file=out)
    return 0


def _print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def _message(value: str) -> str:
    return sys.stdin.read() if value == "-" else value


def _name(ref: NamedRef | None) -> str:
    return ref.name if ref else "-"


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "-"


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
