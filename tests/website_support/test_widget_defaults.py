"""One source of the widget's defaults: the look in widget/src/defaults.json, the texts
in the widget's own catalogues; the settings page and the config endpoint follow them."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from snagdesk_server.website_support.config import (
    WidgetSettings,
    widget_catalogue,
    widget_default_texts,
)
from tests.website_support.widget import get_config

pytestmark = pytest.mark.django_db

WIDGET = settings.ROOT_DIR / "widget"
LOOK = json.loads((WIDGET / "src" / "defaults.json").read_text())
EN = json.loads((WIDGET / "dist" / "v1" / "i18n" / "en.json").read_text())


def test_a_fresh_install_sends_the_widget_its_own_default_look(visitor, token):
    appearance = get_config(visitor, token).json()["appearance"]

    assert {key: appearance[key] for key in LOOK} == LOOK
    assert {key: getattr(WidgetSettings(), key) for key in LOOK} == LOOK


def test_default_texts_are_the_widgets_english_catalogue() -> None:
    texts = widget_default_texts("en")

    assert texts == {"trigger": EN["trigger"], "title": EN["title"], "intro": EN["intro"]}
    assert texts["trigger"] == "Support"


def test_default_texts_follow_the_language_and_fall_back_to_english() -> None:
    german = json.loads((WIDGET / "dist" / "v1" / "i18n" / "de.json").read_text())

    assert widget_default_texts("de")["trigger"] == german["trigger"]
    assert widget_default_texts("de-at")["title"] == german["title"]
    assert widget_default_texts("xx") == widget_default_texts("en")
    assert widget_default_texts("../en") == widget_default_texts("en")


def test_default_texts_of_a_regional_language_are_its_variants() -> None:
    brazilian = json.loads((WIDGET / "dist" / "v1" / "i18n" / "pt-BR.json").read_text())
    canadian = json.loads((WIDGET / "dist" / "v1" / "i18n" / "fr-CA.json").read_text())

    assert widget_default_texts("pt-br")["title"] == brazilian["title"]
    assert widget_default_texts("fr-ca")["trigger"] == canadian["trigger"]
    assert widget_default_texts("pt")["title"] != brazilian["title"]


@pytest.mark.parametrize(
    ("code", "name"),
    [("pt-br", "pt-BR"), ("fr-ca", "fr-CA"), ("zh-hans", "zh"), ("pt-pt", "pt"), ("fa", "fa")],
)
def test_a_language_code_finds_the_catalogue_the_widget_picks_for_it(code, name) -> None:
    assert widget_catalogue(code).name == f"{name}.json"


def test_every_language_of_the_site_has_a_widget_catalogue_of_its_own() -> None:
    for code, _ in settings.LANGUAGES:
        assert code == "en" or widget_catalogue(code).name != "en.json", code


def test_settings_preview_and_help_show_the_texts_the_widget_shows(
    staff_client: HttpClient,
) -> None:
    with translation.override("en"):
        html = staff_client.get(reverse("website_support:settings")).content.decode()

    assert "Feedback" not in html
    assert "feedback" not in html
    assert f'data-default="{EN["trigger"]}">{EN["trigger"]}</span>' in html
    assert f'data-default="{EN["title"]}">{EN["title"]}</strong>' in html
    assert f"Empty: “{EN['trigger']}”, in each visitor" in html
