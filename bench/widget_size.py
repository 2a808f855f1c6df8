"""How many bytes a client's visitors download for the widget.

    .venv/bin/python bench/widget_size.py [--dist widget/dist/v1]

Prints the raw and gzipped size (level 9, as WhiteNoise precompresses; level 6, as a
proxy compressing on the fly would) of the loader and of every lazily loaded chunk in
the built widget. Every page of a client's site loads the loader, so it has the budget:
8 KB gzipped. The chunks load only when a visitor takes a screenshot; their sizes are
printed for reference. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOADER = "loader.js"
TARGET_BYTES = 8 * 1024


def _gzipped(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level, mtime=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "widget" / "dist" / "v1")
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


if __name__ == "__main__":
    main()
