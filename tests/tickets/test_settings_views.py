"""Settings → Tickets: the ticket policy, for those holding ``tickets.configure``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from snagdesk_server.core.config import settings_get
from snagdesk_server.core.models import AuditEntry
from snagdesk_server.tickets.config import TicketSettings
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("tickets:settings")


def _data(**changes: Any) -> dict[str, Any]:
    return {
        "default_priority": "high",
        "default_department": "",
        "attachment_max_mb": 20,
        "autoclose_after_days": 14,
        "acknowledge_reporter": "on",
        **changes,
    }


def test_saving_stores_every_setting_and_audits_it(staff_client: HttpClient) -> None:
    department = factories.DepartmentFactory()

    response = staff_client.post(URL, _data(default_department=department.pk))

    assert response.status_code == 302
    assert settings_get(TicketSettings) == TicketSettings(
        default_priority="high",
        default_department_id=department.pk,
        attachment_max_mb=20,
        autoclose_after_days=14,
        acknowledge_reporter=True,
    )
    entry = AuditEntry.objects.get(action="settings.update")
    assert entry.changes["default_priority"] == ["medium", "high"]


def test_the_page_is_filled_with_the_current_settings(staff_client: HttpClient) -> None:
    department = factories.DepartmentFactory()
    staff_client.post(URL, _data(default_department=department.pk, autoclose_after_days=3))

    form = staff_client.get(URL).context["form"]

    assert form["default_department"].value() == department.pk
    assert form["autoclose_after_days"].value() == 3


def test_the_reporter_acknowledgement_is_offered_ticked_by_default(
    staff_client: HttpClient,
) -> None:
    response = staff_client.get(URL)

    assert response.context["form"]["acknowledge_reporter"].value() is True
    assert "Send an acknowledgement to the reporter" in response.content.decode()


def test_unticking_the_reporter_acknowledgement_turns_it_off(staff_client: HttpClient) -> None:
    data = _data()
    del data["acknowledge_reporter"]

    response = staff_client.post(URL, data)

    assert response.status_code == 302
    assert settings_get(TicketSettings).acknowledge_reporter is False


def test_saving_with_htmx_redirects_the_browser(staff_client: HttpClient) -> None:
    response = staff_client.post(URL, _data(), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == URL


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("attachment_max_mb", 0),
        ("attachment_max_mb", 101),
        ("autoclose_after_days", -1),
        ("autoclose_after_days", 366),
        ("default_priority", "whenever"),
        ("default_department", 999),
    ],
)
def test_an_invalid_value_names_its_field_and_saves_nothing(
    staff_client: HttpClient, field: str, value: Any
) -> None:
    response = staff_client.post(URL, _data(**{field: value}), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert html.lstrip().startswith("<form")
    assert settings_get(TicketSettings) == TicketSettings()


def test_an_inactive_department_is_not_offered(staff_client: HttpClient) -> None:
    closed = factories.DepartmentFactory(is_active=False)

    response = staff_client.post(URL, _data(default_department=closed.pk))

    assert response.status_code == 422
    assert settings_get(TicketSettings).default_department_id is None


def test_the_page_needs_the_configure_permission(client: HttpClient) -> None:
    # Agents edit tickets all day; the policy of every ticket is for fewer people.
    client.force_login(factories.staff_with_permissions("tickets.view", "tickets.edit"))

    assert client.get(URL).status_code == 403
    assert client.post(URL, _data()).status_code == 403
    assert settings_get(TicketSettings) == TicketSettings()


def test_the_configure_permission_is_enough(client: HttpClient) -> None:
    client.force_login(factories.staff_with_permissions("tickets.configure"))

    assert client.post(URL, _data()).status_code == 302
    assert settings_get(TicketSettings).default_priority == "high"


def test_the_page_sends_anonymous_visitors_to_sign_in(client: HttpClient) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
