"""Forms of the Website support pages: they parse input; the services check and save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.settings_pages import SettingsForm
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Ticket
from snagdesk_server.tickets.selectors import assignable_staff, department_list_active
from snagdesk_server.website_support.appearance import (
    COLOR_PATTERN,
    POSITION_CHOICES,
    TEXT_COLOR_CHOICES,
)
from snagdesk_server.website_support.config import widget_default_texts
from snagdesk_server.website_support.models import WidgetToken
from snagdesk_server.website_support.selectors import staff_contact_choices, staff_project_choices

PRIORITY_CHOICES = [("", "Ticket settings' default"), *Ticket.Priority.choices]
APPEARANCE_FIELDS = ("accent_color", "text_color", "position")


class ColorField(forms.CharField):
    """A ``#rrggbb`` colour, typed or set by the colour picker beside it."""

    default_validators = [RegexValidator(COLOR_PATTERN, "Enter a colour as #rrggbb.")]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "#2f5bea", "spellcheck": "false"})
        )
        super().__init__(**kwargs)


class WidgetSettingsForm(SettingsForm):
    """The fields that need more than ``WidgetSettings`` declares; the rest are built."""

    widgets = {
        "text_color": forms.RadioSelect,
        "intro_text": forms.Textarea(attrs={"rows": 3}),
    }

    accent_color = ColorField(label="Accent colour")
    remove_logo = forms.BooleanField(required=False, label="Remove the uploaded logo")
    logo_url = forms.URLField(
        label="Or a logo address",
        required=False,
        assume_scheme="https",
        help_text="An https:// image, used when no logo is uploaded.",
    )
    default_department = forms.ModelChoiceField(
        queryset=department_list_active(),
        required=False,
        empty_label="Ticket settings' default",
    )
    default_priority = forms.ChoiceField(choices=PRIORITY_CHOICES, required=False)
    default_assignee = forms.ModelChoiceField(
        queryset=assignable_staff(), required=False, empty_label="Nobody"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What an empty text gives: the widget's own, in the visitor's language.
        for name, text in widget_default_texts(get_language() or "en").items():
            self.fields[f"{name}_text"].help_text = _(
                "Empty: “%(text)s”, in each visitor's language."
            ) % {"text": text}


class OriginsField(forms.CharField):
    """One origin per line; the service checks each one."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _project_optgroups(projects: Sequence[Project]) -> list[tuple[Any, Any]]:
    """``[(client name, [(pk, project name), …]), …]`` for a select grouped by client."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for project in projects:
        group = groups.setdefault(project.client_id, (project.client.name, []))
        group[1].append((project.pk, project.name))
    return [("", "— Choose a project —"), *groups.values()]


class WidgetTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Which site this is, e.g. “Shop — live”.")
    project = forms.ModelChoiceField(
        queryset=staff_project_choices(),
        help_text="Tickets from this site are filed under this project and its client.",
    )
    allowed_origins = OriginsField(
        help_text="One per line, with the scheme and without a path: https://client.example"
    )
    allow_subdomains = forms.BooleanField(
        required=False, help_text="Also accept https://shop.client.example and the like."
    )
    default_contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        empty_label="None: visitors give their name and email",
        help_text="Tickets are sent as this contact of the project's client.",
    )
    require_login = forms.BooleanField(
        required=False, help_text="Only visitors signed in to the client portal may send."
    )
    department = forms.ModelChoiceField(
        queryset=department_list_active(),
        required=False,
        empty_label="Widget settings' default",
    )
    priority = forms.ChoiceField(
        choices=[("", "Widget settings' default"), *Ticket.Priority.choices], required=False
    )
    assignee = forms.ModelChoiceField(
        queryset=assignable_staff(), required=False, empty_label="Widget settings' default"
    )
    accent_color = ColorField(label="Accent colour", required=False, help_text="Empty: global.")
    text_color = forms.ChoiceField(
        label="Text on the accent colour",
        choices=[("", "Global"), *TEXT_COLOR_CHOICES],
        required=False,
    )
    position = forms.ChoiceField(choices=[("", "Global"), *POSITION_CHOICES], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = list(staff_project_choices())
        project_field = cast("forms.ModelChoiceField[Project]", self.fields["project"])
        # Choices built from the list already fetched: one query, grouped by client.
        project_field.choices = _project_optgroups(projects)
        chosen = str(self["project"].value() or "")
        project = next((p for p in projects if str(p.pk) == chosen), None)
        contact_field = cast("forms.ModelChoiceField[Contact]", self.fields["default_contact"])
        contact_field.queryset = staff_contact_choices(project=project)

    @classmethod
    def initial_from(cls, token: WidgetToken) -> dict[str, Any]:
        return {
            "name": token.name,
            "project": token.project_id,
            "allowed_origins": token.allowed_origins,
            "allow_subdomains": token.allow_subdomains,
            "default_contact": token.default_contact_id,
            "require_login": token.require_login,
            "department": token.department_id,
            "priority": token.priority,
            "assignee": token.assignee_id,
            **{name: token.appearance.get(name, "") for name in APPEARANCE_FIELDS},
        }

    def token_fields(self) -> dict[str, Any]:
        """The cleaned form as the keyword arguments of the token services."""
        data = dict(self.cleaned_data)
        appearance = {name: value for name in APPEARANCE_FIELDS if (value := data.pop(name))}
        return {**data, "appearance": appearance}


class TokenFilterForm(forms.Form):
    """The list's query string; a wrong value drops that filter, never the page."""

    q = forms.CharField(required=False, max_length=200)
    active = forms.TypedChoiceField(
        required=False,
        choices=[("", "Any"), ("1", "Active"), ("0", "Disabled")],
        coerce=lambda value: value == "1",
        empty_value=None,
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {
            "search": self.cleaned_data.get("q") or "",
            "active": self.cleaned_data.get("active"),
        }
