"""The client portal: a contact's own tickets and company, read through the
contact-scoped selectors so nothing of another client can be reached."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.accounts.decorators import ContactRequest, contact_required
from snagdesk_server.accounts.forms import LoginForm
from snagdesk_server.accounts.selectors import contact_colleagues
from snagdesk_server.core.console import portal_panels
from snagdesk_server.core.forms import form_status, form_submit, redirect_after_post
from snagdesk_server.core.htmx import render_page
from snagdesk_server.portal.forms import ReplyForm, TicketForm
from snagdesk_server.projects.selectors import project_list
from snagdesk_server.tickets import selectors as ticket_selectors
from snagdesk_server.tickets import services as ticket_services
from snagdesk_server.tickets.files import attachment_response
from snagdesk_server.tickets.models import Ticket

PAGE_SIZE = 20
STATUS_FILTERS = {"all": "All", "open": "Open", "closed": "Closed"}


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
    messages.info(request, "You are signed out.")
    return redirect("portal:login")


# Pages -----------------------------------------------------------------------------------


@contact_required
@require_GET
def home(request: ContactRequest) -> HttpResponse:
    context = {"nav": "home", "panels": portal_panels(request, request.contact)}
    return render(request, "portal/home.html", context)


@contact_required
@require_GET
def ticket_list(request: ContactRequest) -> HttpResponse:
    status = request.GET.get("status", "all")
    status = status if status in STATUS_FILTERS else "all"
    search = request.GET.get("q", "").strip()
    tickets = ticket_selectors.ticket_list_for_contact(
        contact=request.contact,
        status="" if status == "all" else status,
        search=search,
    )
    context = {
        "nav": "tickets",
        "page_obj": Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status,
        "statuses": STATUS_FILTERS,
        "search": search,
    }
    return render_page(request, "portal/ticket_list.html", context, partial="rows")


@contact_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: ContactRequest) -> HttpResponse:
    contact = request.contact
    posted = request.method == "POST"
    form = TicketForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        projects=project_list(client=contact.client),
    )
    ticket = form_submit(
        form,
        lambda: ticket_services.ticket_open(
            actor=request.user,
            contact=contact,
            source=Ticket.Source.PORTAL,
            subject=form.cleaned_data["subject"],
            message=form.cleaned_data["message"],
            project=form.cleaned_data["project"],
            attachments=form.cleaned_data["attachments"],
        ),
    )
    if ticket:
        messages.success(request, f"Ticket #{ticket.number} is open; we will get back to you.")
        return redirect_after_post(request, reverse("portal:ticket_detail", args=[ticket.number]))
    context = {"nav": "new", "form": form}
    return render_page(
        request, "portal/ticket_new.html", context, partial="form", status=form_status(form)
    )


def _detail_context(ticket: Ticket, form: ReplyForm) -> dict[str, Any]:
    return {
        "nav": "tickets",
        "ticket": ticket,
        "opening_attachments": ticket_selectors.ticket_opening_attachments(ticket=ticket),
        "thread": ticket_selectors.ticket_thread_public(ticket=ticket),
        "form": form,
    }


@contact_required
@require_GET
def ticket_detail(request: ContactRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_get_for_contact(
        contact=request.contact,
        number=number,
    )
    return render(request, "portal/ticket_detail.html", _detail_context(ticket, ReplyForm()))


@contact_required
@require_POST
def ticket_reply(request: ContactRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_get_for_contact(
        contact=request.contact,
        number=number,
    )
    form = ReplyForm(request.POST, request.FILES)
    reply = form_submit(
        form,
        lambda: ticket_services.ticket_reply(
            ticket=ticket,
            actor=request.user,
            message=form.cleaned_data["message"],
            attachments=form.cleaned_data["attachments"],
        ),
    )
    if reply is None:
        return render_page(
            request,
            "portal/ticket_detail.html",
            _detail_context(ticket, form),
            partial="reply_form",
            status=form_status(form),
        )
    if request.htmx:
        # A fresh form, plus the new message and status swapped in out of band.
        context = {"ticket": reply.ticket, "reply": reply, "form": ReplyForm()}
        return render(request, "portal/ticket_detail.html#replied", context)
    messages.success(request, "Your reply was sent.")
    url = reverse("portal:ticket_detail", args=[ticket.number])
    return redirect(f"{url}#reply-{reply.pk}")


@contact_required
@require_GET
def attachment_download(request: ContactRequest, pk: int) -> FileResponse:
    attachment = ticket_selectors.attachment_get_for_contact(
        contact=request.contact,
        pk=pk,
    )
    return attachment_response(attachment)


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
