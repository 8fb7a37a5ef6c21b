"""What the space page shows of the follow-through (facilitation.space: the summary below the
prompt, the viewer's open offers) joins the version mechanism (core.versions): a summary or an offer
written moves its activity's space version, so every kept copy of the page is built again."""

from django.db import migrations

from core.versions import trigger_sql

TRIGGERS = [
    trigger_sql("facilitation_summary", "'space:' || r.prompt_id"),
    trigger_sql("facilitation_responseoffer", "'space:' || r.prompt_id"),
]


class Migration(migrations.Migration):
    dependencies = [("facilitation", "0001_initial"), ("core", "0002_version")]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
