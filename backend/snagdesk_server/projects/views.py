from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from snagdesk_server.core.console import staff_panels
from snagdesk_server.core.decorators import staff_required
from snagdesk_server.core.forms import form_data, form_page, form_submit, redirect_after_post
from snagdesk_server.core.htmx import render_page
from snagdesk_server.core.selectors import audit_for_object
from snagdesk_server.projects import selectors, services
from snagdesk_server.projects.forms import ProjectForm
from snagdesk_server.projects.models import Project

PAGE_SIZE = 25


@staff_required("projects")
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in Project.Status.values:
        status = ""
    projects = selectors.project_list(search=search, status=status)
    context = {
        "nav": "projects",
        "page_obj": Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page")),
        "search": search,
        "status": status,
        "statuses": Project.Status.choices,
    }
    return render_page(request, "projects/list.html", context, partial="rows")


@staff_required("projects", "create")
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    # ?client= comes from the "New project" link on a client's page.
    form = ProjectForm(form_data(request), initial={"client": request.GET.get("client")})
    project = form_submit(
        form, lambda: services.project_create(actor=request.user, **form.cleaned_data)
    )
    if project:
        messages.success(
            request, _("The project %(project)s is created.") % {"project": project.name}
        )
        return redirect_after_post(request, reverse("projects:detail", args=[project.pk]))
    return form_page(
        request, form, title=_("New project"), nav="projects", cancel_url=reverse("projects:list")
    )


@staff_required("projects")
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(pk=pk)
    context = {
        "nav": "projects",
        "project": project,
        "members": project.members.order_by("full_name", "pk"),
        "panels": staff_panels(request, "project_panels", project),
        "audit": audit_for_object(target=project),
    }
    return render(request, "projects/detail.html", context)


@staff_required("projects", "edit")
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(pk=pk)
    initial = model_to_dict(project, fields=list(ProjectForm.base_fields))
    form = ProjectForm(form_data(request), initial=initial)
    detail_url = reverse("projects:detail", args=[project.pk])
    if form_submit(
        form,
        lambda: services.project_update(project=project, actor=request.user, **form.cleaned_data),
    ):
        messages.success(request, _("The project is saved."))
        return redirect_after_post(request, detail_url)
    return form_page(
        request,
        form,
        title=_("Edit %(project)s") % {"project": project.name},
        nav="projects",
        cancel_url=detail_url,
    )
