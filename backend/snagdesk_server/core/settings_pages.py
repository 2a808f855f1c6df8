"""The settings pages: a form built from a module's settings declaration
(``core.config.setting``), and the one view helper every settings page calls.

A module that needs a particular widget (a colour picker) or a model choice (a
department) declares that field on a ``SettingsForm`` subclass; the other fields are
built from the declaration. A form field named like a ``<name>_id`` setting without the
suffix (``default_department``) holds the object and saves its primary key.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from snagdesk_server.core.branding import branding_settings_save
from snagdesk_server.core.config import setting_rules, setting_type, settings_get
from snagdesk_server.core.decorators import StaffRequest
from snagdesk_server.core.errors import PermissionDenied
from snagdesk_server.core.forms import (
    form_data,
    form_status,
    form_submit,
    redirect_after_post,
)
from snagdesk_server.core.htmx import render_page
from snagdesk_server.core.permissions import has_module_perm

IMAGE_TYPES = "image/png,image/jpeg,image/webp"


class SettingsForm(forms.Form):
    """A settings form; ``settings_form_class`` adds the fields its subclass leaves out,
    with the widget ``widgets`` names for them (a ``Textarea``, a ``RadioSelect``)."""

    settings_class: type[Any]
    widgets: ClassVar[dict[str, Any]] = {}

    @classmethod
    def initial_from(cls, current: Any) -> dict[str, Any]:
        initial = {}
        for field in dataclasses.fields(current):
            if setting_rules(field).image is not None:
                continue
            value = initial[field.name] = getattr(current, field.name)
            if field.name.endswith("_id"):
                initial[field.name.removesuffix("_id")] = value
        return initial

    def values(self) -> dict[str, Any]:
        """The cleaned form as settings values (uploads apart, in ``images``)."""
        data, values = self.cleaned_data, {}
        for field in dataclasses.fields(self.settings_class):
            name = field.name
            if setting_rules(field).image is not None:
                if data.get(f"remove_{name}") and not data.get(name):
                    values[name] = ""
            elif name in data:
                values[name] = data[name]
            elif name.removesuffix("_id") in data:
                chosen = data[name.removesuffix("_id")]
                values[name] = chosen.pk if isinstance(chosen, models.Model) else chosen
        return values

    def images(self) -> dict[str, Any]:
        return {
            f.name: upload
            for f in dataclasses.fields(self.settings_class)
            if setting_rules(f).image is not None and (upload := self.cleaned_data.get(f.name))
        }


def _label(field: dataclasses.Field[Any]) -> Any:
    return setting_rules(field).label or capfirst(field.name.replace("_", " "))


def _form_fields(
    cls: type[Any], field: dataclasses.Field[Any], widgets: dict[str, Any]
) -> dict[str, forms.Field]:
    """The form fields of one setting, by name."""
    rules = setting_rules(field)
    kind, nullable = setting_type(cls, field.name)
    common: dict[str, Any] = {"label": _label(field), "help_text": rules.help_text}
    if field.name in widgets:
        common["widget"] = widgets[field.name]
    if rules.image is not None:
        widget = forms.FileInput(attrs={"accept": IMAGE_TYPES})
        return {
            field.name: forms.FileField(required=False, widget=widget, **common),
            f"remove_{field.name}": forms.BooleanField(
                required=False,
                label=_("Remove the current %(setting)s")
                % {"setting": str(common["label"]).lower()},
            ),
        }
    required = not (nullable or rules.blank)
    made: forms.Field
    if kind is bool:
        made = forms.BooleanField(required=False, **common)
    elif rules.choices:
        choices = [("", "—"), *rules.choices] if not required else list(rules.choices)
        made = forms.TypedChoiceField(
            choices=choices,
            coerce=lambda value: kind(value),
            empty_value=None if nullable else "",
            required=required,
            **common,
        )
    elif kind is int:
        made = forms.IntegerField(
            min_value=rules.min_value, max_value=rules.max_value, required=required, **common
        )
    else:
        made = forms.CharField(max_length=rules.max_length, required=required, **common)
    return {field.name: made}


def settings_form_class(cls: type[Any], base: type[SettingsForm] = SettingsForm) -> type[Any]:
    """A form for the settings ``cls``: the fields ``base`` declares, the others built
    from the declaration, in the declaration's order."""
    built: dict[str, forms.Field] = {}
    order: list[str] = []
    for field in dataclasses.fields(cls):
        chosen = field.name.removesuffix("_id")
        if chosen != field.name and chosen in base.base_fields:
            order.append(chosen)
            continue
        made = _form_fields(cls, field, base.widgets)
        order.extend(made)
        built.update({k: v for k, v in made.items() if k not in base.base_fields})
    attrs = {**built, "settings_class": cls, "field_order": order}
    return type(f"{cls.__name__}Form", (base,), attrs)


def settings_page(
    request: StaffRequest,
    cls: type[Any],
    *,
    module: str,
    edit_action: str = "edit",
    title: str,
    template: str = "core/settings_page.html",
    form_class: type[SettingsForm] = SettingsForm,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A settings page: the form of ``cls`` filled with the current values, saved on POST
    by those holding ``<module>.<edit_action>`` (the others see it read-only). ``title``
    heads the page ("Platform settings") and names what was saved in the toast."""
    may_edit = has_module_perm(request.user, module, edit_action)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied(_("You may not edit these settings."))
    current = settings_get(cls)
    form_type = settings_form_class(cls, form_class)
    files = request.FILES if request.method == "POST" else None
    form = form_type(form_data(request), files, initial=form_type.initial_from(current))
    saved = form_submit(
        form,
        lambda: branding_settings_save(
            cls, values=form.values(), images=form.images(), actor=request.user
        ),
    )
    if saved is not None:
        # Translators: title is the page's title in lower case, e.g. "platform settings".
        messages.success(request, _("The %(title)s are saved.") % {"title": title.lower()})
        return redirect_after_post(request, request.path)
    page = {"nav": "settings", "title": title, "form": form, "may_edit": may_edit}
    page.update({"current": current, **(context or {})})
    return render_page(request, template, page, partial="form", status=form_status(form))
