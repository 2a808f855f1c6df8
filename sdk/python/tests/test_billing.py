"""Billing against the live server: deliver and import services, list and filter them,
renew them (an invoice), pay the invoices by hand or from the client's wallet (which
moves the expiry one cycle), top the wallet up, suspend, unsuspend and terminate;
money comes back as ``Decimal``, dates as ``date``; bad input is refused naming its
field, and nothing is saved.

Products have no API: the module's fixture makes them with the server's own services,
in its ``manage.py shell``, as the conftest makes the people."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import LiveServer, manage, server_python

from snagdesk import (
    AsyncSnagdesk,
    BillingProfile,
    Client,
    ConflictError,
    Invoice,
    InvoiceLine,
    NotFoundError,
    PermissionDeniedError,
    Service,
    Snagdesk,
    ValidationError,
    Wallet,
    WalletEntry,
)

# Runs in the server's `manage.py shell` while it serves: a product group with two
# products on sale (one taxed) and one off sale.
PRODUCTS = """
import json
from django.utils import timezone
from snagdesk_server.accounts.models import User
from snagdesk_server.billing.models import Product
from snagdesk_server.billing.services import product_create, product_group_create
admin = User.objects.get(email={admin_email!r})
now = timezone.now()
group = product_group_create(actor=admin, name="Hosting {tag}", now=now)
basic = product_create(
    actor=admin, group=group, name="Basic", monthly_price="4.99", tax_rate="21.00", now=now
)
pro = product_create(actor=admin, group=group, name="Pro", monthly_price="12.00", now=now)
retired = product_create(actor=admin, group=group, name="Retired", monthly_price="1.00", now=now)
Product.objects.filter(pk=retired.pk).update(active=False)
print(json.dumps({{"basic": basic.pk, "pro": pro.pk, "retired": retired.pk}}))
"""


@dataclasses.dataclass(frozen=True)
class Products:
    #: 4.99 a month, taxed at 21%.
    basic: int
    #: 12.00 a month, untaxed.
    pro: int
    #: Off sale: a service cannot be delivered of it.
    retired: int


@pytest.fixture(scope="module")
def products(live_server: LiveServer) -> Products:
    code = PRODUCTS.format(admin_email=live_server.admin_email, tag=uuid.uuid4().hex[:8])
    out = manage(server_python(), live_server.env, "shell", "-c", code)
    ids: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return Products(**ids)


def _word() -> str:
    return f"b{uuid.uuid4().hex[:10]}"


def _client(desk: Snagdesk) -> Client:
    return desk.clients.create(name=f"Acme {_word()}")


def _ids(items: Iterable[Service | Invoice]) -> list[int]:
    return [item.id for item in items]


# Deliver and import ----------------------------------------------------------------


def test_create_delivers_a_typed_service_online_at_the_products_price(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)

    service = desk.services.create(client=client, product=products.basic)

    assert isinstance(service, Service)
    assert (service.state, service.cycle, service.name) == ("online", "monthly", "Basic")
    assert (service.client.id, service.client.name) == (client.id, client.name)
    assert (service.product.id, service.product.name) == (products.basic, "Basic")
    assert service.monthly_price == service.cycle_price == Decimal("4.99")
    assert isinstance(service.monthly_price, Decimal)
    assert service.raw["monthly_price"] == "4.99"
    assert isinstance(service.expires_on, date)
    assert not isinstance(service.expires_on, datetime)
    assert service.expires_on > date.today()
    assert service.anchor_day == service.expires_on.day
    assert (service.max_renewals, service.renewals_done) == (0, 0)
    assert (service.wallet_auto_renew, service.comment, service.provisioning_error) == (
        False,
        "",
        "",
    )
    assert service.url.endswith(f"/billing/services/{service.id}/")
    assert isinstance(service.created_at, datetime)
    assert service.created_at.tzinfo is not None
    assert desk.services.get(service.id) == service


def test_create_takes_its_own_cycle_price_expiry_and_settings(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)

    service = desk.services.create(
        client=client,
        product=products.pro,
        cycle="quarterly",
        name="Acme's shop",
        monthly_price=Decimal("10.50"),
        expires_on=date(2031, 1, 31),
        max_renewals=4,
        wallet_auto_renew=True,
        comment="Agreed by phone.",
    )

    assert (service.name, service.cycle, service.state) == ("Acme's shop", "quarterly", "online")
    assert (service.monthly_price, service.cycle_price) == (Decimal("10.50"), Decimal("31.50"))
    assert (service.expires_on, service.anchor_day) == (date(2031, 1, 31), 31)
    assert (service.max_renewals, service.wallet_auto_renew) == (4, True)
    assert service.comment == "Agreed by phone."


def test_create_existing_imports_a_running_service_and_needs_its_expiry(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)

    imported = desk.services.create(
        client=client,
        product=products.basic,
        existing=True,
        expires_on="2030-06-15",
        monthly_price="3.00",
    )
    with pytest.raises(ValidationError) as caught:
        desk.services.create(client=client, product=products.basic, existing=True)

    assert (imported.state, imported.expires_on) == ("online", date(2030, 6, 15))
    assert imported.monthly_price == Decimal("3.00")
    assert list(caught.value.fields) == ["expires_on"]
    assert _ids(desk.services.list(client=client)) == [imported.id]


def test_create_twice_with_one_idempotency_key_delivers_one_service(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)
    key = f"deliver-{_word()}"

    first = desk.services.create(client=client, product=products.basic, idempotency_key=key)
    again = desk.services.create(client=client, product=products.basic, idempotency_key=key)

    assert again.id == first.id
    assert _ids(desk.services.list(client=client)) == [first.id]


# Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"monthly_price": "0"}, "monthly_price"),
        ({"monthly_price": Decimal("-1.00")}, "monthly_price"),
        ({"monthly_price": "4.999"}, "monthly_price"),
        ({"monthly_price": "cheap"}, "monthly_price"),
        ({"cycle": "weekly"}, "cycle"),
        ({"max_renewals": -1}, "max_renewals"),
        ({"expires_on": "soon"}, "expires_on"),
    ],
)
def test_a_refused_create_names_its_field_and_saves_nothing(
    desk: Snagdesk, products: Products, changes: dict[str, object], field: str
) -> None:
    client = _client(desk)

    with pytest.raises(ValidationError) as caught:
        desk.services.create(client=client, product=products.basic, **changes)  # type: ignore[arg-type]

    assert (caught.value.status, list(caught.value.fields)) == (400, [field])
    assert list(desk.services.list(client=client)) == []


def test_a_product_off_sale_or_unknown_names_the_product(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)

    for product in (products.retired, 999_999):
        with pytest.raises(ValidationError) as caught:
            desk.services.create(client=client, product=product)
        assert list(caught.value.fields) == ["product"]
    assert list(desk.services.list(client=client)) == []


def test_a_staff_member_without_the_billing_permission_is_refused(
    live_server: LiveServer, products: Products
) -> None:
    with Snagdesk(live_server.url, live_server.reader_token) as reader:
        with pytest.raises(PermissionDeniedError) as listing:
            reader.services.list().page(1)
        with pytest.raises(PermissionDeniedError):
            reader.invoices.list().page(1)
        with pytest.raises(PermissionDeniedError):
            reader.wallets.get(1)

    assert listing.value.code == "permission_denied"


# List and filters ------------------------------------------------------------------


def test_list_filters_by_client_state_and_search_and_sorts(
    desk: Snagdesk, products: Products
) -> None:
    word = _word()
    client = desk.clients.create(name=f"A {word}")
    other = desk.clients.create(name=f"B {word}")
    late = desk.services.create(
        client=client, product=products.basic, name=f"Alpha {word}", expires_on=date(2031, 3, 1)
    )
    soon = desk.services.create(
        client=client, product=products.pro, name=f"Zeta {word}", expires_on=date(2031, 1, 15)
    )
    between = desk.services.create(
        client=other, product=products.basic, name=f"Mid {word}", expires_on=date(2031, 2, 1)
    )
    desk.services.suspend(late.id)

    def listed(**filters: object) -> list[int]:
        return _ids(desk.services.list(**filters))  # type: ignore[arg-type]

    assert listed(client=client) == [soon.id, late.id]  # the soonest expiry first
    assert listed(client=late.client) == [soon.id, late.id]
    assert listed(q=word) == [soon.id, between.id, late.id]
    assert listed(q=word, sort="-expiry") == [late.id, between.id, soon.id]
    assert listed(q=word, sort="name") == [late.id, between.id, soon.id]
    assert listed(q=word, sort="client") == [late.id, soon.id, between.id]
    assert listed(q=f"B {word}") == [between.id]  # the client's name
    assert listed(q=word, state="suspended") == [late.id]
    assert listed(q=word, state="online") == [soon.id, between.id]
    assert listed(client=other, state="suspended") == []


def test_list_follows_every_page(desk: Snagdesk, products: Products) -> None:
    client = _client(desk)
    made = [
        desk.services.create(client=client, product=products.basic, expires_on=date(2032, 1, day))
        for day in (1, 2, 3)
    ]
    pager = desk.services.list(client=client, page_size=2)

    listed = _ids(pager)
    first, last = pager.page(1), pager.page(2)

    assert listed == _ids(made)
    assert (first.count, len(first), first.has_next) == (3, 2, True)
    assert (len(last), last.next) == (1, None)
    with pytest.raises(NotFoundError):
        pager.page(3)


def test_an_unknown_filter_value_names_its_field(desk: Snagdesk) -> None:
    with pytest.raises(ValidationError) as state:
        desk.services.list(state="paused").page(1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as sort:
        desk.services.list(sort="price").page(1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as status:
        desk.invoices.list(status="overdue").page(1)  # type: ignore[arg-type]

    assert [list(e.value.fields) for e in (state, sort, status)] == [
        ["state"],
        ["sort"],
        ["status"],
    ]


# Renew and pay ---------------------------------------------------------------------


def test_renew_issues_the_invoice_of_the_next_cycle_and_again_the_same(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)
    service = desk.services.create(
        client=client, product=products.basic, expires_on=date(2031, 1, 31)
    )

    invoice = desk.services.renew(service.id)
    again = desk.services.renew(service.id)

    assert isinstance(invoice, Invoice)
    assert re.fullmatch(r"\d{4}-\d{5}", invoice.number)
    assert (invoice.kind, invoice.status, invoice.service) == ("renewal", "unpaid", service.id)
    assert invoice.client.id == client.id
    # One month on, on the anchor day or the month's last day.
    assert (invoice.period_start, invoice.period_end) == (date(2031, 1, 31), date(2031, 2, 28))
    assert (invoice.net, invoice.tax, invoice.total) == (
        Decimal("4.99"),
        Decimal("1.05"),
        Decimal("6.04"),
    )
    (line,) = invoice.lines
    assert isinstance(line, InvoiceLine)
    assert (line.quantity, line.unit_price, line.tax_rate) == (1, Decimal("4.99"), Decimal("21.00"))
    assert (line.net, line.tax, line.total) == (invoice.net, invoice.tax, invoice.total)
    assert "2031-01-31" in line.description
    assert (invoice.credit_note, invoice.paid_at) == (None, None)
    assert isinstance(invoice.issued_at, datetime)
    assert again == invoice
    assert desk.invoices.get(invoice.id) == invoice
    assert _ids(desk.invoices.list(service=service)) == [invoice.id]
    assert _ids(desk.invoices.list(client=client, status="unpaid")) == [invoice.id]
    assert list(desk.invoices.list(client=client, status="paid")) == []
    assert desk.services.get(service.id).expires_on == date(2031, 1, 31)  # not paid yet


def test_pay_from_an_empty_wallet_is_refused_then_a_top_up_pays_it_and_renews(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)
    service = desk.services.create(
        client=client, product=products.basic, expires_on=date(2031, 1, 31)
    )
    invoice = desk.services.renew(service.id)

    with pytest.raises(ConflictError) as empty:
        desk.invoices.pay(invoice.id, "wallet")
    untouched = desk.wallets.get(client)
    short = desk.wallets.top_up(client, "5.00", reason="Transfer 1")
    with pytest.raises(ConflictError) as still_short:
        desk.invoices.pay(invoice.id, "wallet")
    topped = desk.wallets.top_up(client.id, Decimal("10"), reason="Transfer 2")
    paid = desk.invoices.pay(invoice.id, "wallet")
    after = desk.wallets.get(client)
    renewed = desk.services.get(service.id)

    assert (empty.value.status, empty.value.code) == (409, "insufficient_funds")
    assert still_short.value.code == "insufficient_funds"
    assert isinstance(untouched, Wallet)
    assert (untouched.client, untouched.balance, untouched.entries) == (
        client.id,
        Decimal("0.00"),
        [],
    )
    assert short.balance == Decimal("5.00")
    (entry,) = short.entries
    assert isinstance(entry, WalletEntry)
    assert (entry.kind, entry.amount, entry.balance_after) == (
        "top_up",
        Decimal("5.00"),
        Decimal("5.00"),
    )
    assert (entry.invoice, entry.reason) == (None, "Transfer 1")
    assert topped.balance == Decimal("15.00")
    assert (paid.status, paid.id) == ("paid", invoice.id)
    assert isinstance(paid.paid_at, datetime)
    assert after.balance == Decimal("8.96")
    assert [(e.kind, e.amount, e.invoice) for e in after.entries] == [
        ("payment", Decimal("-6.04"), invoice.number),
        ("top_up", Decimal("10.00"), None),
        ("top_up", Decimal("5.00"), None),
    ]
    assert (renewed.expires_on, renewed.renewals_done) == (invoice.period_end, 1)
    assert renewed.anchor_day == 31
    with pytest.raises(ConflictError) as twice:
        desk.invoices.pay(invoice.id, "wallet")
    assert twice.value.code == "not_unpaid"
    assert desk.wallets.get(client).balance == Decimal("8.96")


def test_a_manual_payment_renews_from_the_period_and_keeps_the_anchor_day(
    desk: Snagdesk, products: Products
) -> None:
    service = desk.services.create(
        client=_client(desk), product=products.basic, expires_on=date(2031, 1, 31)
    )

    first = desk.invoices.pay(desk.services.renew(service.id).id, "manual")
    second = desk.services.renew(service.id)
    desk.invoices.pay(second.id, "manual")
    renewed = desk.services.get(service.id)

    assert (first.status, first.period_end) == ("paid", date(2031, 2, 28))
    assert (second.period_start, second.period_end) == (date(2031, 2, 28), date(2031, 3, 31))
    assert second.id != first.id
    assert (renewed.expires_on, renewed.renewals_done) == (date(2031, 3, 31), 2)
    assert desk.wallets.get(service.client).entries == []  # nothing from the wallet
    assert _ids(desk.invoices.list(service=service.id, status="paid")) == [second.id, first.id]


def test_a_service_renews_at_most_max_renewals_times(desk: Snagdesk, products: Products) -> None:
    service = desk.services.create(
        client=_client(desk), product=products.pro, max_renewals=1, expires_on=date(2031, 5, 10)
    )

    desk.invoices.pay(desk.services.renew(service.id).id, "manual")
    with pytest.raises(ConflictError) as caught:
        desk.services.renew(service.id)

    assert caught.value.code == "renewals_exhausted"
    assert desk.services.get(service.id).expires_on == date(2031, 6, 10)


def test_a_refused_top_up_names_the_amount_and_adds_nothing(desk: Snagdesk) -> None:
    client = _client(desk)

    for amount in ("0", "-5", "1.001", "lots"):
        with pytest.raises(ValidationError) as caught:
            desk.wallets.top_up(client, amount)
        assert list(caught.value.fields) == ["amount"], amount
    assert desk.wallets.get(client).balance == Decimal("0.00")


def test_top_up_twice_with_one_idempotency_key_adds_once(desk: Snagdesk) -> None:
    client = _client(desk)
    key = f"top-up-{_word()}"

    first = desk.wallets.top_up(client, "20.00", idempotency_key=key)
    again = desk.wallets.top_up(client, "20.00", idempotency_key=key)

    assert first.balance == again.balance == Decimal("20.00")
    assert len(desk.wallets.get(client).entries) == 1


def test_billing_details_name_the_contact_and_a_tax_rate_the_next_invoice_takes(
    desk: Snagdesk, products: Products
) -> None:
    client = _client(desk)
    contact = desk.contacts.create(client=client, first_name="Ada", email=f"{_word()}@example.com")
    assert desk.billing_profiles.get(client) == BillingProfile(
        client=client.id, billing_contact=None, tax_rate=None
    )

    profile = desk.billing_profiles.update(client, billing_contact=contact, tax_rate="0")
    assert (profile.billing_contact, profile.tax_rate) == (contact.id, Decimal("0.00"))
    service = desk.services.create(client=client, product=products.basic)
    invoice = desk.services.renew(service.id)
    assert (invoice.net, invoice.tax, invoice.lines[0].tax_rate) == (
        Decimal("4.99"),
        Decimal("0.00"),
        Decimal("0.00"),
    )

    cleared = desk.billing_profiles.update(client, tax_rate=None)
    assert (cleared.billing_contact, cleared.tax_rate) == (contact.id, None)


def test_billing_details_refuse_another_clients_contact_and_a_bad_rate(desk: Snagdesk) -> None:
    client, other = _client(desk), _client(desk)
    stranger = desk.contacts.create(client=other, first_name="Bo", email=f"{_word()}@example.com")

    for change, field in (
        ({"billing_contact": stranger}, "billing_contact"),
        ({"tax_rate": "100"}, "tax_rate"),
        ({"tax_rate": "5.555"}, "tax_rate"),
    ):
        with pytest.raises(ValidationError) as caught:
            desk.billing_profiles.update(client, **change)
        assert list(caught.value.fields) == [field], change
    assert desk.billing_profiles.get(client).billing_contact is None


def test_unknown_objects_are_not_found(desk: Snagdesk) -> None:
    for attempt in (
        lambda: desk.services.get(999_999),
        lambda: desk.services.renew(999_999),
        lambda: desk.invoices.get(999_999),
        lambda: desk.invoices.pay(999_999, "manual"),
        lambda: desk.wallets.get(999_999),
        lambda: desk.wallets.top_up(999_999, "1.00"),
    ):
        with pytest.raises(NotFoundError):
            attempt()


def test_an_unknown_payment_method_names_it(desk: Snagdesk, products: Products) -> None:
    service = desk.services.create(client=_client(desk), product=products.basic)
    invoice = desk.services.renew(service.id)

    with pytest.raises(ValidationError) as caught:
        desk.invoices.pay(invoice.id, "card")  # type: ignore[arg-type]

    assert list(caught.value.fields) == ["method"]
    assert desk.invoices.get(invoice.id).status == "unpaid"


# The lifecycle and renaming --------------------------------------------------------


def test_suspend_unsuspend_and_terminate_follow_the_states(
    desk: Snagdesk, products: Products
) -> None:
    service = desk.services.create(client=_client(desk), product=products.basic)

    suspended = desk.services.suspend(service.id)
    with pytest.raises(ConflictError) as again:
        desk.services.suspend(service.id)
    online = desk.services.unsuspend(service.id)
    with pytest.raises(ConflictError) as not_suspended:
        desk.services.unsuspend(service.id)
    terminated = desk.services.terminate(service.id)
    refused = []
    for attempt in (
        lambda: desk.services.terminate(service.id),
        lambda: desk.services.suspend(service.id),
        lambda: desk.services.unsuspend(service.id),
        lambda: desk.services.renew(service.id),
        lambda: desk.services.update(service.id, name="Too late"),
    ):
        with pytest.raises(ConflictError) as caught:
            attempt()
        refused.append(caught.value.code)

    assert (suspended.id, suspended.state) == (service.id, "suspended")
    assert suspended.updated_at >= service.updated_at
    assert (again.value.status, again.value.code) == (409, "invalid_transition")
    assert online.state == "online"
    assert not_suspended.value.code == "invalid_transition"
    assert terminated.state == "terminated"
    assert refused == [
        "invalid_transition",
        "invalid_transition",
        "invalid_transition",
        "not_renewable",
        "final",
    ]
    assert desk.services.get(service.id).state == "terminated"


def test_suspend_twice_with_one_idempotency_key_answers_as_the_first(
    desk: Snagdesk, products: Products
) -> None:
    service = desk.services.create(client=_client(desk), product=products.basic)
    key = f"suspend-{service.id}"

    first = desk.services.suspend(service.id, idempotency_key=key)
    again = desk.services.suspend(service.id, idempotency_key=key)

    assert first.state == again.state == "suspended"


def test_paying_the_renewal_of_a_suspended_service_brings_it_back_online(
    desk: Snagdesk, products: Products
) -> None:
    service = desk.services.create(
        client=_client(desk), product=products.basic, expires_on=date(2031, 1, 31)
    )
    invoice = desk.services.renew(service.id)
    desk.services.suspend(service.id)

    desk.invoices.pay(invoice.id, "manual")
    after = desk.services.get(service.id)

    assert (after.state, after.expires_on) == ("online", date(2031, 2, 28))


def test_update_renames_the_service_and_an_empty_name_is_refused(
    desk: Snagdesk, products: Products
) -> None:
    word = _word()
    service = desk.services.create(client=_client(desk), product=products.basic)

    renamed = desk.services.update(service.id, name=f"  Shop {word} ")
    unchanged = desk.services.update(service.id)
    with pytest.raises(ValidationError) as caught:
        desk.services.update(service.id, name="   ")

    assert renamed.name == f"Shop {word}"
    assert (renamed.product.name, renamed.monthly_price) == ("Basic", service.monthly_price)
    assert unchanged.name == f"Shop {word}"
    assert list(caught.value.fields) == ["name"]
    assert desk.services.get(service.id).name == f"Shop {word}"
    assert _ids(desk.services.list(q=word)) == [service.id]


# Async -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_deliver_list_renew_top_up_pay_and_suspend(
    live_server: LiveServer, products: Products
) -> None:
    async with AsyncSnagdesk(live_server.url, live_server.admin_token) as desk:
        client = await desk.clients.create(name=f"Async {_word()}")
        service = await desk.services.create(
            client=client, product=products.basic, expires_on=date(2031, 1, 31)
        )
        other = await desk.services.create(client=client, product=products.pro, cycle="annual")
        listed = [s.id async for s in desk.services.list(client=client, page_size=1)]
        invoice = await desk.services.renew(service.id)
        with pytest.raises(ConflictError) as empty:
            await desk.invoices.pay(invoice.id, "wallet")
        wallet = await desk.wallets.top_up(client, Decimal("6.04"))
        paid = await desk.invoices.pay(invoice.id, "wallet")
        invoices = [i.id async for i in desk.invoices.list(client=client)]
        suspended = await desk.services.suspend(other.id)
        renewed = await desk.services.get(service.id)
        drained = await desk.wallets.get(client)

    assert listed == [other.id, service.id]  # a year from today, before 2031
    assert other.cycle_price == Decimal("144.00")
    assert empty.value.code == "insufficient_funds"
    assert wallet.balance == Decimal("6.04")
    assert paid.status == "paid"
    assert invoices == [invoice.id]
    assert suspended.state == "suspended"
    assert (renewed.expires_on, renewed.renewals_done) == (date(2031, 2, 28), 1)
    assert drained.balance == Decimal("0.00")
    assert [e.kind for e in drained.entries] == ["payment", "top_up"]
