"""Full-text search: stored generated tsvector columns with GIN indexes on prompts (title at
weight A above the welcome's words at B) and posts (their words at B), built from the sanitised
HTML with its tags replaced by spaces. A deleted post has no text, so no words.

The text-search configuration is read from settings.SEARCH_CONFIG when this migration runs, so a
new site can choose "simple"; an existing site changes it with `manage.py rebuild_search_columns`
(docs/decisions.md). The expression is written out here, not imported, so that this migration
keeps meaning what it meant when it ran.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models

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
    return SearchVector(expression, config=settings.SEARCH_CONFIG, weight=weight)


class Migration(migrations.Migration):
    dependencies = [("community", "0005_activity_visit")]

    operations = [
        migrations.AddField(
            model_name="prompt",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=vector(models.F("title"), "A") + vector(text_of("body_html"), "B"),
                output_field=SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="reflection",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True, expression=vector(text_of("body_html"), "B"), output_field=SearchVectorField()
            ),
        ),
        migrations.AddIndex(
            model_name="prompt", index=GinIndex(fields=["search_vector"], name="prompt_search")
        ),
        migrations.AddIndex(
            model_name="reflection", index=GinIndex(fields=["search_vector"], name="reflection_search")
        ),
    ]
