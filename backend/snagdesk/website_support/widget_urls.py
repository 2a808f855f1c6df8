"""The public side: the widget's static files and its API (see docs/widget-api.md)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "widget"
urlpatterns: list[URLPattern] = []
