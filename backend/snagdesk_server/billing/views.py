"""The staff console's billing pages: the services list, a service's page with its
invoices and its client's wallet, the actions on it, the revenue and its CSV export, and
the settings."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.accounts.models import Client
from snagdesk_server.billing import documents, payments, selectors, services
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.forms import (
    BillingProfileForm,
    BillingSettingsForm,
    ChangeProductForm,
    GroupForm,
    ProductForm,
    RefundForm,
    RenameForm,
    RevenueFilterForm,
    ServiceForm,
    TopUpForm,
)
from snagdesk_server.billing.models import Invoice, ProductGroup, Service
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.decorators import StaffRequest, staff_required
from snagdesk_server.core.errors import NotFound
from snagdesk_server.core.forms import (
    form_data,
    form_page,
    form_status,
    form_submit,
    redirect_after_post,
)
from snagdesk_server.core.htmx import render_page
from snagdesk_server.core.settings_pages import settings_page

MODULE = "billing"
PAGE_SIZE = 25


@staff_required(MODULE, "view")
@require_GET
def service_list(request: StaffRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    if state not in Service.State.values:
        state = ""
    sort = request.GET.get("sort", "expiry")
    if sort not in selectors.SORTS:
        sort = "expiry"
    found = selectors.service_list(search=search, state=state, sort=sort)
    context = {
        "nav": "billing",
        "page_obj": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "search": search,
        "state": state,
        "sort": sort,
        "states": selectors.service_states(),
        "currency": settings_get(BillingSettings).currency,
    }
    return render_page(request, "billing/service_list.html", context, partial="rows")


def _service(pk: int) -> Service:
    return get_object_or_404(Service.objects.select_related("client", "product__group"), pk=pk)


def _detail(
    request: StaffRequest, service: Service, *, partial: str = "top_up", **forms: Any
) -> HttpResponse:
    """A service's page, with any of its forms bound (``forms``) to show their errors."""
    shown = {
        "top_up": forms.get("top_up") or TopUpForm(),
        "rename": forms.get("rename") or RenameForm(initial={"name": service.name}),
        "change": forms.get("change") or ChangeProductForm(service=service),
        "refund": forms.get("refund") or RefundForm(),
    }
    context = {
        "nav": "billing",
        "service": service,
        "account": selectors.service_account(service),
        "currency": settings_get(BillingSettings).currency,
        "final": service.state in services.FINAL,
        "may_change_product": service.product.group.allows_upgrades,
        **shown,
    }
    status = max(form_status(form) for form in shown.values())
    return render_page(
        request, "billing/service_detail.html", context, partial=partial, status=status
    )


@staff_required(MODULE, "view")
@require_GET
def service_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, _service(pk))


# The buttons on a service's page: what each does, and the toast once it is done.
ACTIONS: dict[str, tuple[Callable[..., Any], Callable[[], str]]] = {
    "renew": (services.service_renew, lambda: _("The renewal invoice is ready.")),
    "suspend": (services.service_suspend, lambda: _("The service is suspended.")),
    "unsuspend": (services.service_unsuspend, lambda: _("The service is back online.")),
    "terminate": (services.service_terminate, lambda: _("The service is terminated.")),
}


@staff_required(MODULE, "manage")
@require_POST
def service_act(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise NotFound(_("No such action."))
    service = _service(pk)
    call, done = ACTIONS[action]
    result = call(actor=request.user, service=service, now=timezone.now())
    # A state change the provisioning module refused leaves its error on the service.
    if isinstance(result, Service) and result.provisioning_error:
        messages.error(request, result.provisioning_error)
    else:
        messages.success(request, done())
    return redirect_after_post(request, reverse("billing:service", args=[service.pk]))


@staff_required(MODULE, "view")
@require_GET
def invoice_detail(request: StaffRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(selectors.invoices(), pk=pk)
    context = {"nav": "billing", **selectors.invoice_document(invoice)}
    return render(request, "billing/invoice.html", context)


@staff_required(MODULE, "view")
@require_GET
def invoice_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(selectors.invoices(), pk=pk)
    return documents.pdf_download(
        documents.invoice_pdf(invoice), documents.invoice_filename(invoice)
    )


@staff_required(MODULE, "view")
@require_GET
def credit_note_detail(request: StaffRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(selectors.credit_notes(), pk=pk)
    context = {"nav": "billing", **selectors.credit_note_document(note)}
    return render(request, "billing/credit_note.html", context)


@staff_required(MODULE, "view")
@require_GET
def credit_note_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(selectors.credit_notes(), pk=pk)
    return documents.pdf_download(
        documents.credit_note_pdf(note), documents.credit_note_filename(note)
    )


@staff_required(MODULE, "manage")
@require_POST
def invoice_pay(request: StaffRequest, pk: int, method: str) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk)
    pay = {"manual": services.invoice_mark_paid, "wallet": services.invoice_pay_from_wallet}
    if method not in pay:
        raise NotFound(_("No such payment method."))
    pay[method](actor=request.user, invoice=invoice, now=timezone.now())
    messages.success(request, _("Invoice %(number)s is paid.") % {"number": invoice.number})
    back = reverse("billing:service", args=[invoice.service_id]) if invoice.service_id else None
    return redirect_after_post(request, back or reverse("billing:services"))


@staff_required(MODULE, "manage")
@require_POST
def wallet_top_up(request: StaffRequest, pk: int) -> HttpResponse:
    return _service_form(
        request,
        pk,
        "top_up",
        lambda _service: TopUpForm(request.POST),
        lambda service, data: services.wallet_top_up(
            actor=request.user, client=service.client, now=timezone.now(), **data
        ),
        lambda _service, entry: (
            _("The wallet holds %(balance)s.") % {"balance": entry.balance_after}
        ),
    )


def _service_form(
    request: StaffRequest, pk: int, name: str, bind: Any, act: Any, done: Any
) -> HttpResponse:
    """Post one of a service's forms (``bind(service)`` makes it): done, back to its page
    with ``done(service, result)`` as the toast; refused, the page with its errors."""
    service = _service(pk)
    form = bind(service)
    result = form_submit(form, lambda: act(service, form.cleaned_data))
    if form.errors or getattr(form, "service_error", None) is not None:
        return _detail(request, service, partial=name, **{name: form})
    messages.success(request, done(service, result))
    return redirect_after_post(request, reverse("billing:service", args=[service.pk]))


@staff_required(MODULE, "manage")
@require_POST
def service_rename(request: StaffRequest, pk: int) -> HttpResponse:
    return _service_form(
        request,
        pk,
        "rename",
        lambda _service: RenameForm(request.POST),
        lambda service, data: services.service_rename(
            actor=request.user, service=service, name=data["name"], now=timezone.now()
        ),
        lambda service, _result: _("The service is now called %(name)s.") % {"name": service.name},
    )


def _changed(service: Service, invoice: Invoice | None) -> str:
    if invoice is not None:
        return _(
            "Invoice %(number)s charges the difference; the product changes once it is paid."
        ) % {"number": invoice.number}
    return _("The service runs on %(product)s now.") % {"product": service.product.name}


@staff_required(MODULE, "manage")
@require_POST
def service_change_product(request: StaffRequest, pk: int) -> HttpResponse:
    return _service_form(
        request,
        pk,
        "change",
        lambda service: ChangeProductForm(request.POST, service=service),
        lambda service, data: services.service_change_product(
            actor=request.user, service=service, product=data["product"], now=timezone.now()
        ),
        _changed,
    )


@staff_required(MODULE, "manage")
@require_POST
def service_refund(request: StaffRequest, pk: int) -> HttpResponse:
    return _service_form(
        request,
        pk,
        "refund",
        lambda _service: RefundForm(request.POST),
        lambda service, data: services.service_refund(
            actor=request.user, service=service, now=timezone.now(), **data
        ),
        lambda _service, note: (
            _("Credit note %(number)s refunds %(total)s.")
            % {"number": note.number, "total": note.total}
        ),
    )


@staff_required(MODULE, "manage")
@require_http_methods(["GET", "POST"])
def service_new(request: StaffRequest) -> HttpResponse:
    # ?client= comes from a client's page.
    form = ServiceForm(form_data(request), initial={"client": request.GET.get("client")})

    def create() -> Service:
        data = dict(form.cleaned_data)
        make = services.service_import if data.pop("existing") else services.service_deliver
        return make(actor=request.user, now=timezone.now(), **data)

    service = form_submit(form, create)
    if service is None:
        return form_page(
            request,
            form,
            title=_("New service"),
            nav="billing",
            cancel_url=reverse("billing:services"),
        )
    if service.provisioning_error:
        messages.error(request, service.provisioning_error)
    else:
        messages.success(request, _("The service %(name)s is online.") % {"name": service.name})
    return redirect_after_post(request, reverse("billing:service", args=[service.pk]))


def _products_page(
    request: StaffRequest,
    *,
    group_form: GroupForm | None = None,
    product_form: ProductForm | None = None,
) -> HttpResponse:
    group_form, product_form = group_form or GroupForm(), product_form or ProductForm()
    context = {
        "nav": "billing",
        "groups": ProductGroup.objects.prefetch_related("products"),
        "currency": settings_get(BillingSettings).currency,
        "group_form": group_form,
        "product_form": product_form,
    }
    status = max(form_status(group_form), form_status(product_form))
    return render_page(request, "billing/products.html", context, partial="forms", status=status)


@staff_required(MODULE, "view")
@require_GET
def product_list(request: StaffRequest) -> HttpResponse:
    return _products_page(request)


@staff_required(MODULE, "manage")
@require_POST
def group_new(request: StaffRequest) -> HttpResponse:
    form = GroupForm(request.POST)
    group = form_submit(
        form,
        lambda: services.product_group_create(
            actor=request.user, now=timezone.now(), **form.cleaned_data
        ),
    )
    if group is None:
        return _products_page(request, group_form=form)
    messages.success(request, _("The group %(name)s is created.") % {"name": group.name})
    return redirect_after_post(request, reverse("billing:products"))


@staff_required(MODULE, "manage")
@require_POST
def product_new(request: StaffRequest) -> HttpResponse:
    form = ProductForm(request.POST)
    product = form_submit(
        form,
        lambda: services.product_create(
            actor=request.user, now=timezone.now(), **form.cleaned_data
        ),
    )
    if product is None:
        return _products_page(request, product_form=form)
    messages.success(request, _("The product %(name)s is on sale.") % {"name": product.name})
    return redirect_after_post(request, reverse("billing:products"))


@staff_required(MODULE, "manage")
@require_http_methods(["GET", "POST"])
def billing_profile_edit(request: StaffRequest, client_pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=client_pk)
    profile = selectors.billing_profile(client)
    initial = {"billing_contact": profile.billing_contact_id, "tax_rate": profile.tax_rate}
    form = BillingProfileForm(form_data(request), initial=initial, client=client)
    back = reverse("accounts:client_detail", args=[client.pk])
    saved = form_submit(
        form,
        lambda: services.billing_profile_update(
            actor=request.user, client=client, now=timezone.now(), **form.cleaned_data
        ),
    )
    if saved is None:
        return form_page(
            request,
            form,
            title=_("Billing details of %(client)s") % {"client": client.name},
            nav="clients",
            cancel_url=back,
        )
    messages.success(request, _("The billing details are saved."))
    return redirect_after_post(request, back)


@staff_required(MODULE, "manage")
@require_http_methods(["GET", "POST"])
def settings_edit(request: StaffRequest) -> HttpResponse:
    return settings_page(
        request,
        BillingSettings,
        module=MODULE,
        edit_action="manage",
        title=_("Billing settings"),
        template="billing/settings.html",
        form_class=BillingSettingsForm,
        context=_online_payment(),
    )


def _online_payment() -> dict[str, Any]:
    """Whether clients may pay online, and where the provider sends its notifications."""
    provider = payments.payment_provider_online()
    if provider is None:
        return {"online_payment": None}
    return {"online_payment": provider, "webhook_url": payments.webhook_url(provider)}


# Revenue -------------------------------------------------------------------------------


def _revenue_page(request: StaffRequest, form: RevenueFilterForm) -> HttpResponse:
    """The revenue of ``form``'s filters: the summary, a page of the transactions and the
    link to export them; or, for a refused value, its error naming the field."""
    filters = form.filters()
    context: dict[str, Any] = {
        "nav": "billing",
        "form": form,
        "filters": filters,
        "products": form.fields["product"].queryset,  # type: ignore[attr-defined]
        "currency": settings_get(BillingSettings).currency,
    }
    if filters is not None:
        query = urlencode({name: value for name, value in form.data.items() if name != "page"})
        transactions = selectors.revenue_transactions(filters)
        context |= {
            "summary": selectors.revenue_summary(filters),
            "page_obj": Paginator(transactions, PAGE_SIZE).get_page(request.GET.get("page")),
            "csv_url": f"{reverse('billing:revenue_csv')}?{query}",
        }
    return render_page(
        request, "billing/revenue.html", context, partial="results", status=form_status(form)
    )


@staff_required(MODULE, "view")
@require_GET
def revenue(request: StaffRequest) -> HttpResponse:
    return _revenue_page(request, RevenueFilterForm(request.GET, today=timezone.localdate()))


class _Echo:
    """A file that hands back what is written to it, for ``csv.writer`` to stream."""

    def write(self, value: str) -> str:
        return value


def _spreadsheet_text(text: str | None) -> str:
    """``text`` as a spreadsheet shows it: never as a formula it would run."""
    text = text or ""
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _csv_lines(transactions: Iterable[selectors.Transaction]) -> Iterator[list[str]]:
    """The header, then a line per transaction: its local day, kind, number, names and
    amounts as plain decimals. The lines are made as the response streams, after the
    view returned, so the labels and the time zone are read at once."""
    zone = timezone.get_current_timezone()
    kinds = {"invoice": _("Invoice"), "credit_note": _("Credit note")}
    header = [
        _("Date"),
        _("Type"),
        _("Number"),
        _("Client"),
        _("Service"),
        _("Product"),
        _("Product group"),
        _("Net"),
        _("Tax"),
        _("Total"),
    ]

    def line(row: selectors.Transaction) -> list[str]:
        names = (row.number, row.client, row.service, row.product, row.product_group)
        return [
            timezone.localdate(row.on, zone).isoformat(),
            kinds[row.kind],
            *map(_spreadsheet_text, names),
            *(f"{amount:.2f}" for amount in (row.net, row.tax, row.total)),
        ]

    return chain([header], map(line, transactions))


@staff_required(MODULE, "view")
@require_GET
def revenue_csv(request: StaffRequest) -> HttpResponseBase:
    """The transactions of the revenue page's filters as CSV, streamed."""
    form = RevenueFilterForm(request.GET, today=timezone.localdate())
    filters = form.filters()
    if filters is None:
        return _revenue_page(request, form)
    lines = _csv_lines(selectors.revenue_transactions(filters))
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(line) for line in lines), content_type="text/csv; charset=utf-8"
    )
    name = f"revenue-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
