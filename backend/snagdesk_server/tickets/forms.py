"""Forms of the staff console and the portal: they parse and check input; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.accounts.selectors import client_list
from snagdesk_server.core.forms import MultipleFileField
from snagdesk_server.core.settings_pages import SettingsForm
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Department, Ticket
from snagdesk_server.tickets.selectors import (
    SORTS,
    TicketFilters,
    assignable_staff,
    department_list_active,
)
from snagdesk_server.tickets.services import MAX_FILES_PER_MESSAGE, MESSAGE_MAX_LENGTH

CLIENT_CHOICES_LIMIT = 20


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _choices_of(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _model_choices_of(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class TagsField(forms.Field):
    """Comma-separated tag names."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:
        return [name.strip() for name in str(value or "").split(",") if name.strip()]


# Ticket list ---------------------------------------------------------------------------


class TicketFilterForm(forms.Form):
    """The list's query string. An invalid value drops that one filter, never the page.

    Clients and projects run into thousands, so they are not dropdowns: a row's client or
    project link sets the filter, and a chip shows and clears it.
    """

    q = forms.CharField(required=False, max_length=200)
    status = forms.MultipleChoiceField(
        required=False, choices=Ticket.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    priority = forms.MultipleChoiceField(
        required=False, choices=Ticket.Priority.choices, widget=forms.CheckboxSelectMultiple
    )
    source = forms.MultipleChoiceField(
        required=False, choices=Ticket.Source.choices, widget=forms.CheckboxSelectMultiple
    )
    department = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(required=False)
    client = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    project = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    tag = forms.CharField(required=False, max_length=50)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])

    def __init__(
        self, data: Any, *, departments: Sequence[Department], staff: Sequence[User]
    ) -> None:
        super().__init__(data)
        _choices_of(self, "department").choices = [
            ("", _("Any department")),
            *[(d.pk, d.name) for d in departments],
        ]
        _choices_of(self, "assignee").choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *[(str(u.pk), str(u)) for u in staff],
        ]

    def filters(self) -> TicketFilters:
        self.is_valid()
        data = self.cleaned_data
        return TicketFilters(
            status=data.get("status") or [],
            priority=data.get("priority") or [],
            source=data.get("source") or [],
            department=data.get("department"),
            assignee=data.get("assignee") or "",
            client=data.get("client"),
            project=data.get("project"),
            tag=data.get("tag") or "",
            search=data.get("q") or "",
            sort=data.get("sort") or "updated",
        )


class TicketNumbersField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        numbers = [_int_or_none(v) for v in (value or [])]
        if None in numbers:
            raise forms.ValidationError(_("Invalid ticket number."))
        return [n for n in numbers if n is not None]


class TicketBulkForm(forms.Form):
    ACTIONS = [("assign", _("Assign to")), ("status", _("Set status")), ("close", _("Close"))]

    tickets = TicketNumbersField(
        label=_("Tickets"), error_messages={"required": _("Select at least one ticket.")}
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=assignable_staff(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Ticket.Status.choices], required=False
    )

    def __init__(self, *args: Any, staff: Sequence[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            # The list page already holds the staff: render them without asking again.
            self.fields["assignee"].widget.choices = [("", "—"), *[(u.pk, str(u)) for u in staff]]

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        action = data.get("action")
        if action == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose whom to assign the tickets to."))
        if action == "status" and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        return data

    def changes(self) -> dict[str, Any]:
        action = self.cleaned_data["action"]
        if action == "assign":
            return {"assignee": self.cleaned_data["assignee"]}
        if action == "status":
            return {"status": self.cleaned_data["status"]}
        return {"status": Ticket.Status.CLOSED}


# One ticket -----------------------------------------------------------------------------


class TicketOpenForm(forms.Form):
    """A ticket staff open for a client's contact, or for a plain email address.

    The client dropdown holds a few search results (and the chosen client), never the
    whole client list; contacts and projects are those of the chosen client.
    """

    subject = forms.CharField(label=_("Subject"), max_length=255)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea)
    client = forms.ModelChoiceField(
        label=_("Client"), queryset=Client.objects.filter(active=True), required=False
    )
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("— No contact —"),
    )
    submitter_name = forms.CharField(label=_("Requester name"), max_length=150, required=False)
    submitter_email = forms.EmailField(
        label=_("Requester email"),
        required=False,
        help_text=_("When the requester is not one of the client's contacts."),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("— No project —"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=_("— No department —"),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Ticket.Priority.choices)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=assignable_staff(),
        required=False,
        empty_label=_("— Unassigned —"),
    )
    tags = TagsField(label=_("Tags"), help_text=_("Separate tags with commas."))
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args: Any, client_search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client_id = _int_or_none(
            self.data.get("client") if self.is_bound else self.initial.get("client")
        )
        if client_id is not None:
            _model_choices_of(self, "contact").queryset = Contact.objects.filter(
                client_id=client_id, active=True
            ).order_by("-is_primary", "first_name", "pk")
            _model_choices_of(self, "project").queryset = Project.objects.filter(
                client_id=client_id
            ).order_by("name", "pk")
        self.fields["client"].widget.choices = self._client_choices(client_search, client_id)

    def _client_choices(self, search: str, client_id: int | None) -> list[tuple[Any, Any]]:
        found = list(client_list(search=search.strip(), active=True)[:CLIENT_CHOICES_LIMIT])
        if client_id and all(c.pk != client_id for c in found):
            found = list(Client.objects.filter(pk=client_id, active=True)) + found
        return [("", _("— No client —")), *[(c.pk, c.name) for c in found]]


class MessageForm(forms.Form):
    """A reply or an internal note."""

    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Attachments"))


class TicketUpdateForm(forms.Form):
    """The sidebar's inline changes; each select posts on its own, so only the fields
    present in the request are changed."""

    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Ticket.Priority.choices)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=assignable_staff(),
        required=False,
        empty_label=_("Unassigned"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=_("No department"),
    )
    tags = TagsField(label=_("Tags"))

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": ticket.status,
                "priority": ticket.priority,
                "assignee": ticket.assignee_id,
                "department": ticket.department_id,
                "tags": [t.name for t in ticket.tags.all()],
            },
        )
        super().__init__(*args, **kwargs)
        # A ticket keeps showing its current assignee or department, even an inactive one.
        if ticket.assignee_id is not None:
            _model_choices_of(self, "assignee").queryset = assignable_staff() | User.objects.filter(
                pk=ticket.assignee_id
            )
        if ticket.department_id is not None:
            _model_choices_of(self, "department").queryset = Department.objects.filter(
                Q(is_active=True) | Q(pk=ticket.department_id)
            )
        if self.is_bound:
            for name in [n for n in self.fields if n not in self.data]:
                del self.fields[name]

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# Departments ----------------------------------------------------------------------------


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Shown to clients; replies are still sent by Snagdesk."),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff"),
        queryset=assignable_staff(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Inactive members stay listed so that saving the form does not drop them.
        if department is not None:
            _model_choices_of(self, "staff").queryset = User.objects.filter(
                Q(is_staff=True, is_active=True) | Q(pk__in=department.staff.values("pk"))
            ).order_by("full_name", "pk")

    @classmethod
    def initial_for(cls, department: Department) -> dict[str, Any]:
        return {
            "name": department.name,
            "email": department.email,
            "staff": list(department.staff.values_list("pk", flat=True)),
            "is_active": department.is_active,
        }


class TicketSettingsForm(SettingsForm):
    """The ticket policy; the other fields are built from ``TicketSettings``."""

    default_department = forms.ModelChoiceField(
        label=_("Default department"),
        queryset=department_list_active(),
        required=False,
        empty_label=_("None"),
    )


# The portal's forms ----------------------------------------------------------------------


def _attachments_help() -> str:
    count = MAX_FILES_PER_MESSAGE
    return ngettext(
        "Up to %(count)d file: screenshots, logs…",
        "Up to %(count)d files: screenshots, logs…",
        count,
    ) % {"count": count}


def _attachments_field() -> MultipleFileField:
    # Lazy: the help text is rendered in the language of each request.
    return MultipleFileField(label=_("Attachments"), help_text=lazy(_attachments_help, str)())


class PortalTicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=255)
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, where, and what you expected instead."),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("— No particular project —"),
    )
    attachments = _attachments_field()

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the contact's own client's projects can be chosen (or posted).
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class PortalReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Your reply"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = _attachments_field()
