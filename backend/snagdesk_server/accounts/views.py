"""Signing in and out, password reset, the staff profile with its API tokens, and the
administration of clients, contacts, staff and roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.accounts import selectors, services
from snagdesk_server.accounts.forms import (
    ClientForm,
    ContactForm,
    LanguageForm,
    LoginForm,
    PasswordResetRequestForm,
    PasswordResetSetForm,
    RoleForm,
    StaffEditForm,
    StaffNewForm,
    TokenForm,
)
from snagdesk_server.core.console import staff_panels
from snagdesk_server.core.decorators import staff_required
from snagdesk_server.core.forms import (
    form_data,
    form_page,
    form_status,
    form_submit,
    redirect_after_post,
)
from snagdesk_server.core.htmx import render_page
from snagdesk_server.core.languages import language_saved
from snagdesk_server.core.modules import CRUD
from snagdesk_server.core.selectors import audit_for_object

PAGE_SIZE = 25
ACTIVE_FILTERS = {"1": True, "0": False}


# Signing in and out ----------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = LoginForm(request, data=form_data(request))
    if form.is_bound and form.is_valid():
        assert form.user is not None
        auth_login(request, form.user)
        return redirect(form.landing_url(next_url))
    context = {"form": form, "next": next_url}
    return render(request, "accounts/login.html", context, status=form_status(form))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


class _PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # The link is built on SITE_URL rather than the request's Host header.
        self.extra_email_context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            "company_name": self.request.platform.company_name,  # type: ignore[attr-defined]
        }
        return super().form_valid(form)


password_reset = _PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=PasswordResetSetForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# Profile and API tokens ------------------------------------------------------------


def _tokens_context(request: HttpRequest, form: TokenForm, **extra: Any) -> dict[str, Any]:
    return {
        "nav": "profile",
        "language_form": LanguageForm(initial={"language": request.user.language}),  # type: ignore[union-attr]
        "token_form": form,
        "tokens": selectors.api_token_list(user=request.user),  # type: ignore[arg-type]
        **extra,
    }


@staff_required()
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _tokens_context(request, TokenForm()))


@staff_required()
@require_POST
def profile_language(request: HttpRequest) -> HttpResponse:
    """Save the staff member's language; the page that answers already speaks it."""
    form = LanguageForm(request.POST)
    if form_submit(
        form,
        lambda: services.staff_update(
            user=request.user,  # type: ignore[arg-type]
            actor=request.user,
            language=form.cleaned_data["language"],
        ),
    ):
        language_saved(request, form.cleaned_data["language"])
        return redirect_after_post(request, reverse("accounts:profile"))
    context = {**_tokens_context(request, TokenForm()), "language_form": form}
    return render(request, "accounts/profile.html", context, status=form_status(form))


@staff_required()
@never_cache
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Issue a token and show its key in this response only: just a hash is kept."""
    form = TokenForm(request.POST)
    issued = form_submit(
        form,
        lambda: services.api_token_create(user=request.user, name=form.cleaned_data["name"]),  # type: ignore[arg-type]
    )
    if issued:
        form = TokenForm()
    context = _tokens_context(request, form, issued=issued)
    status = 201 if issued else form_status(form)
    return render_page(request, "accounts/profile.html", context, partial="tokens", status=status)


@staff_required()
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    services.api_token_revoke(token=token, actor=request.user)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("The token “%(token)s” is revoked.") % {"token": token.name})
        return redirect("accounts:profile")
    context = _tokens_context(request, TokenForm())
    return render_page(request, "accounts/profile.html", context, partial="tokens")


# Clients and contacts --------------------------------------------------------------


@staff_required("clients")
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    active = request.GET.get("active", "")
    clients = selectors.client_list(search=search, active=ACTIVE_FILTERS.get(active))
    context = {
        "nav": "clients",
        "page_obj": Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page")),
        "search": search,
        "active": active,
    }
    return render_page(request, "accounts/client_list.html", context, partial="rows")


@staff_required("clients", "create")
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    form = ClientForm(form_data(request))
    client = form_submit(
        form, lambda: services.client_create(actor=request.user, **form.cleaned_data)
    )
    if client:
        messages.success(request, _("%(client)s is added.") % {"client": client.name})
        return redirect_after_post(request, reverse("accounts:client_detail", args=[client.pk]))
    return form_page(
        request, form, title=_("New client"), nav="clients", cancel_url=reverse("accounts:clients")
    )


@staff_required("clients")
@require_GET
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(pk=pk)
    context = {
        "nav": "clients",
        "client": client,
        "contacts": selectors.contact_list(client=client),
        # Other modules' panels, each shown to staff who may see that module.
        "panels": staff_panels(request, "client_panels", client),
        "audit": audit_for_object(target=client),
    }
    return render(request, "accounts/client_detail.html", context)


@staff_required("clients", "edit")
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(pk=pk)
    initial = model_to_dict(client, fields=list(ClientForm.base_fields))
    form = ClientForm(form_data(request), initial=initial)
    detail_url = reverse("accounts:client_detail", args=[client.pk])
    if form_submit(
        form,
        lambda: services.client_update(client=client, actor=request.user, **form.cleaned_data),
    ):
        messages.success(request, _("The client is saved."))
        return redirect_after_post(request, detail_url)
    return form_page(
        request,
        form,
        title=_("Edit %(client)s") % {"client": client.name},
        nav="clients",
        cancel_url=detail_url,
    )


@staff_required("clients", "create")
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(pk=pk)
    form = ContactForm(form_data(request))
    detail_url = reverse("accounts:client_detail", args=[client.pk])
    if form_submit(
        form,
        lambda: services.contact_create(actor=request.user, client=client, **form.cleaned_data),
    ):
        messages.success(request, _("The contact is added."))
        return redirect_after_post(request, detail_url)
    return form_page(
        request,
        form,
        title=_("New contact at %(client)s") % {"client": client.name},
        nav="clients",
        cancel_url=detail_url,
    )


@staff_required("clients", "edit")
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(pk=pk)
    initial = model_to_dict(contact, fields=list(ContactForm.base_fields))
    form = ContactForm(form_data(request), initial=initial)
    detail_url = reverse("accounts:client_detail", args=[contact.client_id])
    if form_submit(
        form,
        lambda: services.contact_update(contact=contact, actor=request.user, **form.cleaned_data),
    ):
        messages.success(request, _("The contact is saved."))
        return redirect_after_post(request, detail_url)
    title = _("Edit %(contact)s (%(client)s)") % {
        "contact": contact.full_name,
        "client": contact.client.name,
    }
    return form_page(request, form, title=title, nav="clients", cancel_url=detail_url)


# Staff and roles -------------------------------------------------------------------


@staff_required("staff")
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    context = {
        "nav": "staff",
        "page_obj": Paginator(selectors.staff_list(), PAGE_SIZE).get_page(request.GET.get("page")),
        "roles": selectors.role_list(),
    }
    return render_page(request, "accounts/staff_list.html", context, partial="rows")


@staff_required("staff", "create")
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
def staff_new(request: HttpRequest) -> HttpResponse:
    form = StaffNewForm(form_data(request), may_grant_admin=request.user.is_superuser)
    member = form_submit(
        form, lambda: services.staff_create(actor=request.user, **form.cleaned_data)
    )
    if member:
        messages.success(request, _("%(member)s can now sign in.") % {"member": member})
        return redirect_after_post(request, reverse("accounts:staff"))
    return form_page(
        request,
        form,
        title=_("New staff member"),
        nav="staff",
        cancel_url=reverse("accounts:staff"),
    )


@staff_required("staff", "edit")
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.staff_get(pk=pk)
    initial = model_to_dict(member, fields=list(StaffEditForm.base_fields))
    form = StaffEditForm(
        form_data(request), initial=initial, may_grant_admin=request.user.is_superuser
    )
    if form_submit(
        form, lambda: services.staff_update(user=member, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("%(member)s is saved.") % {"member": member})
        return redirect_after_post(request, reverse("accounts:staff"))
    return form_page(
        request,
        form,
        title=_("Edit %(member)s") % {"member": member},
        nav="staff",
        cancel_url=reverse("accounts:staff"),
    )


def _role_page(request: HttpRequest, form: RoleForm, *, title: str) -> HttpResponse:
    context = {"form": form, "title": title, "nav": "staff", "actions": CRUD}
    return render_page(
        request, "accounts/role_form.html", context, partial="form", status=form_status(form)
    )


@staff_required("staff", "create")
@require_http_methods(["GET", "POST"])
def role_new(request: HttpRequest) -> HttpResponse:
    form = RoleForm(form_data(request))
    role = form_submit(form, lambda: services.role_create(actor=request.user, **form.cleaned_data))
    if role:
        messages.success(request, _("The role %(role)s is created.") % {"role": role.name})
        return redirect_after_post(request, reverse("accounts:staff"))
    return _role_page(request, form, title=_("New role"))


@staff_required("staff", "edit")
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = selectors.role_get(pk=pk)
    initial = {"name": role.name, "permissions": role.permissions}
    form = RoleForm(form_data(request), initial=initial)
    saved = form_submit(
        form, lambda: services.role_update(role=role, actor=request.user, **form.cleaned_data)
    )
    if saved:
        messages.success(request, _("The role %(role)s is saved.") % {"role": saved.name})
        return redirect_after_post(request, reverse("accounts:staff"))
    return _role_page(request, form, title=_("Edit role %(role)s") % {"role": role.name})
