"""Input and output shapes of the tickets and departments API (``tickets.api``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from snagdesk_server.accounts.models import Client, Contact, User
from snagdesk_server.core.api import (
    CommaListField,
    EnumField,
    NamedRefSerializer,
    OutputSerializer,
    SearchFilterSerializer,
)
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets import selectors, services
from snagdesk_server.tickets.models import Attachment, Department, Reply, Ticket

_ORDERING_LABELS = {
    "updated": "Most recently updated first",
    "-updated": "Least recently updated first",
    "created": "Newest first",
    "-created": "Oldest first",
    "number": "Highest number first",
    "-number": "Lowest number first",
    "subject": "Subject from A to Z",
    "-subject": "Subject from Z to A",
}


def _status(**kwargs: Any) -> EnumField:
    return EnumField(Ticket.Status.choices, enum_name="TicketStatus", **kwargs)


def _priority(**kwargs: Any) -> EnumField:
    return EnumField(Ticket.Priority.choices, enum_name="TicketPriority", **kwargs)


def _source(**kwargs: Any) -> EnumField:
    return EnumField(Ticket.Source.choices, enum_name="TicketSource", **kwargs)


def _related(queryset: Any, help_text: str) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, required=False, allow_null=True, help_text=help_text
    )


def _filter(queryset: Any, help_text: str) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, required=False, help_text=help_text
    )


def _attachments_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=f"Files to attach (at most {services.MAX_FILES_PER_MESSAGE}); "
        "send the request as multipart/form-data to include them.",
    )


# Output --------------------------------------------------------------------------------


class AttachmentSerializer(OutputSerializer):
    """A file attached to a ticket or a reply."""

    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text="In bytes.")
    url = serializers.HyperlinkedIdentityField(
        view_name="tickets:attachment", help_text="Download link (needs a staff session)."
    )

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "is_image", "url"]


class TicketSerializer(OutputSerializer):
    """A ticket and its opening message."""

    status = _status()
    priority = _priority()
    source = _source(help_text="Where the ticket came from.")  # type: ignore[assignment]
    client = NamedRefSerializer(allow_null=True)
    contact = NamedRefSerializer(allow_null=True, help_text="The requester, when a contact.")
    project = NamedRefSerializer(allow_null=True)
    department = NamedRefSerializer(allow_null=True)
    assignee = NamedRefSerializer(allow_null=True, help_text="The staff member handling it.")
    tags = serializers.SlugRelatedField[Any](many=True, read_only=True, slug_field="name")
    attachments = AttachmentSerializer(
        many=True, source="opening_attachments", help_text="Files sent with the first message."
    )

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "subject",
            "message",
            "status",
            "priority",
            "source",
            "client",
            "contact",
            "submitter_name",
            "submitter_email",
            "project",
            "department",
            "assignee",
            "tags",
            "reply_count",
            "attachments",
            "created_at",
            "updated_at",
            "last_reply_at",
            "closed_at",
        ]
        extra_kwargs = {
            "submitter_name": {"help_text": "The requester's name when not a contact."},
            "submitter_email": {"help_text": "The requester's email when not a contact."},
            "reply_count": {"help_text": "Public replies; internal notes are not counted."},
        }


class ReplySerializer(OutputSerializer):
    """A message in a ticket's thread: a public reply or an internal note."""

    author = NamedRefSerializer(allow_null=True, help_text="The account that wrote it.")
    contact = NamedRefSerializer(allow_null=True, help_text="Set when the requester wrote it.")
    from_staff = serializers.BooleanField()
    attachments = AttachmentSerializer(many=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "message",
            "is_internal",
            "author",
            "author_name",
            "contact",
            "from_staff",
            "attachments",
            "created_at",
        ]


# Input ---------------------------------------------------------------------------------


class TicketCreateSerializer(serializers.Serializer):
    """A new ticket; give a `contact` or the requester's `submitter_email`."""

    subject = serializers.CharField(max_length=255)
    message = serializers.CharField(max_length=services.MESSAGE_MAX_LENGTH)
    client = _related(Client.objects.all(), "Defaults to the contact's or project's client.")
    contact = _related(Contact.objects.all(), "The requester; a contact of `client`.")
    submitter_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    submitter_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Required when there is no contact."
    )
    project = _related(Project.objects.all(), "A project of the ticket's client.")
    department = _related(Department.objects.all(), "Defaults to the default department.")
    priority = _priority(required=False, help_text="Defaults to the desk's default priority.")
    assignee = _related(User.objects.all(), "An active staff member.")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, help_text="Tag names."
    )
    attachments = _attachments_field()


class TicketUpdateSerializer(serializers.Serializer):
    """Any subset of these fields; `tags` replaces the current tags."""

    subject = serializers.CharField(max_length=255)
    status = _status(help_text="`closed` sets `closed_at`; any other status clears it.")
    priority = _priority()
    assignee = _related(User.objects.all(), "An active staff member, or null.")
    department = _related(Department.objects.all(), "A department, or null.")
    project = _related(Project.objects.all(), "A project of the ticket's client, or null.")
    contact = _related(Contact.objects.all(), "A contact of the ticket's client, or null.")
    tags = serializers.ListField(child=serializers.CharField(max_length=50), help_text="Tag names.")


class TicketAssignSerializer(serializers.Serializer):
    """Who handles the ticket."""

    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        help_text="An active staff member's id; null to unassign.",
    )


class ReplyCreateSerializer(serializers.Serializer):
    """A message for a ticket's thread."""

    message = serializers.CharField(max_length=services.MESSAGE_MAX_LENGTH)
    attachments = _attachments_field()


class TicketFilterSerializer(SearchFilterSerializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Search the subject and the requester's email; a number finds that ticket.",
    )
    status = CommaListField(
        child=_status(),
        required=False,
        help_text="Any of these statuses; repeat the parameter or separate them by commas.",
    )
    priority = CommaListField(
        child=_priority(), required=False, help_text="Any of these priorities."
    )
    source = CommaListField(  # type: ignore[assignment]
        child=_source(), required=False, help_text="Any of these sources."
    )
    department = _filter(Department.objects.all(), "Only this department's tickets.")
    assignee = serializers.RegexField(
        r"^(\d+|me|none)$",
        required=False,
        help_text="A staff member's id, `me` (the caller) or `none` (unassigned).",
    )
    client = _filter(Client.objects.all(), "Only this client's tickets.")
    project = _filter(Project.objects.all(), "Only this project's tickets.")
    contact = _filter(Contact.objects.all(), "Only this contact's tickets.")
    tag = serializers.CharField(required=False, help_text="Only tickets with this tag.")
    ordering = EnumField(
        [(key, _ORDERING_LABELS[key]) for key in selectors.SORTS],
        enum_name="TicketOrdering",
        required=False,
        help_text="The order of the results; `updated` by default.",
    )


def ticket_filters(data: dict[str, Any]) -> selectors.TicketFilters:
    """The selector's filters from validated `TicketFilterSerializer` data."""
    ids = {
        name: data[name].pk if data.get(name) else None
        for name in ("department", "client", "project", "contact")
    }
    return selectors.TicketFilters(
        status=data.get("status", []),
        priority=data.get("priority", []),
        source=data.get("source", []),
        assignee=data.get("assignee", ""),
        tag=data.get("tag", ""),
        search=data["search"],
        sort=data.get("ordering", "updated"),
        **ids,
    )


# Departments ---------------------------------------------------------------------------


class DepartmentSerializer(OutputSerializer):
    """A team that tickets are routed to."""

    staff = NamedRefSerializer(many=True, help_text="The staff members who handle its tickets.")

    class Meta:
        model = Department
        fields = ["id", "name", "email", "is_active", "staff"]


class DepartmentCreateSerializer(serializers.Serializer):
    """A new department; only `name` is required."""

    name = serializers.CharField(max_length=100, help_text="Unique.")
    email = serializers.EmailField(required=False, allow_blank=True, help_text="Shown to clients.")
    is_active = serializers.BooleanField(
        required=False, help_text="Inactive departments take no new tickets."
    )
    staff = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_staff=True),
        many=True,
        required=False,
        help_text="Ids of the staff members; replaces the current list.",
    )


class DepartmentUpdateSerializer(DepartmentCreateSerializer):
    """Any subset of a department's fields."""
