from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from snagdesk.accounts.models import User
from snagdesk.accounts.services import login_failure_record, login_failures_clear, login_is_locked


class LoginForm(forms.Form):
    """Email and password, with a lockout after repeated failures for that email."""

    email = forms.EmailField(
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        email = (data.get("email") or "").lower()
        password = data.get("password")
        if not email or not password:
            return data
        now = timezone.now()
        if login_is_locked(email=email, now=now):
            raise forms.ValidationError(
                f"Too many failed sign-ins for this email. Wait {settings.LOGIN_FAILURE_WINDOW_MINUTES} "
                "minutes or reset your password.",
                code="locked",
            )
        user = authenticate(self.request, email=email, password=password)
        if user is None:
            login_failure_record(
                email=email, ip_address=self.request.META.get("REMOTE_ADDR"), now=now
            )
            raise forms.ValidationError("Wrong email or password.", code="invalid_login")
        login_failures_clear(email=email)
        self.user = user  # type: ignore[assignment]
        return data
