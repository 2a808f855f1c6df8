"""``python -m snagdesk``: the command line."""

from __future__ import annotations

from snagdesk.cli import run

run()
