"""The obligations of pages the browser keeps (``core.conditional``), each a guard that fails loudly:

(a) every table a kept page's build reads moves a version when written (a trigger installed with
    ``core.versions.trigger_sql``), or is on ``UNVERSIONED`` with the reason;
(b) every setting read while such a page is built is part of its tag (``keyed_settings``: every
    setting of plain data), or is on ``UNKEYED`` with the reason.

(The third, every write in a space takes its version first, is tests/community/test_space_locks.py;
the fourth, a new release renders every post fragment again, is in tests/community/test_post_fragments.py.)
"""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.functional import lazy

from accounts import roles
from community import services
from core import conditional, versions
from notifications import services as notices
from notifications.models import Notification, Subscription
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

# Tables read while a kept page is built that move no version, and why that is safe.
UNVERSIONED = {
    "core_version": "the versions themselves",
    "auth_group": "role names, fixed by a migration; who has which (accounts_user_groups) moves user:<id>",
    "community_activityvisit": 'a visit only decides the "New" markers, and a page showing them is never kept',
    "django_session": "the session only says who the viewer is: another viewer is another tag",
}

# Settings read while a kept page is built that are not plain data (so not in the tag), and why.
UNKEYED: dict[str, str] = {}

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?', re.I)


def tables_read(statements: list[str]) -> set[str]:
    return {name for sql in statements for name in _TABLE.findall(sql)}


def unversioned(tables: set[str], covered: set[str]) -> set[str]:
    return tables - covered - set(UNVERSIONED)


def unkeyed(read: set[str], keyed: set[str]) -> set[str]:
    return read - keyed - set(UNKEYED)


@pytest.fixture
def pages(settings):
    """The kept pages, each as a viewer with the most on it sees it: a space with likes and
    reasons, replies, a draft, a followed thread and an unread notice; its thread page; the page a
    permalink lands on; an anonymous reader's and a moderator's view."""
    settings.COMMUNITY_PUBLIC_READING = True
    course = make_course()
    lesson = make_lesson(course=course)
    prompt = make_prompt(lesson=lesson, title="First activity")
    make_prompt(lesson=lesson, title="Second activity")
    author, reader = make_user(display_name="Asha Author"), make_user(display_name="Ravi Reader")
    moderator = make_user(role=roles.MODERATOR)
    enrol(author, reader, course=course)
    post = make_reflection(prompt=prompt, author=author, body="Original words")
    reply = make_reflection(parent=post, author=reader, body="A reply")
    like = services.like_reflection(reflection=post, user=reader)
    services.set_like_reason(like=like, reason="It helped")
    services.save_draft(user=reader, prompt=prompt, fields={"body": "Half a thought"})
    notices.set_thread_level(user=reader, thread=post, level=Subscription.Level.WATCHING)
    Notification.objects.create(recipient=reader, kind="reply", reflection=reply, actor=author)
    Notification.objects.create(recipient=author, kind="reply", reflection=reply, actor=reader)
    viewers = {}
    for name, member in (
        ("reader", reader),
        ("author", author),
        ("moderator", moderator),
        ("anonymous", None),
    ):
        viewers[name] = Client()
        if member is not None:
            viewers[name].force_login(member)
    landing = viewers["reader"].get(reply.get_absolute_url()).headers["Location"].split("#")[0]
    addresses = [prompt.get_absolute_url(), f"/posts/{post.pk}/thread/", landing]
    return viewers, addresses


def build_every_page(pages, record=lambda: None) -> list[str]:
    """Build each page for each viewer (no tag sent); the SQL they ran."""
    viewers, addresses = pages
    statements = []
    for client in viewers.values():
        for address in addresses:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(address)
            assert response.status_code == 200 and response.headers.get("ETag"), address
            statements += [query["sql"] for query in captured.captured_queries]
    return statements


def test_every_table_a_kept_page_reads_moves_a_version(pages):
    tables = tables_read(build_every_page(pages))
    assert "community_reflection" in tables and "accounts_user" in tables  # the capture works
    missing = unversioned(tables, versions.covered_tables())
    assert not missing, (
        f"kept pages read {sorted(missing)}, whose writes move no version: add a trigger in a "
        "migration (core.versions.trigger_sql) or, if a change there can never change a page, "
        "add it to UNVERSIONED with the reason"
    )


def test_the_table_guard_fails_when_a_table_loses_its_trigger(pages):
    tables = tables_read(build_every_page(pages))
    with connection.cursor() as cursor:  # undone with the test's transaction
        for operation in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER core_stamp_community_draft_{operation} ON community_draft")
    assert unversioned(tables, versions.covered_tables()) == {"community_draft"}


class RecordingSettings:
    """Django's settings, recording the names read through them."""

    def __init__(self, wrapped):
        object.__setattr__(self, "wrapped", wrapped)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name):
        value = getattr(self.wrapped, name)  # a setting that is not set is read by no one
        if name.isupper():
            self.read.add(name)
        return value

    def __setattr__(self, name, value):
        setattr(self.wrapped, name, value)

    def __delattr__(self, name):
        delattr(self.wrapped, name)


def settings_read_while_building(pages) -> set[str]:
    original = django_settings._wrapped
    recording = RecordingSettings(original)
    django_settings._wrapped = recording  # clears the values LazySettings cached
    try:
        build_every_page(pages)
    finally:
        django_settings._wrapped = original
    return recording.read


def test_every_setting_a_kept_page_reads_is_part_of_its_tag(pages):
    read = settings_read_while_building(pages)
    assert {"REPLIES_SHOWN_PER_THREAD", "SITE_NAME"} <= read  # the recording works
    missing = unkeyed(read, set(conditional.keyed_settings()))
    assert not missing, (
        f"kept pages read the settings {sorted(missing)}, which are not plain data and so not in "
        "the tag: make them plain (str, numbers, lists, dicts…) or add them to UNKEYED with why"
    )


def test_the_settings_guard_fails_for_a_setting_the_tag_cannot_hold(pages, settings):
    settings.SITE_NAME = lazy(lambda: "Reflect", str)()  # an object, not plain data
    read = settings_read_while_building(pages)
    assert unkeyed(read, set(conditional.keyed_settings())) == {"SITE_NAME"}


def test_a_changed_setting_changes_every_tag(pages, settings):
    viewers, addresses = pages
    client = viewers["reader"]
    tag = client.get(addresses[0]).headers["ETag"]
    assert client.get(addresses[0], headers={"If-None-Match": tag}).status_code == 304
    settings.REFLECTION_MAX_LENGTH += 1  # one that no test reads in the page's own words
    assert client.get(addresses[0], headers={"If-None-Match": tag}).status_code == 200
