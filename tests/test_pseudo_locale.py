"""Every word a person sees is translatable (issue 26).

The site runs in a pseudo-locale (tests/pseudo_locale.py): every catalogued message in look-alike
letters. The world's data is written in look-alikes too. Then the main pages of every kind of
member (learner, facilitator, moderator, staff in the admin), a form that comes back with errors,
the messages after an action, the emails and digests, and the learning log's and the data export's
files are fetched: a plain English word in any of them never went through gettext.
"""

import io

import pytest
from django.conf import locale as django_locale
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import roles
from community import services
from community.models import Prompt
from facilitation import services as facilitation
from followthrough import services as followthrough
from notifications import services as notices
from notifications.models import Subscription
from notifications.tasks import send_digests
from tests import pseudo_locale
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_user
from tests.pseudo_locale import pseudo

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

REFLECT_APPS = {
    "accounts", "community", "facilitation", "followthrough", "insights", "journal",
    "learning_records", "lessons", "live", "lti", "moderation", "notifications", "search",
}  # fmt: skip
HANDLES = ("ana_p", "ben_o", "chloe_m", "farah_f", "mo_m", "sam_s")


@pytest.fixture
def pseudo_site(settings, tmp_path_factory):
    """The whole site, mail and worker included, in the pseudo-locale."""
    directory = pseudo_locale.build(tmp_path_factory.getbasetemp() / "pseudo-locale")
    django_locale.LANG_INFO.setdefault(
        pseudo_locale.CODE,
        {"bidi": False, "code": pseudo_locale.CODE, "name": "Pseudo", "name_local": pseudo("Pseudo")},
    )
    settings.LOCALE_PATHS = [directory, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (pseudo_locale.CODE, pseudo("Pseudo"))]
    settings.LANGUAGE_CODE = pseudo_locale.CODE
    with translation.override(pseudo_locale.CODE):
        assert translation.gettext("Language") == pseudo("Language")  # the catalogue is read
        yield


class World:
    pass


@pytest.fixture
def world(pseudo_site, committed, jobs, settings):
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    w = World()
    w.course = make_course(title=pseudo("Learning from mistakes"), slug="mistakes")
    w.lesson = make_lesson(
        course=w.course, title=pseudo("Take responsibility"), slug="responsibility",
        body=pseudo("Read the *case*, then reflect."),
    )  # fmt: skip
    w.facilitator = make_user(
        role=roles.FACILITATOR, display_name=pseudo("Farah Facilitator"), handle="farah_f",
        email="farah@example.org",
    )  # fmt: skip
    w.prompt = make_prompt(
        lesson=w.lesson, author=w.facilitator, title=pseudo("What did you get wrong?"),
        body=pseudo("Think of a time when a plan failed."), anonymous_posting=Prompt.AnonymousPosting.ALLOWED,
    )  # fmt: skip
    w.ana = make_user(display_name=pseudo("Ana Pérez"), handle="ana_p", email="ana@example.org")
    w.ben = make_user(display_name=pseudo("Ben Okafor"), handle="ben_o", email="ben@example.org")
    w.chloe = make_user(display_name=pseudo("Chloe Martin"), handle="chloe_m", email="chloe@example.org")
    w.moderator = make_user(
        role=roles.MODERATOR, display_name=pseudo("Mo Moderator"), handle="mo_m", email="mo@example.org"
    )
    w.staff = make_user(
        is_staff=True,
        is_superuser=True,
        display_name=pseudo("Sam Staff"),
        handle="sam_s",
        email="sam@example.org",
    )
    enrol(w.ana, w.ben, w.chloe, course=w.course)
    notices.set_activity_level(user=w.ben, prompt=w.prompt, level=Subscription.Level.WATCHING)
    with committed():
        w.ben_post = services.create_reflection(
            prompt=w.prompt, author=w.ben, body=pseudo("I rushed a handover, and learned to slow down.")
        )
        w.ana_post = services.create_reflection(
            prompt=w.prompt,
            author=w.ana,
            anonymous=True,
            body=pseudo("I hid an error for a week.") + " @ben_o",
        )
        w.reply = services.create_reflection(
            prompt=w.prompt, author=w.chloe, parent=w.ben_post, body=pseudo("Thank you for saying it.")
        )
        services.like_reflection(reflection=w.ben_post, user=w.chloe)
        services.like_reflection(reflection=w.ana_post, user=w.ben)
        w.secret = services.create_reflection(
            prompt=w.prompt, author=w.chloe, body=pseudo("Only for you."), for_facilitators=True
        )
        w.follow_up = followthrough.write_follow_up(
            original=w.ben_post, author=w.ben, body=pseudo("Three weeks on, it went well.")
        )
        facilitation.publish_summary(
            prompt=w.prompt, by=w.facilitator, body=pseudo("What we learned."), quoted_ids=[w.ben_post.pk]
        )
    jobs.run()
    send_digests("daily")
    send_digests("weekly")
    jobs.run()
    return w


def fetch(client: Client, url: str, **extra) -> str:
    response = client.get(url, follow=True, **extra)
    assert response.status_code in (200, 403, 404), (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode()


def untranslated(pages: dict[str, str], data: tuple[str, ...] = ()) -> dict[str, list[str]]:
    found = {}
    for name, text in pages.items():
        is_html = "<" in text and (text.lstrip().startswith("<") or "<!DOCTYPE" in text or "<div" in text)
        words = pseudo_locale.english(text, data=HANDLES + data, is_html=is_html)
        if words:
            found[name] = words[:8]
    return found


def learner_pages(client: Client, w) -> dict[str, str]:
    client.force_login(w.ben)
    space = w.prompt.get_absolute_url()
    urls = {
        "courses": reverse("lessons:course-list"),
        "course": w.course.get_absolute_url(),
        "lesson": w.lesson.get_absolute_url(),
        "space": space,
        "space newest": f"{space}?order=newest",
        "space liked": f"{space}?order=liked",
        "thread": reverse("community:thread", args=[w.ben_post.pk]),
        "permalink": reverse("community:post", args=[w.ana_post.pk]),
        "reply form": reverse("community:reflection-reply", args=[w.ben_post.pk]),
        "quote": reverse("community:reflection-reply", args=[w.ana_post.pk]) + "?quote=1",
        "edit": reverse("community:reflection-edit", args=[w.ben_post.pk]),
        "history": reverse("community:reflection-history", args=[w.ben_post.pk]),
        "delete": reverse("community:reflection-delete", args=[w.ben_post.pk]),
        "likes": reverse("community:reflection-likes", args=[w.ben_post.pk]),
        "like reason": reverse("community:like-reason", args=[w.ana_post.pk]),
        "report": reverse("moderation:report", args=[w.reply.pk]),
        "follow-up form": reverse("followthrough:follow-up", args=[w.ben_post.pk]),
        "landed": reverse("followthrough:landed"),
        "search": reverse("search:results") + "?q=" + pseudo("error"),
        "search empty": reverse("search:results"),
        "notifications": reverse("notifications:list"),
        "notification settings": reverse("notifications:settings"),
        "profile": reverse("accounts:profile", args=["chloe_m"]),
        "own profile": reverse("accounts:profile", args=["ben_o"]),
        "profile settings": reverse("accounts:profile-edit"),
        "data export": reverse("accounts:export"),
        "data export md": reverse("accounts:export-markdown"),
        "delete account": reverse("accounts:delete"),
        "learning log": reverse("journal:learning-log"),
        "learning log md": reverse("journal:export-markdown"),
        "learning log csv": reverse("journal:export-csv"),
        "learning records": reverse("learning_records:settings"),
        "email settings": reverse("account_email"),
        "password": reverse("account_change_password"),
        "not found": "/no-such-page/",
    }
    return {name: fetch(client, url) for name, url in urls.items()}


def test_a_learner_sees_no_untranslated_word(client, world, jobs):
    pages = learner_pages(client, world)
    # The learning log's PDF: asked for, laid out by the worker, downloaded.
    waiting = client.post(reverse("journal:export-pdf"), follow=True)
    pages["learning log pdf waiting"] = waiting.content.decode()
    jobs.run()
    export = waiting.redirect_chain[-1][0]
    pages["learning log pdf ready"] = fetch(client, export)
    pages["learning log pdf"] = fetch(client, export.rstrip("/") + "/download/")
    assert pseudo("Learning from mistakes") in pages["course"]
    assert not untranslated(pages)


def test_forms_errors_and_messages_are_translated(client, world):
    w = world
    client.force_login(w.chloe)
    pages = {}
    empty = client.post(reverse("community:reflection-create", args=[w.prompt.pk]), {"body": ""}, follow=True)
    pages["empty reflection"] = empty.content.decode()
    posted = client.post(
        reverse("community:reflection-create", args=[w.prompt.pk]),
        {"body": pseudo("A new thought.")},
        follow=True,
    )
    pages["after posting"] = posted.content.decode()
    bad_profile = client.post(
        reverse("accounts:profile-edit"), {"display_name": "", "handle": "?"}, follow=True
    )
    pages["profile with errors"] = bad_profile.content.decode()
    client.logout()
    pages["sign in"] = fetch(client, reverse("account_login"))
    pages["sign in failed"] = client.post(
        reverse("account_login"), {"login": "ben@example.org", "password": "wrong"}, follow=True
    ).content.decode()
    pages["sign up"] = fetch(client, reverse("account_signup"))
    assert not untranslated(pages)


def test_facilitators_and_moderators_see_no_untranslated_word(client, world):
    w = world
    client.force_login(w.facilitator)
    pages = {
        "worklist": fetch(client, reverse("insights:worklist")),
        "insights": fetch(client, reverse("insights:activity", args=[w.prompt.pk])),
        "insights csv": fetch(client, reverse("insights:csv", args=[w.prompt.pk])),
        "facilitate activity": fetch(client, reverse("facilitation:activity", args=[w.prompt.pk])),
        "library": fetch(client, reverse("facilitation:library")),
        "space as facilitator": fetch(client, w.prompt.get_absolute_url()),
    }
    client.force_login(w.moderator)
    pages |= {
        "moderation queue": fetch(client, reverse("moderation:queue")),
        "moderation log": fetch(client, reverse("moderation:log")),
        "moderated post": fetch(client, reverse("moderation:post", args=[w.ben_post.pk])),
        "member": fetch(client, reverse("moderation:member", args=["ben_o"])),
    }
    assert not untranslated(pages)


def test_the_admin_labels_reflects_models_in_the_language(client, world):
    client.force_login(world.staff)
    pages = {"admin index": fetch(client, reverse("admin:index"))}
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in REFLECT_APPS:
            continue
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        pages[f"admin {meta.label} list"] = fetch(client, changelist)
        if admin.site._registry[model].has_add_permission(_Request(world.staff)):
            pages[f"admin {meta.label} add"] = fetch(
                client, reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            )
    # The role groups' names are rows (accounts.roles), shown as the admin shows any group; the
    # sidebar also lists other projects' models (django-lti's, Procrastinate's), which ship no
    # catalogues of their own; and Django's admin writes a few icons' alt texts in English itself
    # (the search icon's "Search", a boolean's "True"/"False").
    others = (
        "Procrastinate jobs",
        "Procrastinate",
        "LTI tool",
        "LTI registrations",
        "LTI deployments",
        "JWKs",
    )
    others += ("Search", "True", "False", "None")
    assert not untranslated(pages, data=(*Group.objects.values_list("name", flat=True), *others))


class _Request:
    def __init__(self, user):
        self.user = user


def test_emails_and_digests_are_translated(world):
    messages = mail.outbox
    assert len(messages) >= 3, [message.subject for message in messages]
    texts = {}
    for number, message in enumerate(messages):
        texts[f"email {number} subject"] = message.subject
        texts[f"email {number} text"] = message.body
        for position, (content, _type) in enumerate(getattr(message, "alternatives", [])):
            texts[f"email {number} html {position}"] = content
    assert not untranslated(texts)
