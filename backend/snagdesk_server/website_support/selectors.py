"""Reads of widget tokens. The ``staff_`` functions serve the staff console and API; the
``widget_`` ones the public widget API, its CORS answers and the portal's sign-in page."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.config import settings_get
from snagdesk_server.core.errors import NotFound
from snagdesk_server.projects.models import Project
from snagdesk_server.website_support.config import WidgetSettings
from snagdesk_server.website_support.errors import OriginNotAllowed, TokenDisabled, TokenInvalid
from snagdesk_server.website_support.models import WidgetToken

MAX_KEY_LENGTH = 40
# The widget's requests read their token from the cache: every page view on every client
# site loads the config. A write to a token forgets it once committed (see services);
# what other writes change (the default contact's name, say) shows within this time.
TOKEN_CACHE_SECONDS = 30


def _staff_tokens() -> QuerySet[WidgetToken]:
    return WidgetToken.objects.select_related(
        "project__client", "default_contact", "department", "assignee"
    )


def staff_token_list(
    *, search: str = "", project: Project | None = None, active: bool | None = None
) -> QuerySet[WidgetToken]:
    qs = _staff_tokens()
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(project__name__icontains=search)
            | Q(project__client__name__icontains=search)
        )
    if project is not None:
        qs = qs.filter(project=project)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "pk")


def staff_token_get(*, pk: int) -> WidgetToken:
    try:
        return _staff_tokens().get(pk=pk)
    except (WidgetToken.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such widget token.")) from None


def staff_token_snippet(*, token: WidgetToken) -> str:
    """The tag to paste into the client's site; built on SITE_URL, never the request's Host."""
    base = settings.SITE_URL.rstrip("/")
    return f'<script async src="{base}/widget/v1/loader.js" data-token="{token.key}"></script>'


def staff_project_choices() -> QuerySet[Project]:
    """Projects a token may serve, ordered so the form can group them by client."""
    return Project.objects.select_related("client").order_by(
        "client__name", "client_id", "name", "pk"
    )


def staff_contact_choices(*, project: Project | None) -> QuerySet[Contact]:
    """Who a token may send as: the active contacts of its project's client."""
    if project is None:
        return Contact.objects.none()
    return Contact.objects.filter(client_id=project.client_id, active=True).order_by(
        "-is_primary", "first_name", "last_name", "pk"
    )


# The public side: the widget API, its CORS answers and the portal's sign-in page -------------

DEFAULT_PORTS = {"http": 80, "https": 443}
APPEARANCE_KEYS = (
    "accent_color",
    "text_color",
    "logo_url",
    "position",
    "offset_x",
    "offset_y",
    "font_size",
    "border_radius",
    "padding",
)
TEXT_KEYS = {"trigger": "trigger_text", "title": "title_text", "intro": "intro_text"}
# Token appearance overrides: the widget settings' look and texts, by the same names.
OVERRIDABLE = (*APPEARANCE_KEYS, *TEXT_KEYS.values())


def _origin_parts(value: str) -> tuple[str, str, str] | None:
    """``(scheme, host, ":port" or "")`` of an origin, canonical (lower case, IDNA host, no
    default port), or None when ``value`` is not ``http(s)://host[:port]`` with no path."""
    try:
        parts = urlsplit(str(value).strip())
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return None
    scheme = parts.scheme.lower()
    if (
        scheme not in DEFAULT_PORTS
        or not host
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
        or "*" in host
    ):
        return None
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    return scheme, host, "" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}"


def origin_normalize(value: str) -> str | None:
    """``value`` as the browser sends it in ``Origin``, or None if it is not an origin."""
    parts = _origin_parts(value)
    return f"{parts[0]}://{parts[1]}{parts[2]}" if parts else None


def origin_allowed(token: WidgetToken, origin: str) -> bool:
    """Whether a page at ``origin`` may use ``token``: one of its origins exactly or, when
    the token allows subdomains, a subdomain of one (on https, or on the allowed origin's
    scheme) with the same port. A look-alike such as ``evil-client.example`` never matches
    ``client.example``: the host must end with a dot and the whole allowed host."""
    parts = _origin_parts(origin)
    if parts is None:
        return False
    scheme, host, port = parts
    for allowed in filter(None, map(_origin_parts, token.allowed_origins)):
        if parts == allowed or (
            token.allow_subdomains
            and scheme in ("https", allowed[0])
            and port == allowed[2]
            and host.endswith("." + allowed[1])
        ):
            return True
    return False


def widget_token_for_key(*, key: str) -> WidgetToken:
    """The token a widget names, active or not; ``token_invalid`` if there is none. With
    what the widget's requests read of it (the project's client, the default contact)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise TokenInvalid()
    cache_key = _token_cache_key(key)
    token = cache.get(cache_key)
    if token is None:
        try:
            token = WidgetToken.objects.select_related("project", "default_contact").get(key=key)
        except WidgetToken.DoesNotExist:
            raise TokenInvalid() from None
        cache.set(cache_key, token, TOKEN_CACHE_SECONDS)
    return token


def _token_cache_key(key: str) -> str:
    # Hashed: the key is visitor input, and cache backends restrict their keys.
    return "widget-token:" + hashlib.sha256(key.encode()).hexdigest()


def widget_token_forget(*, key: str) -> None:
    """Drop the cached copy of the token ``key``, so the widget's next request reads it."""
    cache.delete(_token_cache_key(key))


def widget_token_for_origin(*, key: str, origin: str) -> WidgetToken:
    """The active token ``key`` if a page at ``origin`` may use it; else the error to answer."""
    token = widget_token_for_key(key=key)
    if not token.is_active:
        raise TokenDisabled()
    if not origin_allowed(token, origin):
        raise OriginNotAllowed(origin=origin)
    return token


def widget_cors_allowed(*, key: str, origin: str) -> bool:
    """Whether to answer CORS for ``origin``: an allowed origin of the token ``key``, even
    a disabled one, so the widget can read ``token_disabled`` and stop retrying."""
    try:
        return origin_allowed(widget_token_for_key(key=key), origin)
    except TokenInvalid:
        return False


def widget_logo_path() -> str:
    """The public address of the uploaded widget logo, versioned by its stored name (which
    changes with every upload) so it can be cached for long; empty when none is uploaded."""
    name = settings_get(WidgetSettings).logo
    if not name:
        return ""
    version = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{reverse('widget:logo')}?v={version}"


def widget_config(*, token: WidgetToken) -> dict[str, Any]:
    """What the widget needs to render itself for ``token`` (``GET config``)."""
    widget = settings_get(WidgetSettings)
    site = settings.SITE_URL.rstrip("/")
    values = dataclasses.asdict(widget)
    values.update({k: v for k, v in token.appearance.items() if k in OVERRIDABLE and v != ""})
    appearance = {key: values[key] for key in APPEARANCE_KEYS}
    if not token.appearance.get("logo_url") and widget.logo:
        appearance["logo_url"] = site + widget_logo_path()
    contact = token.default_contact
    login_query = urlencode({"token": token.key})
    return {
        "appearance": appearance,
        "texts": {name: values[key] for name, key in TEXT_KEYS.items()},
        "screenshots": {
            "enabled": widget.screenshots_enabled,
            "checked": widget.screenshot_checked,
            "max_bytes": widget.screenshot_max_mb * 1024 * 1024,
        },
        "require_login": token.require_login,
        "login_url": f"{site}{reverse('portal:widget_login')}?{login_query}",
        "sender": {"name": contact.full_name, "email": contact.email} if contact else None,
        "needs_sender": contact is None and not token.require_login,
    }
