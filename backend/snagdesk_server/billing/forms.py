from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TopUpForm(forms.Form):
    """Money the client added to their wallet, recorded by staff (the service checks it)."""

    amount = forms.CharField(label=_("Amount"), max_length=20)
    reason = forms.CharField(
        label=_("Reference"),
        max_length=300,
        required=False,
        help_text=_("The bank transfer's reference, for example."),
    )
