"""The fields of the create and request pages. The browser encrypts and posts JSON
(static/js/secure-messages.js), so these forms render the fields and their defaults
but never receive the text: the server checks what arrives in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from snagdesk_server.accounts.models import Client
from snagdesk_server.secure_messages.config import SecureMessageSettings
from snagdesk_server.secure_messages.models import SecureMessage

BURN_CHOICES = [
    ("burn", _("Burn after reading: the first reading destroys it")),
    ("keep", _("Keep until it expires: it can be read again")),
]


class _SecretFields(forms.Form):
    expiry = forms.ChoiceField(label=_("Expires after"), choices=SecureMessage.Expiry.choices)
    burn = forms.ChoiceField(
        label=_("Self-destruction"), choices=BURN_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("For your list only, e.g. “FTP password for Bloom & Co.”: never the secret."),
    )

    def __init__(self, *args: Any, policy: SecureMessageSettings, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "expiry": policy.default_expiry,
            "burn": "burn" if policy.default_burn_after_reading else "keep",
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)


class SecretForm(_SecretFields):
    text = forms.CharField(
        label=_("Secret"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Encrypted in your browser: Snagdesk never sees it."),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Optional: tell it to the recipient another way (a call, a text)."),
    )
    field_order = ["text", "expiry", "burn", "password", "note"]


class StaffSecretForm(SecretForm):
    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.filter(active=True),
        required=False,
        empty_label=_("No client"),
    )


class _RequestFields(_SecretFields):
    note = forms.CharField(
        label=_("What you ask for"),
        max_length=200,
        help_text=_("Shown to whoever answers, e.g. “The FTP password of the shop's server”."),
    )


class PortalRequestForm(_RequestFields):
    field_order = ["note", "expiry", "burn"]


class RequestForm(_RequestFields):
    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.filter(active=True),
        required=False,
        empty_label=_("No client"),
    )
    field_order = ["note", "client", "expiry", "burn"]
