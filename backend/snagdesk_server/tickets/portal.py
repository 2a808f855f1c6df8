"""The portal's tickets section (registered in core.modules): a contact's own tickets,
read through the contact-scoped selectors so nothing of another client can be reached."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.accounts.decorators import ContactRequest, contact_required
from snagdesk_server.core.forms import form_status, form_submit, redirect_after_post
from snagdesk_server.core.htmx import render_page
from snagdesk_server.projects.selectors import project_list
from snagdesk_server.tickets import selectors, services
from snagdesk_server.tickets.files import attachment_response
from snagdesk_server.tickets.forms import PortalReplyForm, PortalTicketForm
from snagdesk_server.tickets.models import Ticket

PAGE_SIZE = 20
STATUS_FILTERS = {
    "all": gettext_lazy("All"),
    "open": gettext_lazy("Open"),
    "closed": gettext_lazy("Closed"),
}


@contact_required
@require_GET
def ticket_list(request: ContactRequest) -> HttpResponse:
    status = request.GET.get("status", "all")
    status = status if status in STATUS_FILTERS else "all"
    search = request.GET.get("q", "").strip()
    tickets = selectors.ticket_list_for_contact(
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
    return render_page(request, "tickets/portal_list.html", context, partial="rows")


@contact_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: ContactRequest) -> HttpResponse:
    contact = request.contact
    posted = request.method == "POST"
    form = PortalTicketForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        projects=project_list(client=contact.client),
    )
    ticket = form_submit(
        form,
        lambda: services.ticket_open(
            actor=request.user,
            contact=contact,
            source=Ticket.Source.PORTAL,
            subject=form.cleaned_data["subject"],
            message=form.cleaned_data["message"],
            project=form.cleaned_data["project"],
            attachments=form.cleaned_data["attachments"],
            language=get_language(),
        ),
    )
    if ticket:
        messages.success(
            request,
            _("Ticket #%(ticket)s is open; we will get back to you.") % {"ticket": ticket.number},
        )
        return redirect_after_post(request, reverse("portal:ticket_detail", args=[ticket.number]))
    context = {"nav": "new", "form": form}
    return render_page(
        request, "tickets/portal_new.html", context, partial="form", status=form_status(form)
    )


def _detail_context(ticket: Ticket, form: PortalReplyForm) -> dict[str, Any]:
    return {
        "nav": "tickets",
        "ticket": ticket,
        "opening_attachments": selectors.ticket_opening_attachments(ticket=ticket),
        "thread": selectors.ticket_thread_public(ticket=ticket),
        "form": form,
    }


@contact_required
@require_GET
def ticket_detail(request: ContactRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_contact(
        contact=request.contact,
        number=number,
    )
    return render(request, "tickets/portal_detail.html", _detail_context(ticket, PortalReplyForm()))


@contact_required
@require_POST
def ticket_reply(request: ContactRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_contact(
        contact=request.contact,
        number=number,
    )
    form = PortalReplyForm(request.POST, request.FILES)
    reply = form_submit(
        form,
        lambda: services.ticket_reply(
            ticket=ticket,
            actor=request.user,
            message=form.cleaned_data["message"],
            attachments=form.cleaned_data["attachments"],
        ),
    )
    if reply is None:
        return render_page(
            request,
            "tickets/portal_detail.html",
            _detail_context(ticket, form),
            partial="reply_form",
            status=form_status(form),
        )
    if request.htmx:
        # A fresh form, plus the new message and status swapped in out of band.
        context = {"ticket": reply.ticket, "reply": reply, "form": PortalReplyForm()}
        return render(request, "tickets/portal_detail.html#replied", context)
    messages.success(request, _("Your reply was sent."))
    url = reverse("portal:ticket_detail", args=[ticket.number])
    return redirect(f"{url}#reply-{reply.pk}")


@contact_required
@require_GET
def attachment_download(request: ContactRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get_for_contact(
        contact=request.contact,
        pk=pk,
    )
    return attachment_response(attachment)
