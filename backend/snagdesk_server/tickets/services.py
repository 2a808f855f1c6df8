"""Every change to a ticket goes through these functions, whoever asks for it:
the console, the portal, the API, the widget or a job."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.accounts.selectors import contact_for_user
from snagdesk_server.core.config import PlatformSettings, settings_get
from snagdesk_server.core.errors import PermissionDenied, TooLarge, ValidationError
from snagdesk_server.core.events import event_emit
from snagdesk_server.core.images import ImageTooLarge, image_format_checked
from snagdesk_server.core.languages import language_supported
from snagdesk_server.core.mail import Recipient, mail_after_commit
from snagdesk_server.core.services import apply_changes, audit_record, sequence_next
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets import audit, events
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.models import Attachment, Department, Reply, Tag, Ticket
from snagdesk_server.tickets.tasks import attachment_make_thumbnail

MESSAGE_MAX_LENGTH = 10_000
MAX_FILES_PER_MESSAGE = 10
_IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Tickets the client opened themselves; staff opening one (console or API) write their own.
_ACKNOWLEDGED_SOURCES = (Ticket.Source.WIDGET, Ticket.Source.PORTAL)


# Validation helpers ----------------------------------------------------------------


def _require_text(field: str, value: str, *, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(field_errors={field: [_("This field is required.")]})
    if len(value) > max_length:
        raise ValidationError(
            field_errors={
                field: [
                    ngettext(
                        "Keep this under %(max)s character (it has %(count)s).",
                        "Keep this under %(max)s characters (it has %(count)s).",
                        max_length,
                    )
                    % {"max": f"{max_length:,}", "count": f"{len(value):,}"}
                ]
            }
        )
    return value


def _check_uploads(files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(
            field_errors={
                "attachments": [
                    ngettext(
                        "Attach at most %(count)s file.",
                        "Attach at most %(count)s files.",
                        MAX_FILES_PER_MESSAGE,
                    )
                    % {"count": MAX_FILES_PER_MESSAGE}
                ]
            }
        )
    limit = settings_get(TicketSettings).attachment_max_bytes
    for upload in files:
        if upload.size is not None and upload.size > limit:
            raise TooLarge(
                _("“%(name)s” is %(size).1f MB; the limit is %(limit)d MB per file.")
                % {
                    "name": upload.name,
                    "size": upload.size / 1_048_576,
                    "limit": limit // 1_048_576,
                },
                field_errors={
                    "attachments": [
                        _("“%(name)s” is larger than %(limit)d MB.")
                        % {"name": upload.name, "limit": limit // 1_048_576}
                    ]
                },
            )
        # Before anything is written: an image of too many pixels is refused (413).
        image_format_checked(upload, field="attachments")


def _check_assignee(user: User | None) -> None:
    if user is not None and not (user.is_staff and user.is_active):
        raise ValidationError(
            field_errors={"assignee": [_("Only an active staff member can be assigned.")]}
        )


def _check_project(project: Project | None, client: Client | None) -> None:
    if project is not None and client is not None and project.client_id != client.pk:
        raise ValidationError(
            field_errors={"project": [_("This project belongs to another client.")]}
        )


def _check_contact(contact: Contact | None, client: Client | None) -> None:
    if contact is not None and client is not None and contact.client_id != client.pk:
        raise ValidationError(
            field_errors={"contact": [_("This contact belongs to another client.")]}
        )


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    clean = sorted({n.strip().lower()[:50] for n in names if n and n.strip()})
    return [Tag.objects.get_or_create(name=name)[0] for name in clean]


# Notification recipients -------------------------------------------------------------


def _department_staff(ticket: Ticket) -> list[Recipient]:
    """The active staff of the ticket's department, or the administrators if none."""
    if ticket.department_id:
        staff = User.objects.filter(departments=ticket.department_id, is_active=True, is_staff=True)
        if recipients := [Recipient(*row) for row in staff.values_list("email", "language")]:
            return recipients
    admins = User.objects.filter(is_superuser=True, is_active=True)
    return [Recipient(*row) for row in admins.values_list("email", "language")]


def _staff_to_notify_of_reply(ticket: Ticket) -> list[Recipient]:
    if ticket.assignee_id and ticket.assignee and ticket.assignee.is_active:
        return [Recipient(ticket.assignee.email, ticket.assignee.language)]
    return _department_staff(ticket)


def _requester(ticket: Ticket) -> Recipient:
    return Recipient(ticket.requester_email, ticket.requester_language)


# Tickets ---------------------------------------------------------------------------------


@transaction.atomic
def ticket_open(
    *,
    actor: User | None,
    subject: str,
    message: str,
    source: str,
    contact: Contact | None = None,
    client: Client | None = None,
    submitter_name: str = "",
    submitter_email: str = "",
    project: Project | None = None,
    department: Department | None = None,
    priority: str | None = None,
    assignee: User | None = None,
    tags: Iterable[str] = (),
    attachments: Sequence[UploadedFile] = (),
    number: int | None = None,
    language: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Open a ticket under the next number, or under ``number`` when one was reserved
    with ``sequence_next`` beforehand (the widget answers with it before filing).
    ``language`` is the reporter's (a browser's language tag, or one of ours): kept as
    the closest of ours for the emails to a requester without a language of their own."""
    now = now or timezone.now()
    subject = _require_text("subject", subject, max_length=255)
    message = _require_text("message", message, max_length=MESSAGE_MAX_LENGTH)
    if source not in Ticket.Source.values:
        raise ValidationError(
            field_errors={"source": [_("Unknown source %(source)r.") % {"source": source}]}
        )
    if contact is not None:
        client = client or contact.client
        _check_contact(contact, client)
    elif project is not None and client is None:
        client = project.client
    if contact is None and not submitter_email:
        raise ValidationError(
            field_errors={"submitter_email": [_("Give a contact or the requester's email.")]}
        )
    _check_project(project, client)
    _check_assignee(assignee)
    _check_uploads(attachments)
    policy = settings_get(TicketSettings)
    priority = priority or policy.default_priority
    if priority not in Ticket.Priority.values:
        raise ValidationError(
            field_errors={
                "priority": [_("Unknown priority %(priority)r.") % {"priority": priority}]
            }
        )
    if department is None and policy.default_department_id:
        department = Department.objects.filter(
            pk=policy.default_department_id, is_active=True
        ).first()

    ticket = Ticket.objects.create(
        number=number or sequence_next(name="ticket"),
        subject=subject,
        message=message,
        source=source,
        priority=priority,
        client=client,
        contact=contact,
        submitter_name=(submitter_name or "").strip()[:150],
        submitter_email=(submitter_email or "").strip().lower(),
        project=project,
        department=department,
        assignee=assignee,
        language=language_supported(language),
        created_at=now,
        updated_at=now,
    )
    ticket.tags.set(_tags_from_names(tags))
    for upload in attachments:
        attachment_add(ticket=ticket, upload=upload, actor=actor, now=now)
    audit_record(
        actor=actor,
        action=audit.TICKET_OPEN,
        target=ticket,
        changes={"source": [None, source]},
        now=now,
    )
    event_emit(
        events.TICKET_OPENED,
        payload={
            **_event_ticket(ticket),
            "source": source,
            "priority": priority,
            "client_id": ticket.client_id,
            "contact_id": ticket.contact_id,
            "department_id": ticket.department_id,
            "assignee_id": ticket.assignee_id,
        },
        actor=actor,
        now=now,
    )
    mail_after_commit(
        to=_department_staff(ticket),
        template="tickets/email/new_ticket",
        context={"ticket": ticket},
    )
    if source in _ACKNOWLEDGED_SOURCES and policy.acknowledge_reporter:
        company_name = settings_get(PlatformSettings).company_name
        _reporter_acknowledge(ticket, company_name=company_name)
    return ticket


def _event_ticket(ticket: Ticket) -> dict[str, Any]:
    return {"ticket_id": ticket.pk, "number": ticket.number}


def _status_change_emit(ticket: Ticket, *, before: str, actor: User | None, now: datetime) -> None:
    event_emit(
        events.TICKET_STATUS_CHANGED,
        payload={**_event_ticket(ticket), "before": before, "after": ticket.status},
        actor=actor,
        now=now,
    )
    if ticket.status == Ticket.Status.CLOSED:
        event_emit(
            events.TICKET_CLOSED,
            payload={**_event_ticket(ticket), "closed_at": now.isoformat()},
            actor=actor,
            now=now,
        )


def _reporter_acknowledge(ticket: Ticket, *, company_name: str) -> None:
    """Tell the reporter their ticket's number. Sent once: from inside the transaction
    that creates the ticket, so a filing retried after its commit finds the ticket and
    sends nothing, and one that rolled back sent nothing either."""
    contact = ticket.contact
    has_login = contact is not None and contact.user is not None and contact.user.is_active
    mail_after_commit(
        to=[_requester(ticket)],
        template="tickets/email/acknowledgement",
        context={"ticket": ticket, "company_name": company_name, "portal_link": has_login},
    )


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("assignee", "contact")
        .get(pk=ticket.pk)
    )


def _set_status(ticket: Ticket, status: str, now: datetime) -> None:
    ticket.status = status
    ticket.closed_at = now if status == Ticket.Status.CLOSED else None


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    actor: User | None,
    now: datetime | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Ticket:
    """Change any of status, priority, assignee, department, project, subject, contact.
    Values the ticket already has are no change: no history row, no email."""
    ticket, _ = _ticket_change(ticket=ticket, actor=actor, now=now, tags=tags, fields=fields)
    return ticket


def _ticket_change(
    *,
    ticket: Ticket,
    actor: User | None,
    now: datetime | None,
    tags: Iterable[str] | None,
    fields: dict[str, Any],
) -> tuple[Ticket, dict[str, list[Any]]]:
    """``ticket_update``'s work; also returns what changed, ``{name: [before, after]}``."""
    now = now or timezone.now()
    fields = dict(fields)  # the bulk update passes the same values for every ticket
    allowed = {"status", "priority", "assignee", "department", "project", "subject", "contact"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            field_errors={k: [_("This field cannot be changed.")] for k in sorted(unknown)}
        )
    ticket = _lock(ticket)
    previous_assignee_id = ticket.assignee_id
    if "status" in fields and fields["status"] not in Ticket.Status.values:
        raise ValidationError(
            field_errors={
                "status": [_("Unknown status %(status)r.") % {"status": fields["status"]}]
            }
        )
    if "priority" in fields and fields["priority"] not in Ticket.Priority.values:
        raise ValidationError(
            field_errors={
                "priority": [_("Unknown priority %(priority)r.") % {"priority": fields["priority"]}]
            }
        )
    if "subject" in fields:
        fields["subject"] = _require_text("subject", fields["subject"], max_length=255)
    if "assignee" in fields:
        _check_assignee(fields["assignee"])
    if "project" in fields:
        _check_project(fields["project"], ticket.client)
    if "contact" in fields:
        _check_contact(fields["contact"], ticket.client)

    status = fields.pop("status", None)
    changed = apply_changes(ticket, fields)
    if status is not None and status != ticket.status:
        changed["status"] = [ticket.status, status]
        _set_status(ticket, status, now)
    if tags is not None:
        before = sorted(ticket.tags.values_list("name", flat=True))
        new_tags = _tags_from_names(tags)
        after = sorted(t.name for t in new_tags)
        if before != after:
            ticket.tags.set(new_tags)
            changed["tags"] = [before, after]
    if not changed:
        return ticket, changed
    ticket.updated_at = now
    ticket.save()
    audit_record(actor=actor, action=audit.TICKET_UPDATE, target=ticket, changes=changed, now=now)
    if "status" in changed:
        _status_change_emit(ticket, before=changed["status"][0], actor=actor, now=now)
    if "assignee" in changed:
        event_emit(
            events.TICKET_ASSIGNED,
            payload={
                **_event_ticket(ticket),
                "assignee_id": ticket.assignee_id,
                "previous_assignee_id": previous_assignee_id,
            },
            actor=actor,
            now=now,
        )
    if "assignee" in changed and ticket.assignee and ticket.assignee != actor:
        mail_after_commit(
            to=[Recipient(ticket.assignee.email, ticket.assignee.language)],
            template="tickets/email/assigned",
            context={"ticket": ticket},
        )
    return ticket, changed


def ticket_close(*, ticket: Ticket, actor: User | None, now: datetime | None = None) -> Ticket:
    return ticket_update(ticket=ticket, actor=actor, now=now, status=Ticket.Status.CLOSED)


@transaction.atomic
def ticket_bulk_update(
    *, tickets: Iterable[Ticket], actor: User, now: datetime | None = None, **fields: Any
) -> int:
    """Apply the same change to many tickets, all or nothing; returns how many changed
    (a ticket that already had the values is left untouched and not counted)."""
    count = 0
    for ticket in tickets:
        _, changed = _ticket_change(ticket=ticket, actor=actor, now=now, tags=None, fields=fields)
        count += bool(changed)
    return count


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    actor: User,
    message: str,
    attachments: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Reply:
    """A public reply: from staff it marks the ticket answered and mails the requester;
    from the requester's side it reopens the ticket and mails the assignee."""
    now = now or timezone.now()
    message = _require_text("message", message, max_length=MESSAGE_MAX_LENGTH)
    _check_uploads(attachments)
    ticket = _lock(ticket)
    contact = None if actor.is_staff else contact_for_user(user=actor)
    if not actor.is_staff and (contact is None or contact.client_id != ticket.client_id):
        raise PermissionDenied(_("You cannot reply to this ticket."))

    reply = Reply.objects.create(
        ticket=ticket,
        author=actor,
        contact=contact,
        author_name=contact.full_name if contact else str(actor),
        message=message,
        created_at=now,
    )
    for upload in attachments:
        attachment_add(ticket=ticket, reply=reply, upload=upload, actor=actor, now=now)
    new_status = Ticket.Status.ANSWERED if contact is None else Ticket.Status.OPEN
    before = ticket.status
    _set_status(ticket, new_status, now)
    ticket.reply_count = F("reply_count") + 1
    ticket.last_reply_at = now
    ticket.updated_at = now
    ticket.save(update_fields=["status", "closed_at", "reply_count", "last_reply_at", "updated_at"])
    ticket.refresh_from_db(fields=["reply_count"])
    changes = {"status": [before, new_status]} if before != new_status else {}
    audit_record(actor=actor, action=audit.TICKET_REPLY, target=ticket, changes=changes, now=now)
    event_emit(
        events.TICKET_REPLIED,
        payload={**_event_ticket(ticket), "reply_id": reply.pk, "from_staff": contact is None},
        actor=actor,
        now=now,
    )
    if before != new_status:
        _status_change_emit(ticket, before=before, actor=actor, now=now)
    if contact is None:
        mail_after_commit(
            to=[_requester(ticket)],
            template="tickets/email/staff_reply",
            context={"ticket": ticket, "reply": reply},
        )
    else:
        mail_after_commit(
            to=_staff_to_notify_of_reply(ticket),
            template="tickets/email/client_reply",
            context={"ticket": ticket, "reply": reply},
        )
    return reply


@transaction.atomic
def ticket_note_add(
    *,
    ticket: Ticket,
    actor: User,
    message: str,
    attachments: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Reply:
    """An internal note: staff only, never mailed, never shown in the portal."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only staff can add internal notes."))
    now = now or timezone.now()
    message = _require_text("message", message, max_length=MESSAGE_MAX_LENGTH)
    _check_uploads(attachments)
    ticket = _lock(ticket)
    note = Reply.objects.create(
        ticket=ticket,
        author=actor,
        author_name=str(actor),
        message=message,
        is_internal=True,
        created_at=now,
    )
    for upload in attachments:
        attachment_add(ticket=ticket, reply=note, upload=upload, actor=actor, now=now)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    audit_record(actor=actor, action=audit.TICKET_NOTE, target=ticket, now=now)
    return note


def tickets_autoclose(*, now: datetime) -> dict[str, int]:
    """Close answered tickets the requester has left alone for the configured days."""
    days = settings_get(TicketSettings).autoclose_after_days
    if days <= 0:
        return {"closed": 0}
    stale = Ticket.objects.filter(
        status=Ticket.Status.ANSWERED, last_reply_at__lt=now - timedelta(days=days)
    ).order_by("pk")
    closed = 0
    for ticket in stale.iterator():
        ticket_close(ticket=ticket, actor=None, now=now)
        closed += 1
    return {"closed": closed}


# Attachments --------------------------------------------------------------------------


def _image_mime_type(upload: UploadedFile) -> str | None:
    """The MIME type of an upload Pillow verifies as a PNG, JPEG, GIF or WebP; else None.
    An image over the pixel limit that got this far (a screenshot checked under an older
    limit) is kept as a plain file, so nothing decodes it for a thumbnail."""
    try:
        fmt = image_format_checked(upload, field="attachments")
    except ImageTooLarge:
        return None
    return Image.MIME[fmt] if fmt in _IMAGE_FORMATS else None


def attachment_add(
    *,
    ticket: Ticket,
    upload: UploadedFile,
    actor: User | None,
    reply: Reply | None = None,
    now: datetime | None = None,
) -> Attachment:
    """Store an upload; an image gets its thumbnail made by a worker after commit."""
    image_type = _image_mime_type(upload)
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        ticket=ticket,
        reply=reply,
        original_name=name,
        # The client's claim is kept for other files, but never trusted for inline display.
        content_type=image_type or (upload.content_type or "application/octet-stream")[:100],
        size=upload.size or 0,
        is_image=image_type is not None,
        uploaded_by=actor if actor and actor.is_authenticated else None,
        created_at=now or timezone.now(),
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    if attachment.is_image:
        transaction.on_commit(lambda: attachment_make_thumbnail.delay(attachment.pk))
    return attachment


# Departments ----------------------------------------------------------------------------


@transaction.atomic
def department_create(
    *, actor: User, name: str, staff: Iterable[User] = (), **fields: Any
) -> Department:
    name = _require_text("name", name, max_length=100)
    if Department.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            field_errors={"name": [_("A department with this name already exists.")]}
        )
    department = Department.objects.create(name=name, **fields)
    department.staff.set(list(staff))
    audit_record(
        actor=actor,
        action=audit.DEPARTMENT_CREATE,
        target=department,
        changes={"name": [None, name]},
    )
    return department


@transaction.atomic
def department_update(
    *, department: Department, actor: User, staff: Iterable[User] | None = None, **fields: Any
) -> Department:
    department = Department.objects.select_for_update().get(pk=department.pk)
    if "name" in fields:
        fields["name"] = _require_text("name", fields["name"], max_length=100)
        if (
            Department.objects.filter(name__iexact=fields["name"])
            .exclude(pk=department.pk)
            .exists()
        ):
            raise ValidationError(
                field_errors={"name": [_("A department with this name already exists.")]}
            )
    changed = apply_changes(department, fields)
    department.save()
    if staff is not None:
        before = sorted(department.staff.values_list("pk", flat=True))
        department.staff.set(list(staff))
        after = sorted(department.staff.values_list("pk", flat=True))
        if before != after:
            changed["staff"] = [before, after]
    if changed:
        audit_record(
            actor=actor, action=audit.DEPARTMENT_UPDATE, target=department, changes=changed
        )
    return department
