from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_fragment_request_gets_only_the_rows(staff_client):
    factories.TicketFactory(subject="Broken checkout")
    response = staff_client.get("/tickets/", HTTP_HX_REQUEST="true")
    assert b"Broken checkout" in response.content
    assert b"<html" not in response.content
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(staff_client):
    response = staff_client.get(
        "/tickets/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in response.content


def test_an_expired_session_reloads_the_page_at_sign_in(client):
    response = client.get("/tickets/?status=open", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/login/?next=/tickets/")


def test_an_expired_portal_session_reloads_at_the_portal_sign_in(client):
    response = client.get("/portal/tickets/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/portal/login/?next=/portal/tickets/")


def test_a_portal_error_page_links_home_to_the_portal(portal_client):
    response = portal_client.get("/portal/tickets/999999/")
    assert response.status_code == 404
    assert b'href="/portal/"' in response.content
