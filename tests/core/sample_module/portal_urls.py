from __future__ import annotations

from django.urls import path

from tests.core.sample_module import views

urlpatterns = [path("", views.portal_index, name="sample")]
