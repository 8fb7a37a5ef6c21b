"""Search stems each course's words in the course's language (decision 112): the stored vector and
the query use the same text-search configuration, per row."""

import pytest
from django.db import connection

from lessons.services import update_course
from search.services import has_searchable_words, search
from tests.factories import make_course, make_lesson, make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def _config_of(model_table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT search_config::text FROM {model_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _found(user, text: str) -> set[str]:
    return {hit.url for hit in search(user=user, text=text).hits if hit.kind == "reflection"}


def test_a_spanish_course_stems_spanish_words_and_an_english_one_is_unaffected(user):
    spanish = make_prompt(lesson=make_lesson(course=make_course(language="es")), title="Una actividad")
    english = make_prompt(lesson=make_lesson(course=make_course()), title="An activity")
    en_post = make_reflection(prompt=english, body="After each meeting we reflect on what went well.")
    es_post = make_reflection(prompt=spanish, body="Después de cada reunión reflexionamos juntos.")
    en_twin = make_reflection(prompt=english, body="Después de cada reunión reflexionamos juntos.")

    assert _config_of("community_reflection", es_post.pk) == "spanish"
    assert _config_of("community_reflection", en_post.pk) == "english"
    # "reflexionar" and "reflexionamos" share the Spanish stem; in English they are two words.
    assert _found(user, "reflexionar") == {es_post.get_absolute_url()}
    # English stemming is what it was: "reflecting" finds "reflect".
    assert _found(user, "reflecting") == {en_post.get_absolute_url()}
    assert en_twin.get_absolute_url() in _found(user, "reflexionamos")


def test_a_spanish_lesson_and_activity_are_found_by_their_stems(user):
    course = make_course(language="es")
    lesson = make_lesson(course=course, title="Las preguntas difíciles")
    make_prompt(lesson=lesson, title="Preguntamos a los colegas")
    kinds = {hit.kind for hit in search(user=user, text="pregunta").hits}
    assert kinds == {"lesson", "activity"}


def test_changing_a_courses_language_reindexes_its_lessons_activities_and_posts(user):
    course = make_course()
    prompt = make_prompt(lesson=make_lesson(course=course))
    post = make_reflection(prompt=prompt, body="Reflexionamos juntos.")
    assert _found(user, "reflexionar") == set()
    update_course(course=course, language="es")
    assert _config_of("community_reflection", post.pk) == "spanish"
    assert _config_of("community_prompt", prompt.pk) == "spanish"
    assert _config_of("lessons_lesson", prompt.lesson_id) == "spanish"
    assert _found(user, "reflexionar") == {post.get_absolute_url()}


def test_an_arabic_course_uses_the_arabic_configuration(user, settings):
    course = make_course(language="ar")
    post = make_reflection(prompt=make_prompt(lesson=make_lesson(course=course)), body="نتأمل معا في الدرس")
    assert _config_of("community_reflection", post.pk) == settings.SEARCH_CONFIGS["ar"]
    assert _found(user, "الدرس") == {post.get_absolute_url()}


def test_stop_words_are_those_of_the_languages_courses_are_written_in():
    make_course()
    assert not has_searchable_words("the")
    assert has_searchable_words("reflexionar")
    make_course(language="es")
    assert has_searchable_words("the")  # not a Spanish stop word: a Spanish course may hold it
