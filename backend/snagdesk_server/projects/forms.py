from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.selectors import client_list, staff_list
from snagdesk_server.projects.models import Project


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj) if obj.is_active else f"{obj} (inactive)"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        # The browser's date picker reads and writes ISO dates only.
        super().__init__(format="%Y-%m-%d")


class ProjectForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=client_list())
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Project.Status.choices, initial=Project.Status.IN_PROGRESS
    )
    members = StaffChoiceField(
        label=_("Members"),
        queryset=staff_list(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
