from __future__ import annotations

import pytest

from snagdesk_server.tickets.useragent import parse_user_agent

# (user agent, browser, OS, device), from real browsers.
CASES = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome 124",
        "Windows 10",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
        "Edge 124",
        "Windows 10",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0",
        "Firefox 115",
        "Windows 7",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        "Safari 17.4",
        "macOS 10.15.7",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Firefox 125",
        "macOS 14.4",
        "desktop",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/123.0.0.0 Safari/537.36 OPR/109.0.0.0",
        "Opera 109",
        "Linux",
        "desktop",
    ),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.0.0 Safari/537.36",
        "Chrome 122",
        "ChromeOS",
        "desktop",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        "Safari 17.4",
        "iOS 17.4",
        "mobile",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        "Chrome 124",
        "iOS 17.4",
        "mobile",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/16.6 Mobile/15E148 Safari/604.1",
        "Safari 16.6",
        "iPadOS 16.6",
        "tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36",
        "Chrome 124",
        "Android 14",
        "mobile",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        "Samsung Internet 24",
        "Android 13",
        "mobile",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome 124",
        "Android 13",
        "tablet",
    ),
    (
        "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
        "Firefox 125",
        "Android 14",
        "mobile",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Internet Explorer 11",
        "Windows 10",
        "desktop",
    ),
    (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Googlebot 2.1",
        "",
        "bot",
    ),
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
        "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
        "Bingbot 2.0",
        "",
        "bot",
    ),
]


@pytest.mark.parametrize(("user_agent", "browser", "os", "device"), CASES)
def test_parse_names_browser_os_and_device(user_agent, browser, os, device):
    parsed = parse_user_agent(user_agent)

    assert (parsed.browser_label, parsed.os_label, parsed.device) == (browser, os, device)


def test_parse_keeps_the_browser_version_apart_from_its_name():
    parsed = parse_user_agent(CASES[0][0])

    assert (parsed.browser, parsed.browser_version) == ("Chrome", "124")


def test_an_empty_user_agent_gives_nothing():
    assert parse_user_agent("") == parse_user_agent("   ")
    assert parse_user_agent("").device == ""


def test_an_unknown_user_agent_is_a_desktop_of_no_known_browser():
    parsed = parse_user_agent("curl/8.5.0")

    assert (parsed.browser_label, parsed.os_label, parsed.device) == ("", "", "desktop")


def test_an_overlong_user_agent_is_read_from_its_start_only():
    parsed = parse_user_agent(CASES[0][0] + " x" * 100_000)

    assert parsed.browser_label == "Chrome 124"
