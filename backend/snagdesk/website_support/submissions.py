"""The tickets the widget files (``POST /api/widget/v1/submissions``, docs/widget-api.md):
every check before anything is written, idempotent retries, and the ticket with its
screenshot and browser details in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from snagdesk.accounts.models import Contact
from snagdesk.core.config import settings_get
from snagdesk.core.services import audit_record
from snagdesk.tickets.models import Department, Ticket
from snagdesk.tickets.selectors import assignable_staff
from snagdesk.tickets.services import MESSAGE_MAX_LENGTH, attachment_add, ticket_open
from snagdesk.tickets.widget_reports import browser_info_record
from snagdesk.website_support.config import WidgetSettings
from snagdesk.website_support.errors import (
    IdempotencyConflict,
    LoginRequired,
    OriginNotAllowed,
    ScreenshotTooLarge,
    SubmissionInvalid,
    TokenDisabled,
)
from snagdesk.website_support.models import IdempotencyRecord, WidgetToken
from snagdesk.website_support.selectors import origin_allowed
from snagdesk.website_support.sessions import widget_session_read
from snagdesk.website_support.tasks import widget_screenshot_process

SUBJECT_MAX_LENGTH = 255
EMAIL_MAX_LENGTH = 254
METADATA_MAX_BYTES = 64 * 1024
IDEMPOTENCY_KEY_MAX_LENGTH = 100
SCREENSHOT_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}


@dataclass(frozen=True)
class SubmitResult:
    ticket: Ticket
    replayed: bool  # an earlier answer to the same Idempotency-Key, nothing new was filed

    @property
    def number(self) -> int:
        return self.ticket.number

    @property
    def reference(self) -> str:
        return f"#{self.ticket.number}"


def _text(value: Any) -> str:
    # PostgreSQL refuses NUL characters in text; nobody types them.
    return ("" if value is None else str(value)).replace("\x00", "").strip()


def _required(field: str, value: str, *, max_length: int) -> str:
    if not value:
        raise SubmissionInvalid(
            f"The {field} is required.",
            code=f"{field}_required",
            field_errors={field: ["This field is required."]},
        )
    if len(value) > max_length:
        raise SubmissionInvalid(
            f"The {field} is over {max_length:,} characters.",
            code=f"{field}_too_long",
            field_errors={field: [f"Keep this to {max_length:,} characters."]},
        )
    return value


def _fingerprint(subject: str, message: str) -> str:
    return hashlib.sha256(json.dumps([subject, message]).encode()).hexdigest()


def _idempotency_key(value: str) -> str:
    """The key as stored; an overlong one is kept as its digest, which is as unique."""
    value = _text(value)
    if len(value) > IDEMPOTENCY_KEY_MAX_LENGTH:
        return hashlib.sha256(value.encode()).hexdigest()
    return value


def _replay(token: WidgetToken, key: str, fingerprint: str) -> SubmitResult | None:
    record = (
        IdempotencyRecord.objects.select_related("ticket").filter(token=token, key=key).first()
        if key
        else None
    )
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyConflict()
    return SubmitResult(ticket=record.ticket, replayed=True)


def _sender_contact(token: WidgetToken, session: str) -> Contact | None:
    """The contact a submission is filed under: the signed-in one, else the token's."""
    if session:
        return widget_session_read(value=session, token=token)
    if token.require_login:
        raise LoginRequired()
    return token.default_contact


def _submitter(name: str, email: str) -> tuple[str, str]:
    """The name and email of a visitor who sends without a contact."""
    missing = [field for field, value in (("name", name), ("email", email)) if not value]
    if missing:
        raise SubmissionInvalid(
            "Give your name and email address.",
            code="sender_required",
            field_errors={field: ["This field is required."] for field in missing},
        )
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise DjangoValidationError("too long")
        validate_email(email)
    except DjangoValidationError:
        raise SubmissionInvalid(
            "This email address is not valid.",
            code="email_invalid",
            field_errors={"email": ["Enter a valid email address."]},
        ) from None
    return name[:150], email.lower()


def _screenshot_extension(upload: UploadedFile, *, max_bytes: int) -> str:
    """The extension to store a screenshot under, once Pillow confirms it is a PNG, JPEG or
    WebP of a sane pixel count (a small file can decode to gigabytes)."""
    if upload.size is None or upload.size > max_bytes:
        raise ScreenshotTooLarge(
            f"The screenshot is over {max_bytes // 1_048_576} MB.",
            field_errors={"screenshot": [f"The limit is {max_bytes // 1_048_576} MB."]},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format, width, height = None, 0, 0
    finally:
        upload.seek(0)
    pixel_limit = Image.MAX_IMAGE_PIXELS
    too_many_pixels = pixel_limit is not None and width * height > pixel_limit
    if image_format not in SCREENSHOT_EXTENSIONS or too_many_pixels:
        raise SubmissionInvalid(
            "The screenshot is not a PNG, JPEG or WebP image.",
            code="screenshot_invalid",
            field_errors={"screenshot": ["Send a PNG, JPEG or WebP image."]},
        )
    return SCREENSHOT_EXTENSIONS[image_format]


def _metadata(value: Any) -> dict[str, Any] | None:
    """The metadata as an object of at most 64 KB of JSON, or None when none was sent."""
    if value is None or value == "":
        return None
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        parsed = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        parsed = None
    if not isinstance(parsed, dict) or len(text.encode()) > METADATA_MAX_BYTES:
        raise SubmissionInvalid(
            "The metadata must be a JSON object of at most 64 KB.",
            code="metadata_invalid",
            field_errors={"metadata": ["Send a JSON object of at most 64 KB."]},
        )
    return parsed


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


def widget_submit(
    *,
    token: WidgetToken,
    origin: str,
    subject: Any,
    message: Any,
    name: Any = "",
    email: Any = "",
    session: Any = "",
    screenshot: UploadedFile | None = None,
    metadata: Any = None,
    idempotency_key: str = "",
    ip: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> SubmitResult:
    """File a ticket from the widget, or replay the answer to an Idempotency-Key already
    used. Everything is checked before anything is written; the writes are one transaction.

    Not atomic itself: when a concurrent request with the same key commits first, the
    losing transaction rolls back whole (before any file is stored) and the winner's
    answer is read afterwards.
    """
    now = now or timezone.now()
    if not token.is_active:
        raise TokenDisabled()
    if not origin_allowed(token, origin):
        raise OriginNotAllowed()
    subject, message = _text(subject), _text(message)
    key, fingerprint = _idempotency_key(idempotency_key), _fingerprint(subject, message)
    replayed = _replay(token, key, fingerprint)
    if replayed is not None:
        return replayed

    contact = _sender_contact(token, _text(session))
    _required("subject", subject, max_length=SUBJECT_MAX_LENGTH)
    _required("message", message, max_length=MESSAGE_MAX_LENGTH)
    submitter = ("", "") if contact else _submitter(_text(name), _text(email))
    widget = settings_get(WidgetSettings)
    if not widget.screenshots_enabled:
        screenshot = None  # an old widget on the page may still send one: drop it
    extension = (
        _screenshot_extension(screenshot, max_bytes=widget.screenshot_max_mb * 1_048_576)
        if screenshot is not None
        else ""
    )
    checked = _metadata(metadata)

    try:
        ticket = _file(
            token=token,
            contact=contact,
            subject=subject,
            message=message,
            submitter=submitter,
            screenshot=screenshot,
            screenshot_name=f"screenshot{extension}",
            metadata=checked,
            key=key,
            fingerprint=fingerprint,
            origin=origin,
            ip=ip,
            user_agent=user_agent,
            now=now,
        )
    except IntegrityError:
        replayed = _replay(token, key, fingerprint)
        if replayed is None:
            raise
        return replayed
    return SubmitResult(ticket=ticket, replayed=False)


@transaction.atomic
def _file(
    *,
    token: WidgetToken,
    contact: Contact | None,
    subject: str,
    message: str,
    submitter: tuple[str, str],
    screenshot: UploadedFile | None,
    screenshot_name: str,
    metadata: dict[str, Any] | None,
    key: str,
    fingerprint: str,
    origin: str,
    ip: str,
    user_agent: str,
    now: datetime,
) -> Ticket:
    actor = contact.user if contact is not None else None
    ticket = ticket_open(
        actor=actor,
        subject=subject,
        message=message,
        source=Ticket.Source.WIDGET,
        contact=contact,
        project=token.project,
        submitter_name=submitter[0],
        submitter_email=submitter[1],
        now=now,
        **_ticket_defaults(token),
    )
    if key:
        # The unique (token, key) claim comes before any file is stored: a concurrent
        # twin fails here and leaves nothing behind.
        IdempotencyRecord.objects.create(
            token=token, key=key, fingerprint=fingerprint, ticket=ticket, created_at=now
        )
    if screenshot is not None:
        screenshot.name = screenshot_name
        attachment = attachment_add(ticket=ticket, upload=screenshot, actor=actor, now=now)
        transaction.on_commit(lambda: widget_screenshot_process.delay(attachment.pk))
    if metadata is not None:
        browser_info_record(ticket=ticket, metadata=metadata, user_agent=user_agent)
    WidgetToken.objects.filter(pk=token.pk).update(
        submission_count=F("submission_count") + 1, last_used_at=now
    )
    audit_record(
        actor=actor,
        action="widget_token.submit",
        target=token,
        changes={"ticket": [None, ticket.number], "origin": [None, origin], "ip": [None, ip]},
        now=now,
    )
    return ticket


def idempotency_records_prune(*, now: datetime, keep_days: int = 7) -> int:
    """Forget submission answers older than any retry the widget still makes."""
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=now - timedelta(days=keep_days)
    ).delete()
    return deleted
