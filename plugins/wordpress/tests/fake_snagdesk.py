#!/usr/bin/env python3
"""A tiny stand-in for the Snagdesk widget API, for the plugin's "Test connection".

Answers GET /api/widget/v1/config?token=... as docs/widget-api.md says:
  wt_ok...        200 config, when Origin is the allowed origin (else 403 origin_not_allowed)
  wt_foreign...   403 origin_not_allowed (its allowed origin is another site)
  wt_disabled...  401 token_disabled
  anything else   401 token_invalid
GET /__requests lists what was asked (path and Origin), for the tests.

Usage: fake_snagdesk.py PORT ALLOWED_ORIGIN
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def token(name):
    return "wt_" + name.ljust(24, "0")


OK, FOREIGN, DISABLED, UNKNOWN = token("ok"), token("foreign"), token("disabled"), token("unknown")

CONFIG = {
    "appearance": {
        "accent_color": "#2f5bea",
        "text_color": "light",
        "logo_url": "",
        "position": "bottom-right",
        "offset_x": 20,
        "offset_y": 20,
        "font_size": 15,
        "border_radius": 24,
        "padding": 12,
    },
    "texts": {"trigger": "", "title": "", "intro": ""},
    "screenshots": {"enabled": True, "checked": True, "max_bytes": 8388608},
    "require_login": False,
    "login_url": "",
    "sender": None,
    "needs_sender": True,
}


def make_handler(allowed_origin, seen):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status, code):
            self.answer(status, {"code": code, "message": code, "fields": {}})

        def do_GET(self):
            url = urlsplit(self.path)
            if url.path == "/__requests":
                return self.answer(200, seen)
            origin = self.headers.get("Origin")
            seen.append({"path": self.path, "origin": origin})
            if url.path != "/api/widget/v1/config":
                return self.error(404, "not_found")
            key = (parse_qs(url.query).get("token") or [""])[0]
            if key == DISABLED:
                return self.error(401, "token_disabled")
            if key == FOREIGN:
                return self.error(403, "origin_not_allowed")
            if key != OK:
                return self.error(401, "token_invalid")
            if origin != allowed_origin:
                return self.error(403, "origin_not_allowed")
            return self.answer(200, CONFIG)

    return Handler


def main():
    port, allowed_origin = int(sys.argv[1]), sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(allowed_origin, []))
    server.serve_forever()


if __name__ == "__main__":
    main()
