"""Writing memos: create, edit, pin, delete, react, rename a tag, retention.

Every write renders the Markdown once (``markdown.markdown_render``) and keeps the memo's
tags and mentions in step with its text, in the same transaction. Only the author
edits, pins and deletes a private memo; a public one also yields to ``memos.manage``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    TooLarge,
    ValidationError,
)
from snagdesk_server.core.events import event_emit
from snagdesk_server.core.mail import Recipient, mail_after_commit
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.core.services import audit_record
from snagdesk_server.memos import audit, events
from snagdesk_server.memos.attachments import FIELD as ATTACHMENTS
from snagdesk_server.memos.attachments import MAX_FILES, attachment_checked
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.markdown import (
    HASHTAG,
    markdown_parse,
    markdown_render,
    tag_normalized,
    text_outside_code,
)
from snagdesk_server.memos.models import (
    Memo,
    MemoAttachment,
    MemoMention,
    MemoReaction,
    MemoTag,
    MemoTagging,
)
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket

MODULE = "memos"


class _Unset:
    pass


UNSET: Any = _Unset()


def memo_may_write(user: Any, memo: Memo) -> bool:
    """Whether ``user`` may edit, pin or delete ``memo``."""
    if memo.author_id == user.pk:
        return has_module_perm(user, MODULE, "create")
    return memo.is_public and has_module_perm(user, MODULE, "manage")


def _payload(memo: Memo) -> dict[str, Any]:
    return {
        "memo_id": memo.pk,
        "author_id": memo.author_id,
        "visibility": memo.visibility,
        "client_id": memo.client_id,
        "project_id": memo.project_id,
        "ticket_id": memo.ticket_id,
    }


def _tag_url(name: str) -> str:
    return f"{reverse('memos:list')}?{urlencode({'tag': name})}"


def _body_checked(body: str, policy: MemoSettings) -> str:
    if not body.strip():
        raise ValidationError(field_errors={"body": [_("Write something first.")]})
    size = len(body.encode())
    if size > policy.max_memo_bytes:
        message = _("The memo is %(size)s KB; the limit is %(limit)d KB.") % {
            "size": f"{size / 1024:.1f}",
            "limit": policy.max_memo_kilobytes,
        }
        raise ValidationError(code="memo_too_long", field_errors={"body": [message]})
    return body


def _visibility_checked(visibility: str) -> str:
    if visibility not in Memo.Visibility.values:
        raise ValidationError(field_errors={"visibility": [_("Choose private or public.")]})
    return visibility


def _links_checked(
    actor: User, client: Client | None, project: Project | None, ticket: Ticket | None
) -> Client | None:
    """The client the memo is about: the one given, else the project's or the ticket's.
    Each link needs the right to see what it names, and they must agree."""
    if client is not None and not has_module_perm(actor, "clients", "view"):
        raise PermissionDenied(field_errors={"client": [_("You may not see this client.")]})
    if project is not None and not has_module_perm(actor, "projects", "view"):
        raise PermissionDenied(field_errors={"project": [_("You may not see this project.")]})
    if ticket is not None and not has_module_perm(actor, "tickets", "view"):
        raise PermissionDenied(field_errors={"ticket": [_("You may not see this ticket.")]})
    owners = {obj.client_id for obj in (project, ticket) if obj is not None and obj.client_id}
    if client is not None:
        owners.add(client.pk)
    if len(owners) > 1:
        raise ValidationError(
            field_errors={"client": [_("The client, project and ticket must belong together.")]}
        )
    if client is None and owners:
        client = Client.objects.get(pk=owners.pop())
    return client


def _uploads_checked(
    uploads: Sequence[UploadedFile], already: int, policy: MemoSettings
) -> list[Any]:
    if already + len(uploads) > MAX_FILES:
        message = ngettext(
            "A memo holds at most %(count)d file.",
            "A memo holds at most %(count)d files.",
            MAX_FILES,
        ) % {"count": MAX_FILES}
        raise ValidationError(field_errors={ATTACHMENTS: [message]})
    checked = []
    for upload in uploads:
        if upload.size is not None and upload.size > policy.max_attachment_bytes:
            message = _("“%(name)s” is larger than the limit of %(limit)d MB.") % {
                "name": upload.name,
                "limit": policy.max_attachment_megabytes,
            }
            raise TooLarge(message, field_errors={ATTACHMENTS: [message]})
        checked.append((upload, attachment_checked(upload)))
    return checked


def _store_uploads(memo: Memo, checked: list[Any], now: datetime) -> None:
    for upload, kind in checked:
        attachment = MemoAttachment(
            memo=memo,
            original_name=(upload.name or "file")[:255],
            content_type=kind.content_type,
            size=upload.size or 0,
            is_image=kind.is_image,
            created_at=now,
        )
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.save()


def _resolve_mentions(handles: Iterable[str]) -> dict[str, User]:
    """Each ``@handle`` that names exactly one active staff member: an email's local
    part (``@sam``) or a whole address (``@sam@agency.example``)."""
    found: dict[str, User] = {}
    for handle in handles:
        lookup = Q(email__iexact=handle) if "@" in handle else Q(email__istartswith=f"{handle}@")
        users = list(User.objects.filter(lookup, is_staff=True, is_active=True)[:2])
        if len(users) == 1:
            found[handle] = users[0]
    return found


def _render(memo: Memo) -> tuple[list[str], dict[str, User]]:
    """Render ``memo.body`` into ``body_html``; its tags and the colleagues it mentions."""
    parsed = markdown_parse(memo.body)
    mentioned = _resolve_mentions(parsed.handles)
    names = {handle: user.full_name or user.email for handle, user in mentioned.items()}
    memo.body_html = markdown_render(memo.body, tag_url=_tag_url, mentions=names)
    return parsed.tags, mentioned


def _sync_tags(memo: Memo, names: list[str]) -> None:
    tags = [MemoTag.objects.get_or_create(name=name)[0] for name in names]
    MemoTagging.objects.filter(memo=memo).exclude(tag__in=tags).delete()
    have = set(MemoTagging.objects.filter(memo=memo).values_list("tag_id", flat=True))
    MemoTagging.objects.bulk_create(
        [MemoTagging(memo=memo, tag=tag) for tag in tags if tag.pk not in have]
    )


def _tags_forget_unused() -> None:
    MemoTag.objects.filter(taggings__isnull=True).delete()


def _notify_mentions(memo: Memo, mentioned: dict[str, User], actor: User) -> None:
    """Tell each newly mentioned colleague who may read the memo, once per memo."""
    if not memo.is_public:
        return
    told = set(MemoMention.objects.filter(memo=memo).values_list("user_id", flat=True))
    new = [
        user
        for user in {user.pk: user for user in mentioned.values()}.values()
        if user.pk not in told
        and user.pk != memo.author_id
        and has_module_perm(user, MODULE, "view")
    ]
    if not new:
        return
    MemoMention.objects.bulk_create([MemoMention(memo=memo, user=user) for user in new])
    mail_after_commit(
        to=[Recipient(user.email, user.language) for user in new],
        template="memos/email/mention",
        context={
            "memo": memo,
            "author": actor.full_name or actor.email,
            "excerpt": memo.body[:500],
        },
    )


@transaction.atomic
def memo_create(
    *,
    actor: User,
    body: str,
    visibility: str | None = None,
    client: Client | None = None,
    project: Project | None = None,
    ticket: Ticket | None = None,
    pinned: bool = False,
    attachments: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Memo:
    if not has_module_perm(actor, MODULE, "create"):
        raise PermissionDenied(_("You may not write memos."))
    now = now or timezone.now()
    policy = settings_get(MemoSettings)
    memo = Memo(
        author=actor,
        body=_body_checked(body, policy),
        visibility=_visibility_checked(visibility or policy.default_visibility),
        pinned=pinned,
        client=_links_checked(actor, client, project, ticket),
        project=project,
        ticket=ticket,
        created_at=now,
        updated_at=now,
    )
    checked = _uploads_checked(attachments, 0, policy)
    tags, mentioned = _render(memo)
    memo.save()
    _sync_tags(memo, tags)
    _store_uploads(memo, checked, now)
    _notify_mentions(memo, mentioned, actor)
    audit_record(actor=actor, action=audit.MEMO_CREATE, target=memo, now=now)
    event_emit(events.MEMO_CREATED, payload=_payload(memo), actor=actor, now=now)
    return memo


@transaction.atomic
def memo_update(
    *,
    memo: Memo,
    actor: User,
    body: str = UNSET,
    visibility: str = UNSET,
    client: Client | None = UNSET,
    project: Project | None = UNSET,
    ticket: Ticket | None = UNSET,
    pinned: bool = UNSET,
    attachments: Sequence[UploadedFile] = (),
    remove_attachments: Iterable[int] = (),
    now: datetime | None = None,
) -> Memo:
    """Change what is given (``UNSET`` keeps the rest); links are checked together."""
    if not memo_may_write(actor, memo):
        raise PermissionDenied(_("Only its author, or staff who manage memos, may change it."))
    now = now or timezone.now()
    policy = settings_get(MemoSettings)
    memo = Memo.objects.select_for_update().get(pk=memo.pk)
    before = {"visibility": memo.visibility, "pinned": memo.pinned, "body": memo.body}
    if body is not UNSET:
        memo.body = _body_checked(body, policy)
    if visibility is not UNSET:
        memo.visibility = _visibility_checked(visibility)
    if pinned is not UNSET:
        memo.pinned = bool(pinned)
    if any(value is not UNSET for value in (client, project, ticket)):
        memo.project = memo.project if project is UNSET else project
        memo.ticket = memo.ticket if ticket is UNSET else ticket
        memo.client = _links_checked(
            actor, memo.client if client is UNSET else client, memo.project, memo.ticket
        )
    removed = list(memo.attachments.filter(pk__in=list(remove_attachments)))
    checked = _uploads_checked(attachments, memo.attachments.count() - len(removed), policy)
    tags, mentioned = _render(memo)
    memo.updated_at = now
    memo.save()
    _sync_tags(memo, tags)
    _tags_forget_unused()
    _attachments_delete(removed)
    _store_uploads(memo, checked, now)
    _notify_mentions(memo, mentioned, actor)
    changes = {
        name: [old, getattr(memo, name)]
        for name, old in before.items()
        if name != "body" and old != getattr(memo, name)
    }
    if before["body"] != memo.body:
        changes["body"] = ["…", "…"]
    audit_record(actor=actor, action=audit.MEMO_UPDATE, target=memo, changes=changes, now=now)
    event_emit(events.MEMO_UPDATED, payload=_payload(memo), actor=actor, now=now)
    return memo


def _attachments_delete(attachments: Iterable[MemoAttachment]) -> None:
    """Delete the rows now and their files once the transaction commits."""
    files = [(a.file.storage, a.file.name) for a in attachments if a.file.name]
    MemoAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()

    def remove() -> None:
        for storage, name in files:
            storage.delete(str(name))

    transaction.on_commit(remove)


def _delete(memo: Memo, *, actor: Any, reason: str, now: datetime) -> None:
    payload = {**_payload(memo), "reason": reason}
    action = audit.MEMO_DELETE if reason == "deleted" else audit.MEMO_PURGE
    audit_record(actor=actor, action=action, target=memo, now=now)
    _attachments_delete(list(memo.attachments.all()))
    Memo.objects.filter(pk=memo.pk).delete()
    _tags_forget_unused()
    event_emit(events.MEMO_DELETED, payload=payload, actor=actor, now=now)


@transaction.atomic
def memo_delete(*, memo: Memo, actor: User, now: datetime | None = None) -> None:
    if not memo_may_write(actor, memo):
        raise PermissionDenied(_("Only its author, or staff who manage memos, may delete it."))
    _delete(memo, actor=actor, reason="deleted", now=now or timezone.now())


def memos_purge_expired(*, now: datetime) -> int:
    """Delete the unpinned memos older than the retention setting, with their
    attachments, each in its own transaction; 0 days keeps everything. A second run
    at the same ``now`` finds nothing more."""
    days = settings_get(MemoSettings).retention_days
    if not days:
        return 0
    cutoff = now - timedelta(days=days)
    purged = 0
    for pk in Memo.objects.filter(pinned=False, created_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            memo = (
                Memo.objects.select_for_update()
                .filter(pk=pk, pinned=False, created_at__lt=cutoff)
                .first()
            )
            if memo is None:
                continue
            _delete(memo, actor=None, reason="retention", now=now)
            purged += 1
    return purged


def memo_react(*, memo: Memo, actor: User, emoji: str, now: datetime | None = None) -> MemoReaction:
    """``actor`` reacts to a memo they can see, once per emoji, with an allowed one."""
    readable = memo.is_public or memo.author_id == actor.pk
    if not (readable and has_module_perm(actor, MODULE, "view")):
        raise NotFound(_("No such memo."))
    allowed = settings_get(MemoSettings).reaction_choices
    if emoji not in allowed:
        # The message too: a console reaction has no form, only a toast to show it in.
        message = _("React with one of %(emoji)s.") % {"emoji": " ".join(allowed)}
        raise ValidationError(
            message, code="reaction_not_allowed", field_errors={"emoji": [message]}
        )
    try:
        with transaction.atomic():
            return MemoReaction.objects.create(
                memo=memo, user=actor, emoji=emoji, created_at=now or timezone.now()
            )
    except IntegrityError:
        raise Conflict(
            _("You already reacted with %(emoji)s.") % {"emoji": emoji},
            code="already_reacted",
            field_errors={"emoji": [_("You already reacted with this emoji.")]},
        ) from None


def memo_unreact(*, memo: Memo, actor: User, emoji: str) -> None:
    deleted, _by_model = MemoReaction.objects.filter(memo=memo, user=actor, emoji=emoji).delete()
    if not deleted:
        raise NotFound(_("You have not reacted with %(emoji)s.") % {"emoji": emoji})


def _renamed(body: str, old: str, new: str) -> str:
    """``body`` with each hashtag ``#old`` (and ``#old/…``) written ``#new``, outside code
    and URLs, the rest of the text untouched."""

    def rename(match: re.Match[str]) -> str:
        name = tag_normalized(match[1])
        if name is None or not (name == old or name.startswith(f"{old}/")):
            return match[0]
        return f"#{new}{name[len(old) :]}"

    pieces = text_outside_code(body)
    return "".join(HASHTAG.sub(rename, text) if plain else text for text, plain in pieces)


def _family(name: str) -> Q:
    """The tag ``name`` and the tags nested under it."""
    return Q(name=name) | Q(name__startswith=f"{name}/")


@transaction.atomic
def memo_tag_rename(*, actor: User, old: str, new: str, now: datetime | None = None) -> int:
    """Rename the tag ``old`` to ``new`` in the text of every memo that carries it (its
    nested tags follow); when ``new`` exists the two merge. Returns how many memos."""
    if not has_module_perm(actor, MODULE, "manage"):
        raise PermissionDenied(_("Only staff who manage memos may rename tags."))
    now = now or timezone.now()
    source = tag_normalized(old.lstrip("#"))
    target = tag_normalized(new.lstrip("#"))
    missing = NotFound(_("No memo carries the tag #%(tag)s.") % {"tag": old.lstrip("#")})
    # A parent the sidebar lists only for its nested tags (``#clients`` of
    # ``#clients/acme``) renames as well.
    if source is None or not MemoTag.objects.filter(_family(source)).exists():
        raise missing
    if target is None:
        raise ValidationError(
            field_errors={
                "new": [_("A tag is letters, digits, “-”, “_” and “/”, with at least one letter.")]
            }
        )
    if target == source:
        raise ValidationError(field_errors={"new": [_("That is already the tag's name.")]})
    merged = MemoTag.objects.filter(name=target).exists()
    under = Q(tags__name=source) | Q(tags__name__startswith=f"{source}/")
    carrying = Memo.objects.filter(under).values("pk")
    memos = list(Memo.objects.filter(pk__in=carrying).select_for_update())
    for memo in memos:
        memo.body = _renamed(memo.body, source, target)
        tags, _mentioned = _render(memo)
        memo.updated_at = now
        memo.save(update_fields=["body", "body_html", "updated_at"])
        _sync_tags(memo, tags)
    _tags_forget_unused()
    renamed = MemoTag.objects.filter(_family(target)).order_by("name").first()
    if renamed is None:
        # An edit that committed meanwhile took the last of the tag out of the text.
        raise missing
    audit_record(
        actor=actor,
        action=audit.MEMO_TAG_RENAME,
        target=renamed,
        changes={"name": [source, target], "memos": len(memos)},
        now=now,
    )
    event_emit(
        events.MEMO_TAG_RENAMED,
        payload={"old": source, "new": target, "merged": merged, "memo_count": len(memos)},
        actor=actor,
        now=now,
    )
    return len(memos)
