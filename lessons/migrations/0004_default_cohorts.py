"""Every existing course gets its default cohort ("Everyone"), so that a course with one cohort
behaves as before. New courses get theirs from lessons.services.create_course."""

from django.db import migrations


def add_default_cohorts(apps, schema_editor):
    Course = apps.get_model("lessons", "Course")
    Cohort = apps.get_model("lessons", "Cohort")
    for course in Course.objects.filter(cohorts__isnull=True):
        Cohort.objects.create(course=course, name="Everyone", starts_on=course.created_at.date())


class Migration(migrations.Migration):
    dependencies = [("lessons", "0003_cohorts_and_enrolment")]

    operations = [migrations.RunPython(add_default_cohorts, migrations.RunPython.noop)]
