from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "snagdesk_server.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from snagdesk_server.celery import app
        from snagdesk_server.core.deployment import deployment_check
        from snagdesk_server.core.jobs import beat_schedule
        from snagdesk_server.core.modules import Module, NavItem, Urls, module_register

        # First, so that no process (web, worker, beat, command) starts misconfigured.
        deployment_check(settings)
        module_register(
            Module(
                key="settings",
                label=_("Settings"),
                nav=(
                    NavItem("settings", _("Settings"), "core:settings", "administration", order=90),
                ),
                settings_page=NavItem("platform", _("Platform"), "core:settings", order=10),
                staff_urls=(Urls("", "snagdesk_server.core.urls"),),
            )
        )
        autodiscover_modules("jobs")
        # Every app's declarations, before any app's ready() subscribes to them by name.
        autodiscover_modules("events")
        app.conf.beat_schedule = beat_schedule()
        # Pillow refuses the images core.images does, wherever one is opened.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
