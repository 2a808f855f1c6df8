"""The staff console's billing pages: the services list, a service's page with its
invoices and its client's wallet, the actions on it, and the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.billing import selectors, services
from snagdesk_server.billing.config import BillingSettings
from snagdesk_server.billing.forms import (
    BillingSettingsForm,
    ChangeProductForm,
    GroupForm,
    ProductForm,
    RefundForm,
    RenameForm,
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
def settings_edit(request: StaffRequest) -> HttpResponse:
    return settings_page(
        request,
        BillingSettings,
        module=MODULE,
        edit_action="manage",
        title=_("Billing settings"),
        form_class=BillingSettingsForm,
    )
