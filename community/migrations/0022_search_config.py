"""Activities and posts indexed for search with their course's language (decision 112): a
``search_config`` (regconfig) column kept by triggers (an activity from its course's language, a post
from its activity; a course's new language re-indexes its activities and posts), read by the
re-created generated ``search_vector`` columns (PostgreSQL cannot change a generated expression in
place before 17). The expressions are written out here, not imported, so that this migration keeps
meaning what it meant when it ran."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
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


TRIGGERS = """
CREATE FUNCTION community_prompt_search_config() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_config := (
        SELECT reflect_search_config(c.language) FROM lessons_lesson l JOIN lessons_course c ON c.id = l.course_id
        WHERE l.id = NEW.lesson_id
    );
    RETURN NEW;
END $$;
CREATE TRIGGER community_prompt_search_config BEFORE INSERT OR UPDATE OF lesson_id, search_config
    ON community_prompt FOR EACH ROW EXECUTE FUNCTION community_prompt_search_config();
CREATE FUNCTION community_reflection_search_config() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_config := (SELECT p.search_config FROM community_prompt p WHERE p.id = NEW.prompt_id);
    RETURN NEW;
END $$;
CREATE TRIGGER community_reflection_search_config BEFORE INSERT OR UPDATE OF prompt_id, search_config
    ON community_reflection FOR EACH ROW EXECUTE FUNCTION community_reflection_search_config();
CREATE FUNCTION community_course_language() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE community_prompt p SET search_config = p.search_config
        FROM lessons_lesson l WHERE l.id = p.lesson_id AND l.course_id = NEW.id;
    UPDATE community_reflection r SET search_config = r.search_config
        FROM community_prompt p JOIN lessons_lesson l ON l.id = p.lesson_id
        WHERE p.id = r.prompt_id AND l.course_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER community_course_language AFTER UPDATE OF language ON lessons_course
    FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language) EXECUTE FUNCTION community_course_language();
UPDATE community_prompt SET search_config = search_config;
UPDATE community_reflection SET search_config = search_config;
"""
DROP_TRIGGERS = """
DROP TRIGGER community_course_language ON lessons_course;
DROP FUNCTION community_course_language();
DROP TRIGGER community_reflection_search_config ON community_reflection;
DROP FUNCTION community_reflection_search_config();
DROP TRIGGER community_prompt_search_config ON community_prompt;
DROP FUNCTION community_prompt_search_config();
"""


def config_field():
    return core.search_text.RegConfigField(default=core.search_text.search_config, editable=False, max_length=63)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0021_reflection_follows_up"),
        ("lessons", "0008_course_language_and_zone"),
    ]

    operations = [
        migrations.AddField(model_name="prompt", name="search_config", field=config_field()),
        migrations.AddField(model_name="reflection", name="search_config", field=config_field()),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.RemoveIndex(model_name="prompt", name="prompt_search"),
        migrations.RemoveIndex(model_name="reflection", name="reflection_search"),
        migrations.RemoveField(model_name="prompt", name="search_vector"),
        migrations.RemoveField(model_name="reflection", name="search_vector"),
        migrations.AddField(
            model_name="prompt",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=vector(models.F("title"), "A") + vector(text_of("body_html"), "B"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="reflection",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=vector(text_of("body_html"), "B"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="prompt",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="prompt_search"),
        ),
        migrations.AddIndex(
            model_name="reflection",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="reflection_search"),
        ),
    ]
