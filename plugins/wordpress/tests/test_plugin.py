#!/usr/bin/env python3
"""The Snagdesk WordPress plugin on a real WordPress (Debian's package, copied to a temp dir).

Builds a site on the MariaDB at 127.0.0.1:3306 (database snagdesk_wp_test, dropped first),
installs WordPress with wp_install(), activates the plugin (a symlink to this checkout),
serves the site with `php -S`, starts a fake Snagdesk (fake_snagdesk.py), and checks pages,
the settings page, the test-connection handler, direct file access, uninstall and the zip as
a visitor, a subscriber, an editor and an administrator logged in through wp-login.php.

Environment: SNAGDESK_WP_WORK (a folder to work in; a temp dir otherwise),
SNAGDESK_WP_CORE (WordPress core, default /usr/share/wordpress),
SNAGDESK_TEST_PORTS (the ports the servers may use, default 8350-8399),
SNAGDESK_WP_RESULT (a file to write "passed failed" to).
Standard library only.
"""

import contextlib
import html.parser
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)  # plugins/wordpress
PLUGIN = os.path.join(ROOT, "snagdesk")
CORE = os.environ.get("SNAGDESK_WP_CORE", "/usr/share/wordpress")
DB_NAME = "snagdesk_wp_test"

sys.path.insert(0, HERE)
import fake_snagdesk  # noqa: E402  (the token names)

OK_TOKEN = fake_snagdesk.OK
FOREIGN_TOKEN = fake_snagdesk.FOREIGN
DISABLED_TOKEN = fake_snagdesk.DISABLED
UNKNOWN_TOKEN = fake_snagdesk.UNKNOWN

# WordPress stores "&" as "&amp;" in display names (kses): the widget must get "&" back.
EDITOR_NAME = 'Ed "The Editor" O\'Brien & Co — Édouard'
USERS = [
    {
        "login": "sam",
        "email": "sam@example.test",
        "role": "subscriber",
        "display_name": "Sam Subscriber",
    },
    {
        "login": "eddie",
        "email": "eddie+desk@example.test",
        "role": "editor",
        "display_name": EDITOR_NAME,
    },
]
ADMIN = {
    "login": "admin",
    "password": "admin-password",
    "email": "admin@example.test",
    "display_name": "Ada Admin",
}

# The lists before the mode: saving "roles" or "users" checks the list already stored.
OPTION_NAMES = [
    "snagdesk_url",
    "snagdesk_token",
    "snagdesk_roles",
    "snagdesk_users",
    "snagdesk_visibility",
    "snagdesk_locations",
]

S = {}  # the shared state: work dir, ports, processes, sessions, user IDs


def allowed_ports():
    """The ports the test servers may listen on: SNAGDESK_TEST_PORTS ("8350-8399")."""
    first, _, last = os.environ.get("SNAGDESK_TEST_PORTS", "8350-8399").partition("-")
    return range(int(first), int(last or first) + 1)


def free_port():
    """A port of allowed_ports() that nothing listens on and this run has not handed out yet."""
    taken = S.setdefault("ports", set())
    for port in allowed_ports():
        if port in taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError(f"no free port in {allowed_ports()}")


def run_php(*args, env=None, check=True):
    proc = subprocess.run(["php", *args], capture_output=True, text=True, env=env, timeout=120)
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"php {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def helper(command, args=None):
    """Runs tests/site/wp-helper.php inside the site; returns its JSON answer."""
    argv = [os.path.join(S["site"], "wp-helper.php"), S["site"], command]
    if args is not None:
        argv.append(json.dumps(args))
    env = dict(os.environ, SNAGDESK_WP_HOME=S["home"])
    return json.loads(run_php(*argv, env=env).stdout.strip().splitlines()[-1])


def set_options(**values):
    """Sets every plugin option: the given ones, the others deleted (their defaults then apply)."""
    helper(
        "set_options", {name: values.get(name.replace("snagdesk_", "")) for name in OPTION_NAMES}
    )


def wait_for_port(port, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def start(name, argv, **kwargs):
    log = open(os.path.join(S["work"], f"{name}.log"), "w")  # noqa: SIM115 - the server's, for its life
    # A session of its own: `php -S` with workers forks, and the whole group is stopped.
    proc = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
    )
    S.setdefault("procs", []).append(proc)
    with open(os.path.join(S["work"], "pids"), "a") as pids:
        pids.write(f"{proc.pid}\n")
    return proc


def write_config(site):
    keys = "".join(
        f"define( '{key}', '{secrets.token_hex(32)}' );\n"
        for key in (
            "AUTH_KEY",
            "SECURE_AUTH_KEY",
            "LOGGED_IN_KEY",
            "NONCE_KEY",
            "AUTH_SALT",
            "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT",
            "NONCE_SALT",
        )
    )
    config = f"""<?php
// The plugin tests' site (written by tests/test_plugin.py).
define( 'DB_NAME', '{DB_NAME}' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', '127.0.0.1:3306' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
{keys}$table_prefix = 'wp_';
define( 'WP_HOME', '{S["home"]}' );
define( 'WP_SITEURL', '{S["home"]}' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', __DIR__ . '/wp-content/debug.log' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_DEFAULT_THEME', 'snagdesk-test' );
define( 'FS_METHOD', 'direct' );
if ( ! defined( 'ABSPATH' ) ) {{
	define( 'ABSPATH', __DIR__ . '/' );
}}
require_once ABSPATH . 'wp-settings.php';
"""
    with open(os.path.join(site, "wp-config.php"), "w") as f:
        f.write(config)


def install_core_languages(folder):
    """Makes WordPress offer every language the plugin ships: it sets WPLANG only to a language
    with a core .mo in wp-content/languages. Catalogues with a header and no string: the tests
    read the plugin's strings, and WordPress's own stay English."""
    for name in os.listdir(os.path.join(PLUGIN, "languages")):
        if name.startswith("snagdesk-") and name.endswith(".mo"):
            locale = name[len("snagdesk-") : -len(".mo")]
            header = (
                f'msgid ""\nmsgstr "Language: {locale}\\n'
                'Content-Type: text/plain; charset=UTF-8\\n"\n'
            )
            subprocess.run(
                ["msgfmt", "-o", os.path.join(folder, locale + ".mo"), "-"],
                input=header,
                text=True,
                check=True,
            )


def build_site():
    site = S["site"] = os.path.join(S["work"], "site")
    if os.path.exists(site):
        shutil.rmtree(site)
    shutil.copytree(CORE, site, symlinks=True)
    os.remove(os.path.join(site, "wp-config.php")) if os.path.lexists(
        os.path.join(site, "wp-config.php")
    ) else None
    shutil.rmtree(os.path.join(site, "wp-content"))
    for sub in ("plugins", "themes", "mu-plugins", "uploads", "languages"):
        os.makedirs(os.path.join(site, "wp-content", sub))
    install_core_languages(os.path.join(site, "wp-content", "languages"))
    os.symlink(PLUGIN, os.path.join(site, "wp-content", "plugins", "snagdesk"))
    shutil.copytree(
        os.path.join(HERE, "site", "theme"),
        os.path.join(site, "wp-content", "themes", "snagdesk-test"),
    )
    shutil.copy(
        os.path.join(HERE, "site", "mu-plugins", "snagdesk-test-env.php"),
        os.path.join(site, "wp-content", "mu-plugins"),
    )
    shutil.copy(os.path.join(HERE, "site", "router.php"), site)
    shutil.copy(os.path.join(HERE, "site", "wp-helper.php"), site)
    write_config(site)
    run_php(
        "-r",
        f"""
        $db = new mysqli( '127.0.0.1', 'root', '', '', 3306 );
        $db->query( 'DROP DATABASE IF EXISTS {DB_NAME}' ) or exit( 1 );
        $db->query( 'CREATE DATABASE {DB_NAME} CHARACTER SET utf8mb4'
            . ' COLLATE utf8mb4_unicode_ci' ) or exit( 1 );
    """,
    )
    S["ids"] = helper("install", {"users": USERS, "admin_display_name": ADMIN["display_name"]})


class Browser:
    """A cookie jar and a no-redirect opener: one logged-in (or not) person."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path, data=None):
        url = path if path.startswith("http") else S["home"] + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=60) as resp:
                return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read().decode("utf-8", "replace")

    def get(self, path):
        return self.request(path)

    def post(self, path, data):
        return self.request(path, data)

    def cookie(self, prefix):
        for cookie in self.jar:
            if cookie.name.startswith(prefix):
                return urllib.parse.unquote(cookie.value)
        return None

    def login(self, login, password):
        self.get("/wp-login.php")  # sets the test cookie
        status, _headers, body = self.post(
            "/wp-login.php",
            {
                "log": login,
                "pwd": password,
                "wp-submit": "Log In",
                "testcookie": "1",
                "redirect_to": S["home"] + "/wp-admin/",
            },
        )
        if status != 302 or not self.cookie("wordpress_logged_in_"):
            raise RuntimeError(f"login as {login} failed: {status}\n{body[:2000]}")
        return self


class Scripts(html.parser.HTMLParser):
    """Every <script> of a page: (attributes, text)."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.items, self._current = [], None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._current = (dict(attrs), [])
            self.items.append(self._current)

    def handle_data(self, data):
        if self._current is not None:
            self._current[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def scripts(page):
    return [(attrs, "".join(text)) for attrs, text in Scripts(page).items]


def start_site():
    """Builds the site and starts `php -S` and the fake Snagdesk: S["home"], S["snagdesk"].
    Also used by screenshot.py; stop_site() stops the servers."""
    S["work"] = os.environ.get("SNAGDESK_WP_WORK") or tempfile.mkdtemp(prefix="snagdesk-wp-")
    os.makedirs(S["work"], exist_ok=True)
    S["wp_port"], S["fake_port"], S["closed_port"] = free_port(), free_port(), free_port()
    S["home"] = f"http://127.0.0.1:{S['wp_port']}"
    S["snagdesk"] = f"http://127.0.0.1:{S['fake_port']}"
    started = time.time()
    build_site()
    S["install_seconds"] = time.time() - started
    start(
        "fake-snagdesk",
        [sys.executable, os.path.join(HERE, "fake_snagdesk.py"), str(S["fake_port"]), S["home"]],
    )
    start(
        "php-server",
        [
            "php",
            "-S",
            f"127.0.0.1:{S['wp_port']}",
            "-t",
            S["site"],
            os.path.join(S["site"], "router.php"),
        ],
        env=dict(os.environ, PHP_CLI_SERVER_WORKERS="3"),
        cwd=S["site"],
    )
    wait_for_port(S["fake_port"])
    wait_for_port(S["wp_port"])


def setUpModule():
    start_site()
    S["visitor"] = Browser()
    S["sam"] = Browser().login("sam", "sam-password")
    S["eddie"] = Browser().login("eddie", "eddie-password")
    S["admin"] = Browser().login(ADMIN["login"], ADMIN["password"])


def stop_group(proc, sig):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def stop_site():
    for proc in S.get("procs", []):
        stop_group(proc, signal.SIGTERM)
    for proc in S.get("procs", []):
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            stop_group(proc, signal.SIGKILL)
        stop_group(proc, signal.SIGKILL)  # workers left behind by the group leader


tearDownModule = stop_site


WHO = {
    "sam": {"name": "Sam Subscriber", "email": "sam@example.test"},
    "eddie": {"name": EDITOR_NAME, "email": "eddie+desk@example.test"},
    "admin": {"name": ADMIN["display_name"], "email": ADMIN["email"]},
}
FRONT, ADMIN_PAGE = "/", "/wp-admin/profile.php"


class PageCase(unittest.TestCase):
    """Fetching pages and reading the widget's tags in them."""

    def page(self, who, path):
        status, _, body = S[who].get(path)
        self.assertEqual(status, 200, f"{who} {path}: {status}\n{body[:1500]}")
        marker = "Snagdesk test theme" if not path.startswith("/wp-admin") else "wp-admin"
        self.assertIn(marker, body, f"{who} {path} did not render")
        return body

    def save(self, values):
        """Posts the settings form as the administrator; the page it redirects to."""
        page = self.page("admin", SETTINGS)
        form = hidden_fields(page)
        self.assertEqual(form.get("option_page"), "snagdesk")
        self.assertTrue(form.get("_wpnonce"))
        status, headers, body = S["admin"].post(
            "/wp-admin/options.php", list(form.items()) + values
        )
        self.assertEqual(status, 302, body[:1500])
        self.assertIn("settings-updated=true", headers["Location"])
        return self.page(
            "admin",
            urllib.parse.urlsplit(headers["Location"]).path
            + "?"
            + urllib.parse.urlsplit(headers["Location"]).query,
        )

    def assert_widget(self, who, path, identity=None, lang="en-US"):
        body = self.page(who, path)
        found = scripts(body)
        loaders = [
            attrs for attrs, _ in found if "/widget/v1/loader.js" in (attrs.get("src") or "")
        ]
        self.assertEqual(len(loaders), 1, f"{who} {path}: expected one loader, got {len(loaders)}")
        attrs = loaders[0]
        self.assertEqual(attrs["src"], S["snagdesk"] + "/widget/v1/loader.js")
        self.assertIn("defer", attrs)
        self.assertNotIn("async", attrs)
        self.assertEqual(attrs.get("data-token"), OK_TOKEN)
        self.assertEqual(attrs.get("data-lang"), lang, f"{who} {path}: the site's language")
        self.assertEqual(
            [a for a, _ in found if (a.get("id") or "").startswith("snagdesk-loader")],
            [attrs],
            f"{who} {path}: the loader must come alone, with no inline script",
        )
        if identity is None:
            self.assertNotIn("data-name", attrs, f"{who} {path}: a visitor must get no name")
            self.assertNotIn("data-email", attrs, f"{who} {path}: a visitor must get no e-mail")
        else:
            self.assertEqual(
                {"name": attrs.get("data-name"), "email": attrs.get("data-email")}, identity
            )
        return body

    def assert_no_widget(self, who, path):
        body = self.page(who, path)
        self.assertNotIn(
            "/widget/v1/loader.js", body, f"{who} {path}: the loader must not be printed"
        )
        self.assertNotIn("snagdesk-loader", body)
        self.assertNotIn("data-token", body)


class Test1Visibility(PageCase):
    """The loader appears exactly where the rules say."""

    def rules(self, **values):
        values.setdefault("url", S["snagdesk"])
        values.setdefault("token", OK_TOKEN)
        set_options(**values)

    def test_everyone_front_and_admin(self):
        self.rules(visibility="everyone", locations=["front", "admin"])
        self.assert_widget("visitor", FRONT)
        self.assert_widget("visitor", "/?p=1")
        self.assert_widget("sam", FRONT, WHO["sam"])
        self.assert_widget("eddie", FRONT, WHO["eddie"])
        self.assert_widget("admin", FRONT, WHO["admin"])
        self.assert_widget("sam", ADMIN_PAGE, WHO["sam"])
        self.assert_widget("admin", ADMIN_PAGE, WHO["admin"])
        self.assert_widget("admin", "/wp-admin/", WHO["admin"])

    def test_defaults_are_everyone_on_the_front_end(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN)
        self.assert_widget("visitor", FRONT)
        self.assert_no_widget("admin", ADMIN_PAGE)

    def test_front_only(self):
        self.rules(visibility="everyone", locations=["front"])
        self.assert_widget("visitor", FRONT)
        self.assert_widget("admin", FRONT, WHO["admin"])
        self.assert_no_widget("admin", ADMIN_PAGE)
        self.assert_no_widget("sam", ADMIN_PAGE)

    def test_admin_only(self):
        self.rules(visibility="everyone", locations=["admin"])
        self.assert_no_widget("visitor", FRONT)
        self.assert_no_widget("admin", FRONT)
        self.assert_widget("admin", ADMIN_PAGE, WHO["admin"])
        self.assert_widget("sam", ADMIN_PAGE, WHO["sam"])

    def test_no_location(self):
        self.rules(visibility="everyone", locations=[])
        self.assert_no_widget("visitor", FRONT)
        self.assert_no_widget("admin", ADMIN_PAGE)

    def test_logged_in_only(self):
        self.rules(visibility="logged_in", locations=["front", "admin"])
        self.assert_no_widget("visitor", FRONT)
        self.assert_widget("sam", FRONT, WHO["sam"])
        self.assert_widget("eddie", ADMIN_PAGE, WHO["eddie"])

    def test_role_editor(self):
        self.rules(visibility="roles", roles=["editor"], locations=["front", "admin"])
        self.assert_no_widget("visitor", FRONT)
        self.assert_no_widget("sam", FRONT)
        self.assert_no_widget("admin", FRONT)
        self.assert_no_widget("admin", ADMIN_PAGE)
        self.assert_widget("eddie", FRONT, WHO["eddie"])
        self.assert_widget("eddie", ADMIN_PAGE, WHO["eddie"])

    def test_specific_user(self):
        self.rules(visibility="users", users=[S["ids"]["sam"]], locations=["front", "admin"])
        self.assert_no_widget("visitor", FRONT)
        self.assert_no_widget("eddie", FRONT)
        self.assert_no_widget("admin", ADMIN_PAGE)
        self.assert_widget("sam", FRONT, WHO["sam"])
        self.assert_widget("sam", ADMIN_PAGE, WHO["sam"])

    def test_missing_token_or_url_prints_nothing(self):
        self.rules(token=None, visibility="everyone", locations=["front", "admin"])
        self.assert_no_widget("visitor", FRONT)
        self.assert_no_widget("admin", FRONT)
        self.assert_no_widget("admin", ADMIN_PAGE)
        self.rules(url=None, visibility="everyone", locations=["front", "admin"])
        self.assert_no_widget("visitor", FRONT)
        self.assert_no_widget("admin", ADMIN_PAGE)

    def test_never_on_the_login_page(self):
        self.rules(visibility="everyone", locations=["front", "admin"])
        status, _, body = S["visitor"].get("/wp-login.php")
        self.assertEqual(status, 200)
        self.assertIn("user_login", body)
        self.assertNotIn("/widget/v1/loader.js", body)


def hidden_fields(page):
    fields = {}
    for name in ("option_page", "action", "_wpnonce", "_wp_http_referer"):
        match = re.search(
            r'<input[^>]*name=["\']' + re.escape(name) + r'["\'][^>]*value=(["\'])(.*?)\1', page
        )
        if match:
            fields[name] = html.unescape(match.group(2))
    return fields


def admin_config(page):
    match = re.search(r"var snagdeskAdmin = (\{.*?\});", page)
    return json.loads(match.group(1)) if match else None


SETTINGS = "/wp-admin/options-general.php?page=snagdesk"


class Test2Settings(PageCase):
    """Settings → Snagdesk: fields, sanitizing, capability."""

    def options(self):
        return helper("get_options", OPTION_NAMES)

    def test_a_page_has_every_field(self):
        set_options()
        page = self.page("admin", SETTINGS)
        for name in ("snagdesk_url", "snagdesk_token"):
            self.assertRegex(page, rf'<input[^>]*id="{name}"[^>]*name="{name}"')
        for value in ("everyone", "logged_in", "roles", "users"):
            self.assertRegex(page, rf'name="snagdesk_visibility" value="{value}"')
        for role in ("administrator", "editor", "author", "contributor", "subscriber"):
            self.assertRegex(page, rf'name="snagdesk_roles\[\]" value="{role}"')
        for where in ("front", "admin"):
            self.assertRegex(page, rf'name="snagdesk_locations\[\]" value="{where}"')
        self.assertRegex(page, r'name="snagdesk_visibility" value="everyone" checked')
        self.assertRegex(page, r'name="snagdesk_locations\[\]" value="front" checked')
        self.assertIn('id="snagdesk-test-connection"', page)
        self.assertIn("/snagdesk/assets/admin.js", page)
        self.assertIn(f"<code>{S['home']}</code>", page, "the page tells which origin to allow")
        config = admin_config(page)
        self.assertEqual(config["action"], "snagdesk_test_connection")
        self.assertTrue(config["nonce"])

    def test_b_saves_valid_values(self):
        page = self.save(
            [
                ("snagdesk_url", f"  {S['snagdesk']}/  "),
                ("snagdesk_token", OK_TOKEN),
                ("snagdesk_visibility", "roles"),
                ("snagdesk_roles[]", "editor"),
                ("snagdesk_roles[]", "no-such-role"),
                ("snagdesk_users", f"sam, {S['ids']['eddie']} admin@example.test"),
                ("snagdesk_locations[]", "front"),
                ("snagdesk_locations[]", "admin"),
                ("snagdesk_locations[]", "moon"),
            ]
        )
        self.assertIn("Settings saved.", page)
        self.assertEqual(
            self.options(),
            {
                "snagdesk_url": S["snagdesk"],
                "snagdesk_token": OK_TOKEN,
                "snagdesk_visibility": "roles",
                "snagdesk_roles": ["editor"],
                "snagdesk_users": [S["ids"]["sam"], S["ids"]["eddie"], S["ids"]["admin"]],
                "snagdesk_locations": ["front", "admin"],
            },
        )
        self.assertIn(f'value="{S["snagdesk"]}"', page)
        self.assertIn('value="sam, eddie, admin"', page)
        self.assertRegex(page, r'name="snagdesk_roles\[\]" value="editor" checked')
        self.assertNotRegex(page, r'name="snagdesk_roles\[\]" value="author" checked')

    def test_c_rejects_bad_values_and_keeps_the_old_ones(self):
        before = self.options()
        self.assertEqual(before["snagdesk_token"], OK_TOKEN, "test_b saved these")
        for url, token in (
            ("javascript:alert(1)", "wt_short"),
            ("ftp://desk.example", OK_TOKEN + "x"),
            ("https://desk.example/?a=1", "xx_" + "a" * 24),
            ("not a url", "wt_" + "a" * 23 + "!"),
        ):
            page = self.save(
                [
                    ("snagdesk_url", url),
                    ("snagdesk_token", token),
                    ("snagdesk_visibility", "everyone"),
                    ("snagdesk_users", "sam, nobody-here"),
                    ("snagdesk_locations[]", "front"),
                ]
            )
            self.assertIn("The Snagdesk URL must be an http:// or https:// address", page, url)
            self.assertIn("The widget token must be", page, token)
            self.assertIn("No user has the login, e-mail address or ID nobody-here", page)
            self.assertEqual(page.count("The Snagdesk URL must be"), 1, "each error is shown once")
            after = self.options()
            self.assertEqual(after["snagdesk_url"], before["snagdesk_url"])
            self.assertEqual(after["snagdesk_token"], before["snagdesk_token"])
            self.assertEqual(after["snagdesk_users"], before["snagdesk_users"])
            # The valid fields of the same form are saved.
            self.assertEqual(after["snagdesk_visibility"], "everyone")
            self.assertEqual(after["snagdesk_locations"], ["front"])
            self.assertNotIn("javascript:alert", page.split("settings-error")[0][-200:])

    def test_d_empty_values_clear_the_widget(self):
        self.save(
            [
                ("snagdesk_url", ""),
                ("snagdesk_token", ""),
                ("snagdesk_visibility", "everyone"),
                ("snagdesk_users", ""),
                ("snagdesk_locations[]", "front"),
            ]
        )
        options = self.options()
        self.assertEqual(
            (options["snagdesk_url"], options["snagdesk_token"], options["snagdesk_roles"]),
            ("", "", []),
        )
        self.assert_no_widget("visitor", FRONT)

    def test_e_subscriber_is_refused(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN)
        status, _, body = S["sam"].get(SETTINGS)
        self.assertEqual(status, 403)
        self.assertIn("Sorry, you are not allowed to access this page.", body)
        self.assertNotIn("snagdesk_token", body)
        status, _, body = S["eddie"].get(SETTINGS)
        self.assertEqual(status, 403)
        # Even with a valid nonce of their own, options.php refuses them.
        nonce = helper(
            "nonce",
            {
                "user_id": S["ids"]["sam"],
                "action": "snagdesk-options",
                "logged_in_cookie": S["sam"].cookie("wordpress_logged_in_"),
            },
        )
        status, _, body = S["sam"].post(
            "/wp-admin/options.php",
            {
                "option_page": "snagdesk",
                "action": "update",
                "_wpnonce": nonce,
                "snagdesk_url": "https://evil.example",
                "snagdesk_token": "wt_" + "e" * 24,
            },
        )
        self.assertEqual(status, 403)
        self.assertIn("Sorry, you are not allowed to manage options for this site.", body)
        self.assertEqual(self.options()["snagdesk_url"], S["snagdesk"])

    def test_f_admin_without_nonce_is_refused(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN)
        status, _, body = S["admin"].post(
            "/wp-admin/options.php",
            {
                "option_page": "snagdesk",
                "action": "update",
                "_wpnonce": "0123456789",
                "snagdesk_url": "https://evil.example",
            },
        )
        self.assertEqual(status, 403)
        self.assertIn("The link you followed has expired.", body)
        self.assertEqual(self.options()["snagdesk_url"], S["snagdesk"])

    def test_g_a_pasted_loader_url_is_stored_as_the_address_before_it(self):
        page = self.save(
            [
                ("snagdesk_url", f"{S['snagdesk']}/widget/v1/loader.js"),
                ("snagdesk_token", OK_TOKEN),
                ("snagdesk_visibility", "everyone"),
                ("snagdesk_locations[]", "front"),
            ]
        )
        self.assertIn("Settings saved.", page)
        self.assertEqual(self.options()["snagdesk_url"], S["snagdesk"])
        self.assert_widget("visitor", FRONT)  # src is exactly .../widget/v1/loader.js, once

    def test_h_roles_without_a_role_ticked_are_refused(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN, visibility="everyone")
        page = self.save(
            [
                ("snagdesk_url", S["snagdesk"]),
                ("snagdesk_token", OK_TOKEN),
                ("snagdesk_visibility", "roles"),
                ("snagdesk_locations[]", "front"),
            ]
        )
        self.assertIn(
            "&quot;Users with one of the roles below&quot; needs at least one role ticked", page
        )
        self.assertEqual(page.count("needs at least one role ticked"), 1)
        options = self.options()
        self.assertEqual(options["snagdesk_visibility"], "everyone")
        self.assertFalse(options["snagdesk_roles"], "no role saved")
        self.assert_widget("visitor", FRONT)

    def test_i_unticking_every_role_keeps_the_saved_roles(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN, visibility="roles", roles=["editor"])
        page = self.save(
            [
                ("snagdesk_url", S["snagdesk"]),
                ("snagdesk_token", OK_TOKEN),
                ("snagdesk_visibility", "roles"),
                ("snagdesk_locations[]", "front"),
            ]
        )
        self.assertIn("needs at least one role ticked", page)
        options = self.options()
        self.assertEqual(
            (options["snagdesk_visibility"], options["snagdesk_roles"]), ("roles", ["editor"])
        )
        self.assert_widget("eddie", FRONT, WHO["eddie"])

    def test_j_listed_users_with_an_empty_list_are_refused(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN, visibility="everyone")
        page = self.save(
            [
                ("snagdesk_url", S["snagdesk"]),
                ("snagdesk_token", OK_TOKEN),
                ("snagdesk_visibility", "users"),
                ("snagdesk_users", " , "),
                ("snagdesk_locations[]", "front"),
            ]
        )
        self.assertIn(
            "&quot;The users listed below&quot; needs at least one user in the list", page
        )
        options = self.options()
        self.assertEqual(options["snagdesk_visibility"], "everyone")
        self.assertFalse(options["snagdesk_users"], "no user saved")
        self.assert_widget("visitor", FRONT)


def fake_requests():
    with urllib.request.urlopen(S["snagdesk"] + "/__requests", timeout=10) as resp:
        return json.load(resp)


class Test3Connection(PageCase):
    """The "Test connection" admin-ajax handler against the fake Snagdesk."""

    def nonce(self):
        return admin_config(self.page("admin", SETTINGS))["nonce"]

    def call(self, who="admin", **data):
        data.setdefault("action", "snagdesk_test_connection")
        status, _, body = S[who].post("/wp-admin/admin-ajax.php", data)
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body

    def check(self, token, status, url=None, **expected_in_message):
        nonce = self.nonce()
        code, result = self.call(nonce=nonce, url=url or S["snagdesk"], token=token)
        self.assertEqual(code, 200, result)
        self.assertEqual(result["status"], status, result)
        self.assertEqual(result["ok"], status == "ok")
        for text in expected_in_message.values():
            self.assertIn(text, result["message"])
        return result

    def test_ok_sends_the_sites_origin(self):
        seen = len(fake_requests())
        self.check(OK_TOKEN, "ok", message="Connection OK")
        request = fake_requests()[seen]
        self.assertEqual(request["origin"], S["home"])
        self.assertEqual(request["path"], "/api/widget/v1/config?token=" + OK_TOKEN)

    def test_trailing_slash_in_typed_url(self):
        self.check(OK_TOKEN, "ok", url=S["snagdesk"] + "/")

    def test_unknown_token(self):
        self.check(UNKNOWN_TOKEN, "token_invalid", message="does not know this token")

    def test_disabled_token(self):
        self.check(DISABLED_TOKEN, "token_disabled", message="disabled")

    def test_origin_not_allowed(self):
        self.check(
            FOREIGN_TOKEN, "origin_not_allowed", message="add " + S["home"] + " to the token"
        )

    def test_server_unreachable(self):
        result = self.check(
            OK_TOKEN,
            "unreachable",
            url=f"http://127.0.0.1:{S['closed_port']}",
            message="Cannot reach the Snagdesk server: ",
        )
        self.assertRegex(result["message"], r"Cannot reach the Snagdesk server: .+")

    def test_not_a_snagdesk(self):
        self.check(OK_TOKEN, "unexpected", url=S["snagdesk"] + "/elsewhere", message="HTTP 404")

    def test_malformed_input_is_not_sent(self):
        seen = len(fake_requests())
        self.check("wt_short", "token_malformed")
        self.check(OK_TOKEN, "url_invalid", url="ftp://desk.example")
        self.assertEqual(len(fake_requests()), seen)

    def test_saved_values_when_none_are_posted(self):
        set_options(url=S["snagdesk"], token=DISABLED_TOKEN)
        code, result = self.call(nonce=self.nonce())
        self.assertEqual((code, result["status"]), (200, "token_disabled"))

    def test_refused_without_a_valid_nonce(self):
        seen = len(fake_requests())
        self.assertEqual(self.call(url=S["snagdesk"], token=OK_TOKEN), (403, -1))
        self.assertEqual(
            self.call(nonce="0123456789", url=S["snagdesk"], token=OK_TOKEN), (403, -1)
        )
        self.assertEqual(len(fake_requests()), seen)

    def test_refused_without_manage_options(self):
        seen = len(fake_requests())
        nonce = helper(
            "nonce",
            {
                "user_id": S["ids"]["sam"],
                "action": "snagdesk_test_connection",
                "logged_in_cookie": S["sam"].cookie("wordpress_logged_in_"),
            },
        )
        code, result = self.call("sam", nonce=nonce, url=S["snagdesk"], token=OK_TOKEN)
        self.assertEqual((code, result["status"]), (403, "forbidden"))
        self.assertEqual(
            self.call("visitor", nonce=nonce, url=S["snagdesk"], token=OK_TOKEN), (400, 0)
        )
        self.assertEqual(len(fake_requests()), seen)


class Test4Languages(PageCase):
    """The site's language reaches the settings page and the widget."""

    def site_language(self, locale):
        helper("set_options", {"WPLANG": locale})
        self.addCleanup(helper, "set_options", {"WPLANG": ""})

    def test_the_settings_page_in_the_sites_language(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN)
        self.site_language("de_DE")
        page = self.page("admin", SETTINGS)
        self.assertIn("<h1>Snagdesk</h1>", page)
        self.assertIn("Wer das Widget sieht und wo", page)
        self.assertIn("Verbindung testen", page)
        self.assertEqual(admin_config(page)["testing"], "Wird getestet …")
        self.assertNotIn("Who sees the widget, and where", page)

    def test_a_refusal_in_the_sites_language_with_its_plural(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN)
        self.site_language("ru_RU")
        base = [
            ("snagdesk_url", S["snagdesk"]),
            ("snagdesk_token", OK_TOKEN),
            ("snagdesk_visibility", "everyone"),
            ("snagdesk_locations[]", "front"),
        ]
        page = self.save([*base, ("snagdesk_users", "sam, nobody-1")])
        one = "Нет пользователя с логином, адресом e-mail или ID nobody-1."  # noqa: RUF001 - Russian
        self.assertIn(one, page)
        users = "nobody-1, nobody-2, nobody-3, nobody-4, nobody-5"
        page = self.save([*base, ("snagdesk_users", users)])
        many = f"Нет пользователей с логинами, адресами e-mail или ID {users}."  # noqa: RUF001 - Russian
        self.assertIn(many, page)

    def test_the_loader_carries_the_sites_language(self):
        set_options(url=S["snagdesk"], token=OK_TOKEN, locations=["front", "admin"])
        self.assert_widget("visitor", FRONT)
        for locale, tag in (("fr_CA", "fr-CA"), ("zh_CN", "zh-CN"), ("ja", "ja")):
            self.site_language(locale)
            self.assert_widget("visitor", FRONT, lang=tag)
            self.assert_widget("admin", ADMIN_PAGE, WHO["admin"], lang=tag)

    def test_every_language_loads(self):
        text = "Who sees the widget, and where"
        folder = os.path.join(PLUGIN, "languages")
        expected = {}
        for name in sorted(os.listdir(folder)):
            if name.endswith(".po"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    match = re.search(rf'^msgid "{text}"\nmsgstr "(.+)"$', f.read(), re.M)
                expected[name[len("snagdesk-") : -len(".po")]] = match.group(1)
        self.assertEqual(len(expected), 26)
        self.assertEqual(helper("translate", {"locales": list(expected), "text": text}), expected)


class Test5Files(unittest.TestCase):
    """No direct access, and the installable zip."""

    def php_files(self):
        for folder, _, names in os.walk(PLUGIN):
            for name in names:
                if name.endswith(".php"):
                    yield os.path.relpath(os.path.join(folder, name), PLUGIN)

    def test_direct_access_prints_nothing(self):
        files = sorted(self.php_files())
        self.assertIn("includes/class-settings.php", files)
        for name in files:
            status, _, body = S["visitor"].get("/wp-content/plugins/snagdesk/" + name)
            self.assertEqual((status, body), (200, ""), name)

    def test_uninstall_php_needs_wp_uninstall_plugin(self):
        proc = run_php(os.path.join(PLUGIN, "uninstall.php"), check=False)
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))

    def test_zip(self):
        out = os.path.join(S["work"], "dist")
        proc = subprocess.run(
            [os.path.join(ROOT, "build-zip"), out], capture_output=True, text=True, timeout=60
        )
        self.assertEqual(proc.returncode, 0, proc.stderr)
        path = os.path.join(out, "snagdesk-wordpress-0.1.0.zip")
        self.assertEqual(proc.stdout.strip().splitlines()[-1], path)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            self.assertIsNone(archive.testzip())
            header = archive.read("snagdesk/snagdesk.php").decode()
        self.assertTrue(all(name.startswith("snagdesk/") for name in names), names)
        for required in (
            "snagdesk/snagdesk.php",
            "snagdesk/readme.txt",
            "snagdesk/uninstall.php",
            "snagdesk/languages/snagdesk.pot",
            "snagdesk/languages/snagdesk-de_DE.po",
            "snagdesk/languages/snagdesk-de_DE.mo",
            "snagdesk/languages/snagdesk-zh_CN.mo",
            "snagdesk/assets/admin.js",
            "snagdesk/includes/class-loader.php",
        ):
            self.assertIn(required, names)
        self.assertFalse([n for n in names if "test" in n.lower() or "/." in n], names)
        self.assertIn("Version:           0.1.0", header)
        with open(path, "rb") as first:
            digest = first.read()
        subprocess.run(
            [os.path.join(ROOT, "build-zip"), out], check=True, capture_output=True, timeout=60
        )
        with open(path, "rb") as second:
            self.assertEqual(second.read(), digest, "the zip is reproducible")


class Test6Uninstall(unittest.TestCase):
    def test_uninstall_removes_every_option(self):
        set_options(
            url=S["snagdesk"],
            token=OK_TOKEN,
            visibility="roles",
            roles=["editor"],
            users=[1],
            locations=["admin"],
        )
        self.assertEqual(helper("get_options", OPTION_NAMES)["snagdesk_visibility"], "roles")
        helper("uninstall")
        self.assertEqual(helper("get_options", OPTION_NAMES), dict.fromkeys(OPTION_NAMES, False))


class Test7Logs(unittest.TestCase):
    def test_no_php_notice_from_the_plugin(self):
        lines = []
        for log in (
            os.path.join(S["site"], "wp-content", "debug.log"),
            os.path.join(S["work"], "php-server.log"),
        ):
            if os.path.exists(log):
                with open(log, errors="replace") as f:
                    lines += [line for line in f if "snagdesk/" in line and "PHP " in line]
        self.assertEqual(lines, [])


if __name__ == "__main__":
    program = unittest.main(exit=False, verbosity=2)
    result = program.result
    failed = len(result.failures) + len(result.errors)
    if os.environ.get("SNAGDESK_WP_RESULT"):
        with open(os.environ["SNAGDESK_WP_RESULT"], "w") as f:
            f.write(f"{result.testsRun - failed - len(result.skipped)} {failed}\n")
    print(f"site built and installed in {S.get('install_seconds', 0):.1f}s")
    sys.exit(0 if result.wasSuccessful() else 1)
