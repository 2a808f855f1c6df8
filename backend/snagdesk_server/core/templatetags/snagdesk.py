from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from snagdesk_server.core import console
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.core.modules import NavItem, portal_nav_items
from snagdesk_server.core.permissions import has_module_perm

register = template.Library()

# The one way the console, the portal and the emails write a moment and a day: the
# active language's own formats (Django's, and ours for English: snagdesk_server.formats)
# in the installation's time zone. Lists that show how long ago use ``naturaltime``
# (translated too), with ``when`` as its title.


@register.filter
def when(value: Any) -> str:
    """``{{ ticket.created_at|when }}``: "6 Mar 2026, 09:30" in English, "6. März 2026
    09:30" in German, in the current time zone."""
    return date_format(_local(value), "DATETIME_FORMAT") if value else ""


@register.filter
def day(value: Any) -> str:
    """``{{ project.deadline|day }}``: "30 Jun 2026", "30. Juni 2026"."""
    return date_format(_local(value), "DATE_FORMAT") if value else ""


@register.filter
def number(value: Any) -> str:
    """``{{ counts.open|number }}``: "12,345" in English, "12.345" in German, "12 345" in
    French; a count, a quantity, a figure of a table."""
    return number_format(value, force_grouping=True) if value not in (None, "") else ""


@register.filter
def money(value: Any, currency: str) -> str:
    """``{{ invoice.total|money:"EUR" }}``: the amount with two decimals in the active
    language's digits and separators, then the ISO currency code: "1,234.50 EUR" in
    English, "1.234,50 EUR" in German."""
    if value in (None, ""):
        return ""
    amount = number_format(Decimal(value), 2, force_grouping=True)
    return f"{amount}\N{NO-BREAK SPACE}{currency}"


def _local(value: Any) -> Any:
    """An aware datetime in the current time zone; a date as it is."""
    return (
        timezone.localtime(value)
        if isinstance(value, datetime) and timezone.is_aware(value)
        else value
    )


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], module: str, action: str = "view") -> bool:
    """``{% can "tickets" "edit" as may_edit %}``: the current user's module permission."""
    return has_module_perm(context["request"].user, module, action)


@register.simple_tag(takes_context=True)
def staff_nav(context: dict[str, Any]) -> list[console.NavGroup]:
    """``{% staff_nav as groups %}``: the sidebar's groups of links the user may open."""
    return console.staff_nav(context["request"].user)


@register.simple_tag(takes_context=True)
def settings_nav(context: dict[str, Any]) -> list[NavItem]:
    """``{% settings_nav as pages %}``: the settings pages the user may open."""
    return console.settings_nav(context["request"].user)


@register.simple_tag
def portal_nav() -> list[NavItem]:
    """``{% portal_nav as items %}``: the sections the modules add to the portal."""
    return portal_nav_items()


@register.simple_tag(takes_context=True)
def panel(context: template.Context, shown: console.ShownPanel) -> str:
    """``{% panel shown %}``: one module's panel, with its own context over the page's."""
    panel_template = context.template.engine.get_template(shown.template)  # type: ignore[union-attr]
    with context.push(shown.context):
        return panel_template.render(context)


@register.simple_tag(takes_context=True)
def reply_tools(context: dict[str, Any], ticket: Any) -> list[console.ShownPanel]:
    """``{% reply_tools ticket as tools %}``: what the modules add to the staff reply form
    of ``ticket`` that the user may use; each is shown with ``{% panel tool %}``."""
    return console.staff_panels(context["request"], "reply_tools", ticket)


@register.simple_tag(takes_context=True)
def ticket_panels(context: dict[str, Any], ticket: Any) -> list[console.ShownPanel]:
    """``{% ticket_panels ticket as shown %}``: the blocks modules add to the sidebar of
    ``ticket`` that the user may see; each is shown with ``{% panel shown %}``."""
    return console.staff_panels(context["request"], "ticket_panels", ticket)


@register.simple_tag(takes_context=True)
def link_cards(context: dict[str, Any], text: str) -> list[console.ShownPanel]:
    """``{% link_cards reply.message as cards %}``: a card for each link in the text that a
    module's ``LinkCard`` matches; each is shown with ``{% panel card %}``, below the text,
    which stays as it is (escaped)."""
    return console.message_link_cards(context["request"], text)


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (``None`` removes a key)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass(frozen=True)
class AuditChange:
    name: str
    label: str
    before: str
    after: str


EMPTY = "—"


@register.filter
def audit_changes(entry: AuditEntry) -> list[AuditChange]:
    """``{% for change in entry|audit_changes %}``: an audit entry's ``{name: [before,
    after]}`` as people read it: the field's label, choice values by their display name
    (``in_progress`` is "In progress"), lists joined, empty values as a dash."""
    model = entry.content_type.model_class()
    changes = []
    for name, pair in (entry.changes or {}).items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        field = _field(model, name)
        changes.append(
            AuditChange(
                name=name,
                label=capfirst(str(field.verbose_name))
                if field
                else name.replace("_", " ").capitalize(),
                before=_audit_value(before, field),
                after=_audit_value(after, field),
            )
        )
    return changes


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _audit_value(value: Any, field: models.Field[Any, Any] | None) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        if field is not None and field.many_to_many and all(isinstance(v, int) for v in value):
            return ", ".join(_related_names(field, value))
        return ", ".join(_audit_value(item, field) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_audit_value(item, None)}" for key, item in value.items())
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _related_names(field: models.Field[Any, Any], pks: list[int] | tuple[int, ...]) -> list[str]:
    """A many-to-many change is stored as primary keys: the objects' names, where they
    still exist."""
    related = field.related_model
    found = related._default_manager.in_bulk(list(pks)) if isinstance(related, type) else {}
    return [str(found[pk]) if pk in found else f"#{pk}" for pk in pks]
