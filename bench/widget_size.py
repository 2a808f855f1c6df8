"""How many bytes a client's visitors download for the widget.

    .venv/bin/python bench/widget_size.py [--dist widget/dist/v1] [--url http://127.0.0.1:8000]

Prints the raw and gzipped size (level 9, as the build precompresses; level 6, as a
proxy compressing on the fly would) of the loader and of every lazily loaded chunk in
the built widget. Every page of a client's site loads the loader, so it has the budget:
8 KB gzipped. The chunks load only when a visitor takes a screenshot; their sizes are
printed for reference. With ``--url`` (a running Snagdesk: ``make run``, or production),
also the bytes on the wire as the app serves each file to a browser that accepts no
compression, gzip, or brotli, with the ``Content-Encoding`` it chose. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOADER = "loader.js"
TARGET_BYTES = 8 * 1024
# What a browser sends, and what it means.
ACCEPT = {"identity": "identity", "gzip": "gzip, deflate", "br": "gzip, deflate, br, zstd"}


def _gzipped(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level, mtime=0))


def _on_the_wire(url: str, accept: str) -> tuple[int, str]:
    """The body's bytes as sent (not decoded) and its Content-Encoding."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return len(response.read()), response.headers.get("Content-Encoding") or "identity"


def _print_served(base: str, names: list[str]) -> None:
    print(f"\nServed by {base} (bytes on the wire, Content-Encoding)")
    print(f"{'file':24} " + " ".join(f"{'accepts ' + name:>20}" for name in ACCEPT))
    for name in names:
        url = f"{base.rstrip('/')}/widget/v1/{name}"
        cells = []
        for accept in ACCEPT.values():
            size, encoding = _on_the_wire(url, accept)
            cells.append(f"{f'{size:,} {encoding}':>20}")
        print(f"{name:24} " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "widget" / "dist" / "v1")
    parser.add_argument("--url", help="a running Snagdesk, to measure what it serves")
    args = parser.parse_args()
    files = sorted(args.dist.glob("*.js"), key=lambda f: (f.name != LOADER, f.name))
    if not any(f.name == LOADER for f in files):
        raise SystemExit(f"No {LOADER} in {args.dist}: build the widget first.")

    print(f"Widget build in {args.dist}")
    print(f"{'file':24} {'raw':>9} {'gzip -9':>9} {'gzip -6':>9}  budget")
    loader_gzip = 0
    for file in files:
        data = file.read_bytes()
        best = _gzipped(data, 9)
        if file.name == LOADER:
            loader_gzip = best
            budget = f"{best / TARGET_BYTES:.0%} of {TARGET_BYTES // 1024} KB"
        else:
            budget = "lazy chunk"
        print(f"{file.name:24} {len(data):9,} {best:9,} {_gzipped(data, 6):9,}  {budget}")
    verdict = "PASS" if loader_gzip <= TARGET_BYTES else "FAIL"
    print(
        f"\n{verdict}  {LOADER}: {loader_gzip:,} bytes gzipped "
        f"(target <= {TARGET_BYTES:,} bytes, {TARGET_BYTES // 1024} KB)"
    )
    if args.url:
        _print_served(args.url, [f.name for f in files] + ["i18n/en.json"])


if __name__ == "__main__":
    main()
