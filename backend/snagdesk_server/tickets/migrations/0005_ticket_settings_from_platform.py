"""Move the ticket policy out of the platform settings into the tickets module's own
(``tickets.config.TicketSettings``), and let the roles that could change it under the
platform settings (``settings.edit``) keep doing so (``tickets.configure``)."""

from django.db import migrations

KEYS = (
    "default_priority",
    "default_department_id",
    "attachment_max_mb",
    "autoclose_after_days",
    "acknowledge_reporter",
)


def _move(apps, source, target):
    ModuleSettings = apps.get_model("core", "ModuleSettings")
    row = ModuleSettings.objects.filter(module=source).first()
    if row is None:
        return
    moved = {key: row.values.pop(key) for key in KEYS if key in row.values}
    if not moved:
        return
    row.save(update_fields=["values"])
    into, _ = ModuleSettings.objects.get_or_create(module=target, defaults={"values": {}})
    into.values = {**into.values, **moved}
    into.save(update_fields=["values"])


def _grant(apps):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.all():
        if "settings.edit" in role.permissions and "tickets.configure" not in role.permissions:
            role.permissions = [*role.permissions, "tickets.configure"]
            role.save(update_fields=["permissions"])


def _revoke(apps):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.all():
        if "tickets.configure" in role.permissions:
            role.permissions = [p for p in role.permissions if p != "tickets.configure"]
            role.save(update_fields=["permissions"])


def forwards(apps, schema_editor):
    _move(apps, "platform", "tickets")
    _grant(apps)


def backwards(apps, schema_editor):
    _move(apps, "tickets", "platform")
    _revoke(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_loginattempt_ip_index"),
        ("core", "0002_api_idempotency"),
        ("tickets", "0004_browserinfo"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
