"""The staff console's memos: the page (composer, live search and filters, the tag
sidebar, the list), a memo's own page, inline editing, pin, delete, reactions, the
attachments, tag renaming and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snagdesk_server.core.config import settings_get
from snagdesk_server.core.decorators import StaffRequest, staff_required
from snagdesk_server.core.errors import PermissionDenied
from snagdesk_server.core.forms import form_status, form_submit, redirect_after_post
from snagdesk_server.core.htmx import is_fragment, render_page
from snagdesk_server.core.permissions import has_module_perm
from snagdesk_server.core.settings_pages import settings_page
from snagdesk_server.core.uploads import file_response, upload_limit
from snagdesk_server.memos import selectors, services
from snagdesk_server.memos.config import MemoSettings
from snagdesk_server.memos.forms import MemoFilterForm, MemoForm, TagRenameForm
from snagdesk_server.memos.models import Memo
from snagdesk_server.memos.search import RANKED, highlighted, search_ranks
from snagdesk_server.memos.selectors import MemoFilters, ReactionSummary

MODULE = "memos"
PAGE_SIZE = 20
CHANGED = "memos-changed"
# The id of the results, which htmx names in HX-Trigger when they refresh on CHANGED.
RESULTS_REFRESH = "memo-results"


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class Card:
    memo: Memo
    html: SafeString
    reactions: list[ReactionSummary]
    may_write: bool
    links: list[Link]


def _links(user: Any, memo: Memo) -> list[Link]:
    """What the memo is about, each for a reader who may open its page only: every
    colleague reads a public memo, not every one may know its client."""
    links = []
    if memo.client and has_module_perm(user, "clients", "view"):
        url = reverse("accounts:client_detail", args=[memo.client_id])
        links.append(Link(url, memo.client.name))
    if memo.project and has_module_perm(user, "projects", "view"):
        links.append(Link(reverse("projects:detail", args=[memo.project_id]), memo.project.name))
    if memo.ticket and has_module_perm(user, "tickets", "view"):
        number = memo.ticket.number
        links.append(Link(reverse("tickets:detail", args=[number]), f"#{number}"))
    return links


def _card(request: StaffRequest, memo: Memo, *, query: str = "", policy: MemoSettings) -> Card:
    html = highlighted(memo.body_html, query) if query else memo.body_html
    return Card(
        memo=memo,
        html=mark_safe(html),  # sanitized when saved (markdown.sanitized)
        reactions=selectors.memo_reactions(
            memo, user=request.user, choices=policy.reaction_choices
        ),
        may_write=services.memo_may_write(request.user, memo),
        links=_links(request.user, memo),
    )


def _filters(request: StaffRequest, form: MemoFilterForm) -> MemoFilters | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return MemoFilters(
        query=data["q"],
        tag=data["tag"],
        author=data["author"],
        client=data.get("client"),
        visibility=data["visibility"],
        pinned=True if data["pinned"] else None,
    )


def _composer(request: StaffRequest, policy: MemoSettings, **initial: Any) -> MemoForm:
    return MemoForm(initial={"visibility": policy.default_visibility, **initial}, user=request.user)


def _list_context(request: StaffRequest, **extra: Any) -> dict[str, Any]:
    policy = settings_get(MemoSettings)
    authors = selectors.memo_authors(user=request.user)
    filter_form = MemoFilterForm(request.GET, user=request.user, authors=authors)
    filters = _filters(request, filter_form)
    page = None
    cards: list[Card] = []
    limited = False
    if filters is not None:
        found = selectors.memo_list(user=request.user, filters=filters)
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        cards = [_card(request, memo, query=filters.query, policy=policy) for memo in page]
        limited = search_ranks(filters.query) and page.paginator.count >= RANKED
    initial = {
        key: request.GET[key] for key in ("client", "project", "ticket") if request.GET.get(key)
    }
    return {
        "nav": "memos",
        "policy": policy,
        "filter_form": filter_form,
        "filtering": filters is None or filters.active,
        "page_obj": page,
        "cards": cards,
        # The search stopped at the newest matches it ranks: say so, and how to go further.
        "search_limit": RANKED if limited else None,
        # A search or a page turn leaves the counts as they were: the sidebar comes along
        # with the results only when the list refreshes after a change (RESULTS_REFRESH).
        "tags": (
            selectors.tag_counts(user=request.user)
            if not is_fragment(request) or request.htmx.trigger == RESULTS_REFRESH
            else None
        ),
        "current_tag": request.GET.get("tag", ""),
        "may_create": has_module_perm(request.user, MODULE, "create"),
        "may_manage": has_module_perm(request.user, MODULE, "manage"),
        "composer": extra.pop("composer", None) or _composer(request, policy, **initial),
        **extra,
    }


@staff_required(MODULE, "view")
@require_GET
def memo_list(request: StaffRequest) -> HttpResponse:
    context = _list_context(request)
    status = 200 if context["page_obj"] is not None else 400
    return render_page(request, "memos/list.html", context, partial="results", status=status)


# A file past the attachment limit is refused while it streams (core.uploads), which
# must happen before the CSRF check reads the body: that check runs inside.
@csrf_exempt
@staff_required(MODULE, "create")
@require_POST
def memo_create(request: StaffRequest) -> HttpResponse:
    limit = upload_limit(request, settings_get(MemoSettings).max_attachment_bytes)
    return _memo_create(request, limit)


@csrf_protect
def _memo_create(request: StaffRequest, limit: Any) -> HttpResponse:
    policy = settings_get(MemoSettings)
    form = MemoForm(request.POST, request.FILES, user=request.user)
    refusal = limit.refusal(field="attachments")

    def create() -> Memo:
        if refusal is not None:
            raise refusal
        return services.memo_create(actor=request.user, **form.cleaned_data)

    memo = form_submit(form, create)
    if memo is None:
        context = {"composer": form, "policy": policy}
        return render(request, "memos/list.html#composer", context, status=form_status(form))
    if not request.htmx:
        messages.success(request, _("Memo saved."))
        return redirect("memos:list")
    initial = {name: form.cleaned_data.get(name) for name in ("client", "project", "ticket")}
    context = {"composer": _composer(request, policy, **initial), "policy": policy, "saved": True}
    response = render(request, "memos/list.html#composer", context)
    response["HX-Trigger"] = CHANGED
    return response


@staff_required(MODULE, "view")
@require_GET
def memo_detail(request: StaffRequest, pk: int) -> HttpResponse:
    memo = selectors.memo_get(user=request.user, pk=pk)
    policy = settings_get(MemoSettings)
    context = {"nav": "memos", "card": _card(request, memo, policy=policy), "policy": policy}
    return render_page(request, "memos/detail.html", context, partial="card")


@csrf_exempt
@staff_required(MODULE, "create")
@require_http_methods(["GET", "POST"])
def memo_edit(request: StaffRequest, pk: int) -> HttpResponse:
    limit = upload_limit(request, settings_get(MemoSettings).max_attachment_bytes)
    return _memo_edit(request, pk, limit)


@csrf_protect
def _memo_edit(request: StaffRequest, pk: int, limit: Any) -> HttpResponse:
    memo = selectors.memo_get(user=request.user, pk=pk)
    policy = settings_get(MemoSettings)
    if request.method == "GET":
        if not services.memo_may_write(request.user, memo):
            # No form that could never be saved (the POST is refused by the service).
            raise PermissionDenied(_("Only its author, or staff who manage memos, may change it."))
        form = MemoForm(
            initial={
                "body": memo.body,
                "visibility": memo.visibility,
                "client": memo.client_id,
                "project": memo.project_id,
                "ticket": memo.ticket.number if memo.ticket else None,
                "pinned": memo.pinned,
            },
            user=request.user,
        )
        context = {"nav": "memos", "memo": memo, "form": form, "policy": policy}
        return render_page(request, "memos/edit.html", context, partial="edit_form")
    form = MemoForm(request.POST, request.FILES, user=request.user)
    refusal = limit.refusal(field="attachments")

    def update() -> Memo:
        if refusal is not None:
            raise refusal
        data = form.cleaned_data
        removed = [int(pk) for pk in request.POST.getlist("remove") if pk.isdigit()]
        return services.memo_update(
            memo=memo, actor=request.user, remove_attachments=removed, **data
        )

    updated = form_submit(form, update)
    if updated is None:
        context = {"nav": "memos", "memo": memo, "form": form, "policy": policy}
        return render_page(
            request, "memos/edit.html", context, partial="edit_form", status=form_status(form)
        )
    if not request.htmx:
        messages.success(request, _("Memo saved."))
        return redirect("memos:detail", pk=memo.pk)
    fresh = selectors.memo_get(user=request.user, pk=memo.pk)
    response = render(
        request,
        "memos/list.html#card",
        {"card": _card(request, fresh, policy=policy), "policy": policy},
    )
    response["HX-Trigger"] = CHANGED
    return response


@staff_required(MODULE, "create")
@require_POST
def memo_pin(request: StaffRequest, pk: int) -> HttpResponse:
    memo = selectors.memo_get(user=request.user, pk=pk)
    services.memo_update(memo=memo, actor=request.user, pinned=not memo.pinned)
    if not request.htmx:
        return redirect("memos:detail", pk=memo.pk)
    response = HttpResponse(status=204)
    response["HX-Trigger"] = CHANGED
    return response


@staff_required(MODULE, "create")
@require_POST
def memo_delete(request: StaffRequest, pk: int) -> HttpResponse:
    memo = selectors.memo_get(user=request.user, pk=pk)
    services.memo_delete(memo=memo, actor=request.user)
    own_page = reverse("memos:detail", args=[pk])
    if request.htmx and urlsplit(request.htmx.current_url_abs_path or "").path != own_page:
        # From a list: the card goes, a toast says so and the list reloads.
        response = render(request, "memos/list.html#deleted", {})
        response["HX-Trigger"] = CHANGED
        return response
    messages.success(request, _("Memo deleted."))
    return redirect_after_post(request, reverse("memos:list"))


@staff_required(MODULE, "view")
@require_POST
def memo_react(request: StaffRequest, pk: int) -> HttpResponse:
    """Toggle ``actor``'s reaction with ``emoji``; answers the memo's reaction bar."""
    memo = selectors.memo_get(user=request.user, pk=pk)
    emoji = request.POST.get("emoji", "")
    if memo.reactions.filter(user=request.user, emoji=emoji).exists():
        services.memo_unreact(memo=memo, actor=request.user, emoji=emoji)
    else:
        services.memo_react(memo=memo, actor=request.user, emoji=emoji)
    policy = settings_get(MemoSettings)
    card = _card(request, selectors.memo_get(user=request.user, pk=pk), policy=policy)
    return render(request, "memos/list.html#reactions", {"card": card})


@staff_required(MODULE, "view")
@require_GET
def attachment_download(request: StaffRequest, pk: int) -> FileResponse:
    attachment = selectors.memo_attachment_get(user=request.user, pk=pk)
    return file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type if attachment.is_image else "application/octet-stream",
        inline=attachment.is_image,
    )


@staff_required(MODULE, "view")
@require_http_methods(["GET", "POST"])
def tag_list(request: StaffRequest) -> HttpResponse:
    may_manage = has_module_perm(request.user, MODULE, "manage")
    form = TagRenameForm(request.POST or None)
    if request.method == "POST":
        count = form_submit(
            form,
            lambda: services.memo_tag_rename(
                actor=request.user, old=form.cleaned_data["old"], new=form.cleaned_data["new"]
            ),
        )
        if count is not None:
            messages.success(
                request,
                ngettext(
                    "#%(old)s is now #%(new)s in %(count)d memo.",
                    "#%(old)s is now #%(new)s in %(count)d memos.",
                    count,
                )
                % {
                    "old": form.cleaned_data["old"].lstrip("#"),
                    "new": form.cleaned_data["new"].lstrip("#"),
                    "count": count,
                },
            )
            return redirect_after_post(request, reverse("memos:tags"))
    context = {
        "nav": "memos",
        # A search or a page turn leaves the counts as they were: the sidebar comes along
        # with the results only when the list refreshes after a change (RESULTS_REFRESH).
        "tags": (
            selectors.tag_counts(user=request.user)
            if not is_fragment(request) or request.htmx.trigger == RESULTS_REFRESH
            else None
        ),
        "form": form,
        "may_manage": may_manage,
    }
    return render_page(
        request, "memos/tags.html", context, partial="rename", status=form_status(form)
    )


@staff_required(MODULE, "manage")
@require_http_methods(["GET", "POST"])
def settings_edit(request: StaffRequest) -> HttpResponse:
    return settings_page(
        request, MemoSettings, module=MODULE, edit_action="manage", title=_("Memo settings")
    )
