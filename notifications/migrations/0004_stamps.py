"""Stamp triggers (core.stamps): a member's notifications and follows bump ``user:<id>``."""

from django.db import migrations

from core.stamps import trigger_sql

TRIGGERS = [
    trigger_sql("notifications_notification", "'user:' || r.recipient_id"),
    trigger_sql("notifications_subscription", "'user:' || r.user_id"),
]


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_highlighted_kind"), ("core", "0001_initial")]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
