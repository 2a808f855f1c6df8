from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from snagdesk_server.accounts.models import User


class EmailBackend(ModelBackend):
    """Email addresses are case-insensitive at sign-in."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = (kwargs.get("email") or username or "").strip().lower()
        return super().authenticate(request, username=email, password=password)
