from __future__ import annotations

from django.urls import path, re_path

from snagdesk_server.secure_messages import (
    converters,  # noqa: F401 (registers <secret:…>)
    public,
)

app_name = "secure_messages_public"

urlpatterns = [
    path("s/<secret:secret_id>", public.open_page, name="open"),
    path("s/<secret:secret_id>/reveal", public.reveal, name="reveal"),
    path("s/<secret:secret_id>/answer", public.answer_page, name="answer"),
    path("s/<secret:secret_id>/answer/send", public.answer, name="answer_send"),
    # A cut or mistyped link: the same private gone page as an unknown id.
    re_path(r"^s/", public.not_a_link, name="not_a_link"),
]
