"""Full-text search: a stored generated tsvector column on lessons (title at weight A, summary and
text at weight B, the text's tags replaced by spaces) with a GIN index.

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
    dependencies = [("lessons", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=vector(models.F("title"), "A")
                + vector(models.F("summary"), "B")
                + vector(text_of("body_html"), "B"),
                output_field=SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="lesson", index=GinIndex(fields=["search_vector"], name="lesson_search")
        ),
    ]
