"""Stamp triggers (core.stamps): a course, its lessons, cohorts, facilitators and enrolments bump
``course:<id>``."""

from django.db import migrations

from core.stamps import trigger_sql

TRIGGERS = [
    trigger_sql("lessons_course", "'course:' || r.id"),
    trigger_sql("lessons_lesson", "'course:' || r.course_id"),
    trigger_sql("lessons_cohort", "'course:' || r.course_id"),
    trigger_sql(
        "lessons_cohort_facilitators", "'course:' || c.course_id", join="JOIN lessons_cohort c ON c.id = r.cohort_id"
    ),
    trigger_sql("lessons_enrolment", "'course:' || r.course_id"),
]


class Migration(migrations.Migration):
    dependencies = [("lessons", "0005_role_permissions"), ("core", "0001_initial")]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
