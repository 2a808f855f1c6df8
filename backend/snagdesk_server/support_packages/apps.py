from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPackagesConfig(AppConfig):
    name = "snagdesk_server.support_packages"
    label = "support_packages"
    verbose_name = _("Support packages")

    def ready(self) -> None:
        from snagdesk_server.core.charges import charge_paid_subscribe
        from snagdesk_server.core.events import event_subscribe
        from snagdesk_server.core.modules import ApiRoute, Module, module_register
        from snagdesk_server.support_packages import subscribers
        from snagdesk_server.support_packages.services import REFERENCE_PREFIX, grant_paid

        api = "snagdesk_server.support_packages.api"
        module_register(
            Module(
                key="support_packages",
                label=_("Support packages"),
                # ``view``: the packages, their balances and ledgers; ``manage``: types,
                # assignments, consuming, adjusting and reversing units.
                actions=("view", "manage"),
                api_routes=(
                    ApiRoute("package-types", f"{api}.PackageTypeViewSet"),
                    ApiRoute("package-assignments", f"{api}.AssignmentViewSet"),
                ),
            )
        )
        charge_paid_subscribe(REFERENCE_PREFIX, grant_paid)
        event_subscribe("ticket.opened", subscribers.ticket_opened)
