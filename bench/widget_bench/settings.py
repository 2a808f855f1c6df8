"""Snagdesk's settings plus the ceiling endpoint, for ``bench/widget_submit.py`` only."""

from __future__ import annotations

from snagdesk_server.settings import *  # noqa: F403
from snagdesk_server.settings import INSTALLED_APPS, LOGGING

INSTALLED_APPS = [*INSTALLED_APPS, "widget_bench"]
ROOT_URLCONF = "widget_bench.urls"
# One client sends every request from one address at 50 per second: the throttles
# would answer 429 after a second. They are measured by the tests, not here.
WIDGET_TOKEN_RATE = "10000000/minute"  # noqa: S105 - a rate, not a secret
WIDGET_IP_RATE = "10000000/minute"
# The bench desk's departments have no staff, so nothing is mailed; never print mail.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# A line per request would cost the server time and flood the terminal.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
