from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from snagdesk_server.accounts.errors import LoginInvalid, LoginLocked
from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.selectors import role_list, user_language
from snagdesk_server.accounts.services import login_authenticate, user_password_reset
from snagdesk_server.core.mail import Recipient, mail_after_commit
from snagdesk_server.core.modules import CRUD, module_list
from snagdesk_server.core.permissions import all_codes
from snagdesk_server.core.throttling import client_ip

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LoginForm(forms.Form):
    """Email and password, checked by ``login_authenticate`` (which also refuses them for
    a while after repeated failures: docs/deployment.md) as the form is cleaned."""

    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if not email or not password:
            return data
        try:
            self.user = login_authenticate(
                email=email,
                password=password,
                ip_address=client_ip(self.request),
                now=timezone.now(),
            )
        except LoginLocked as locked:
            raise forms.ValidationError(locked.message, code="locked") from None
        except LoginInvalid as invalid:
            raise forms.ValidationError(invalid.message, code=invalid.code) from None
        return data

    def landing_url(self, next_url: str) -> str:
        """Where to go once signed in: ``next`` when it is on this site and on the user's
        side of it (the portal for contacts, the console for staff), else their home."""
        assert self.user is not None
        portal = reverse("portal:home")
        safe = url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        )
        if next_url and safe and urlsplit(next_url).path.startswith(portal) != self.user.is_staff:
            return next_url
        return reverse("core:dashboard") if self.user.is_staff else portal


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset request, with the link sent the way every Snagdesk email is."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        recipient = Recipient(to_email, user_language(context["user"]))
        mail_after_commit(to=[recipient], template="accounts/password_reset", context=context)


class PasswordResetSetForm(SetPasswordForm):
    """The new password from a reset link, saved by the service that also lifts a lockout."""

    def save(self, commit: bool = True) -> User:
        return user_password_reset(user=self.user, password=self.cleaned_data["new_password1"])


def language_field(*, empty: StrOrPromise) -> forms.ChoiceField:
    """A choice among ``settings.LANGUAGES``, each named in itself; ``empty`` says what
    choosing none means."""
    return forms.ChoiceField(
        label=_("Language"),
        choices=[("", empty), *settings.LANGUAGES],
        required=False,
    )


class LanguageForm(forms.Form):
    """The language of a staff member's console and emails, or a contact's portal and
    emails (their profile page)."""

    language = language_field(empty=_("Automatic (my browser's language)"))


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=_("Token name"),
        help_text=_("What the token is for, e.g. “Deploy script”."),
    )


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    vat_number = forms.CharField(label=_("VAT number"), max_length=50, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    language = language_field(empty=_("Automatic (the browser's language)"))
    is_primary = forms.BooleanField(
        label=_("Primary contact"),
        required=False,
        help_text=_("The client's main contact; they see all of the company's tickets."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    portal_password = forms.CharField(
        label=_("Portal password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Set one to let this contact sign in to the portal, or to give them a new "
            "password. Leave empty to keep things as they are."
        ),
    )


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=role_list(),
        required=False,
        empty_label=_("No role (no module access)"),
    )
    is_superuser = forms.BooleanField(
        label=_("Administrator"),
        required=False,
        help_text=_("Holds every permission, whatever the role."),
    )

    def __init__(self, *args: Any, may_grant_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only an administrator may grant the flag (the service enforces it as well).
        if not may_grant_admin:
            del self.fields["is_superuser"]


class StaffNewForm(StaffForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("They can choose their own later with “Forgot your password?”."),
    )
    field_order = ["full_name", "email", "password"]


class StaffEditForm(StaffForm):
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("Inactive staff cannot sign in.")
    )


def _permission_choices() -> list[tuple[str, str]]:
    # A callable, read when the form is used: modules register as the apps load.
    return [(code, code) for code in all_codes()]


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"),
        choices=_permission_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def matrix(self) -> list[PermissionRow]:
        """One row per module for the checkbox grid: a cell per CRUD column (``None``
        where the module lacks that action), then the module's own actions."""
        selected = set(self["permissions"].value() or [])
        rows = []
        for module in module_list():
            cells = {
                a: Permission(f"{module.key}.{a}", a, f"{module.key}.{a}" in selected)
                for a in module.actions
            }
            rows.append(
                PermissionRow(
                    label=str(module.label),
                    crud=[cells.get(a) for a in CRUD],
                    others=[cell for a, cell in cells.items() if a not in CRUD],
                )
            )
        return rows


@dataclass(frozen=True)
class Permission:
    code: str
    action: str
    checked: bool


@dataclass(frozen=True)
class PermissionRow:
    label: str
    crud: list[Permission | None]
    others: list[Permission]
