"""A module that exists only in the tests: registered by the ``sample_module`` fixture
(tests/core/test_modules.py) as an app registers from its ``AppConfig.ready()``, with a
permission action beyond CRUD and a piece of every shared surface."""

from __future__ import annotations

from snagdesk_server.core.modules import CRUD, ApiRoute, Module, NavItem, Panel, Urls

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
    staff_urls=(Urls("sample/", f"{HERE}.urls"),),
    portal_nav=(NavItem("sample", "Samples", "portal:sample"),),
    portal_home=(Panel("sample", "sample/panel.html", f"{HERE}.panels.portal"),),
    portal_urls=(Urls("sample/", f"{HERE}.portal_urls"),),
    api_routes=(ApiRoute("samples", f"{HERE}.api.SampleViewSet"),),
)
