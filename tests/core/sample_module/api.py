from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from snagdesk_server.core.api import permission_action
from snagdesk_server.core.api_views import StaffViewSet


class SampleViewSet(StaffViewSet):
    module = "sample"

    def list(self, request: Request) -> Response:
        return Response({"results": ["one sample"]})

    @permission_action("reveal")
    def retrieve(self, request: Request, id: int) -> Response:
        return Response({"id": id, "secret": "revealed"})
