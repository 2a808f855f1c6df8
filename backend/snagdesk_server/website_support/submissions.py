"""The reports the widget sends (``POST /api/widget/v1/submissions``, docs/widget-api.md).

The request checks everything, stores the screenshot, reserves a ticket number and saves
the submission, then answers; a worker files the ticket (``filing``). So the endpoint
keeps up with bursts of reports, and a retry with the same Idempotency-Key gets the same
number whether or not its ticket is filed yet.

The request wakes the worker (``filer_wake``) with a row in the database rather than a
cache key: with the default cache (local to each process) the worker's run cleared a key
only in its own process, and every report a web process accepted in the ten seconds after
it had woken a run waited for the sweeper, up to two minutes."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.idempotency import bounded
from snagdesk_server.core.images import ImageTooLarge, image_format_checked
from snagdesk_server.core.parsers import json_loads_bounded
from snagdesk_server.core.services import sequence_next
from snagdesk_server.tickets.services import MESSAGE_MAX_LENGTH
from snagdesk_server.tickets.widget_reports import without_nul
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.errors import (
    IdempotencyConflict,
    LoginRequired,
    OriginNotAllowed,
    ScreenshotTooLarge,
    SessionExpired,
    SubmissionInvalid,
    TokenDisabled,
)
from snagdesk_server.website_support.models import FilingWakeUp, Submission, WidgetToken
from snagdesk_server.website_support.selectors import origin_allowed
from snagdesk_server.website_support.sessions import widget_session_read
from snagdesk_server.website_support.tasks import widget_submissions_file

SUBJECT_MAX_LENGTH = 255
EMAIL_MAX_LENGTH = 254
METADATA_MAX_BYTES = 64 * 1024
SCREENSHOT_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}
# A wake-up whose run has not begun after this long lapses: its message was lost.
FILER_WAKE_LAPSE = timedelta(seconds=10)


@dataclass(frozen=True)
class SubmitResult:
    number: int  # of the ticket the submission is (or will be) filed as
    replayed: bool  # an earlier answer to the same Idempotency-Key, nothing new was accepted

    @property
    def reference(self) -> str:
        return f"#{self.number}"


def _text(value: Any) -> str:
    # PostgreSQL refuses NUL characters in text; nobody types them.
    return ("" if value is None else str(value)).replace("\x00", "").strip()


def _required(field: str, value: str, *, max_length: int) -> str:
    if not value:
        raise SubmissionInvalid(
            _("The %(field)s is required.") % {"field": field},
            code=f"{field}_required",
            field_errors={field: [_("This field is required.")]},
        )
    if len(value) > max_length:
        raise SubmissionInvalid(
            ngettext(
                "The %(field)s is over %(max)s character.",
                "The %(field)s is over %(max)s characters.",
                max_length,
            )
            % {"field": field, "max": f"{max_length:,}"},
            code=f"{field}_too_long",
            field_errors={
                field: [
                    ngettext(
                        "Keep this to %(max)s character.",
                        "Keep this to %(max)s characters.",
                        max_length,
                    )
                    % {"max": f"{max_length:,}"}
                ]
            },
        )
    return value


def _fingerprint(subject: str, message: str) -> str:
    return hashlib.sha256(json.dumps([subject, message]).encode()).hexdigest()


def _replay(token: WidgetToken, key: str, fingerprint: str) -> SubmitResult | None:
    if not key:
        return None
    try:
        number, first_fingerprint = Submission.objects.values_list("number", "fingerprint").get(
            token=token, idempotency_key=key
        )
    except Submission.DoesNotExist:
        return None
    if first_fingerprint != fingerprint:
        raise IdempotencyConflict()
    return SubmitResult(number=number, replayed=True)


def _sender_contact(token: WidgetToken, session: str) -> Contact | None:
    """The contact a submission is filed under: the signed-in one, else the token's."""
    if session:
        return widget_session_read(value=session, token=token)
    if token.require_login:
        raise LoginRequired()
    contact = token.default_contact
    if contact is not None and contact.client_id != token.project.client_id:
        raise ValidationError(
            field_errors={"contact": [_("This contact belongs to another client.")]}
        )
    return contact


def _submitter(name: str, email: str) -> tuple[str, str]:
    """The name and email of a visitor who sends without a contact."""
    missing = [field for field, value in (("name", name), ("email", email)) if not value]
    if missing:
        raise SubmissionInvalid(
            _("Give your name and email address."),
            code="sender_required",
            field_errors={field: [_("This field is required.")] for field in missing},
        )
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise DjangoValidationError("too long")
        validate_email(email)
    except DjangoValidationError:
        raise SubmissionInvalid(
            _("This email address is not valid."),
            code="email_invalid",
            field_errors={"email": [_("Enter a valid email address.")]},
        ) from None
    return name[:150], email.lower()


def _screenshot_extension(upload: UploadedFile, *, max_bytes: int) -> str:
    """The extension to store a screenshot under, once Pillow confirms it is a PNG, JPEG or
    WebP of a sane pixel count (a small file can decode to gigabytes)."""
    if upload.size is None or upload.size > max_bytes:
        raise ScreenshotTooLarge(
            _("The screenshot is over %(limit)s MB.") % {"limit": max_bytes // 1_048_576},
            field_errors={
                "screenshot": [_("The limit is %(limit)s MB.") % {"limit": max_bytes // 1_048_576}]
            },
        )
    try:
        image_format = image_format_checked(upload, field="screenshot")
    except ImageTooLarge as error:
        raise ScreenshotTooLarge(error.message, field_errors=error.field_errors) from None
    if image_format not in SCREENSHOT_EXTENSIONS:
        raise SubmissionInvalid(
            _("The screenshot is not a PNG, JPEG or WebP image."),
            code="screenshot_invalid",
            field_errors={"screenshot": [_("Send a PNG, JPEG or WebP image.")]},
        )
    return SCREENSHOT_EXTENSIONS[image_format]


def _metadata(value: Any) -> dict[str, Any] | None:
    """The metadata as an object of at most 64 KB of JSON, or None when none was sent;
    without NUL characters, which PostgreSQL refuses in JSON."""
    if value is None or value == "":
        return None
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        parsed = json_loads_bounded(text, max_depth=settings.WIDGET_JSON_MAX_DEPTH)
    except (TypeError, ValueError):
        parsed = None
    if not isinstance(parsed, dict) or len(text.encode()) > METADATA_MAX_BYTES:
        raise SubmissionInvalid(
            _("The metadata must be a JSON object of at most 64 KB."),
            code="metadata_invalid",
            field_errors={"metadata": [_("Send a JSON object of at most 64 KB.")]},
        )
    return without_nul(parsed)


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
    """Accept a report from the widget under a reserved ticket number, or replay the answer
    to an Idempotency-Key already used. Everything is checked before anything is written;
    a worker files the ticket once the submission is committed (``filing``).

    A retry is recognised by its key's unique constraint when the new submission is
    inserted, not by a read before: retries are rare, and every submission would pay for
    that read; the first answer is read then. The screenshot is stored before the
    insert, and deleted again when it fails.
    """
    now = now or timezone.now()
    if not token.is_active:
        raise TokenDisabled()
    if not origin_allowed(token, origin):
        raise OriginNotAllowed(origin=origin)
    subject, message = _text(subject), _text(message)
    key, fingerprint = bounded(_text(idempotency_key)), _fingerprint(subject, message)
    try:
        contact = _sender_contact(token, _text(session))
    except SessionExpired:
        # A retry that comes after its session expired still gets its first answer.
        replayed = _replay(token, key, fingerprint)
        if replayed is None:
            raise
        return replayed
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
    submission = Submission(
        token=token,
        idempotency_key=key,
        fingerprint=fingerprint,
        contact=contact,
        submitter_name=submitter[0],
        submitter_email=submitter[1],
        subject=subject,
        message=message,
        metadata=_metadata(metadata),
        origin=origin[:255],
        ip=ip[:45],
        user_agent=_text(user_agent)[:1000],
        created_at=now,
    )
    if screenshot is not None:
        submission.screenshot.save(f"{uuid.uuid4().hex}{extension}", screenshot, save=False)
    try:
        _accept(submission)
    except BaseException as error:
        if submission.screenshot:
            submission.screenshot.delete(save=False)
        replayed = _replay(token, key, fingerprint) if isinstance(error, IntegrityError) else None
        if replayed is None:
            raise
        return replayed
    return SubmitResult(number=submission.number, replayed=False)


def _accept(submission: Submission) -> None:
    # Not one transaction: the number's row lock would be held until the insert commits,
    # and concurrent submissions would queue behind each other's commit. A submission
    # whose insert fails (a retry, caught by its key's unique constraint) leaves its
    # number unused; ticket numbers may skip one now and then.
    submission.number = sequence_next(name="ticket")
    with transaction.atomic():  # or a savepoint in a caller's: a retry must not break it
        submission.save(force_insert=True)
        transaction.on_commit(filer_wake)


def filer_wake() -> None:
    """Ask a worker to file what is waiting, unless a run was asked for and has not begun:
    in a burst one run files many submissions, and each request costs one statement
    instead of a broker message. The row is claimed by one statement (inserted, or taken
    over once it lapsed), so of concurrent requests exactly one sends the message."""
    now = timezone.now()
    table = connection.ops.quote_name(FilingWakeUp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, asked_at) VALUES (1, %s) "  # noqa: S608 - our table
            f"ON CONFLICT (id) DO UPDATE SET asked_at = excluded.asked_at "
            f"WHERE {table}.asked_at < %s RETURNING id",
            [
                connection.ops.adapt_datetimefield_value(now),
                connection.ops.adapt_datetimefield_value(now - FILER_WAKE_LAPSE),
            ],
        )
        claimed = cursor.fetchone() is not None
    if claimed:
        widget_submissions_file.delay()
