"""How fast and how faithfully the widget screenshots a realistic page.

    .venv/bin/python bench/widget_screenshot.py [--runs 20]

Serves Snagdesk (a fresh SQLite database under var/bench/, see ``_setup.py``) on
http://localhost:<port>, a shop page of about 1,500 elements on http://127.0.0.1:<port>
and, on a third origin, a few images sent without CORS headers (a CDN the widget may not
read). In headless Chromium (/usr/bin/chromium) it then, ``--runs`` times on a fresh
page: clicks the widget's trigger, with "include a screenshot" ticked, and times until
the widget shows its screenshot (the first run, which also downloads the screenshot
chunk, is reported apart; the browser cache is warm for the others).

Fidelity: SSIM (Wang et al. 2004: 11 x 11 Gaussian window, sigma 1.5, on luma) between
the widget's image and Chromium's own screenshot of the same viewport with the widget
hidden; the CDN images, which no script may read, are blanked in both first.

Targets: median <= 1,000 ms, p95 <= 1,500 ms, SSIM >= 0.95. Prints figures and PASS/FAIL
lines; asserts nothing. Needs numpy (a bench dependency only).
"""

from __future__ import annotations

import argparse
import io
import math
import os
import random
import statistics
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
from _setup import ROOT, django_start
from PIL import Image, ImageDraw

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1280, "height": 800}
TARGET_MEDIAN_MS = 1000.0
TARGET_P95_MS = 1500.0
TARGET_SSIM = 0.95
SEED = 77
PRODUCTS = 80


# The page ----------------------------------------------------------------------------------

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1f2328; background: #fafaf7; }
a { color: #1a5fb4; }
.topbar { background: #111827; color: #e5e7eb; font-size: 13px; padding: 6px 32px;
  display: flex; justify-content: space-between; }
header { display: flex; align-items: center; gap: 24px; padding: 14px 32px; background: #fff;
  border-bottom: 1px solid #e5e7eb; box-shadow: 0 1px 3px rgba(0,0,0,.06); }
header .logo { font-weight: 800; font-size: 22px; letter-spacing: -.02em; color: #0f766e; }
header nav { display: flex; gap: 18px; flex: 1; }
header nav a { color: #374151; text-decoration: none; font-weight: 500; }
header form { display: flex; }
header input { border: 1px solid #d1d5db; border-radius: 8px 0 0 8px; padding: 7px 10px;
  width: 220px; }
header button, .btn { background: #0f766e; color: #fff; border: 0; border-radius: 8px;
  padding: 8px 14px; font-weight: 600; }
header button { border-radius: 0 8px 8px 0; }
.hero { display: grid; grid-template-columns: 1.2fr 1fr; gap: 32px; padding: 32px;
  background: linear-gradient(120deg, #ecfdf5, #eff6ff); }
.hero h1 { font-size: 38px; line-height: 1.15; margin: 0 0 12px; }
.hero .tags span { display: inline-block; background: #fff; border: 1px solid #d1fae5;
  border-radius: 999px; padding: 2px 10px; margin: 0 6px 6px 0; font-size: 13px; }
.hero img { width: 100%; border-radius: 16px; box-shadow: 0 10px 30px rgba(15,118,110,.25); }
.layout { display: grid; grid-template-columns: 220px 1fr; gap: 24px; padding: 24px 32px; }
aside h3 { font-size: 14px; text-transform: uppercase; letter-spacing: .06em; color: #6b7280; }
aside label { display: block; font-size: 14px; margin: 4px 0; }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; list-style: none;
  padding: 0; margin: 0; }
.card { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 10px;
  position: relative; }
.card img { width: 100%; height: 120px; object-fit: cover; border-radius: 8px; display: block; }
.card h4 { margin: 8px 0 2px; font-size: 15px; }
.card p { margin: 0; color: #6b7280; font-size: 13px; }
.card .price { margin: 6px 0; font-weight: 700; }
.card .price s { color: #9ca3af; font-weight: 400; margin-left: 6px; }
.card .badges { list-style: none; padding: 0; margin: 0 0 6px; display: flex; gap: 4px; }
.card .badges li { font-size: 11px; background: #fef3c7; border-radius: 4px; padding: 0 6px; }
.card .sale { position: absolute; top: 16px; left: 16px; background: #dc2626; color: #fff;
  font-size: 11px; font-weight: 700; padding: 2px 6px; border-radius: 4px;
  transform: rotate(-4deg); }
.stars { color: #f59e0b; letter-spacing: 1px; }
table { width: 100%; border-collapse: collapse; background: #fff; margin: 24px 0; }
th, td { border: 1px solid #e5e7eb; padding: 6px 8px; font-size: 13px; text-align: left; }
th { background: #f3f4f6; }
.posts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.posts article { background: #fff; border-radius: 12px; padding: 12px; border: 1px solid #e5e7eb; }
footer { background: #111827; color: #9ca3af; padding: 32px; display: grid;
  grid-template-columns: repeat(4, 1fr); gap: 16px; }
footer a { color: #d1d5db; display: block; font-size: 14px; }
"""

WORDS = [
    "trail", "ridge", "alpine", "summit", "canyon", "meadow", "harbor", "forest", "river",
    "coast", "glacier", "valley", "ember", "cedar", "granite", "storm", "breeze", "aurora",
    "willow", "maple", "fern", "moss", "pine", "dune",
]  # fmt: skip


def _photo(rng: random.Random, size: tuple[int, int], hue: int) -> bytes:
    """A product "photo": a gradient with a few shapes, as PNG."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(180 * y / height)
        draw.line((0, y, width, y), fill=((hue + shade) % 256, (120 + shade // 2) % 256, 200))
    for _ in range(6):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(8, 40)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _page_html(*, snagdesk: str, token: str, cdn: str, rng: random.Random) -> str:
    def name() -> str:
        return f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {rng.randint(2, 9)}"

    cards = []
    for i in range(PRODUCTS):
        # Every twelfth product photo comes from a CDN that sends no CORS headers.
        src = f"{cdn}/photo{i % 4}.png" if i % 12 == 1 else f"/img/photo{i % 8}.png"
        sale = '<span class="sale">-20%</span>' if i % 7 == 0 else ""
        cards.append(
            f'<li class="card">{sale}<a href="#p{i}"><img src="{src}" alt="" '
            f'{"data-cdn " if "cdn" in src else ""}width="240" height="120"></a>'
            f"<h4>{name()}</h4><p>{rng.choice(WORDS)} · {rng.choice(WORDS)}</p>"
            f'<div class="price">£{rng.randint(20, 400)}.00<s>£{rng.randint(410, 500)}.00</s></div>'
            f'<ul class="badges"><li>{rng.choice(WORDS)}</li><li>new</li></ul>'
            f'<span class="stars">★★★★☆</span> <small>({rng.randint(3, 300)})</small><br>'
            f'<button class="btn" type="button">Add to basket</button></li>'
        )
    filters = "".join(
        f'<label><input type="checkbox"> {word.title()} '
        f"<small>({rng.randint(1, 90)})</small></label>"
        for word in WORDS
    )
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{rng.choice(WORDS)} {rng.randint(1, 99)}</td>" for _ in range(6))
        + "</tr>"
        for _ in range(24)
    )
    posts = "".join(
        f"<article><h4>{name()}</h4><p>{' '.join(rng.choices(WORDS, k=24))}</p>"
        f'<a href="#b{i}">Read more</a></article>'
        for i in range(6)
    )
    columns = "".join(
        f"<div><h4>{rng.choice(WORDS).title()}</h4>"
        + "".join(f'<a href="#f{c}{j}">{rng.choice(WORDS).title()}</a>' for j in range(10))
        + "</div>"
        for c in range(4)
    )
    nav = "".join(f'<a href="#n{i}">{rng.choice(WORDS).title()}</a>' for i in range(8))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Outfitters — Tents and packs</title>
<link rel="stylesheet" href="/site.css">
<script async src="{snagdesk}/widget/v1/loader.js" data-token="{token}"></script>
</head><body>
<div class="topbar"><span>Free delivery over £50</span><span>Help · Stores · Sign in</span></div>
<header><span class="logo">Outfitters</span><nav>{nav}</nav>
<form><input type="search" placeholder="Search 2,400 products"><button>Search</button></form>
</header>
<section class="hero"><div><h1>Everything for the long weekend outdoors</h1>
<p>{" ".join(rng.choices(WORDS, k=40))}</p>
<div class="tags">{"".join(f"<span>{w}</span>" for w in WORDS[:10])}</div>
<a class="btn" href="#shop">Shop the range</a></div>
<img src="/img/hero.png" alt="" width="520" height="260"></section>
<div class="layout"><aside><h3>Filter</h3>{filters}</aside>
<main><ul class="grid">{"".join(cards)}</ul>
<table><thead><tr>{"".join(f"<th>{w}</th>" for w in WORDS[:6])}</tr></thead>
<tbody>{rows}</tbody></table>
<section class="posts">{posts}</section></main></div>
<footer>{columns}</footer>
</body></html>"""


class _Static(BaseHTTPRequestHandler):
    # path -> (body, content type) or (body, content type, that file's own headers)
    files: dict[str, tuple[Any, ...]] = {}
    headers_all: dict[str, str] = {}

    def do_GET(self) -> None:
        found = self.files.get(self.path.split("?", 1)[0])
        if found is None:
            self.send_error(404)
            return
        body, content_type, *own = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        for name, value in {**self.headers_all, **(own[0] if own else {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # the default 5 refuses Chromium's parallel connections
    daemon_threads = True


@contextmanager
def _serve(
    files: dict[str, tuple[Any, ...]],
    host: str = "127.0.0.1",
    *,
    port: int = 0,
    headers: dict[str, str] | None = None,
) -> Iterator[int]:
    """Serve ``files`` on ``port`` (0: any free one), each response with ``headers``."""
    handler = type("Handler", (_Static,), {"files": files, "headers_all": headers or {}})
    server = _Server((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _snagdesk(*, port: int = 0) -> Iterator[int]:
    """Snagdesk's WSGI application on a threaded server, in this process."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("localhost", port), QuietHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


# SSIM --------------------------------------------------------------------------------------


def _gaussian(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    x = np.arange(size) - (size - 1) / 2
    kernel = np.exp(-(x**2) / (2 * sigma**2))
    return kernel / kernel.sum()


def _blur(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Separable "valid" convolution of a 2-D array with a 1-D kernel on both axes."""
    windows = np.lib.stride_tricks.sliding_window_view(image, len(kernel), axis=1)
    rows = windows @ kernel
    windows = np.lib.stride_tricks.sliding_window_view(rows, len(kernel), axis=0)
    return windows @ kernel


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two same-sized greyscale images with values from 0 to 255."""
    kernel = _gaussian()
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    a, b = a.astype(np.float64), b.astype(np.float64)
    mu_a, mu_b = _blur(a, kernel), _blur(b, kernel)
    var_a = _blur(a * a, kernel) - mu_a**2
    var_b = _blur(b * b, kernel) - mu_b**2
    cov = _blur(a * b, kernel) - mu_a * mu_b
    index = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / (
        (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
    )
    return float(index.mean())


def _luma(png: bytes, size: tuple[int, int], blanks: list[tuple[int, int, int, int]]) -> np.ndarray:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    draw = ImageDraw.Draw(image)
    for box in blanks:
        draw.rectangle(box, fill=(128, 128, 128))
    return np.asarray(image.convert("L"))


# The browser -------------------------------------------------------------------------------

# Clicks the trigger and resolves with the milliseconds until the widget shows its
# screenshot preview (measured in the page, so Playwright's round trips do not count).
TIME_CAPTURE = """() => new Promise((resolve, reject) => {
    const root = document.querySelector('snagdesk-widget').shadowRoot;
    const start = performance.now();
    root.querySelector('button.trigger').click();
    const check = () => {
        const preview = root.querySelector('canvas[role=img]');
        if (preview && !preview.hidden) return resolve(performance.now() - start);
        // The file input is revealed when the capture failed.
        const attach = root.querySelector('input[type=file]');
        if (attach && !attach.closest('[hidden]')) return reject(new Error('capture failed'));
        setTimeout(check, 5);
    };
    check();
})"""

CDN_BOXES = """() => [...document.querySelectorAll('img[data-cdn]')].map((img) => {
    const r = img.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
}).filter(([l, t, r, b]) => r > 0 && b > 0 && l < innerWidth && t < innerHeight)"""


def _stored_screenshot() -> bytes:
    """The screenshot of the bench's one ticket, as the widget uploaded it (the server only
    strips its metadata)."""
    from snagdesk_server.tickets.models import Attachment

    attachment = Attachment.objects.get(ticket__source="widget")
    with attachment.file.open("rb") as fh:
        return fh.read()


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _measure(url: str, runs: int, save: Path | None) -> tuple[float, list[float], float, int, str]:
    """Cold time, warm times, SSIM, elements on the page, the engine's image format."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        times = []
        for _ in range(runs + 1):
            page = context.new_page()
            page.goto(url, wait_until="load")
            page.locator("snagdesk-widget").get_by_role("button").first.wait_for()
            times.append(page.evaluate(TIME_CAPTURE))
            page.close()

        # Fidelity: Chromium's own screenshot with the widget hidden, then the widget's.
        page = context.new_page()
        page.goto(url, wait_until="load")
        widget = page.locator("snagdesk-widget")
        widget.get_by_role("button").first.wait_for()
        elements = page.evaluate("document.querySelectorAll('body *').length")
        widget.evaluate("(el) => { el.style.visibility = 'hidden'; }")
        reference = page.screenshot()
        widget.evaluate("(el) => { el.style.visibility = ''; }")
        blanks = [tuple(round(v) for v in box) for box in page.evaluate(CDN_BOXES)]
        page.evaluate(TIME_CAPTURE)
        dialog = widget.get_by_role("dialog")
        dialog.get_by_label("Subject").fill("Fidelity")
        dialog.get_by_label("Message").fill("How close is the screenshot to the page?")
        with page.expect_response(lambda r: "/api/widget/v1/submissions" in r.url) as sent:
            dialog.get_by_role("button", name="Send").click()
        if sent.value.status != 201:
            raise SystemExit(f"The submission failed: {sent.value.status} {sent.value.text()}")
        browser.close()

    shot = _stored_screenshot()
    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / "chromium.png").write_bytes(reference)
        (save / "widget.png").write_bytes(shot)

    size = (VIEWPORT["width"], VIEWPORT["height"])
    fmt = Image.open(io.BytesIO(shot)).format or "?"
    score = ssim(_luma(reference, size, blanks), _luma(shot, size, blanks))
    return times[0], times[1:], score, elements, fmt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--save", type=Path, help="write chromium.png and widget.png there, to compare by eye"
    )
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Needs Chromium at {CHROMIUM}: run scripts/ci-deps.")

    # Its own media and an eager Celery: nothing for a running devstack's worker to pick up.
    os.environ["SNAGDESK_VAR_DIR"] = str(ROOT / "var" / "bench" / "widget_screenshot")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_URL"] = "dummymail://"
    warnings.filterwarnings("ignore", message="No directory at")
    django_start("widget_screenshot")

    rng = random.Random(SEED)
    photos = {
        f"/img/photo{i}.png": (_photo(rng, (240, 120), i * 30), "image/png") for i in range(8)
    }
    photos["/img/hero.png"] = (_photo(rng, (520, 260), 200), "image/png")
    cdn_files = {
        f"/photo{i}.png": (_photo(rng, (240, 120), 90 + i * 40), "image/png") for i in range(4)
    }
    with _snagdesk() as snagdesk_port, _serve(cdn_files) as cdn_port:
        snagdesk = f"http://localhost:{snagdesk_port}"
        cdn = f"http://127.0.0.1:{cdn_port}"
        files = {**photos, "/site.css": (CSS.encode(), "text/css")}
        with _serve(files) as host_port:
            origin = f"http://127.0.0.1:{host_port}"
            from _seed import widget_desk_create  # needs Django started

            token = widget_desk_create(origin=origin)
            html = _page_html(snagdesk=snagdesk, token=token, cdn=cdn, rng=rng)
            files["/"] = (html.encode(), "text/html; charset=utf-8")
            cold, warm, score, elements, fmt = _measure(f"{origin}/", args.runs, args.save)

    median, p95 = statistics.median(warm), _percentile(warm, 0.95)
    print(
        f"Chromium {VIEWPORT['width']}x{VIEWPORT['height']}, a page of {elements:,} elements, "
        f"{args.runs} runs after a cold one, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    print(
        f"open to screenshot ready: cold {cold:.0f} ms (downloads the chunk), then "
        f"median {median:.0f} ms, p95 {p95:.0f} ms, min {min(warm):.0f}, max {max(warm):.0f}"
    )
    print(f"fidelity: SSIM {score:.4f} of the uploaded {fmt} vs Chromium's own screenshot")
    print()
    for verdict, text in (
        (
            median <= TARGET_MEDIAN_MS,
            f"median {median:.0f} ms (target <= {TARGET_MEDIAN_MS:.0f} ms)",
        ),
        (p95 <= TARGET_P95_MS, f"p95 {p95:.0f} ms (target <= {TARGET_P95_MS:.0f} ms)"),
        (score >= TARGET_SSIM, f"SSIM {score:.4f} (target >= {TARGET_SSIM})"),
    ):
        print(f"{'PASS' if verdict else 'FAIL'}  {text}")


if __name__ == "__main__":
    main()
