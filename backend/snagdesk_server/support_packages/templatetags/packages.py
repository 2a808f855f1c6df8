"""``{{ count|units:package_type }}``: a number of units with the type's label, singular
or plural by the plural rule of the active language (French says 0 ticket, English 0
tickets)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation.trans_real import translation

from snagdesk_server.support_packages.models import PackageType

register = template.Library()


def unit_label(count: int, package_type: PackageType) -> str:
    plural = translation(get_language() or "en").plural
    singular = plural(abs(count)) == plural(1) and (abs(count) == 1 or plural(2) != plural(1))
    return package_type.unit_singular if singular else package_type.unit_plural


@register.filter
def units(count: int, package_type: PackageType) -> str:
    return f"{count} {unit_label(count, package_type)}"
