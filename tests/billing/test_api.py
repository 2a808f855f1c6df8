"""The staff API of billing: services (list, deliver or import, read, rename, renew,
suspend, unsuspend, terminate), invoices (list, read, pay) and wallets (read, top up),
with ``billing.view`` to read and ``billing.manage`` to change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Client
from snagdesk_server.billing.models import Invoice, Product, Service
from snagdesk_server.billing.services import service_import, service_renew
from tests import factories
from tests.factories import staff_with_permissions, token_client

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/services/"
INVOICES = "/api/v1/invoices/"


def imported(client: Client, product: Product, **fields: Any) -> Service:
    fields.setdefault("expires_on", date(2031, 3, 20))
    return service_import(actor=None, client=client, product=product, now=timezone.now(), **fields)


def test_a_service_delivered_through_the_api_answers_its_details(
    api: APIClient, acme: Client, hosting: Product
) -> None:
    response = api.post(
        SERVICES,
        {"client": acme.pk, "product": hosting.pk, "cycle": "quarterly", "name": "Acme shop"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["state"], body["cycle"]) == ("Acme shop", "online", "quarterly")
    assert (body["monthly_price"], body["cycle_price"]) == ("4.99", "14.97")
    assert body["client"] == {"id": acme.pk, "name": "Acme"}
    assert body["url"].endswith(f"/billing/services/{body['id']}/")
    assert api.get(f"{SERVICES}{body['id']}/").json() == body


def test_an_import_needs_its_expiry_and_a_bad_price_names_the_field(
    api: APIClient, acme: Client, hosting: Product
) -> None:
    base = {"client": acme.pk, "product": hosting.pk}

    no_expiry = api.post(SERVICES, {**base, "existing": True}, format="json")
    bad_price = api.post(SERVICES, {**base, "monthly_price": "4.999"}, format="json")
    imported_ = api.post(
        SERVICES, {**base, "existing": True, "expires_on": "2031-01-31"}, format="json"
    )

    assert no_expiry.status_code == 400
    assert list(no_expiry.json()["fields"]) == ["expires_on"]
    assert bad_price.status_code == 400
    assert bad_price.json()["fields"] == {"monthly_price": ["Enter at most two decimals."]}
    assert imported_.status_code == 201
    assert Service.objects.get().expires_on == date(2031, 1, 31)


def test_the_list_filters_and_pages(api: APIClient, acme: Client, hosting: Product) -> None:
    shop = imported(acme, hosting, name="Acme shop", expires_on=date(2031, 5, 1))
    other = imported(factories.ClientFactory(), hosting, name="Globex", expires_on=date(2031, 4, 1))
    api.post(f"{SERVICES}{shop.pk}/suspend/")

    def ids(**params: Any) -> list[int]:
        response = api.get(SERVICES, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [other.pk, shop.pk]
    assert ids(sort="-expiry") == [shop.pk, other.pk]
    assert ids(q="acme") == [shop.pk]
    assert ids(state="suspended") == [shop.pk]
    assert ids(client=acme.pk) == [shop.pk]
    assert api.get(SERVICES, {"state": "asleep"}).status_code == 400


def test_the_list_queries_do_not_grow_with_the_services(
    api: APIClient, acme: Client, hosting: Product
) -> None:
    imported(acme, hosting)
    api.get(SERVICES)  # the token's first use of the day is written once
    with CaptureQueriesContext(connection) as few:
        api.get(SERVICES)
    for _ in range(8):
        imported(factories.ClientFactory(), hosting)
    with CaptureQueriesContext(connection) as many:
        api.get(SERVICES)

    assert len(many) == len(few)


def test_renew_pay_from_the_wallet_after_a_top_up(
    api: APIClient, acme: Client, hosting: Product
) -> None:
    service = imported(acme, hosting)

    renewed = api.post(f"{SERVICES}{service.pk}/renew/")
    invoice = renewed.json()
    again = api.post(f"{SERVICES}{service.pk}/renew/")
    short = api.post(f"{INVOICES}{invoice['id']}/pay/", {"method": "wallet"}, format="json")
    topped = api.post(f"/api/v1/wallets/{acme.pk}/top-up/", {"amount": "10.00"}, format="json")
    paid = api.post(f"{INVOICES}{invoice['id']}/pay/", {"method": "wallet"}, format="json")

    assert renewed.status_code == 201
    assert (again.status_code, again.json()["id"]) == (200, invoice["id"])
    assert (invoice["total"], invoice["status"], invoice["period_start"]) == (
        "4.99",
        "unpaid",
        "2031-03-20",
    )
    assert invoice["lines"][0]["quantity"] == 1
    assert short.status_code == 409
    assert short.json()["code"] == "insufficient_funds"
    assert topped.status_code == 201
    assert topped.json()["balance"] == "10.00"
    assert paid.json()["status"] == "paid"
    wallet = api.get(f"/api/v1/wallets/{acme.pk}/").json()
    assert wallet["balance"] == "5.01"
    assert [(e["kind"], e["amount"], e["invoice"]) for e in wallet["entries"]] == [
        ("payment", "-4.99", invoice["number"]),
        ("top_up", "10.00", None),
    ]
    assert api.get(f"{SERVICES}{service.pk}/").json()["expires_on"] == "2031-04-20"
    assert api.get(INVOICES, {"status": "paid"}).json()["count"] == 1


def test_state_changes_answer_the_service_or_a_conflict(
    api: APIClient, acme: Client, hosting: Product
) -> None:
    service = imported(acme, hosting)

    suspended = api.post(f"{SERVICES}{service.pk}/suspend/")
    twice = api.post(f"{SERVICES}{service.pk}/suspend/")
    terminated = api.post(f"{SERVICES}{service.pk}/terminate/")
    renew_final = api.post(f"{SERVICES}{service.pk}/renew/")

    assert suspended.json()["state"] == "suspended"
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")
    assert terminated.json()["state"] == "terminated"
    assert (renew_final.status_code, renew_final.json()["code"]) == (409, "not_renewable")
    assert not Invoice.objects.exists()


def test_renaming_through_the_api(api: APIClient, acme: Client, hosting: Product) -> None:
    service = imported(acme, hosting)

    renamed = api.patch(f"{SERVICES}{service.pk}/", {"name": "Acme shop"}, format="json")
    empty = api.patch(f"{SERVICES}{service.pk}/", {"name": " "}, format="json")

    assert renamed.json()["name"] == "Acme shop"
    assert empty.status_code == 400
    assert Service.objects.get().name == "Acme shop"


def test_reading_needs_billing_view_and_changing_billing_manage(
    acme: Client, hosting: Product
) -> None:
    service = imported(acme, hosting)
    invoice = service_renew(actor=None, service=service, now=timezone.now())
    outsider = token_client(staff_with_permissions("clients.view"))
    reader = token_client(staff_with_permissions("billing.view"))

    assert outsider.get(SERVICES).status_code == 403
    assert outsider.get(f"/api/v1/wallets/{acme.pk}/").status_code == 403
    assert reader.get(SERVICES).status_code == 200
    assert reader.get(f"{INVOICES}{invoice.pk}/").status_code == 200
    assert reader.post(f"{SERVICES}{service.pk}/suspend/").status_code == 403
    assert (
        reader.post(f"{INVOICES}{invoice.pk}/pay/", {"method": "manual"}, format="json").status_code
        == 403
    )
    assert (
        reader.post(SERVICES, {"client": acme.pk, "product": hosting.pk}, format="json").status_code
        == 403
    )
    assert Service.objects.get().state == Service.State.ONLINE
    assert Invoice.objects.get().status == Invoice.Status.UNPAID


def test_unknown_ids_answer_404(api: APIClient) -> None:
    assert api.get(f"{SERVICES}999/").status_code == 404
    assert api.get(f"{INVOICES}999/").status_code == 404
    assert api.get("/api/v1/wallets/999/").status_code == 404


def test_an_empty_name_and_price_are_the_products(
    api: APIClient, acme: Client, hosting: Product
) -> None:
    blank = api.post(
        SERVICES,
        {"client": acme.pk, "product": hosting.pk, "name": "", "monthly_price": ""},
        format="json",
    )

    assert blank.status_code == 201, blank.json()
    assert (blank.json()["name"], blank.json()["monthly_price"]) == ("Starter", "4.99")
