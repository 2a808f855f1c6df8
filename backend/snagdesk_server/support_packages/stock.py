"""The stock job: renewals granted, batches expired, unpaid renewals lapsed, subscription
months advanced, and the contacts alerted, for every assignment with something due.

It works through the due assignments a chunk at a time, each chunk in one transaction
that locks its assignments, reads their live batches at once and writes what changed in
a few bulk statements (``services.BookWriter``). Run twice at the same ``now`` the second
run finds nothing due; run twice at once, the second waits on the locks and then finds
nothing due. After days without a run it replays each assignment's missed days in date
order, so the result is the one daily runs would have left.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef

from snagdesk_server.core.config import settings_get
from snagdesk_server.core.events import event_emit
from snagdesk_server.core.mail import Recipient, mail_after_commit
from snagdesk_server.core.services import audit_record
from snagdesk_server.support_packages import audit, events
from snagdesk_server.support_packages.config import PackageSettings
from snagdesk_server.support_packages.models import (
    Assignment,
    Batch,
    DiscountTier,
    Grant,
)
from snagdesk_server.support_packages.services import (
    MOVING_FIELDS,
    Book,
    BookWriter,
    assignment_payload,
    month_advance,
    today_of,
)

CHUNK = 1000


def stock_update(*, now: datetime) -> dict[str, int]:
    """Run the stock job as of ``now``; what it did, counted."""
    today = today_of(now)
    done: Counter[str] = Counter()
    due = _due(today)
    tiers: dict[int, list[DiscountTier]] = {}
    for start in range(0, len(due), CHUNK):
        done += _chunk(due[start : start + CHUNK], today=today, now=now, tiers=tiers)
    done += _lapse(today=today, now=now)
    done += _alert(today=today)
    return {key: value for key, value in sorted(done.items()) if value}


def _due(today: date) -> list[int]:
    """The active assignments with a renewal, an expiry or a new subscription month due."""
    active = Assignment.objects.filter(active=True)
    ids = set(active.filter(next_renewal_on__lte=today).values_list("pk", flat=True))
    ids.update(active.filter(month_advances_on__lte=today).values_list("pk", flat=True))
    expiring = Batch.objects.filter(
        ended_on__isnull=True, expires_on__lte=today, assignment__active=True
    )
    ids.update(expiring.values_list("assignment_id", flat=True))
    return sorted(ids)


@transaction.atomic
def _chunk(
    ids: list[int], *, today: date, now: datetime, tiers: dict[int, list[DiscountTier]]
) -> Counter[str]:
    assignments = list(
        Assignment.objects.select_for_update(of=("self",))
        .select_related("package_type", "contact")
        .filter(pk__in=ids, active=True)
        .order_by("pk")
    )
    live: dict[int, list[Batch]] = defaultdict(list)
    for batch in Batch.objects.filter(assignment_id__in=ids, ended_on__isnull=True):
        live[batch.assignment_id].append(batch)
    missing = {a.package_type_id for a in assignments} - tiers.keys()
    for type_id in missing:
        tiers[type_id] = []
    for tier in DiscountTier.objects.filter(package_type_id__in=missing).order_by("month"):
        tiers[tier.package_type_id].append(tier)
    writer, done = BookWriter(), Counter[str]()
    for assignment in assignments:
        book = Book(assignment, live[assignment.pk], actor=None, now=now)
        before = (assignment.next_period, assignment.subscription_month)
        book.catch_up(today, tiers=tiers[assignment.package_type_id])
        if assignment.month_advances_on <= today:
            month_advance(assignment, today)
        if not (book.entries or book.changed or before != _moved(assignment)):
            continue
        writer.add(book)
        done["granted"] += len(book.batches)
        done["billed"] += assignment.next_period - before[0] - len(book.batches)
        done["expired"] += len(book.changed)
        done["months_advanced"] += assignment.subscription_month != before[1]
    writer.write(assignment_fields=MOVING_FIELDS)
    return done


def _moved(assignment: Assignment) -> tuple[int, int]:
    return (assignment.next_period, assignment.subscription_month)


@transaction.atomic
def _lapse(*, today: date, now: datetime) -> Counter[str]:
    """Renewals still unpaid after the billing grace period grant nothing: mark them and
    tell the contact."""
    lapsing = list(
        Grant.objects.select_for_update(of=("self",))
        .select_related("assignment__contact", "assignment__package_type")
        .filter(status=Grant.Status.AWAITING_PAYMENT, lapses_on__lt=today)
    )
    Grant.objects.filter(pk__in=[g.pk for g in lapsing]).update(status=Grant.Status.LAPSED)
    for grant in lapsing:
        assignment = grant.assignment
        audit_record(actor=None, action=audit.GRANT_LAPSE, target=grant, now=now)
        event_emit(
            events.PACKAGE_GRANT_LAPSED,
            payload={**assignment_payload(assignment), "invoice_number": grant.invoice_number},
            actor=None,
            now=now,
        )
        mail_after_commit(
            to=[Recipient(assignment.contact.email, assignment.contact.language)],
            template="support_packages/email/grant_lapsed",
            context={"grant": grant, "assignment": assignment},
        )
    return Counter(lapsed=len(lapsing))


@transaction.atomic
def _alert(*, today: date) -> Counter[str]:
    """Email each contact once when their units run low, and once per batch before its
    unused units expire."""
    rules = settings_get(PackageSettings)
    done: Counter[str] = Counter()
    if rules.low_balance_alerts:
        low = list(
            Assignment.objects.select_for_update(of=("self",))
            .select_related("contact", "package_type")
            .filter(
                Exists(Batch.objects.filter(assignment=OuterRef("pk"))),
                active=True,
                low_balance_alerted=False,
                balance__lte=F("package_type__low_balance_threshold"),
            )
        )
        Assignment.objects.filter(pk__in=[a.pk for a in low]).update(low_balance_alerted=True)
        for assignment in low:
            mail_after_commit(
                to=[Recipient(assignment.contact.email, assignment.contact.language)],
                template="support_packages/email/low_balance",
                context={"assignment": assignment},
            )
        done["low_balance_alerts"] = len(low)
    if rules.expiry_alert_days:
        expiring = list(
            Batch.objects.select_for_update(of=("self",))
            .select_related("assignment__contact", "assignment__package_type")
            .filter(
                ended_on__isnull=True,
                expiry_alerted=False,
                remaining__gt=0,
                expires_on__gt=today,
                expires_on__lte=today + timedelta(days=rules.expiry_alert_days),
                assignment__active=True,
            )
        )
        Batch.objects.filter(pk__in=[b.pk for b in expiring]).update(expiry_alerted=True)
        for batch in expiring:
            contact = batch.assignment.contact
            mail_after_commit(
                to=[Recipient(contact.email, contact.language)],
                template="support_packages/email/units_expiring",
                context={"batch": batch, "assignment": batch.assignment},
            )
        done["expiry_alerts"] = len(expiring)
    return done
