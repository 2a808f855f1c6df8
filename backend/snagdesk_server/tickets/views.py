"""The staff console for tickets and departments: each view parses its input, calls one
service or selector and renders a page, or its fragment for htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from snagdesk_server.accounts.selectors import client_get
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.decorators import StaffRequest, staff_required
from snagdesk_server.core.errors import NotFound, ValidationError
from snagdesk_server.core.forms import form_status, form_submit, redirect_after_post
from snagdesk_server.core.htmx import render_page
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.core.selectors import audit_for_object
from snagdesk_server.core.settings_pages import settings_page
from snagdesk_server.projects.selectors import project_get
from snagdesk_server.tickets import panels, selectors, services
from snagdesk_server.tickets.config import TicketSettings
from snagdesk_server.tickets.files import attachment_response, thumbnail_response
from snagdesk_server.tickets.forms import (
    DepartmentForm,
    MessageForm,
    TicketBulkForm,
    TicketFilterForm,
    TicketOpenForm,
    TicketSettingsForm,
    TicketUpdateForm,
)
from snagdesk_server.tickets.models import Reply, Ticket

PAGE_SIZE = 25
SORT_COLUMNS = ("number", "subject", "updated", "created")


# Dashboard --------------------------------------------------------------------------------


@staff_required("tickets", "view")
@require_safe
def activity(request: StaffRequest) -> HttpResponse:
    """The dashboard panel's recent activity, which the panel polls for."""
    context = {"activity": panels.activity()}
    return render(request, "tickets/dashboard_panel.html#activity", context)


# Ticket list -------------------------------------------------------------------------------


SORTS_DESCENDING = {key: order[0].startswith("-") for key, order in selectors.SORTS.items()}


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """Per column: the sort a click asks for, and the column's aria-sort state."""
    links = {}
    for column in SORT_COLUMNS:
        active = current.lstrip("-") == column
        descending = SORTS_DESCENDING[current] if active else False
        links[column] = {
            "next": f"-{column}" if current == column else column,
            "aria": ("descending" if descending else "ascending") if active else "",
        }
    return links


def _or_none(getter: Callable[..., Any], pk: int | None) -> Any:
    """The client or project a filter names, for its chip; None if it does not exist."""
    if pk is None:
        return None
    try:
        return getter(pk=pk)
    except NotFound:
        return None


def _list_context(request: StaffRequest) -> dict[str, Any]:
    staff = list(selectors.assignable_staff())
    form = TicketFilterForm(request.GET, departments=list(selectors.department_list()), staff=staff)
    filters = form.filters()
    tickets = selectors.ticket_list(user=request.user, filters=filters)
    return {
        "nav": "tickets",
        "form": form,
        "filters": filters,
        "page_obj": Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page")),
        "sort_links": _sort_links(filters.sort),
        "client_filter": _or_none(client_get, filters.client),
        "project_filter": _or_none(project_get, filters.project),
        "may_edit": has_module_perm(request.user, "tickets", "edit"),
        "bulk_form": TicketBulkForm(auto_id="bulk_%s", staff=staff),
    }


@staff_required("tickets", "view")
@require_safe
def ticket_list(request: StaffRequest) -> HttpResponse:
    return render_page(request, "tickets/list.html", _list_context(request), partial="results")


@staff_required("tickets", "edit")
@require_POST
def ticket_bulk(request: StaffRequest) -> HttpResponse:
    """Apply one change to the checked tickets; the query string carries the list's filters
    so that the refreshed rows are the ones on screen."""
    form = TicketBulkForm(request.POST)
    if form.is_valid():
        tickets = selectors.ticket_list_by_numbers(
            user=request.user, numbers=form.cleaned_data["tickets"]
        )
        count = services.ticket_bulk_update(tickets=tickets, actor=request.user, **form.changes())
        messages.success(request, _bulk_summary(changed=count, unchanged=len(tickets) - count))
    else:
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
    if not request.htmx:
        query = request.GET.urlencode()
        return redirect(reverse("tickets:list") + (f"?{query}" if query else ""))
    return render(request, "tickets/list.html#results", {**_list_context(request), "oob": True})


def _bulk_summary(*, changed: int, unchanged: int) -> str:
    summary = ngettext("%(count)d ticket updated.", "%(count)d tickets updated.", changed)
    if unchanged:
        summary += " " + ngettext(
            "%(unchanged)d already had that value.",
            "%(unchanged)d already had that value.",
            unchanged,
        )
    return summary % {"count": changed, "unchanged": unchanged}


# New ticket --------------------------------------------------------------------------------

# Which fragment of the new-ticket page an htmx GET refreshes, by the id of its target.
_NEW_TICKET_PARTIALS = {"client-options": "client_options", "scoped-fields": "scoped_fields"}


@staff_required("tickets", "create")
@require_http_methods(["GET", "POST"])
def ticket_new(request: StaffRequest) -> HttpResponse:
    client_search = request.GET.get("client_q", "")
    if request.method == "GET":
        policy = settings_get(TicketSettings)
        initial = {
            "priority": policy.default_priority,
            "department": policy.default_department_id,
            **request.GET.dict(),
        }
        form = TicketOpenForm(initial=initial, client_search=client_search)
        partial = _NEW_TICKET_PARTIALS.get(request.htmx.target or "", "form")
        context = {"nav": "tickets", "form": form, "client_search": client_search}
        return render_page(request, "tickets/new.html", context, partial=partial)

    form = TicketOpenForm(request.POST, request.FILES)
    ticket = form_submit(
        form, lambda: services.ticket_open(actor=request.user, source="staff", **form.cleaned_data)
    )
    if ticket:
        messages.success(request, _("Ticket #%(ticket)s opened.") % {"ticket": ticket.number})
        return redirect_after_post(request, reverse("tickets:detail", args=[ticket.number]))
    context = {"nav": "tickets", "form": form, "client_search": ""}
    return render_page(
        request, "tickets/new.html", context, partial="form", status=form_status(form)
    )


# One ticket --------------------------------------------------------------------------------


def _detail_context(request: StaffRequest, ticket: Ticket, **forms: Any) -> dict[str, Any]:
    return {
        "nav": "tickets",
        "ticket": ticket,
        "opening_attachments": selectors.ticket_opening_attachments(ticket=ticket),
        "thread": selectors.ticket_thread_staff(ticket=ticket),
        "audit": audit_for_object(target=ticket),
        "may_edit": has_module_perm(request.user, "tickets", "edit"),
        "props_form": TicketUpdateForm(ticket=ticket, auto_id="prop_%s"),
        "reply_form": MessageForm(auto_id="reply_%s"),
        "note_form": MessageForm(auto_id="note_%s"),
        **forms,
    }


def _sidebar_context(request: StaffRequest, number: int) -> dict[str, Any]:
    """What the fragments refreshed after a change need: the ticket as it now is."""
    ticket = selectors.ticket_get(user=request.user, number=number)
    return {
        "ticket": ticket,
        "audit": audit_for_object(target=ticket),
        "may_edit": True,
        "props_form": TicketUpdateForm(ticket=ticket, auto_id="prop_%s"),
    }


@staff_required("tickets", "view")
@require_safe
def ticket_detail(request: StaffRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, number=number)
    context = {**_detail_context(request, ticket), "tab": request.GET.get("tab", "")}
    # The Conversation | Browser info links swap only the ticket's main column.
    partial = "tab" if request.htmx.target == "ticket-tab" else "ticket"
    return render_page(request, "tickets/detail.html", context, partial=partial)


@staff_required("tickets", "edit")
@require_POST
def ticket_update(request: StaffRequest, number: int) -> HttpResponse:
    """One inline change from the sidebar (status, priority, assignee, department, tags)."""
    ticket = selectors.ticket_get(user=request.user, number=number)
    form = TicketUpdateForm(request.POST, ticket=ticket)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else field.capitalize()
        raise ValidationError(_("%(field)s: %(error)s") % {"field": label, "error": errors[0]})
    services.ticket_update(ticket=ticket, actor=request.user, **form.changes())
    if not request.htmx:
        return redirect("tickets:detail", number=number)
    return render(request, "tickets/detail.html#changed", _sidebar_context(request, number))


def _message_post(
    request: StaffRequest,
    number: int,
    *,
    kind: str,
    post: Callable[..., Reply],
) -> HttpResponse:
    """Post a reply or a note; htmx appends it to the thread and resets the form."""
    ticket = selectors.ticket_get(user=request.user, number=number)
    form = MessageForm(request.POST, request.FILES, auto_id=f"{kind}_%s")
    reply = form_submit(form, lambda: post(ticket=ticket, actor=request.user, **form.cleaned_data))
    if reply is None:
        status = form_status(form)
        if not request.htmx:
            context = _detail_context(request, ticket, **{f"{kind}_form": form})
            return render(request, "tickets/detail.html", context, status=status)
        context = {"ticket": ticket, "form": form, "kind": kind}
        response = render(request, "tickets/detail.html#compose", context, status=status)
        return reswap(retarget(response, f"#compose-{kind}"), "innerHTML")
    if not request.htmx:
        url = reverse("tickets:detail", args=[number])
        return redirect(f"{url}#reply-{reply.pk}")
    context = {
        **_sidebar_context(request, number),
        "reply": reply,
        "kind": kind,
        "form": MessageForm(auto_id=f"{kind}_%s"),
    }
    return render(request, "tickets/detail.html#appended", context)


@staff_required("tickets", "edit")
@require_POST
def ticket_reply(request: StaffRequest, number: int) -> HttpResponse:
    return _message_post(request, number, kind="reply", post=services.ticket_reply)


@staff_required("tickets", "edit")
@require_POST
def ticket_note(request: StaffRequest, number: int) -> HttpResponse:
    return _message_post(request, number, kind="note", post=services.ticket_note_add)


# Attachments -------------------------------------------------------------------------------


@staff_required("tickets", "view")
@require_safe
def attachment_download(request: StaffRequest, pk: int) -> FileResponse:
    return attachment_response(selectors.attachment_get_for_staff(user=request.user, pk=pk))


@staff_required("tickets", "view")
@require_safe
def attachment_thumbnail(request: StaffRequest, pk: int) -> FileResponse:
    return thumbnail_response(selectors.attachment_get_for_staff(user=request.user, pk=pk))


# Departments -------------------------------------------------------------------------------


@staff_required("departments", "view")
@require_safe
def department_list(request: StaffRequest) -> HttpResponse:
    context = {
        "nav": "departments",
        "departments": selectors.department_list(),
        "may_edit": has_module_perm(request.user, "departments", "edit"),
    }
    return render_page(request, "tickets/departments.html", context, partial="rows")


def _department_form_page(
    request: StaffRequest, form: DepartmentForm, **context: Any
) -> HttpResponse:
    return render_page(
        request,
        "tickets/department_form.html",
        {"nav": "departments", "form": form, **context},
        partial="form",
        status=form_status(form),
    )


@staff_required("departments", "create")
@require_http_methods(["GET", "POST"])
def department_new(request: StaffRequest) -> HttpResponse:
    form = DepartmentForm(request.POST if request.method == "POST" else None)
    department = form_submit(
        form, lambda: services.department_create(actor=request.user, **form.cleaned_data)
    )
    if department:
        messages.success(
            request, _("Department “%(department)s” created.") % {"department": department}
        )
        return redirect_after_post(request, reverse("tickets:departments"))
    return _department_form_page(request, form)


@staff_required("departments", "edit")
@require_http_methods(["GET", "POST"])
def department_edit(request: StaffRequest, pk: int) -> HttpResponse:
    department = selectors.department_get(pk=pk)
    form = DepartmentForm(
        request.POST if request.method == "POST" else None,
        initial=DepartmentForm.initial_for(department),
        department=department,
    )
    saved = form_submit(
        form,
        lambda: services.department_update(
            department=department, actor=request.user, **form.cleaned_data
        ),
    )
    if saved:
        messages.success(request, _("Department “%(department)s” saved.") % {"department": saved})
        return redirect_after_post(request, reverse("tickets:departments"))
    return _department_form_page(request, form, department=department)


@staff_required("tickets", "configure")
@require_http_methods(["GET", "POST"])
def settings_edit(request: StaffRequest) -> HttpResponse:
    """The ticket policy, for those holding ``tickets.configure`` (not every agent who
    may edit tickets)."""
    return settings_page(
        request,
        TicketSettings,
        module="tickets",
        edit_action="configure",
        title=_("Ticket settings"),
        form_class=TicketSettingsForm,
    )
