"""The staff API of support packages: package types (list, create, read, update) and
assignments (list, assign, read, deactivate, balance, ledger, consume, adjust,
reverse), with ``support_packages.view`` to read and ``support_packages.manage`` to
change."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Contact
from snagdesk_server.support_packages.models import (
    Assignment,
    DiscountTier,
    Entry,
    PackageType,
)
from snagdesk_server.support_packages.services import assignment_create
from tests import factories
from tests.factories import staff_with_permissions, token_client
from tests.support_packages.conftest import make_type

pytestmark = pytest.mark.django_db

TYPES = "/api/v1/package-types/"
ASSIGNMENTS = "/api/v1/package-assignments/"

TYPE = {
    "name": "Premium",
    "unit_plural": "interventions",
    "units": 10,
    "validity_months": 6,
    "renewal_months": 3,
    "price": "120.00",
    "tax_rate": "20.00",
    "overage": "allow",
    "tiers": [{"month": 4, "value": "10"}, {"month": 7, "value": "15.50"}],
}


def assign(contact: Contact, package_type: PackageType) -> Assignment:
    return assignment_create(
        actor=None,
        contact=contact,
        package_type=package_type,
        start_on=timezone.localdate(),
        now=timezone.now(),
    )


def url(assignment: Assignment, action: str = "") -> str:
    return f"{ASSIGNMENTS}{assignment.pk}/{action + '/' if action else ''}"


# Package types ------------------------------------------------------------------------


def test_a_package_type_created_through_the_api_answers_its_details(api: APIClient) -> None:
    response = api.post(TYPES, TYPE, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["unit_singular"], body["units"]) == ("Premium", "intervention", 10)
    assert (body["price"], body["tax_rate"], body["overage"]) == ("120.00", "20.00", "allow")
    assert (body["cumulative"], body["active"], body["discount_kind"]) == (True, True, "percent")
    assert body["tiers"] == [{"month": 4, "value": "10.00"}, {"month": 7, "value": "15.50"}]
    assert api.get(f"{TYPES}{body['id']}/").json() == body
    assert [row["id"] for row in api.get(TYPES).json()["results"]] == [body["id"]]
    assert DiscountTier.objects.filter(package_type_id=body["id"]).count() == 2


def test_a_bad_package_type_names_every_wrong_field_and_saves_nothing(api: APIClient) -> None:
    bad = {**TYPE, "units": 0, "renewal_months": 9, "price": "1.999", "tiers": [{"month": 0}]}

    refused = api.post(TYPES, bad, format="json")
    wrong = api.post(
        TYPES, {**TYPE, "units": 0, "renewal_months": 9, "price": "1.999"}, format="json"
    )
    bad_choice = api.post(TYPES, {**TYPE, "overage": "maybe"}, format="json")

    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["tiers.0.value"]
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid"
    assert set(wrong.json()["fields"]) == {"units", "renewal_months", "price"}
    assert bad_choice.status_code == 400
    assert list(bad_choice.json()["fields"]) == ["overage"]
    assert not PackageType.objects.exists()
    assert not DiscountTier.objects.exists()


def test_a_partial_update_keeps_the_fields_not_given(api: APIClient) -> None:
    created = api.post(TYPES, TYPE, format="json").json()

    renamed = api.patch(f"{TYPES}{created['id']}/", {"name": "Gold"}, format="json")
    untiered = api.patch(f"{TYPES}{created['id']}/", {"tiers": []}, format="json")
    too_long = api.patch(f"{TYPES}{created['id']}/", {"renewal_months": 7}, format="json")

    assert renamed.status_code == 200, renamed.json()
    assert {**renamed.json(), "name": "Premium"} == created
    assert untiered.json()["tiers"] == []
    assert too_long.status_code == 400
    assert list(too_long.json()["fields"]) == ["renewal_months"]
    stored = PackageType.objects.get()
    assert (stored.name, stored.units, stored.renewal_months) == ("Gold", 10, 3)
    assert not DiscountTier.objects.exists()


# Assignments --------------------------------------------------------------------------


def test_assigning_answers_the_assignment_with_its_units(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    body = {"contact": contact.pk, "package_type": standard.pk}

    response = api.post(ASSIGNMENTS, body, format="json")
    twice = api.post(ASSIGNMENTS, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["contact"] == {"id": contact.pk, "name": contact.full_name}
    assert data["client"] == {"id": contact.client_id, "name": "Movies Ltd"}
    assert data["package_type"] == {"id": standard.pk, "name": "Standard"}
    assert (data["start_on"], data["active"]) == (timezone.localdate().isoformat(), True)
    assert (data["balance"], data["overage"], data["discount"]) == (5, False, None)
    assert data["usage"] == {"granted": 5, "used": 0, "remaining": 5}
    assert api.get(f"{ASSIGNMENTS}{data['id']}/").json() == data
    assert twice.status_code == 400
    assert list(twice.json()["fields"]) == ["package_type"]
    assert Assignment.objects.get().balance == 5


def test_the_current_discount_is_its_tiers(contact: Contact, api: APIClient) -> None:
    discounted = make_type(price="100", tiers=[(1, 10)])

    data = api.get(url(assign(contact, discounted))).json()

    assert data["discount"] == {"label": "10 % off from month 1", "amount": "10.00"}


def test_consuming_answers_the_entries_and_the_balance(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    assignment = assign(contact, standard)
    ticket = factories.TicketFactory(contact=contact)

    consumed = api.post(
        url(assignment, "consume"),
        {"units": 2, "ticket": ticket.number, "reason": "Mail fixed"},
        format="json",
    )
    one = api.post(url(assignment, "consume"), {}, format="json")

    assert consumed.status_code == 201, consumed.json()
    body = consumed.json()
    assert (body["balance"], body["overage"]) == (3, False)
    [entry] = body["entries"]
    assert (entry["kind"], entry["units"], entry["balance_after"]) == ("consume", -2, 3)
    assert (entry["ticket"], entry["reason"], entry["reverses"]) == (
        ticket.number,
        "Mail fixed",
        None,
    )
    assert entry["actor"]["id"] is not None
    assert entry["batch"] is not None
    assert (one.status_code, one.json()["balance"]) == (201, 2)
    assert Assignment.objects.get().balance == 2
    assert list(Entry.objects.filter(kind="consume").values_list("units", flat=True)) == [-2, -1]


def test_consuming_more_than_remains_is_a_conflict(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    assignment = assign(contact, standard)

    refused = api.post(url(assignment, "consume"), {"units": 6}, format="json")
    zero = api.post(url(assignment, "consume"), {"units": 0}, format="json")
    unknown_ticket = api.post(url(assignment, "consume"), {"ticket": 999_999}, format="json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_units"
    assert (zero.status_code, list(zero.json()["fields"])) == (400, ["units"])
    assert (unknown_ticket.status_code, list(unknown_ticket.json()["fields"])) == (400, ["ticket"])
    assert Assignment.objects.get().balance == 5
    assert not Entry.objects.filter(kind="consume").exists()


def test_an_adjustment_needs_a_reason(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    assignment = assign(contact, standard)

    missing = api.post(url(assignment, "adjust"), {"units": 3}, format="json")
    blank = api.post(url(assignment, "adjust"), {"units": 3, "reason": " "}, format="json")
    added = api.post(url(assignment, "adjust"), {"units": 3, "reason": "Goodwill"}, format="json")
    removed = api.post(url(assignment, "adjust"), {"units": -2, "reason": "Typo"}, format="json")

    assert (missing.status_code, list(missing.json()["fields"])) == (400, ["reason"])
    assert (blank.status_code, list(blank.json()["fields"])) == (400, ["reason"])
    assert added.status_code == 201, added.json()
    assert added.json()["balance"] == 8
    assert [e["units"] for e in added.json()["entries"]] == [3]
    assert (removed.status_code, removed.json()["balance"]) == (201, 6)
    assert Assignment.objects.get().balance == 6
    assert Entry.objects.filter(kind="adjust").count() == 2


def test_reversing_a_consumption_gives_its_units_back(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    assignment = assign(contact, standard)
    other = assign(factories.ContactFactory(), standard)
    entry = api.post(url(assignment, "consume"), {"units": 2}, format="json").json()["entries"][0]
    grant = Entry.objects.get(assignment=assignment, kind="grant")

    reversed_ = api.post(
        url(assignment, "reverse"), {"entry": entry["id"], "reason": "Wrong ticket"}, format="json"
    )
    twice = api.post(
        url(assignment, "reverse"), {"entry": entry["id"], "reason": "Again"}, format="json"
    )
    a_grant = api.post(
        url(assignment, "reverse"), {"entry": grant.pk, "reason": "No"}, format="json"
    )
    elsewhere = api.post(
        url(other, "reverse"), {"entry": entry["id"], "reason": "No"}, format="json"
    )

    assert reversed_.status_code == 201, reversed_.json()
    [reversal] = reversed_.json()["entries"]
    assert (reversal["kind"], reversal["units"], reversal["reverses"]) == (
        "reverse",
        2,
        entry["id"],
    )
    assert reversed_.json()["balance"] == 5
    assert (twice.status_code, twice.json()["code"]) == (409, "already_reversed")
    assert (a_grant.status_code, a_grant.json()["code"]) == (409, "not_reversible")
    assert (elsewhere.status_code, list(elsewhere.json()["fields"])) == (400, ["entry"])
    assert Assignment.objects.get(pk=assignment.pk).balance == 5
    assert Entry.objects.filter(kind="reverse").count() == 1


def test_the_balance_lists_the_batches(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    assignment = assign(contact, standard)
    api.post(url(assignment, "consume"), {"units": 1}, format="json")

    body = api.get(url(assignment, "balance")).json()

    assert (body["balance"], body["overage"]) == (4, False)
    assert body["usage"] == {"granted": 5, "used": 1, "remaining": 4}
    [batch] = body["batches"]
    assert (batch["units"], batch["remaining"], batch["ended_on"]) == (5, 4, None)
    assert batch["granted_on"] == timezone.localdate().isoformat()


def test_the_ledger_is_newest_first_and_paged(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    assignment = assign(contact, standard)
    for _ in range(3):
        api.post(url(assignment, "consume"), {}, format="json")

    first = api.get(url(assignment, "ledger"), {"page_size": 3}).json()
    second = api.get(url(assignment, "ledger"), {"page_size": 3, "page": 2}).json()
    bad = api.get(url(assignment, "ledger"), {"page": "abc"})

    assert first["count"] == 4
    assert [(e["kind"], e["balance_after"]) for e in first["results"]] == [
        ("consume", 2),
        ("consume", 3),
        ("consume", 4),
    ]
    assert [(e["kind"], e["units"], e["actor"]) for e in second["results"]] == [("grant", 5, None)]
    ids = [e["id"] for e in first["results"] + second["results"]]
    assert ids == sorted(ids, reverse=True)
    assert (bad.status_code, list(bad.json()["fields"])) == (400, ["page"])


def test_deactivating_stops_consumption(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    assignment = assign(contact, standard)

    deactivated = api.post(url(assignment, "deactivate"))
    twice = api.post(url(assignment, "deactivate"))
    consume = api.post(url(assignment, "consume"), {}, format="json")

    assert deactivated.status_code == 200
    assert deactivated.json()["active"] is False
    assert (twice.status_code, twice.json()["code"]) == (409, "inactive")
    assert (consume.status_code, consume.json()["code"]) == (409, "inactive")
    assert Assignment.objects.get().active is False


def test_the_list_filters_and_searches(
    api: APIClient, contact: Contact, standard: PackageType
) -> None:
    premium = make_type(name="Premium", overage="allow")
    jane = assign(contact, standard)
    bob = factories.ContactFactory(first_name="Bob", last_name="Zed", email="bob@globex.example")
    bobs = assign(bob, premium)
    api.post(url(bobs, "consume"), {"units": 6}, format="json")
    old = assign(factories.ContactFactory(last_name="Old"), standard)
    api.post(url(old, "deactivate"))

    def ids(**params: Any) -> list[int]:
        response = api.get(ASSIGNMENTS, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert set(ids()) == {jane.pk, bobs.pk}
    assert ids(status="inactive") == [old.pk]
    assert ids(status="overage") == [bobs.pk]
    assert set(ids(status="all")) == {jane.pk, bobs.pk, old.pk}
    assert ids(package_type=premium.pk) == [bobs.pk]
    assert ids(contact=contact.pk) == [jane.pk]
    assert ids(q="movies") == [jane.pk]
    assert ids(q="bob premium") == [bobs.pk]
    assert api.get(ASSIGNMENTS, {"status": "asleep"}).status_code == 400
    assert api.get(ASSIGNMENTS, {"contact": 999_999}).status_code == 400
    overdrawn = api.get(ASSIGNMENTS, {"status": "overage"}).json()["results"][0]
    assert (overdrawn["balance"], overdrawn["overage"]) == (-1, True)
    assert "usage" not in overdrawn


def test_the_lists_make_as_many_queries_for_1_or_20(
    api: APIClient, django_assert_max_num_queries: Any
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            package_type = make_type(
                name=f"Type {PackageType.objects.count()}", price="10", tiers=[(1, 5), (3, 10)]
            )
            assign(factories.ContactFactory(), package_type)

    def queries(path: str, count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path).json()["count"] == count
        return len(captured)

    add(1)
    api.get(TYPES)  # the token's first use of the day is written once
    few = {path: queries(path, 1) for path in (ASSIGNMENTS, TYPES)}
    add(19)

    for path, expected in few.items():
        with django_assert_max_num_queries(expected):
            assert api.get(path).json()["count"] == 20
    assert few[ASSIGNMENTS] <= 6


def test_reading_needs_view_and_changing_manage(contact: Contact, standard: PackageType) -> None:
    assignment = assign(contact, standard)
    entry = Entry.objects.get()
    outsider = token_client(staff_with_permissions("clients.view"))
    reader = token_client(staff_with_permissions("support_packages.view"))
    reads = [
        TYPES,
        f"{TYPES}{standard.pk}/",
        ASSIGNMENTS,
        url(assignment),
        url(assignment, "balance"),
        url(assignment, "ledger"),
    ]
    writes: list[tuple[str, dict[str, Any]]] = [
        (TYPES, TYPE),
        (ASSIGNMENTS, {"contact": contact.pk, "package_type": standard.pk}),
        (url(assignment, "consume"), {}),
        (url(assignment, "adjust"), {"units": 1, "reason": "Goodwill"}),
        (url(assignment, "reverse"), {"entry": entry.pk, "reason": "No"}),
        (url(assignment, "deactivate"), {}),
    ]

    assert [outsider.get(path).status_code for path in reads] == [403] * len(reads)
    assert [reader.get(path).status_code for path in reads] == [200] * len(reads)
    assert [reader.post(path, body, format="json").status_code for path, body in writes] == [
        403
    ] * len(writes)
    patched = reader.patch(f"{TYPES}{standard.pk}/", {"name": "Gold"}, format="json")
    assert patched.status_code == 403
    assert PackageType.objects.get().name == "Standard"
    assert (Assignment.objects.get().balance, Assignment.objects.get().active) == (5, True)
    assert Entry.objects.count() == 1


def test_unknown_ids_answer_404(api: APIClient) -> None:
    assert api.get(f"{TYPES}999/").status_code == 404
    assert api.get(f"{ASSIGNMENTS}999/").status_code == 404
    assert api.get(f"{ASSIGNMENTS}999/ledger/").status_code == 404
    assert api.post(f"{ASSIGNMENTS}999/reverse/", {"entry": 1}, format="json").status_code == 404
