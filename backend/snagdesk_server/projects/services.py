from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Client, User
from snagdesk_server.core.errors import ValidationError
from snagdesk_server.core.services import apply_changes, audit_record, validate_model
from snagdesk_server.projects import audit
from snagdesk_server.projects.models import Project


def _check_dates(project: Project) -> None:
    # Before full_clean: its check of the same database constraint names no field.
    if project.start_date and project.deadline and project.deadline < project.start_date:
        raise ValidationError(
            field_errors={"deadline": [_("The deadline cannot be before the start date.")]}
        )


@transaction.atomic
def project_create(
    *, actor: Any, client: Client, name: str, members: Iterable[User] = (), **fields: Any
) -> Project:
    project = Project(client=client, name=name, **fields)
    _check_dates(project)
    validate_model(project)
    project.save()
    project.members.set(list(members))
    audit_record(
        actor=actor, action=audit.PROJECT_CREATE, target=project, changes={"name": [None, name]}
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor: Any, members: Iterable[User] | None = None, **fields: Any
) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    changed = apply_changes(project, fields)
    _check_dates(project)
    validate_model(project)
    project.save()
    if members is not None:
        before = sorted(project.members.values_list("pk", flat=True))
        project.members.set(list(members))
        after = sorted(project.members.values_list("pk", flat=True))
        if before != after:
            changed["members"] = [before, after]
    if changed:
        audit_record(actor=actor, action=audit.PROJECT_UPDATE, target=project, changes=changed)
    return project
