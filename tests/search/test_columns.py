"""The search columns and their language: the check that notices a changed SEARCH_CONFIG, and the
command that rebuilds the columns."""

import io

import pytest
from django.core.management import call_command

from search.checks import search_columns_use_the_configured_language
from search.services import search
from tests.factories import make_lesson, make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def test_the_check_reports_columns_made_with_another_configuration(settings):
    assert search_columns_use_the_configured_language(databases=["default"]) == []
    settings.SEARCH_CONFIGS = {**settings.SEARCH_CONFIGS, "en-gb": "simple", "es": "simple"}
    errors = search_columns_use_the_configured_language(databases=["default"])
    assert [error.id for error in errors] == ["search.E001"] * 2
    assert "SEARCH_CONFIGS['es']='simple'" in " ".join(error.msg for error in errors)
    assert "rebuild_search_columns" in errors[0].hint
    assert search_columns_use_the_configured_language(databases=None) == []  # no database asked


def test_rebuilding_the_columns_keeps_every_row_searchable(user):
    lesson = make_lesson(title="Rebuilt lesson")
    make_prompt(lesson=lesson, title="A rebuilt activity")
    make_reflection(body="A rebuilt reflection.")
    out = io.StringIO()
    call_command("rebuild_search_columns", stdout=out)
    assert "community_reflection, community_prompt, lessons_lesson" in out.getvalue()
    assert {hit.kind for hit in search(user=user, text="rebuilt").hits} == {
        "lesson",
        "activity",
        "reflection",
    }
    assert search_columns_use_the_configured_language(databases=["default"]) == []


def test_rebuilding_with_another_configuration_reindexes_every_row(user, settings):
    make_reflection(body="We were reflecting together.")
    assert [hit.kind for hit in search(user=user, text="reflect").hits] == ["reflection"]  # English stems
    settings.SEARCH_CONFIG = "simple"
    settings.SEARCH_CONFIGS = {**settings.SEARCH_CONFIGS, "en-gb": "simple"}
    call_command("rebuild_search_columns", stdout=io.StringIO())
    assert search_columns_use_the_configured_language(databases=["default"]) == []
    assert search(user=user, text="reflect").hits == []  # "simple" only lower-cases
    assert [hit.kind for hit in search(user=user, text="reflecting").hits] == ["reflection"]
