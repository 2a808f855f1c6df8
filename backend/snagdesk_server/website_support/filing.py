"""The worker's side of the widget's reports: each accepted ``Submission`` filed as the
ticket of its number, through the tickets services, in one transaction: its screenshot
cleaned of metadata and attached, its browser details, the token's counters and the
audit entry. Woken once per burst by the requests (``submissions.filer_wake``), and
swept every minute by a job for whatever no worker filed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, QuerySet

from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import DomainError
from snagdesk_server.core.services import audit_record
from snagdesk_server.tickets.models import Department, Ticket
from snagdesk_server.tickets.selectors import assignable_staff
from snagdesk_server.tickets.services import attachment_add, ticket_open
from snagdesk_server.tickets.widget_reports import browser_info_record, screenshot_clean
from snagdesk_server.website_support import audit
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.models import FilingWakeUp, Submission, WidgetToken

# A worker files a submission at once; the sweeper job takes those left waiting longer.
FILE_AFTER = timedelta(minutes=1)
FILE_BATCH = 500

logger = logging.getLogger(__name__)


def _ticket_defaults(token: WidgetToken) -> dict[str, Any]:
    """Department, priority and assignee: the token's, else the widget settings'; what is
    left empty gets the platform default in ``ticket_open``. An override that went stale
    (a department closed, a staff member who left) is skipped rather than refusing the
    visitor's ticket."""
    widget = settings_get(WidgetSettings)
    department = token.department if token.department and token.department.is_active else None
    if department is None and widget.default_department_id:
        department = Department.objects.filter(
            pk=widget.default_department_id, is_active=True
        ).first()
    assignee = token.assignee
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        assignee = None
    if assignee is None and widget.default_assignee_id:
        assignee = assignable_staff().filter(pk=widget.default_assignee_id).first()
    return {
        "department": department,
        "priority": token.priority or widget.default_priority or None,
        "assignee": assignee,
    }


def _screenshot_upload(submission: Submission) -> SimpleUploadedFile | None:
    """The screenshot as it will be attached: re-encoded in its own format without
    metadata, under the name people see; as sent when it cannot be re-encoded (the
    attachment then decides whether it is an image)."""
    name = submission.screenshot.name
    if not name:
        return None
    with default_storage.open(name, "rb") as fh:
        sent = fh.read()
    clean = screenshot_clean(sent)
    return SimpleUploadedFile(
        f"screenshot.{name.rsplit('.', 1)[-1]}", sent if clean is None else clean
    )


def submission_file(*, submission_id: int, now: datetime) -> Ticket | None:
    """File an accepted submission as its ticket, with its screenshot, browser details and
    defaults, through the tickets services. Filing it again (a retried task, the sweeper
    job beside a worker) returns the same ticket. None when another run is filing it at
    this moment (runs in parallel share the work), or when it cannot be filed any more
    (its project's client changed meanwhile…): then ``failure`` keeps the reason."""
    try:
        return _file(submission_id=submission_id, now=now)
    except DomainError as error:
        Submission.objects.filter(pk=submission_id, filed_at=None).update(
            failure=f"{error.code}: {error.message} {error.field_errors or ''}".strip()
        )
        logger.error("Widget submission %s could not be filed: %s", submission_id, error)
        return None


@transaction.atomic
def _file(*, submission_id: int, now: datetime) -> Ticket | None:
    submission = (
        Submission.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related(
            "contact__client",
            "contact__user",
            "token__project__client",
            "token__department",
            "token__assignee",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.failure:
        return None
    if submission.filed_at is not None:
        return Ticket.objects.get(number=submission.number)
    screenshot = _screenshot_upload(submission)
    token, contact = submission.token, submission.contact
    actor = contact.user if contact is not None else None
    ticket = ticket_open(
        actor=actor,
        number=submission.number,
        subject=submission.subject,
        message=submission.message,
        source=Ticket.Source.WIDGET,
        contact=contact,
        project=token.project,
        submitter_name=submission.submitter_name,
        submitter_email=submission.submitter_email,
        language=str((submission.metadata or {}).get("language", "")),
        now=submission.created_at,
        **_ticket_defaults(token),
    )
    if screenshot is not None:
        attachment_add(ticket=ticket, upload=screenshot, actor=actor, now=submission.created_at)
        sent = str(submission.screenshot.name)
        transaction.on_commit(lambda: default_storage.delete(sent))
    if submission.metadata is not None:
        browser_info_record(
            ticket=ticket, metadata=submission.metadata, user_agent=submission.user_agent
        )
    WidgetToken.objects.filter(pk=token.pk).update(
        submission_count=F("submission_count") + 1, last_used_at=submission.created_at
    )
    audit_record(
        actor=actor,
        action=audit.WIDGET_TOKEN_SUBMIT,
        target=token,
        changes={
            "ticket": [None, ticket.number],
            "origin": [None, submission.origin],
            "ip": [None, submission.ip],
        },
        now=submission.created_at,
    )
    Submission.objects.filter(pk=submission.pk).update(filed_at=now, screenshot="")
    return ticket


def _file_all(waiting: QuerySet[Submission], *, now: datetime) -> int:
    filed = 0
    while True:
        batch = list(waiting.order_by("pk").values_list("pk", flat=True)[:FILE_BATCH])
        done = sum(submission_file(submission_id=pk, now=now) is not None for pk in batch)
        filed += done
        # A full batch that another run took whole: what is left is that run's too.
        if len(batch) < FILE_BATCH or not done:
            return filed


def submissions_file_woken(*, now: datetime) -> int:
    """File every submission waiting, as woken by the requests that accepted them. The
    wake-up is cleared first: a submission committed after that asks for another run,
    one committed before is in this run's query. Runs in parallel (a submission
    accepted after one began wakes another) share what waits."""
    FilingWakeUp.objects.all().delete()
    return _file_all(Submission.objects.filter(filed_at=None, failure=""), now=now)


def submissions_file_waiting(*, now: datetime, older_than: timedelta = FILE_AFTER) -> int:
    """File the submissions no worker filed: a lost task, a host without a worker."""
    waiting = Submission.objects.filter(filed_at=None, failure="", created_at__lte=now - older_than)
    return _file_all(waiting, now=now)


def submissions_prune(*, now: datetime, keep_days: int = 7) -> int:
    """Forget filed submissions older than any retry the widget still makes."""
    deleted, _ = Submission.objects.filter(filed_at__lt=now - timedelta(days=keep_days)).delete()
    return deleted
