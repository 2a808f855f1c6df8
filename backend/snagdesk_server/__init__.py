from __future__ import annotations

from snagdesk_server.celery import app as celery_app

__all__ = ["celery_app"]
