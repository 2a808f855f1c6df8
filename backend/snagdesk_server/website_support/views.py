"""The staff pages of Website support: widget tokens and the global widget settings.

Each view parses its input, calls one service or selector and renders a page, or its
fragment for htmx. The public widget API lives apart (``widget_urls``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.core.decorators import StaffRequest, staff_required
from snagdesk_server.core.forms import (
    form_data,
    form_status,
    form_submit,
    redirect_after_post,
)
from snagdesk_server.core.htmx import render_page
from snagdesk_server.core.security import csp_extend
from snagdesk_server.core.selectors import audit_for_object
from snagdesk_server.core.settings_pages import settings_page
from snagdesk_server.website_support import selectors, services
from snagdesk_server.website_support.config import WidgetSettings, widget_default_texts
from snagdesk_server.website_support.forms import (
    TokenFilterForm,
    WidgetSettingsForm,
    WidgetTokenForm,
)
from snagdesk_server.website_support.models import WidgetToken

PAGE_SIZE = 25
NAV = "website_support"


def _detail_url(token: WidgetToken) -> str:
    return reverse("website_support:token_detail", args=[token.pk])


# Tokens ------------------------------------------------------------------------------------


@staff_required("website_support")
@require_GET
def token_list(request: StaffRequest) -> HttpResponse:
    form = TokenFilterForm(request.GET)
    filters = form.filters()
    tokens = selectors.staff_token_list(**filters)
    context = {
        "nav": NAV,
        "filter_form": form,
        "filtering": bool(filters["search"]) or filters["active"] is not None,
        "page_obj": Paginator(tokens, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render_page(request, "website_support/token_list.html", context, partial="rows")


def _token_form_page(
    request: StaffRequest, form: WidgetTokenForm, *, title: str, cancel_url: str
) -> HttpResponse:
    context = {"nav": NAV, "form": form, "title": title, "cancel_url": cancel_url}
    template = "website_support/token_form.html"
    return render_page(request, template, context, partial="form", status=form_status(form))


@staff_required("website_support", "create")
@require_http_methods(["GET", "POST"])
def token_new(request: StaffRequest) -> HttpResponse:
    form = WidgetTokenForm(form_data(request), initial={"project": request.GET.get("project")})
    token = form_submit(
        form, lambda: services.widget_token_create(actor=request.user, **form.token_fields())
    )
    if token:
        messages.success(
            request,
            _("The token “%(token)s” is created: paste its snippet.") % {"token": token.name},
        )
        return redirect_after_post(request, _detail_url(token))
    cancel_url = reverse("website_support:tokens")
    return _token_form_page(request, form, title=_("New widget token"), cancel_url=cancel_url)


@staff_required("website_support")
@require_GET
def token_contacts(request: StaffRequest) -> HttpResponse:
    """The default contact select of the token form, for the project just chosen."""
    form = WidgetTokenForm(initial={"project": request.GET.get("project")})
    return render(request, "website_support/token_form.html#contact_field", {"form": form})


@staff_required("website_support")
@require_GET
def token_detail(request: StaffRequest, pk: int) -> HttpResponse:
    token = selectors.staff_token_get(pk=pk)
    context = {
        "nav": NAV,
        "token": token,
        "snippet": selectors.staff_token_snippet(token=token),
        "audit": audit_for_object(target=token),
    }
    return render(request, "website_support/token_detail.html", context)


@staff_required("website_support", "edit")
@require_http_methods(["GET", "POST"])
def token_edit(request: StaffRequest, pk: int) -> HttpResponse:
    token = selectors.staff_token_get(pk=pk)
    form = WidgetTokenForm(form_data(request), initial=WidgetTokenForm.initial_from(token))
    if form_submit(
        form,
        lambda: services.widget_token_update(
            token=token, actor=request.user, **form.token_fields()
        ),
    ):
        messages.success(request, _("The token is saved."))
        return redirect_after_post(request, _detail_url(token))
    title = _("Edit %(token)s") % {"token": token.name}
    return _token_form_page(request, form, title=title, cancel_url=_detail_url(token))


@staff_required("website_support", "edit")
@require_POST
def token_disable(request: StaffRequest, pk: int) -> HttpResponse:
    token = selectors.staff_token_get(pk=pk)
    services.widget_token_disable(token=token, actor=request.user)
    messages.success(request, _("The token is disabled: the widget no longer accepts feedback."))
    return redirect_after_post(request, _detail_url(token))


@staff_required("website_support", "edit")
@require_POST
def token_enable(request: StaffRequest, pk: int) -> HttpResponse:
    token = selectors.staff_token_get(pk=pk)
    services.widget_token_enable(token=token, actor=request.user)
    messages.success(request, _("The token is enabled again."))
    return redirect_after_post(request, _detail_url(token))


def _confirm_page(request: StaffRequest, token: WidgetToken, *, action: str) -> HttpResponse:
    context = {"nav": NAV, "token": token, "action": action}
    return render(request, "website_support/token_confirm.html", context)


@staff_required("website_support", "edit")
@require_http_methods(["GET", "POST"])
def token_rotate(request: StaffRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (the old snippet stops working); POST issues the new key."""
    token = selectors.staff_token_get(pk=pk)
    if request.method == "GET":
        return _confirm_page(request, token, action="rotate")
    services.widget_token_rotate(token=token, actor=request.user)
    messages.success(request, _("The token has a new key: replace the snippet on the site."))
    return redirect_after_post(request, _detail_url(token))


@staff_required("website_support", "delete")
@require_http_methods(["GET", "POST"])
def token_delete(request: StaffRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes the token (its tickets stay)."""
    token = selectors.staff_token_get(pk=pk)
    if request.method == "GET":
        return _confirm_page(request, token, action="delete")
    name = token.name
    services.widget_token_delete(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is deleted.") % {"name": name})
    return redirect_after_post(request, reverse("website_support:tokens"))


# Widget settings ---------------------------------------------------------------------------


# The live preview shows the logo from its https:// address or the file being chosen.
@csp_extend(img_src=("https:", "blob:"))
@staff_required("website_support")
@require_http_methods(["GET", "POST"])
def settings_edit(request: StaffRequest) -> HttpResponse:
    """Everyone with ``website_support.view`` sees the page; saving needs ``.edit``."""
    context = {
        "default_texts": widget_default_texts(get_language() or "en"),
        "logo_src": selectors.widget_logo_path(),
    }
    return settings_page(
        request,
        WidgetSettings,
        module="website_support",
        title=_("Widget settings"),
        template="website_support/settings.html",
        form_class=WidgetSettingsForm,
        context=context,
    )
