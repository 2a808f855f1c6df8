from __future__ import annotations

from django.urls import path

from snagdesk_server.urls import urlpatterns as snagdesk_urlpatterns
from widget_bench.views import PingCreate

urlpatterns = [path("bench/ping", PingCreate.as_view()), *snagdesk_urlpatterns]
