"""How faithfully the widget's screenshot draws what visitors report: fixed banners, iframes,
CSS counters, inline SVG, form controls… on a page of about 1,500 elements.

    .venv/bin/python bench/widget_fidelity.py [--runs 7] [--port-base 8270] [--save DIR]

Serves Snagdesk as ``widget_screenshot.py`` does, the fixture page (``bench/fidelity/``:
every feature in its own named region, ``data-region``) on http://127.0.0.1:<base>, images
with CORS headers on <base + 1>, and images without CORS plus a cross-origin iframe on
<base + 2>. The page is scrolled so the regions fill the viewport; a fixed cookie banner,
chat bubble and sticky button, a sticky header and a sticky table sit over them.

For the normal page and for a copy sent with a strict Content-Security-Policy (no
'unsafe-inline', no data:, ENGINE.md) it compares the widget's uploaded image with
Chromium's own screenshot: SSIM of the whole viewport and of each region (luma, as
``widget_screenshot.py``); what no script may read (non-CORS images, the cross-origin
iframe) is blanked in both. It counts the CSP violations and console errors a capture
adds to the page and prints ``metadata.unrendered``. Then click to ready, ``--runs``
times after a cold run. Targets: whole page >= 0.95, each region >= 0.90, median
<= 1,000 ms. Prints figures and PASS/FAIL; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import warnings
from pathlib import Path
from typing import Any

from _setup import ROOT, django_start
from PIL import Image
from widget_screenshot import (
    TIME_CAPTURE,
    VIEWPORT,
    WORDS,
    _luma,
    _percentile,
    _photo,
    _serve,
    _snagdesk,
    ssim,
)

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

FIXTURE = Path(__file__).parent / "fidelity"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
TARGET_PAGE = 0.95
TARGET_REGION = 0.90
TARGET_MEDIAN_MS = 1000.0
SEED = 1500
FILLER = 330  # product tiles above and below the regions, for ~1,500 elements


def _policy(*, snagdesk: str, cors: str, cdn: str) -> str:
    return (
        f"default-src 'self'; script-src 'self' {snagdesk}; connect-src 'self' {snagdesk}; "
        f"img-src 'self' {snagdesk} {cors} {cdn}; style-src 'self'; font-src 'self'; "
        f"frame-src 'self' {cdn}"
    )


def _icons() -> str:
    shapes = [
        '<path d="M3 12l9-9 9 9M5 10v10h14V10"/>',
        '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 3"/>',
        '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 7l9 6 9-6"/>',
        '<path d="M12 2l3 7h7l-5.5 4.5L18 21l-6-4-6 4 1.5-7.5L2 9h7z" fill="currentColor"/>',
        '<polyline points="4 12 9 17 20 6"/>',
        '<path d="M12 3L2 21h20z"/><line x1="12" y1="10" x2="12" y2="14"/>'
        '<circle cx="12" cy="17.5" r="1" fill="currentColor"/>',
        '<ellipse cx="12" cy="12" rx="9" ry="5"/><circle cx="12" cy="12" r="2.5"/>',
        '<polygon points="12 2 22 8.5 22 15.5 12 22 2 15.5 2 8.5" fill="currentColor"'
        ' fill-opacity=".25"/>',
    ]
    return "".join(
        f'<svg{" class=warn" if i == 5 else ""} viewBox="0 0 24 24" fill="none" '
        f'stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round" aria-hidden="true">{shape}</svg>'
        for i, shape in enumerate(shapes)
    )


def _regions(*, cors: str, cdn: str, rng: random.Random) -> list[tuple[str, str]]:
    rows = "".join(
        f"<tr><td>{i + 1}</td><td>{rng.choice(WORDS)}</td><td>£{rng.randint(5, 99)}</td></tr>"
        for i in range(30)
    )
    return [
        ("same-origin iframe", '<iframe src="/frame.html" title="Order status"></iframe>'),
        (
            "cross-origin iframe",
            f'<iframe src="{cdn}/frame.html" title="Map" data-blank></iframe>',
        ),
        (
            "CSS counters",
            '<ol class="steps"><li>Pick</li><li>Pay</li><li>Ship</li><li>Track</li></ol>'
            '<ol class="implicit"><li>Size</li><li>Colour</li><li>Fit</li></ol>'
            '<ol class="plain" reversed><li>three</li><li>two</li><li>one</li></ol>'
            '<ol class="outline"><li>Tents<ol><li>Ridge</li><li>Dome</li></ol></li>'
            "<li>Packs</li></ol>",
        ),
        ("inline SVG icons", f'<div class="icons">{_icons()}</div>'),
        (
            "selects",
            "<select><option>Small</option><option selected>Medium</option></select>"
            '<select class="wide"><option>Express delivery (1-2 days)</option></select>'
            "<select disabled><option>Out of stock</option></select>",
        ),
        (
            "text baselines and form controls",
            '<div class="controls"><label>Name <input type="text" value="Ada Client"></label>'
            '<label><input type="checkbox" checked> Gift wrap <span class="big">£4</span>'
            '<span class="small">*</span></label>'
            '<label><input type="radio" name="r" checked> Standard '
            '<input type="radio" name="r"> Express</label>'
            '<button type="button">Apply</button> <a href="#t">Terms</a></div>',
        ),
        (
            "web-font text",
            '<div class="font"><p class="l">Ridge 2 Tent</p>'
            "<p>Double-wall, 2.1 kg, sets up in four minutes — fits two and their kit.</p></div>",
        ),
        (
            "oklch and color-mix colours",
            '<div class="colours"><div class="a"></div><div class="b"></div><div class="c"></div>'
            '<div class="d"></div><div class="e"></div><div class="f"></div>'
            "<p>oklch text</p></div>",
        ),
        ("CORS image", f'<img class="photo" src="{cors}/cors.png" crossorigin alt="">'),
        ("non-CORS image", f'<img class="photo" src="{cdn}/plain.png" alt="" data-blank>'),
        ("canvas", '<canvas id="chart" width="193" height="140"></canvas>'),
        (
            "scrolled sticky table",
            '<div class="scroller"><table><thead><tr><th>#</th><th>Item</th><th>Price</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></div>",
        ),
        (
            "shadow-DOM component",
            '<price-tag data-name="Feather 1 tent" data-price="£229.00"></price-tag>',
        ),
    ]


def _filler(rng: random.Random, start: int) -> str:
    return "".join(
        f"<li><h4>{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {start + i}</h4>"
        f"<p>{rng.choice(WORDS)} · £{rng.randint(9, 400)}</p><span>{rng.choice(WORDS)}</span></li>"
        for i in range(FILLER // 2)
    )


def page_html(*, snagdesk: str, token: str, cors: str, cdn: str) -> str:
    """The fixture page: filler, the regions, filler, and the fixed elements."""
    rng = random.Random(SEED)
    regions = "".join(
        f'<section class="region" data-region="{name}"><h3>{name}</h3>{body}</section>'
        for name, body in _regions(cors=cors, cdn=cdn, rng=rng)
    )
    nav = "".join(f'<a href="#n{i}">{rng.choice(WORDS).title()}</a>' for i in range(8))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Outfitters — fidelity fixture</title>
<link rel="stylesheet" href="/site.css">
<script async src="{snagdesk}/widget/v1/loader.js" data-token="{token}"></script>
<script defer src="/app.js"></script>
</head><body>
<div class="top" data-region="sticky header"><b>Outfitters</b>{nav}</div>
<ul class="filler">{_filler(rng, 0)}</ul>
<div id="regions">{regions}</div>
<ul class="filler">{_filler(rng, FILLER)}</ul>
<div class="cookie" data-region="fixed cookie banner"><p>We use cookies to keep your basket
and to count visits. You can change your choice at any time.</p>
<button type="button">Accept all</button><button type="button">Settings</button></div>
<div class="chat" data-region="fixed chat bubble">?</div>
<button class="sticky-button" type="button" data-region="fixed sticky button">Feedback</button>
</body></html>"""


# The browser -------------------------------------------------------------------------------

# Scrolls the regions under the sticky header and waits for fonts and images.
PREPARE = """async () => {
    await document.fonts.ready;
    await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
    const top = document.getElementById('regions').offsetTop - 56;
    scrollTo({ top, behavior: 'instant' });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""

REGION_BOXES = """() => Object.fromEntries([...document.querySelectorAll('[data-region]')].map(
    (el) => { const r = el.getBoundingClientRect();
              return [el.dataset.region, [r.left, r.top, r.right, r.bottom]]; }))"""

BLANK_BOXES = """() => [...document.querySelectorAll('[data-blank]')].map((el) => {
    const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""

# Every CSP violation and console error from the start, in every frame of the page.
RECORD = """window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => (top.__violations || []).push(
    `${e.effectiveDirective} ${e.blockedURI}`));"""


def _fidelity(context: Any, url: str, save: Path | None, name: str) -> dict[str, Any]:
    """SSIM of the whole viewport and per region, violations and errors, unrendered list."""
    from snagdesk_server.tickets.models import Ticket

    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    widget = page.locator("snagdesk-widget")
    widget.get_by_role("button").first.wait_for()
    page.evaluate(PREPARE)
    elements = page.evaluate("document.querySelectorAll('body *').length")
    widget.evaluate("(el) => { el.style.visibility = 'hidden'; }")
    reference = page.screenshot()
    widget.evaluate("(el) => { el.style.visibility = ''; }")
    boxes = page.evaluate(REGION_BOXES)
    blanks = [tuple(round(v) for v in box) for box in page.evaluate(BLANK_BOXES)]
    before = (len(page.evaluate("window.__violations")), len(errors))
    page.evaluate(TIME_CAPTURE)
    violations = page.evaluate("window.__violations")[before[0] :]
    capture_errors = errors[before[1] :]
    dialog = widget.get_by_role("dialog")
    dialog.get_by_label("Subject").fill("Fidelity")
    dialog.get_by_label("Message").fill("How close is the screenshot to the page?")
    with page.expect_response(lambda r: "/api/widget/v1/submissions" in r.url) as sent:
        dialog.get_by_role("button", name="Send").click()
    if sent.value.status != 201:
        raise SystemExit(f"The submission failed: {sent.value.status} {sent.value.text()}")
    page.close()

    ticket = Ticket.objects.filter(source="widget").latest("id")
    with ticket.attachments.get().file.open("rb") as fh:
        shot = fh.read()
    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / f"{name}-chromium.png").write_bytes(reference)
        (save / f"{name}-widget.png").write_bytes(shot)
    size = (VIEWPORT["width"], VIEWPORT["height"])
    a, b = _luma(reference, size, blanks), _luma(shot, size, blanks)
    regions = {}
    for region, (left, top, right, bottom) in boxes.items():
        x0, y0 = max(0, round(left)), max(0, round(top))
        x1, y1 = min(size[0], round(right)), min(size[1], round(bottom))
        regions[region] = ssim(a[y0:y1, x0:x1], b[y0:y1, x0:x1])
    return {
        "page": ssim(a, b),
        "regions": regions,
        "violations": violations,
        "errors": capture_errors,
        "unrendered": ticket.browser_info.unrendered,
        "elements": elements,
        "format": Image.open(io.BytesIO(shot)).format,
    }


def _times(context: Any, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs + 1):
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.locator("snagdesk-widget").get_by_role("button").first.wait_for()
        page.evaluate(PREPARE)
        times.append(page.evaluate(TIME_CAPTURE))
        page.close()
    return times


def _measure(urls: dict[str, str], runs: int, save: Path | None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        context.add_init_script(RECORD)
        for name, url in urls.items():
            results[name] = _fidelity(context, url, save, name)
            results[name]["times"] = _times(context, url, runs)
        browser.close()
    return results


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _report(results: dict[str, Any], runs: int) -> None:
    first = next(iter(results.values()))
    print(
        f"Chromium {VIEWPORT['width']}x{VIEWPORT['height']}, a page of {first['elements']:,} "
        f"elements, {runs} runs after a cold one, load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    names = list(results)
    print()
    print(f"{'SSIM (luma)':<34}" + "".join(f"{n:>14}" for n in names))
    print(
        f"{'whole page':<34}"
        + "".join(
            f"{results[n]['page']:>9.4f} {_verdict(results[n]['page'] >= TARGET_PAGE)}"
            for n in names
        )
    )
    for region in first["regions"]:
        print(
            f"{region:<34}"
            + "".join(
                f"{results[n]['regions'][region]:>9.4f} "
                f"{_verdict(results[n]['regions'][region] >= TARGET_REGION)}"
                for n in names
            )
        )
    print()
    for name in names:
        result = results[name]
        warm = result["times"][1:]
        median, p95 = statistics.median(warm), _percentile(warm, 0.95)
        print(
            f"{name}: click to ready cold {result['times'][0]:.0f} ms, median {median:.0f} ms "
            f"{_verdict(median <= TARGET_MEDIAN_MS)}, p95 {p95:.0f} ms; uploaded "
            f"{result['format']}; {len(result['violations'])} CSP violations and "
            f"{len(result['errors'])} console errors during the capture"
        )
        for line in result["violations"] + result["errors"]:
            print(f"    {line[:160]}")
        kinds = [f"{u['kind']} {u.get('src', '')}" for u in result["unrendered"]]
        print(f"    unrendered: {', '.join(kinds) or '(none)'}")
    print()
    print(
        f"targets: whole page >= {TARGET_PAGE}, every region >= {TARGET_REGION}, median "
        f"<= {TARGET_MEDIAN_MS:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--port-base", type=int, default=0, help="first of three ports (default: any free)"
    )
    parser.add_argument("--save", type=Path, help="write the images there, to compare by eye")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Needs Chromium at {CHROMIUM}: run scripts/ci-deps.")

    os.environ["SNAGDESK_VAR_DIR"] = str(ROOT / "var" / "bench" / "widget_fidelity")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_URL"] = "dummymail://"
    warnings.filterwarnings("ignore", message="No directory at")
    # The ORM is called between Playwright's sync calls, never inside its loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    django_start("widget_fidelity")

    rng = random.Random(SEED)
    cors_files = {"/cors.png": (_photo(rng, (386, 240), 40), "image/png")}
    base = args.port_base
    port = (lambda k: base + k) if base else (lambda k: 0)
    cdn_files = {
        "/plain.png": (_photo(rng, (386, 240), 160), "image/png"),
        "/frame.html": ((FIXTURE / "frame.html").read_bytes(), "text/html"),
        "/frame.css": ((FIXTURE / "frame.css").read_bytes(), "text/css"),
    }
    cors_headers = {"Access-Control-Allow-Origin": "*"}
    with (
        _snagdesk(port=port(3)) as snagdesk_port,
        _serve(cors_files, port=port(1), headers=cors_headers) as cors_port,
        _serve(cdn_files, port=port(2)) as cdn_port,
    ):
        snagdesk = f"http://localhost:{snagdesk_port}"
        cors, cdn = f"http://127.0.0.1:{cors_port}", f"http://127.0.0.1:{cdn_port}"
        files: dict[str, Any] = {
            f"/{f}": ((FIXTURE / f).read_bytes(), t)
            for f, t in (
                ("site.css", "text/css"),
                ("frame.css", "text/css"),
                ("frame.html", "text/html"),
                ("app.js", "text/javascript"),
            )
        }
        files["/fonts/brand.ttf"] = (FONT.read_bytes(), "font/ttf")
        with _serve(files, port=port(0)) as host_port:
            origin = f"http://127.0.0.1:{host_port}"
            from _seed import widget_desk_create  # needs Django started

            token = widget_desk_create(origin=origin)
            html = page_html(snagdesk=snagdesk, token=token, cors=cors, cdn=cdn).encode()
            csp = _policy(snagdesk=snagdesk, cors=cors, cdn=cdn)
            files["/"] = (html, "text/html; charset=utf-8")
            files["/strict/"] = (html, "text/html; charset=utf-8", {"Content-Security-Policy": csp})
            urls = {"normal": f"{origin}/", "strict CSP": f"{origin}/strict/"}
            results = _measure(urls, args.runs, args.save)
    _report(results, args.runs)


if __name__ == "__main__":
    main()
