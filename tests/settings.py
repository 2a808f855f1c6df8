"""The test suite's settings: production's, with a key and host names of its own.

Production's settings refuse to start without ``DEBUG`` on a published key or an empty
``ALLOWED_HOSTS`` (snagdesk_server/core/deployment.py); the tests run without ``DEBUG``, as
production does, so they bring both. The key is new for every run, so it is published
nowhere.
"""

from __future__ import annotations

import secrets

from snagdesk_server.settings import *  # noqa: F403

SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# A misspelt permission code fails the test that checks it.
PERMISSIONS_STRICT = True
# Templates of the modules that exist only in the tests (tests/core/sample_module).
TEMPLATES[0]["DIRS"].append(ROOT_DIR / "tests" / "templates")  # type: ignore[attr-defined]  # noqa: F405
