"""Staff API for tickets (``/api/v1/tickets/``, ``tickets`` permission) and departments
(``/api/v1/departments/``, ``departments`` permission).

A ticket is addressed by its number, the one people quote (``#1042``), not by its id.
Nothing is deleted through the API: tickets are closed, departments deactivated.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.core.api import error_response, permission_action
from snagdesk_server.core.api_views import StaffViewSet, resource_schema
from snagdesk_server.tickets import selectors, services
from snagdesk_server.tickets.api_serializers import (
    DepartmentCreateSerializer,
    DepartmentSerializer,
    DepartmentUpdateSerializer,
    ReplyCreateSerializer,
    ReplySerializer,
    TicketAssignSerializer,
    TicketCreateSerializer,
    TicketFilterSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
    ticket_filters,
)
from snagdesk_server.tickets.models import Ticket

NUMBER_PARAMETER = OpenApiParameter(
    "number", int, OpenApiParameter.PATH, description="The ticket's number, as in `#1042`."
)
TOO_LARGE = error_response("An attachment, or the whole request, is over the size limit.")


# Tickets -------------------------------------------------------------------------------


@resource_schema(
    "tickets",
    "ticket",
    output=TicketSerializer,
    create=TicketCreateSerializer,
    update=TicketUpdateSerializer,
    filters=TicketFilterSerializer,
    lookup=NUMBER_PARAMETER,
    create_summary="Open a ticket",
    create_errors={413: TOO_LARGE},
)
class TicketViewSet(StaffViewSet):
    module = "tickets"
    lookup_field = "number"
    parser_classes = [*StaffViewSet.parser_classes, MultiPartParser]

    def _ticket(self, number: int, status: int = 200) -> Response:
        # Read back after a write so every answer has the same, fully loaded shape.
        ticket = selectors.ticket_get_with_attachments(user=self.actor, number=number)
        return self.respond(TicketSerializer, ticket, status=status)

    def list(self, request: Request) -> Response:
        """Tickets matching every filter given, most recently updated first."""
        filters = self.validated(TicketFilterSerializer, request.query_params, partial=True)
        tickets = selectors.ticket_list_with_attachments(
            user=self.actor, filters=ticket_filters(filters)
        )
        return self.respond_page(TicketSerializer, tickets)

    def create(self, request: Request) -> Response:
        """Opens a ticket with source `api` and mails the department's staff."""
        data = self.validated(TicketCreateSerializer, request.data)
        ticket = services.ticket_open(actor=self.actor, source=Ticket.Source.API, **data)
        opened = selectors.ticket_opened_with_attachments(ticket=ticket)
        return self.respond(TicketSerializer, opened, status=201)

    def retrieve(self, request: Request, number: int) -> Response:
        """The ticket; its thread is under `replies/`."""
        return self._ticket(number)

    def partial_update(self, request: Request, number: int) -> Response:
        """Changes the fields given; a new assignee is mailed."""
        data = self.validated(TicketUpdateSerializer, request.data, partial=True)
        ticket = selectors.ticket_get(user=self.actor, number=number)
        services.ticket_update(ticket=ticket, actor=self.actor, **data)
        return self._ticket(number)

    @extend_schema(
        operation_id="tickets_assign",
        summary="Assign a ticket",
        parameters=[NUMBER_PARAMETER],
        request=TicketAssignSerializer,
        responses=TicketSerializer,
    )
    @action(detail=True, methods=["post"])
    @permission_action("edit")
    def assign(self, request: Request, number: int) -> Response:
        """Assigns the ticket to a staff member (who is mailed), or unassigns it."""
        data = self.validated(TicketAssignSerializer, request.data)
        ticket = selectors.ticket_get(user=self.actor, number=number)
        services.ticket_update(ticket=ticket, actor=self.actor, assignee=data["assignee"])
        return self._ticket(number)

    @extend_schema(
        operation_id="tickets_close",
        summary="Close a ticket",
        parameters=[NUMBER_PARAMETER],
        request=None,
        responses=TicketSerializer,
    )
    @action(detail=True, methods=["post"])
    @permission_action("edit")
    def close(self, request: Request, number: int) -> Response:
        """Closes the ticket; closing a closed ticket changes nothing."""
        ticket = selectors.ticket_get(user=self.actor, number=number)
        services.ticket_close(ticket=ticket, actor=self.actor)
        return self._ticket(number)

    @extend_schema(
        operation_id="tickets_replies_list",
        summary="List a ticket's replies and notes",
        parameters=[NUMBER_PARAMETER],
        responses=ReplySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def replies(self, request: Request, number: int) -> Response:
        """The whole thread, oldest first: public replies and internal notes
        (`is_internal`), each with its attachments."""
        ticket = selectors.ticket_get(user=self.actor, number=number)
        thread = selectors.ticket_thread_staff(ticket=ticket)
        return Response(ReplySerializer(thread, many=True, context=self.context).data)

    @extend_schema(
        operation_id="tickets_replies_create",
        summary="Reply to a ticket",
        parameters=[NUMBER_PARAMETER],
        request=ReplyCreateSerializer,
        responses={201: ReplySerializer, 413: TOO_LARGE},
    )
    @replies.mapping.post
    @permission_action("edit")
    def replies_create(self, request: Request, number: int) -> Response:
        """Sends a public reply: the requester is mailed and the ticket becomes
        `answered`."""
        data = self.validated(ReplyCreateSerializer, request.data)
        ticket = selectors.ticket_get(user=self.actor, number=number)
        reply = services.ticket_reply(ticket=ticket, actor=self.actor, **data)
        return self.respond(ReplySerializer, reply, status=201)

    @extend_schema(
        operation_id="tickets_notes_create",
        summary="Add an internal note to a ticket",
        parameters=[NUMBER_PARAMETER],
        request=ReplyCreateSerializer,
        responses={201: ReplySerializer, 413: TOO_LARGE},
    )
    @action(detail=True, methods=["post"])
    @permission_action("edit")
    def notes(self, request: Request, number: int) -> Response:
        """Adds a note only staff see; nobody is mailed and the status does not change.
        Notes are listed with the replies."""
        data = self.validated(ReplyCreateSerializer, request.data)
        ticket = selectors.ticket_get(user=self.actor, number=number)
        note = services.ticket_note_add(ticket=ticket, actor=self.actor, **data)
        return self.respond(ReplySerializer, note, status=201)


# Departments ---------------------------------------------------------------------------


@resource_schema(
    "departments",
    "department",
    output=DepartmentSerializer,
    create=DepartmentCreateSerializer,
    update=DepartmentUpdateSerializer,
)
class DepartmentViewSet(StaffViewSet):
    module = "departments"

    def list(self, request: Request) -> Response:
        """Departments ordered by name."""
        return self.respond_page(DepartmentSerializer, selectors.department_list_with_staff())

    def create(self, request: Request) -> Response:
        data = self.validated(DepartmentCreateSerializer, request.data)
        department = services.department_create(actor=self.actor, **data)
        return self.respond(DepartmentSerializer, department, status=201)

    def retrieve(self, request: Request, id: int) -> Response:
        return self.respond(DepartmentSerializer, selectors.department_get(pk=id))

    def partial_update(self, request: Request, id: int) -> Response:
        data = self.validated(DepartmentUpdateSerializer, request.data, partial=True)
        department = services.department_update(
            department=selectors.department_get(pk=id), actor=self.actor, **data
        )
        return self.respond(DepartmentSerializer, department)
