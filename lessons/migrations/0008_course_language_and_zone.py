"""A course's language and time zone; each lesson indexed for search with its course's language
(decision 112): a ``search_config`` (regconfig) column kept by triggers from the course's language
through ``reflect_search_config(language)`` (``settings.SEARCH_CONFIGS`` when this runs; later
changes: ``manage.py rebuild_search_columns``), read by the re-created generated ``search_vector``
(PostgreSQL cannot change a generated expression in place before 17). The expression is written
out here, not imported, so that this migration keeps meaning what it meant when it ran."""

import zoneinfo

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

import core.search_text

TAG_PATTERN = r"""<(?:[^>"']|"[^"]*"|'[^']*')*>"""


def text_of(field: str) -> models.Func:
    return models.Func(
        models.F(field),
        models.Value(TAG_PATTERN),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def vector(expression, weight: str) -> SearchVector:
    return SearchVector(expression, config=models.F("search_config"), weight=weight)


def config_function(apps, schema_editor):
    schema_editor.execute(core.search_text.config_function_sql())


TRIGGERS = """
CREATE FUNCTION lessons_lesson_search_config() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_config := (SELECT reflect_search_config(c.language) FROM lessons_course c WHERE c.id = NEW.course_id);
    RETURN NEW;
END $$;
CREATE TRIGGER lessons_lesson_search_config BEFORE INSERT OR UPDATE OF course_id, search_config
    ON lessons_lesson FOR EACH ROW EXECUTE FUNCTION lessons_lesson_search_config();
CREATE FUNCTION lessons_course_language() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lessons_lesson SET search_config = search_config WHERE course_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER lessons_course_language AFTER UPDATE OF language ON lessons_course
    FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language) EXECUTE FUNCTION lessons_course_language();
UPDATE lessons_lesson SET search_config = search_config;
"""
DROP_TRIGGERS = """
DROP TRIGGER lessons_course_language ON lessons_course;
DROP FUNCTION lessons_course_language();
DROP TRIGGER lessons_lesson_search_config ON lessons_lesson;
DROP FUNCTION lessons_lesson_search_config();
"""


class Migration(migrations.Migration):
    dependencies = [("lessons", "0007_cohort_invitation_version")]

    operations = [
        migrations.AddField(
            model_name="course",
            name="language",
            field=models.CharField(
                choices=settings.LANGUAGES,
                default=settings.LANGUAGE_CODE,
                help_text="The language the course is written in: search stems its words in this language.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="course",
            name="time_zone",
            field=models.CharField(
                choices=[(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())],
                default=settings.TIME_ZONE,
                help_text="Emails about the course use this zone for members who have not set their own.",
                max_length=64,
                verbose_name="time zone",
            ),
        ),
        migrations.AddField(
            model_name="lesson",
            name="search_config",
            field=core.search_text.RegConfigField(
                default=core.search_text.search_config, editable=False, max_length=63
            ),
        ),
        migrations.RunPython(config_function, migrations.RunPython.noop),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.RemoveIndex(model_name="lesson", name="lesson_search"),
        migrations.RemoveField(model_name="lesson", name="search_vector"),
        migrations.AddField(
            model_name="lesson",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=vector(models.F("title"), "A")
                + vector(models.F("summary"), "B")
                + vector(text_of("body_html"), "B"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="lesson",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="lesson_search"),
        ),
    ]
