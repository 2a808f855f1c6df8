from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from snagdesk_server.core.forms import MultipleFileField
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.services import MAX_FILES_PER_MESSAGE, MESSAGE_MAX_LENGTH


def _attachments_field() -> MultipleFileField:
    return MultipleFileField(help_text=f"Up to {MAX_FILES_PER_MESSAGE} files: screenshots, logs…")


class TicketForm(forms.Form):
    subject = forms.CharField(max_length=255)
    message = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What happened, where, and what you expected instead.",
    )
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), required=False, empty_label="— No particular project —"
    )
    attachments = _attachments_field()

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the contact's own client's projects can be chosen (or posted).
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    message = forms.CharField(
        label="Your reply",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = _attachments_field()
