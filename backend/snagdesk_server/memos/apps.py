from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemosConfig(AppConfig):
    name = "snagdesk_server.memos"
    label = "memos"
    verbose_name = _("Memos")

    def ready(self) -> None:
        from snagdesk_server.core.modules import (
            ApiRoute,
            Module,
            NavItem,
            Panel,
            Urls,
            module_register,
        )

        PANELS = "snagdesk_server.memos.panels"

        module_register(
            Module(
                key="memos",
                label=_("Memos"),
                # ``view``: read the team's public memos and react to them; ``create``:
                # write memos, and edit, pin and delete one's own; ``manage``: edit, pin
                # and delete anyone's public memo, rename and merge tags, the settings.
                actions=("view", "create", "manage"),
                nav=(NavItem("memos", _("Memos"), "memos:list", "support", order=50),),
                settings_page=NavItem(
                    "memos", _("Memos"), "memos:settings", action="manage", order=40
                ),
                dashboard=(
                    Panel("memos", "memos/dashboard_panel.html", f"{PANELS}.dashboard", order=210),
                ),
                client_panels=(
                    Panel("memos", "memos/log_panel.html", f"{PANELS}.client_log", order=210),
                ),
                project_panels=(
                    Panel("memos", "memos/log_panel.html", f"{PANELS}.project_log", order=210),
                ),
                ticket_panels=(
                    Panel("memos", "memos/log_panel.html", f"{PANELS}.ticket_log", order=210),
                ),
                staff_urls=(Urls("memos/", "snagdesk_server.memos.urls"),),
                api_routes=(ApiRoute("memos", "snagdesk_server.memos.api.MemoViewSet"),),
                demo="snagdesk_server.memos.demo.seed",
            )
        )
