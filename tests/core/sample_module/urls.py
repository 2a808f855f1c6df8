from __future__ import annotations

from django.urls import path

from tests.core.sample_module import views

app_name = "sample"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings, name="settings"),
]
