from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "snagdesk_server.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from snagdesk_server.celery import app
        from snagdesk_server.core.deployment import deployment_check
        from snagdesk_server.core.jobs import beat_schedule
        from snagdesk_server.core.permissions import register_module

        # First, so that no process (web, worker, beat, command) starts misconfigured.
        deployment_check(settings)
        register_module("settings", "Settings")
        autodiscover_modules("jobs")
        # Every app's declarations, before any app's ready() subscribes to them by name.
        autodiscover_modules("events")
        app.conf.beat_schedule = beat_schedule()
        # Pillow refuses the images core.images does, wherever one is opened.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
