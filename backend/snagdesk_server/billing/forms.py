from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from snagdesk_server.accounts.models import Client, Contact
from snagdesk_server.accounts.selectors import client_list
from snagdesk_server.billing import selectors
from snagdesk_server.billing.models import Cycle, Product, ProductGroup, Service
from snagdesk_server.billing.provisioning import provider_choices
from snagdesk_server.core.settings_pages import SettingsForm
from snagdesk_server.projects.forms import DateInput


class TopUpForm(forms.Form):
    """Money the client added to their wallet, recorded by staff (the service checks it)."""

    amount = forms.CharField(label=_("Amount"), max_length=20)
    reason = forms.CharField(
        label=_("Reference"),
        max_length=300,
        required=False,
        help_text=_("The bank transfer's reference, for example."),
    )


class AddFundsForm(forms.Form):
    """What a client adds to their wallet online (the payment checks the amount)."""

    amount = forms.CharField(
        label=_("Amount"),
        max_length=20,
        help_text=_("Paid online; it shows in the wallet once the payment is confirmed."),
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    allows_upgrades = forms.BooleanField(
        label=_("Services may move to another product of the group"), required=False
    )


class ProductForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=ProductGroup.objects.all())
    name = forms.CharField(label=_("Name"), max_length=150)
    monthly_price = forms.CharField(label=_("Monthly price"), max_length=20)
    tax_rate = forms.CharField(label=_("Tax rate (%)"), max_length=6, initial="0")
    provider = forms.ChoiceField(label=_("Provisioning module"), choices=provider_choices)


class ServiceForm(forms.Form):
    """A service to deliver (its provisioning module creates it) or to import (it runs
    already); the service checks the values."""

    client = forms.ModelChoiceField(label=_("Client"), queryset=client_list())
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.filter(active=True).select_related("group")
    )
    cycle = forms.ChoiceField(label=_("Billing cycle"), choices=Cycle.choices)
    name = forms.CharField(
        label=_("Name"), max_length=150, required=False, help_text=_("The product's, if empty.")
    )
    monthly_price = forms.CharField(
        label=_("Price per month"),
        max_length=20,
        required=False,
        help_text=_("The product's, if empty."),
    )
    expires_on = forms.DateField(
        label=_("Expiry"),
        required=False,
        widget=DateInput(),
        help_text=_("One cycle from today, if empty (required to import)."),
    )
    max_renewals = forms.IntegerField(
        label=_("Maximum renewals"), initial=0, help_text=_("0: unlimited.")
    )
    wallet_auto_renew = forms.BooleanField(label=_("Renew from the wallet"), required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    existing = forms.BooleanField(
        label=_("It runs already: import it without provisioning"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("existing") and not data.get("expires_on"):
            self.add_error("expires_on", _("Give the expiry of a service you import."))
        return data


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)


class ChangeProductForm(forms.Form):
    """Another product of the service's group, when the group allows it."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Product.objects.filter(
            group_id=service.product.group_id, active=True
        ).exclude(pk=service.product_id)


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    to_wallet = forms.BooleanField(
        label=_("Credit the client's wallet (else it is paid back outside Snagdesk)"),
        required=False,
        initial=True,
    )


class BillingSettingsForm(SettingsForm):
    widgets: ClassVar[dict[str, Any]] = {
        "legal_address": forms.Textarea(attrs={"rows": 3}),
        "payment_details": forms.Textarea(attrs={"rows": 3}),
    }


class BillingProfileForm(forms.Form):
    """Who receives a client's invoices and the tax rate they are billed at."""

    billing_contact = forms.ModelChoiceField(
        label=_("Billing contact"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("The primary contacts"),
        help_text=_("Receives the invoices, credit notes and notices of suspension."),
    )
    tax_rate = forms.CharField(
        label=_("Tax rate (%)"),
        max_length=6,
        required=False,
        help_text=_(
            "Replaces the products' rates on the invoices issued from now on; "
            "if empty, each product's own rate applies."
        ),
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["billing_contact"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = client.contacts.filter(active=True).order_by("first_name", "last_name")


PERIOD_CHOICES = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
]
REVENUE_SORT_CHOICES = [
    ("revenue", _("Net revenue, highest first")),
    ("product", _("Product name")),
]


class RevenueFilterForm(forms.Form):
    """The revenue page's query string, the current year's days unless it gives others.
    A refused value shows its field's error instead of figures."""

    q = forms.CharField(label=_("Product name"), required=False, max_length=150)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.select_related("group"),
        required=False,
    )
    start = forms.DateField(label=_("From"))
    end = forms.DateField(label=_("To"))
    period = forms.ChoiceField(label=_("Group by"), choices=PERIOD_CHOICES)
    sort = forms.ChoiceField(label=_("Order products by"), choices=REVENUE_SORT_CHOICES)

    def __init__(self, query: QueryDict, *, today: date) -> None:
        data = query.copy()
        defaults = {
            "start": date(today.year, 1, 1).isoformat(),
            "end": date(today.year, 12, 31).isoformat(),
            "period": "month",
            "sort": "revenue",
        }
        for name, value in defaults.items():
            if not data.get(name):
                data[name] = value
        super().__init__(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Choose a day on or after the one in From."))
        return data

    def filters(self) -> selectors.RevenueFilters | None:
        """The filters of a valid query string; None when a value is refused."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return selectors.RevenueFilters(
            start=data["start"],
            end=data["end"],
            search=data["q"],
            product=data["product"],
            period=data["period"],
            sort=data["sort"],
        )
