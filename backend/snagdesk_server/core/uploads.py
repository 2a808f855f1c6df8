"""Uploads refused while they stream, and stored files served without running anything.

``upload_limit(request, limit)`` must be called before the request's body is read (so
before ``request.POST``, which the CSRF check reads: such a view is ``csrf_exempt`` and
calls a ``csrf_protect`` one, as Django's documentation on upload handlers shows). A
file that passes ``limit`` bytes stops being stored at that point and its handler names
it, so the view answers 413 without ever holding the whole file.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _

from snagdesk_server.core.errors import NotFound, TooLarge


class UploadLimitHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops the upload past ``limit``; the
    handlers after it (memory, then temporary file) store what it lets through."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded: str | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = self.file_name or "file"
            # The rest of the body is read and dropped, so the client gets the answer.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def refusal(self, *, field: str) -> TooLarge | None:
        """The 413 to answer when a file passed the limit, naming it and the limit."""
        if self.exceeded is None:
            return None
        limit = self.limit / 1_048_576
        message = _("“%(name)s” is larger than the limit of %(limit)g MB.") % {
            "name": self.exceeded,
            "limit": limit,
        }
        return TooLarge(message, field_errors={field: [message]})


def upload_limit(request: HttpRequest, limit: int) -> UploadLimitHandler:
    handler = UploadLimitHandler(request, limit)
    request.upload_handlers.insert(0, handler)
    return handler


def file_response(
    stored: FieldFile, *, filename: str, content_type: str, inline: bool
) -> FileResponse:
    """A stored upload: inline only when the caller verified it (an image Pillow knew);
    never sniffed, and sandboxed, so an uploaded HTML or SVG can never run in our origin."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise NotFound(_("This file is no longer available.")) from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
