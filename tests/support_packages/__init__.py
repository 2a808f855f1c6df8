from __future__ import annotations

from datetime import UTC, date, datetime


def at(day: date, hour: int = 6) -> datetime:
    """A moment on ``day`` (the installation's zone is UTC in the tests)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
