"""The client portal's shell: signing in and out, the home page that shows every
module's panel (core.modules), the contact's company and their profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.accounts.decorators import ContactRequest, contact_required
from snagdesk_server.accounts.forms import LanguageForm, LoginForm
from snagdesk_server.accounts.selectors import contact_colleagues
from snagdesk_server.accounts.services import contact_update
from snagdesk_server.core.console import portal_panels
from snagdesk_server.core.forms import form_data, form_status, form_submit, redirect_after_post
from snagdesk_server.core.languages import language_saved

# Signing in and out --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.user)
        return redirect(form.landing_url(next_url))
    context = {"form": form, "next": next_url}
    return render(request, "portal/login.html", context, status=form_status(form))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("portal:login")


# Pages -----------------------------------------------------------------------------------


@contact_required
@require_GET
def home(request: ContactRequest) -> HttpResponse:
    context = {"nav": "home", "panels": portal_panels(request, request.contact)}
    return render(request, "portal/home.html", context)


@contact_required
@require_GET
def company(request: ContactRequest) -> HttpResponse:
    contact = request.contact
    context = {
        "nav": "company",
        "client": contact.client,
        "contacts": contact_colleagues(contact=contact),
    }
    return render(request, "portal/company.html", context)


@contact_required
@require_http_methods(["GET", "POST"])
def profile(request: ContactRequest) -> HttpResponse:
    """The contact's own details and the language of their portal and emails."""
    contact = request.contact
    form = LanguageForm(form_data(request), initial={"language": contact.language})
    if form_submit(
        form,
        lambda: contact_update(
            contact=contact, actor=request.user, language=form.cleaned_data["language"]
        ),
    ):
        language_saved(request, form.cleaned_data["language"])
        return redirect_after_post(request, reverse("portal:profile"))
    context = {"nav": "profile", "contact": contact, "form": form}
    return render(request, "portal/profile.html", context, status=form_status(form))
