#!/usr/bin/env python3
"""docs/img/wordpress-settings.png: Settings → Snagdesk after a successful Test connection.

Run it as

    plugins/wordpress/run-tests --screenshot

which prepares what the tests need (MariaDB, the packages), runs this script with
the repository's .venv Python (Playwright; SNAGDESK_PYTHON picks another) instead of the checks,
and cleans up. It builds the same site as test_plugin.py (its start_site()/stop_site()),
saves a URL and token the fake Snagdesk accepts, logs in as the administrator in headless
Chromium (/usr/bin/chromium), clicks Test connection, waits for the OK notice and
screenshots the page's content (the .wrap: the form and the test result, 10 px around). The PNG is
re-encoded with Pillow when larger than 150 KB. An optional argument is the output path.
"""

import io
import os
import sys

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_plugin as wp  # noqa: E402  (the site's setup)

REPO = os.path.dirname(os.path.dirname(wp.ROOT))
sys.path.insert(0, REPO)
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' Chromium)

OUT = os.path.join(REPO, "docs", "img", "wordpress-settings.png")
# wp-admin's menu takes 160 px and .wrap's margins 20 px and more: the content is about
# 1180 px wide, and the shot takes PAD px of the page's background around it.
VIEWPORT = {"width": 1380, "height": 900}
PAD = 10
MAX_BYTES = 150_000


def shoot(path):
    wp.set_options(url=wp.S["snagdesk"], token=wp.OK_TOKEN, visibility="everyone")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            page.goto(wp.S["home"] + "/wp-login.php")
            page.fill("#user_login", wp.ADMIN["login"])
            page.fill("#user_pass", wp.ADMIN["password"])
            with page.expect_navigation():
                page.click("#wp-submit")
            page.goto(wp.S["home"] + wp.SETTINGS)
            page.click("#snagdesk-test-connection")
            result = page.locator("#snagdesk-test-result.notice-success")
            result.wait_for(timeout=30_000)
            if "Connection OK" not in result.inner_text():
                raise RuntimeError(f"unexpected result: {result.inner_text()}")
            page.mouse.move(0, 0)  # no hover or focus ring on the button
            page.evaluate("document.activeElement && document.activeElement.blur()")
            # A viewport as tall as the page: no scrolling, so wp-admin's fixed bar stays out.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            box = page.locator("#wpbody-content .wrap").bounding_box()
            clip = {
                "x": box["x"] - PAD,
                "y": box["y"] - PAD,
                "width": box["width"] + 2 * PAD,
                "height": box["height"] + 2 * PAD,
            }
            png = page.screenshot(clip=clip, animations="disabled")
        finally:
            browser.close()
    if len(png) > MAX_BYTES:
        image = Image.open(io.BytesIO(png)).convert("RGB")
        buffer = io.BytesIO()
        image.quantize(256, method=Image.Quantize.MEDIANCUT).save(buffer, "PNG", optimize=True)
        png = buffer.getvalue()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(png)
    width, height = Image.open(io.BytesIO(png)).size
    print(f"{path}: {width}x{height}, {len(png) // 1024} KB")


def main():
    path = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else OUT
    try:
        wp.start_site()
        shoot(path)
    finally:
        wp.stop_site()


if __name__ == "__main__":
    main()
