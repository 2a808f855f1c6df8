from __future__ import annotations

from django.urls import URLPattern

app_name = "website_support"
urlpatterns: list[URLPattern] = []
