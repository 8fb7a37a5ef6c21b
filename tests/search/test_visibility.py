"""Search is one more read path, so it must agree with the one rule: the world of
tests/community/test_visibility.py (hidden posts and threads, independent reflection, a draft
lesson, a removed post, eight kinds of viewer), each post, activity and lesson given a word of its
own, is searched word by word by every viewer through /search/; each search finds exactly what
``visible_to`` gives that viewer, and the count says so too.
"""

import re
from http import HTTPStatus

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse

from community.models import Prompt, Reflection
from lessons.models import Lesson
from tests.community.test_visibility import VIEWERS, _login, _viewer, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]  # the world enrols whom it means to (decision 51)
URL = reverse("search:results")
EVERYWHERE = "zzeverywhere"  # a word given to every post too, to check a count over many posts


def _word(kind: str, name: str) -> str:
    return f"zz{kind}{re.sub('[^a-z]', '', name)}"


def _add_word(model, pk: int, word: str) -> None:
    """Straight into the stored HTML (as if the post had said it): the search column follows."""
    model.objects.filter(pk=pk).update(body_html=Concat(Value(f"<p>{word}</p>"), F("body_html")))


def _found(html: str) -> dict[str, set]:
    links = re.findall(r'<h3 class="search-result__title">\s*<a href="([^"]+)"', html)
    return {
        "posts": {int(m.group(1)) for link in links if (m := re.fullmatch(r"/posts/(\d+)/", link))},
        "links": set(links),
    }


def _count(html: str) -> int:
    match = re.search(r"<strong>(\d+) results?</strong>", html)
    return int(match.group(1)) if match else 0


@pytest.fixture
def world():
    world = build_world()
    for name, post in world.posts.items():
        # The removed post is a text-less placeholder; give its row words anyway: it must still
        # never be found (deleted posts are left out by the query, not only by having no words).
        _add_word(Reflection, post.pk, f"{_word('post', name)} {EVERYWHERE}")
    world.prompts = {"open": world.open_prompt, "independent": world.independent, "draft": world.draft_prompt}
    for name, prompt in world.prompts.items():
        _add_word(Prompt, prompt.pk, _word("prompt", name))
    world.lessons = {"published": world.open_prompt.lesson, "draft": world.draft_prompt.lesson}
    for name, lesson in world.lessons.items():
        _add_word(Lesson, lesson.pk, _word("lesson", name))
    return world


@pytest.mark.parametrize("public_reading", [False, True])
@pytest.mark.parametrize("name", VIEWERS)
def test_searching_finds_exactly_what_visible_to_gives(client, settings, world, name, public_reading):
    settings.COMMUNITY_PUBLIC_READING = public_reading
    viewer = _viewer(world, name)
    _login(client, world, name)
    rule = set(Reflection.objects.visible_to(viewer).live().values_list("pk", flat=True))
    assert world.posts["removed"].pk not in rule  # a placeholder: never a result

    if name == "anonymous" and not public_reading:
        response = client.get(URL, {"q": EVERYWHERE})
        assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response.url
        return

    for post_name, post in world.posts.items():
        response = client.get(URL, {"q": _word("post", post_name)})
        assert response.status_code == HTTPStatus.OK
        found = _found(response.text)["posts"]
        expected = {post.pk} if post.pk in rule else set()
        assert found == expected, f"{name} searching {post_name}: found {found}, rule gives {expected}"
        assert _count(response.text) == len(expected)
        if not expected:
            assert "<mark>" not in response.text  # no snippet of it either

    everything = client.get(URL, {"q": EVERYWHERE})
    assert _found(everything.text)["posts"] == rule
    assert _count(everything.text) == len(rule)

    prompts = set(Prompt.objects.visible_to(viewer).values_list("pk", flat=True))
    for prompt_name, prompt in world.prompts.items():
        links = _found(client.get(URL, {"q": _word("prompt", prompt_name)}).text)["links"]
        assert links == ({prompt.get_absolute_url()} if prompt.pk in prompts else set()), (name, prompt_name)

    lessons = set(Lesson.objects.visible_to(viewer).values_list("pk", flat=True))
    for lesson_name, lesson in world.lessons.items():
        links = _found(client.get(URL, {"q": _word("lesson", lesson_name)}).text)["links"]
        assert links == ({lesson.get_absolute_url()} if lesson.pk in lessons else set()), (name, lesson_name)
