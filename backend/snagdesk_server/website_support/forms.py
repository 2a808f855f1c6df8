"""Forms of the Website support pages: they parse input; the services check and save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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

PRIORITY_CHOICES = [("", _("Ticket settings' default")), *Ticket.Priority.choices]
APPEARANCE_FIELDS = ("accent_color", "text_color", "position")


class ColorField(forms.CharField):
    """A ``#rrggbb`` colour, typed or set by the colour picker beside it."""

    default_validators = [RegexValidator(COLOR_PATTERN, _("Enter a colour as #rrggbb."))]

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

    accent_color = ColorField(label=_("Accent colour"))
    remove_logo = forms.BooleanField(required=False, label=_("Remove the uploaded logo"))
    logo_url = forms.URLField(
        label=_("Or a logo address"),
        required=False,
        assume_scheme="https",
        help_text=_("An https:// image, used when no logo is uploaded."),
    )
    default_department = forms.ModelChoiceField(
        label=_("Default department"),
        queryset=department_list_active(),
        required=False,
        empty_label=_("Ticket settings' default"),
    )
    default_priority = forms.ChoiceField(
        label=_("Default priority"), choices=PRIORITY_CHOICES, required=False
    )
    default_assignee = forms.ModelChoiceField(
        label=_("Default assignee"),
        queryset=assignable_staff(),
        required=False,
        empty_label=_("Nobody"),
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
    return [("", _("— Choose a project —")), *groups.values()]


class WidgetTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Which site this is, e.g. “Shop — live”.")
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=staff_project_choices(),
        help_text=_("Tickets from this site are filed under this project and its client."),
    )
    allowed_origins = OriginsField(
        label=_("Allowed origins"),
        help_text=_("One per line, with the scheme and without a path: https://client.example"),
    )
    allow_subdomains = forms.BooleanField(
        label=_("Allow subdomains"),
        required=False,
        help_text=_("Also accept https://shop.client.example and the like."),
    )
    default_contact = forms.ModelChoiceField(
        label=_("Default contact"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("None: visitors give their name and email"),
        help_text=_("Tickets are sent as this contact of the project's client."),
    )
    require_login = forms.BooleanField(
        label=_("Require login"),
        required=False,
        help_text=_("Only visitors signed in to the client portal may send."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=department_list_active(),
        required=False,
        empty_label=_("Widget settings' default"),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("Widget settings' default")), *Ticket.Priority.choices],
        required=False,
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=assignable_staff(),
        required=False,
        empty_label=_("Widget settings' default"),
    )
    accent_color = ColorField(
        label=_("Accent colour"), required=False, help_text=_("Empty: global.")
    )
    text_color = forms.ChoiceField(
        label=_("Text on the accent colour"),
        choices=[("", _("Global")), *TEXT_COLOR_CHOICES],
        required=False,
    )
    position = forms.ChoiceField(
        label=_("Position"), choices=[("", _("Global")), *POSITION_CHOICES], required=False
    )

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
        choices=[("", _("Any")), ("1", _("Active")), ("0", _("Disabled"))],
        coerce=lambda value: value == "1",
        empty_value=None,
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {
            "search": self.cleaned_data.get("q") or "",
            "active": self.cleaned_data.get("active"),
        }
