from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from snagdesk_server.website_support.models import WidgetToken
from tests.e2e.browser import AXE, HostSite, Widget

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

# axe reaches into the widget's shadow root through `fromShadowDom`: the host element,
# then the dialog inside it.
RUN_AXE = """async () => {
    const results = await axe.run(
        {include: [{fromShadowDom: ['snagdesk-widget', 'dialog']}]},
        {resultTypes: ['violations', 'passes']});
    return {
        violations: results.violations.map((v) => ({
            id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target)})),
        checked: results.passes.reduce((count, rule) => count + rule.nodes.length, 0),
    };
}"""

# Where the keyboard focus is: the element inside the widget's shadow root, if any.
FOCUS = """() => {
    const host = document.activeElement;
    if (!host || host.tagName !== 'SNAGDESK-WIDGET') return {where: 'page'};
    const el = host.shadowRoot.activeElement;
    return {
        where: 'widget',
        trigger: Boolean(el && el.classList.contains('trigger')),
        inDialog: Boolean(el && el.closest('dialog')),
        dialogOpen: host.shadowRoot.querySelector('dialog').open,
    };
}"""


# An English page, and a Persian one whose snippet asks for Persian (right to left).
@pytest.mark.parametrize(("host_page", "lang"), [("shop.html", "en"), ("persian.html", "fa")])
def test_widget_dialog_has_no_serious_accessibility_violations(
    page: Page,
    host_site: HostSite,
    snagdesk: str,
    widget_token: WidgetToken,
    host_page: str,
    lang: str,
) -> None:
    if not AXE.exists():
        pytest.skip(f"needs axe-core at {AXE}: run `cd widget && npm ci`")
    page.goto(host_site.page(host_page, snagdesk=snagdesk, token=widget_token.key))
    widget = Widget(page, lang)
    widget.open()
    widget.wait_for_screenshot()
    page.add_script_tag(content=AXE.read_text())

    results = page.evaluate(RUN_AXE)

    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    # Moderate, but the dialog must add no second banner or other landmark to the page's.
    assert [v for v in results["violations"] if v["id"].startswith("landmark-")] == []
    # axe did look inside the shadow root: the form's labelled fields and buttons passed.
    assert results["checked"] >= 20


def test_widget_works_with_the_keyboard_alone(
    page: Page, widget: Widget, host_site: HostSite, snagdesk: str, widget_token: WidgetToken
) -> None:
    page.goto(host_site.page("shop.html", snagdesk=snagdesk, token=widget_token.key))
    widget.trigger.wait_for()

    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS).get("trigger"):
            break
    assert page.evaluate(FOCUS) == {
        "where": "widget",
        "trigger": True,
        "inDialog": False,
        "dialogOpen": False,
    }

    page.keyboard.press("Enter")
    widget.dialog.get_by_label("Subject").wait_for()
    assert page.evaluate(FOCUS) == {
        "where": "widget",
        "trigger": False,
        "inDialog": True,
        "dialogOpen": True,
    }
    assert widget.dialog.get_by_label("Subject").evaluate(
        "(el) => el.getRootNode().activeElement === el"
    )

    page.keyboard.press("Escape")
    widget.dialog.wait_for(state="hidden")
    assert page.evaluate(FOCUS) == {
        "where": "widget",
        "trigger": True,
        "inDialog": False,
        "dialogOpen": False,
    }
