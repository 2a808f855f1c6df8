from __future__ import annotations

from datetime import datetime

from django import template

from snagdesk_server.secure_messages.models import SecureMessage

register = template.Library()


@register.filter
def secret_status(message: SecureMessage, now: datetime) -> SecureMessage.Status:
    """``{{ message|secret_status:now }}``: the status (its ``label`` for people)."""
    return message.status_at(now)
