"""What a graded activity's space shows a learner ("Your course records this activity as
complete", lti.space) joins the version mechanism (core.versions): a score written moves the
learner's version, a grading rule changed the activity's space."""

from django.db import migrations

from core.versions import trigger_sql

TRIGGERS = [
    trigger_sql("lti_scoresync", "'user:' || r.user_id"),
    trigger_sql("lti_gradedactivity", "'space:' || r.prompt_id"),
]


class Migration(migrations.Migration):
    dependencies = [("lti", "0003_graded_activities"), ("core", "0002_version")]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
