from __future__ import annotations

from django.utils import timezone
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from widget_bench.models import Ping


class PingCreate(APIView):
    """The least a DRF endpoint can do with the widget's request: parse the same multipart
    body (screenshot included) and insert one row. No token, origin check or throttle."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def post(self, request: Request) -> Response:
        ping = Ping.objects.create(
            subject=str(request.data.get("subject", ""))[:255], created_at=timezone.now()
        )
        return Response({"id": ping.pk}, status=201)
