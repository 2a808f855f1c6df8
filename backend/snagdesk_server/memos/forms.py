from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.forms import MultipleFileField
from snagdesk_server.memos.models import Memo
from snagdesk_server.memos.search import MAX_QUERY_LENGTH
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket


class MemoForm(forms.Form):
    """The composer and the edit form; the services check the rest (length, links,
    the right to see what a memo links to, the attachments)."""

    body = forms.CharField(
        label=_("Memo"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. #tags and @mentions work; ``` fences code."),
        error_messages={"required": _("Write something first.")},
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Memo.Visibility.choices)
    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.filter(active=True),
        required=False,
        empty_label=_("No client"),
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), required=False, widget=forms.HiddenInput
    )
    ticket = forms.ModelChoiceField(
        label=_("Ticket"),
        queryset=Ticket.objects.all(),
        required=False,
        to_field_name="number",
        widget=forms.HiddenInput,
    )
    pinned = forms.BooleanField(label=_("Pin it"), required=False)
    attachments = MultipleFileField(label=_("Attachments"))


class MemoFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=101)
    author = forms.ModelChoiceField(
        label=_("Author"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.all(),
        required=False,
        empty_label=_("Any client"),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[("", _("Private and public")), *Memo.Visibility.choices],
        required=False,
    )
    pinned = forms.BooleanField(label=_("Pinned only"), required=False)

    def __init__(self, *args: Any, authors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if authors is not None:
            self.fields["author"].queryset = authors  # type: ignore[attr-defined]


class TagRenameForm(forms.Form):
    old = forms.CharField(label=_("Tag"), max_length=101)
    new = forms.CharField(label=_("New name"), max_length=101)
