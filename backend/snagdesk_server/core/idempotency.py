"""``Idempotency-Key`` for the staff API's writes (docs/api.md, *Idempotency*).

A write sent with the header is applied once per user and key: its answer is stored in
the same transaction as the write, and a retry of the same request gets that answer
again, marked ``Idempotent-Replayed: true``, without running anything. The key is
claimed (a row under ``UniqueConstraint(user, key)``) before the write runs, so a
concurrent twin waits for the first transaction and then replays its answer; if the
first one fails, nothing was kept and the twin runs. Only 2xx answers are kept, so a
corrected retry of a refused request can still succeed.

(The widget API has its own, per widget token: ``website_support.submissions``.)"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from snagdesk_server.core.errors import Conflict, ValidationError
from snagdesk_server.core.models import ApiIdempotencyKey

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from rest_framework.request import Request

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# The methods that write: a GET needs no key, and one sent with it is ignored.
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_MAX_LENGTH = 100
PATH_MAX_LENGTH = 500
KEEP_FOR = timedelta(hours=24)
# Claimed but not answered yet; no other transaction ever sees it.
_PENDING = 0


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"
    default_message = gettext_lazy(
        "This Idempotency-Key was already used for a different request; "
        "use a new key for a new request."
    )


def bounded(value: str, max_length: int = KEY_MAX_LENGTH) -> str:
    """``value`` as stored; an overlong one is kept as its digest, which is as unique."""
    if len(value) > max_length:
        return hashlib.sha256(value.encode()).hexdigest()
    return value


def idempotency_key_clean(value: str) -> str:
    key = value.strip()
    if not key:
        raise ValidationError(
            _("The Idempotency-Key header is empty."),
            code="invalid_idempotency_key",
            field_errors={HEADER: [_("Give a non-empty key, or leave the header out.")]},
        )
    return bounded(key, KEY_MAX_LENGTH)


def request_fingerprint(request: Request) -> str:
    """What tells a retry from a different request: the media type and the body.

    A JSON body counts byte for byte. A multipart body is read field by field (with a
    digest of each file), since clients draw a new boundary for every attempt. The hash
    is keyed with ``SECRET_KEY``, as a body may hold a password."""
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        body = _multipart_canonical(request)
    else:
        body = request._request.body  # read before the handler parses it
    return salted_hmac(
        "snagdesk_server.core.idempotency", media_type.encode() + b"\n" + body, algorithm="sha256"
    ).hexdigest()


def _multipart_canonical(request: Request) -> bytes:
    fields = sorted((name, request.POST.getlist(name)) for name in request.POST)
    files = []
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            files.append([name, upload.name, upload.content_type, digest.hexdigest()])
    return json.dumps({"fields": fields, "files": files}).encode()


def _replay(record: ApiIdempotencyKey, *, method: str, path: str, fingerprint: str) -> Response:
    if (record.method, record.path, record.fingerprint) != (method, path, fingerprint):
        raise IdempotencyConflict()
    return Response(record.body, status=record.status, headers={REPLAYED_HEADER: "true"})


def _stored(user: User, key: str) -> ApiIdempotencyKey | None:
    return ApiIdempotencyKey.objects.filter(user=user, key=key).first()


def _claim(
    *, user: User, key: str, method: str, path: str, fingerprint: str, now: datetime
) -> ApiIdempotencyKey | None:
    """The new row holding the key, or None if another transaction answered under it
    first (on PostgreSQL the insert waits for that transaction to end)."""
    try:
        with transaction.atomic():
            return ApiIdempotencyKey.objects.create(
                user=user,
                key=key,
                method=method,
                path=path,
                fingerprint=fingerprint,
                status=_PENDING,
                created_at=now,
            )
    except IntegrityError:
        return None


def _json(response: Response) -> Any:
    # The body exactly as the client got it: rendered, then read back as plain JSON.
    if response.data is None:
        return None
    return json.loads(JSONRenderer().render(response.data))


def respond_once(
    *,
    user: User,
    key: str,
    method: str,
    path: str,
    fingerprint: str,
    handle: Callable[[], Response],
    now: datetime,
) -> Response:
    """``handle()``'s answer, or the one stored for ``(user, key)``; the write and its
    stored answer commit together. Raises ``IdempotencyConflict`` when the key was used
    for another method, path or body."""
    key = idempotency_key_clean(key)
    path = bounded(path, PATH_MAX_LENGTH)
    request = {"method": method, "path": path, "fingerprint": fingerprint}
    record = _stored(user, key)
    if record is not None:
        return _replay(record, **request)
    with transaction.atomic():
        record = _claim(user=user, key=key, now=now, **request)
        if record is None:
            winner = _stored(user, key)
            if winner is None:  # pruned in between: vanishingly rare, safe to retry
                raise Conflict(_("Another request used this Idempotency-Key; retry."))
            return _replay(winner, **request)
        # An error raised here rolls back the write and the claim together.
        response = handle()
        if 200 <= response.status_code < 300:
            record.status = response.status_code
            record.body = _json(response)
            record.save(update_fields=["status", "body"])
        else:
            record.delete()
    return response


@transaction.atomic
def idempotency_keys_prune(*, now: datetime) -> int:
    """Forget answers older than ``KEEP_FOR``: retries never come that late."""
    deleted, _ = ApiIdempotencyKey.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
