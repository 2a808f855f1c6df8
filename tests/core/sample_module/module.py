"""A module that exists only in the tests: registered by the ``sample_module`` fixture
(tests/core/test_modules.py) as an app registers from its ``AppConfig.ready()``, with a
permission action beyond CRUD and a piece of every shared surface: a reply tool in the
ticket reply form, and link cards for links elsewhere and on this site."""

from __future__ import annotations

from snagdesk_server.core.modules import (
    CRUD,
    ApiRoute,
    LinkCard,
    Module,
    NavItem,
    Panel,
    Urls,
)

HERE = "tests.core.sample_module"

SAMPLE = Module(
    key="sample",
    label="Samples",
    actions=(*CRUD, "reveal"),
    nav=(NavItem("sample", "Samples", "sample:index", "customers", order=50),),
    settings_page=NavItem("sample", "Sample settings", "sample:settings", action="edit"),
    dashboard=(Panel("sample", "sample/panel.html", f"{HERE}.panels.dashboard"),),
    client_panels=(Panel("sample", "sample/panel.html", f"{HERE}.panels.client"),),
    project_panels=(Panel("sample", "sample/panel.html", f"{HERE}.panels.project"),),
    reply_tools=(
        Panel("sample", "sample/panel.html", f"{HERE}.panels.reply_tool", action="reveal"),
    ),
    link_cards=(
        LinkCard(
            "sample",
            r"https://samples\.example/(?P<number>[0-9]+)",
            "sample/link_card.html",
            f"{HERE}.panels.link_card",
        ),
        LinkCard("sample-here", r"{site_url}/sample/(?P<number>[0-9]+)", "sample/link_card.html"),
    ),
    staff_urls=(Urls("sample/", f"{HERE}.urls"),),
    portal_nav=(NavItem("sample", "Samples", "portal:sample"),),
    portal_home=(Panel("sample", "sample/panel.html", f"{HERE}.panels.portal"),),
    portal_urls=(Urls("sample/", f"{HERE}.portal_urls"),),
    api_routes=(ApiRoute("samples", f"{HERE}.api.SampleViewSet"),),
)
