from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from snagdesk_server.accounts.demo import PORTAL_EMAIL
from snagdesk_server.accounts.models import Contact
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.demo.management.commands.devstack import client_site_write
from snagdesk_server.website_support.demo import (
    DEMO_TRADE_WIDGET_NAME,
    DEMO_WIDGET_NAME,
    demo_widget_keys,
)
from snagdesk_server.website_support.models import WidgetToken

pytestmark = pytest.mark.django_db

DEMO_ORIGINS = ["http://localhost:8001", "http://127.0.0.1:8001"]


@pytest.fixture
def seeded() -> None:
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.usefixtures("seeded")
def test_demo_widget_token_files_under_the_portal_contact() -> None:
    token = WidgetToken.objects.select_related("project__client").get(name=DEMO_WIDGET_NAME)

    assert token.allowed_origins == DEMO_ORIGINS
    assert token.default_contact == Contact.objects.get(email=PORTAL_EMAIL)
    assert token.project.client.name == "Bloom & Co. Florists"
    assert not token.require_login


@pytest.mark.usefixtures("seeded")
def test_demo_trade_area_token_requires_login() -> None:
    token = WidgetToken.objects.get(name=DEMO_TRADE_WIDGET_NAME)

    assert token.require_login
    assert token.allowed_origins == DEMO_ORIGINS
    assert token.default_contact is None


def test_demo_tokens_allow_the_demo_site_on_another_port() -> None:
    call_command("seed_demo", "--demo-port", "8421", stdout=StringIO())

    for name in (DEMO_WIDGET_NAME, DEMO_TRADE_WIDGET_NAME):
        token = WidgetToken.objects.get(name=name)
        assert token.allowed_origins == ["http://localhost:8421", "http://127.0.0.1:8421"]


@pytest.mark.usefixtures("seeded")
def test_seeding_again_with_another_port_moves_the_demo_tokens_to_it() -> None:
    keys = demo_widget_keys()
    out = StringIO()

    call_command("seed_demo", "--demo-port", "8422", stdout=out)

    for name in (DEMO_WIDGET_NAME, DEMO_TRADE_WIDGET_NAME):
        token = WidgetToken.objects.get(name=name)
        assert token.allowed_origins == ["http://localhost:8422", "http://127.0.0.1:8422"]
    assert demo_widget_keys() == keys
    assert "now allow port 8422" in out.getvalue()


@pytest.mark.usefixtures("seeded")
def test_seeding_again_on_the_same_port_changes_no_token() -> None:
    audited = AuditEntry.objects.filter(action="widget_token.update").count()
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert AuditEntry.objects.filter(action="widget_token.update").count() == audited
    assert "nothing to do" in out.getvalue()


@pytest.mark.usefixtures("seeded")
def test_demo_widget_keys_are_the_tokens_keys() -> None:
    keys = demo_widget_keys()

    assert keys == {
        "widget_token": WidgetToken.objects.get(name=DEMO_WIDGET_NAME).key,
        "login_widget_token": WidgetToken.objects.get(name=DEMO_TRADE_WIDGET_NAME).key,
    }


def test_demo_widget_keys_are_empty_before_the_demo_is_seeded() -> None:
    assert demo_widget_keys() == {"widget_token": "", "login_widget_token": ""}


@pytest.mark.usefixtures("seeded")
def test_client_site_pages_load_the_widget_with_the_demo_keys(tmp_path: Path) -> None:
    site = tmp_path / "client-site"
    shutil.copytree(settings.ROOT_DIR / "demo" / "client-site", site)
    keys = demo_widget_keys()

    pages = client_site_write(site, snagdesk_url="http://localhost:8000", keys=keys)

    assert sorted(p.name for p in pages) == ["account.html", "index.html"]
    shop, trade = (site / "index.html").read_text(), (site / "account.html").read_text()
    loader = 'src="http://localhost:8000/widget/v1/loader.js"'
    assert f'{loader} data-token="{keys["widget_token"]}"' in shop
    assert f'{loader} data-token="{keys["login_widget_token"]}"' in trade
    assert 'type="password"' in shop
    assert "data-snagdesk-mask" in shop
