from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.forms import MultipleFileField
from snagdesk_server.core.permissions import has_module_perm
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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _without_clients_unless_seen(self, user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "client" not in self.fields and self.data.get("client"):
            # Only a hand-made request names a client the form does not offer.
            raise forms.ValidationError(_("You may not see this client."))
        return cleaned


def _without_clients_unless_seen(form: forms.Form, user: Any) -> None:
    """No client list for staff who may not see the clients (not even their names)."""
    if not has_module_perm(user, "clients", "view"):
        del form.fields["client"]


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

    def __init__(self, *args: Any, user: Any, authors: Any, **kwargs: Any) -> None:
        # Its own ids: the composer on the same page has a client, visibility and pin too.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = authors  # type: ignore[attr-defined]
        _without_clients_unless_seen(self, user)


class TagRenameForm(forms.Form):
    old = forms.CharField(label=_("Tag"), max_length=101)
    new = forms.CharField(label=_("New name"), max_length=101)
