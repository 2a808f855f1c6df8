"""Memos: the team's notes.

A memo's Markdown ``body`` is what its author wrote; ``body_html`` is that text rendered
and sanitized once, when it is saved (``markdown.markdown_render``), so a list never renders
Markdown. Its tags and mentions are parsed from the same text and kept as rows. The
search index (FTS5 on SQLite; on PostgreSQL, a stored lower-cased copy of the body under
a trigram GIN index) follows ``body`` by itself: migration 0002 builds it for
each database (``search.py`` queries it).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TAG_MAX_LENGTH = 100


class Memo(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: only me")
        PUBLIC = "public", _("Public: the whole team")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="memos",
    )
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    client = models.ForeignKey(
        "accounts.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memos",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memos",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memos",
    )
    tags: models.ManyToManyField[MemoTag, MemoTagging] = models.ManyToManyField(
        "MemoTag", through="MemoTagging", related_name="memos"
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["-pinned", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-pinned", "-created_at"], name="memos_memo_order"),
            models.Index(fields=["created_at"], name="memos_memo_created"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class MemoTag(models.Model):
    """A hashtag, lower-cased; ``/`` nests (``#clients/acme`` is under ``#clients``)."""

    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemoTagging(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(MemoTag, on_delete=models.CASCADE, related_name="taggings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["memo", "tag"], name="memos_tagging_unique"),
        ]
        indexes = [models.Index(fields=["tag", "memo"], name="memos_tagging_tag")]

    def __str__(self) -> str:
        return f"{self.memo_id} #{self.tag_id}"


class MemoReaction(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(_("emoji"), max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["memo", "user", "emoji"], name="memos_reaction_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.emoji


class MemoMention(models.Model):
    """A colleague named with ``@`` in a memo, told once by email."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["memo", "user"], name="memos_mention_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.memo_id} @{self.user_id}"


def _attachment_path(instance: MemoAttachment, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"memos/{instance.memo_id}/{uuid.uuid4().hex}.{extension}"


class MemoAttachment(models.Model):
    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # Only an image Pillow verified is shown inline; anything else downloads.
    is_image = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class MemoSearch(models.Model):
    """SQLite's FTS5 index of memo bodies (a virtual table that migration 0002 creates and
    triggers keep in step). Unmanaged, and only on SQLite: ``search.py`` joins it."""

    memo = models.OneToOneField(
        Memo, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, related_name="fts"
    )
    body = models.TextField()
    rank = models.FloatField()  # FTS5's hidden column: bm25 of the current MATCH

    class Meta:
        managed = False
        db_table = "memos_memo_fts"

    def __str__(self) -> str:
        return str(self.pk)
