"""A small user-agent parser for the Browser info tab: browser and version, OS, device type.

Table-driven and dependency-free. It answers "which browser did the reporter use", not
every detail: the first matching row of each table wins, so the order of the rows matters
(Edge and Opera also say "Chrome", Chrome also says "Safari").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_LENGTH = 1000  # longer strings are junk or an attack; only their start is looked at


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    # Version numbers the UA gives that people know by another name (Windows NT 6.1 = 7).
    versions: Mapping[str, str] = field(default_factory=dict)

    def version(self, match: re.Match[str]) -> str:
        found = (match.group(1) or "") if match.groups() else ""
        found = found.replace("_", ".")
        return self.versions.get(found, found)


def _rule(name: str, pattern: str, versions: Mapping[str, str] | None = None) -> Rule:
    return Rule(name, re.compile(pattern), versions or {})


BOTS = (
    _rule("Googlebot", r"Googlebot(?:-\w+)?/(\d+\.\d+)"),
    _rule("Bingbot", r"bingbot/(\d+\.\d+)"),
    _rule("DuckDuckBot", r"DuckDuckBot(?:-\w+)?/(\d+\.\d+)"),
    _rule("YandexBot", r"YandexBot/(\d+\.\d+)"),
    _rule("Bot", r"(?i)(?:bot|crawler|spider)(?:[/;)\s]|$)|slurp|facebookexternalhit"),
)

BROWSERS = (
    _rule("Edge", r"Edg(?:e|A|iOS)?/(\d+)"),
    _rule("Opera", r"(?:OPR|OPiOS)/(\d+)"),
    _rule("Samsung Internet", r"SamsungBrowser/(\d+)"),
    _rule("Yandex Browser", r"YaBrowser/(\d+)"),
    _rule("Vivaldi", r"Vivaldi/(\d+)"),
    _rule("Firefox", r"(?:Firefox|FxiOS)/(\d+)"),
    _rule("Headless Chrome", r"HeadlessChrome/(\d+)"),
    _rule("Chrome", r"(?:Chrome|CriOS)/(\d+)"),
    _rule("Safari", r"Version/(\d+(?:\.\d+)?).*Safari/"),
    _rule("Internet Explorer", r"(?:MSIE |Trident/.*rv:)(\d+)"),
)

_WINDOWS_RELEASES = {
    "10.0": "10",  # Windows 11 still says NT 10.0
    "6.3": "8.1",
    "6.2": "8",
    "6.1": "7",
    "6.0": "Vista",
    "5.1": "XP",
}

SYSTEMS = (
    _rule("Windows Phone", r"Windows Phone (\d+(?:\.\d+)?)"),
    _rule("Windows", r"Windows NT (\d+\.\d+)", _WINDOWS_RELEASES),
    _rule("iPadOS", r"iPad.*? OS (\d+(?:_\d+)?)"),
    _rule("iOS", r"(?:iPhone|iPod).*? OS (\d+(?:_\d+)?)"),
    _rule("Android", r"Android (\d+(?:\.\d+)?)"),
    _rule("ChromeOS", r"CrOS"),
    _rule("macOS", r"Mac OS X (\d+(?:[_.]\d+){0,2})"),
    _rule("Linux", r"Linux"),
)

DEVICES = (
    _rule("tablet", r"iPad|Tablet|PlayBook|Silk/|Android(?!.*Mobile)"),
    _rule("mobile", r"Mobi|iPhone|iPod|Android|Windows Phone"),
)


@dataclass(frozen=True)
class UserAgent:
    browser: str = ""
    browser_version: str = ""
    os: str = ""
    os_version: str = ""
    device: str = ""  # desktop, mobile, tablet or bot; empty when nothing was given

    @property
    def browser_label(self) -> str:
        return f"{self.browser} {self.browser_version}".strip()

    @property
    def os_label(self) -> str:
        return f"{self.os} {self.os_version}".strip()


def _first(rules: tuple[Rule, ...], text: str) -> tuple[str, str]:
    for rule in rules:
        match = rule.pattern.search(text)
        if match:
            return rule.name, rule.version(match)
    return "", ""


def parse_user_agent(value: str) -> UserAgent:
    text = (value or "").strip()[:MAX_LENGTH]
    if not text:
        return UserAgent()
    os_name, os_version = _first(SYSTEMS, text)
    bot, bot_version = _first(BOTS, text)
    if bot:
        return UserAgent(bot, bot_version, os_name, os_version, "bot")
    browser, browser_version = _first(BROWSERS, text)
    device, _ = _first(DEVICES, text)
    return UserAgent(browser, browser_version, os_name, os_version, device or "desktop")
