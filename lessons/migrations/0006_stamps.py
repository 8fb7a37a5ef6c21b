"""Stamp triggers (core.stamps): a course, its lessons, cohorts, facilitators and enrolments bump
``course:<id>``."""

from functools import partial

from django.db import migrations

from core import versions

# The SQL of the day (core.0001's function, its trigger names): unchanged for existing databases.
trigger_sql = partial(versions.trigger_sql, bump="core_bump_stamps")

TRIGGERS = [
    trigger_sql("lessons_course", "'course:' || r.id"),
    trigger_sql("lessons_lesson", "'course:' || r.course_id"),
    trigger_sql("lessons_cohort", "'course:' || r.course_id"),
    trigger_sql(
        "lessons_cohort_facilitators",
        "'course:' || c.course_id",
        join="JOIN lessons_cohort c ON c.id = r.cohort_id",
    ),
    trigger_sql("lessons_enrolment", "'course:' || r.course_id"),
]


class Migration(migrations.Migration):
    dependencies = [("lessons", "0005_role_permissions"), ("core", "0001_initial")]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
