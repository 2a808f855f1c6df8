from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "snagdesk_server.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from snagdesk_server.billing.services import charge_invoice
        from snagdesk_server.core.charges import biller_register
        from snagdesk_server.core.modules import (
            ApiRoute,
            Module,
            NavItem,
            Panel,
            Urls,
            module_register,
        )

        panels = "snagdesk_server.billing.panels"
        biller_register(charge_invoice)

        module_register(
            Module(
                key="billing",
                label=_("Billing"),
                # ``view``: the services and their invoices; ``manage``: renew, suspend,
                # terminate, record payments and top-ups, and the settings.
                actions=("view", "manage"),
                nav=(NavItem("billing", _("Services"), "billing:services", "customers", order=30),),
                settings_page=NavItem(
                    "billing",
                    _("Billing"),
                    "billing:settings",
                    action="manage",
                    order=40,
                ),
                dashboard=(
                    Panel(
                        "billing", "billing/dashboard_panel.html", f"{panels}.dashboard", order=150
                    ),
                ),
                client_panels=(
                    Panel(
                        "billing",
                        "billing/client_panel.html",
                        f"{panels}.client_services",
                        order=30,
                    ),
                ),
                staff_urls=(
                    Urls("billing/", "snagdesk_server.billing.urls"),
                    Urls("", "snagdesk_server.billing.public_urls"),
                ),
                portal_nav=(NavItem("billing", _("Services"), "portal:services", order=30),),
                portal_urls=(Urls("", "snagdesk_server.billing.portal_urls"),),
                api_routes=(
                    ApiRoute("services", "snagdesk_server.billing.api.ServiceViewSet"),
                    ApiRoute("invoices", "snagdesk_server.billing.api.InvoiceViewSet"),
                    ApiRoute("wallets", "snagdesk_server.billing.api.WalletViewSet"),
                    ApiRoute(
                        "billing-profiles", "snagdesk_server.billing.api.BillingProfileViewSet"
                    ),
                ),
                demo="snagdesk_server.billing.demo.seed",
            )
        )
