"""The composer (issue 12): scaffold sections, "Write freely instead", the word count and the
suggested length, server-side drafts (saved, restored, discarded, cleared by posting, private to
their author, in the member's download and gone with their account), and the prompt admin's checks."""

import json
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Suspension
from accounts.services import export_data
from community import services
from community.forms import ReflectionForm
from community.models import Draft, Prompt, Reflection
from community.scaffolds import SCAFFOLDS
from moderation import services as moderation
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

GIBBS = [section.heading for section in SCAFFOLDS["gibbs"].sections]


def create_url(prompt):
    return reverse("community:reflection-create", args=[prompt.pk])


def draft_url(prompt):
    return reverse("community:reflection-draft", args=[prompt.pk])


def reply_draft_url(post):
    return reverse("community:reply-draft", args=[post.pk])


def gibbs_prompt(**fields):
    return make_prompt(scaffold="gibbs", **fields)


def sections(*values, mode="sections"):
    data = {f"section_{n}": value for n, value in enumerate(values, 1)}
    return {**data, "mode": mode}


FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


# --- Sections in the composer ---------------------------------------------------------------------


def test_a_scaffolded_activity_shows_a_labelled_field_per_section_with_its_guiding_question(auth_client):
    prompt = gibbs_prompt()
    html = auth_client.get(prompt.get_absolute_url()).content.decode()
    assert "in the sections of Gibbs’ reflective cycle</legend>" in html
    for number, section in enumerate(SCAFFOLDS["gibbs"].sections, 1):
        assert f'<label for="id_section_{number}">{section.heading}</label>' in html
        hint = f'<span class="field__help" id="id_section_{number}_helptext">'
        assert hint in html and section.question.replace("'", "&#x27;") in html
        assert re.search(
            rf'<textarea[^>]*aria-describedby="id_section_{number}_helptext"[^>]*id="id_section_{number}"',
            html,
        )
    assert 'name="body"' not in html
    assert "Write freely instead" in html


def test_an_activity_without_a_scaffold_keeps_the_single_editor(auth_client):
    html = auth_client.get(make_prompt().get_absolute_url()).content.decode()
    assert 'name="body"' in html and "section_1" not in html and "Write freely instead" not in html


def test_posting_the_sections_stores_markdown_with_a_heading_per_section_that_has_text(auth_client, user):
    prompt = gibbs_prompt()
    data = sections("We missed the deadline.", "", "Honest, at least.", "", "", "Ask for help *sooner*.")
    response = auth_client.post(create_url(prompt), data)
    assert response.status_code == HTTPStatus.FOUND
    post = Reflection.objects.get(author=user)
    assert post.body == (
        "## Description\n\nWe missed the deadline.\n\n## Evaluation\n\nHonest, at least.\n\n"
        "## Action plan\n\nAsk for help *sooner*."
    )
    assert "<h2>Description</h2>" in post.body_html and "<em>sooner</em>" in post.body_html
    assert "<h2>Feelings</h2>" not in post.body_html


def test_empty_sections_come_back_with_a_clear_error(auth_client):
    prompt = gibbs_prompt()
    response = auth_client.post(create_url(prompt), sections("", " ", "", "", "", ""))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert '<div id="composer-errors" role="alert">' in html and "your reflection is empty" in html
    assert not Reflection.objects.exists()


def test_sections_that_are_too_long_together_keep_every_word(auth_client, settings):
    settings.REFLECTION_MAX_LENGTH = 50
    prompt = gibbs_prompt()
    response = auth_client.post(create_url(prompt), sections("a" * 30, "b" * 30))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "the limit is 50" in html and "a" * 30 in html and "b" * 30 in html


@pytest.mark.parametrize("htmx", [False, True])
def test_write_freely_instead_keeps_what_was_typed_as_markdown(auth_client, htmx):
    prompt = gibbs_prompt()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {**sections("It happened.", "Worried."), "switch": "free"}
    response = auth_client.post(create_url(prompt), data, **headers)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert not Reflection.objects.exists()
    assert ">\n## Description\n\nIt happened.\n\n## Feelings\n\nWorried.</textarea>" in html
    assert 'name="mode" value="free"' in html and "section_1" not in html
    assert "Use the sections of Gibbs’ reflective cycle" in html
    if htmx:
        assert response.headers["HX-Retarget"] == "#reflection-form" and "<html" not in html


def test_using_the_sections_again_splits_the_text_under_its_headings(auth_client):
    prompt = gibbs_prompt()
    text = "A start.\n\n## Feelings\n\nCalm.\n\n## Action plan\n\nTry again."
    response = auth_client.post(create_url(prompt), {"body": text, "mode": "free", "switch": "sections"})
    form = response.context["form"]
    assert form.in_sections and form.section_values() == ["A start.", "Calm.", "", "", "", "Try again."]


def test_free_writing_under_a_scaffold_posts_the_text_as_written(auth_client, user):
    prompt = gibbs_prompt()
    response = auth_client.post(create_url(prompt), {"body": "Just my thoughts.", "mode": "free"})
    assert response.status_code == HTTPStatus.FOUND
    assert Reflection.objects.get(author=user).body == "Just my thoughts."


def test_custom_sections_are_the_facilitators_own(auth_client, user):
    prompt = make_prompt(
        scaffold="custom", custom_sections="Before | What did you expect?\nAfter | What happened?"
    )
    html = auth_client.get(prompt.get_absolute_url()).content.decode()
    assert '<label for="id_section_1">Before</label>' in html and "What did you expect?" in html
    assert "Your reflection, in the sections of this activity</legend>" in html
    auth_client.post(create_url(prompt), sections("", "It rained."))
    assert Reflection.objects.get(author=user).body == "## After\n\nIt rained."


def test_replies_are_written_freely_even_under_a_scaffold(auth_client, other_user):
    post = make_reflection(prompt=gibbs_prompt(), author=other_user)
    html = auth_client.get(reverse("community:reflection-reply", args=[post.pk])).content.decode()
    assert 'name="reply-body"' in html and "section_1" not in html


# --- Word count and the suggested length ----------------------------------------------------------


def test_the_suggested_length_is_guidance_and_never_blocks_posting(auth_client, user):
    prompt = make_prompt(suggested_words=150)
    html = auth_client.get(prompt.get_absolute_url()).content.decode()
    assert "Aim for at least 150 words: a guide, not a limit." in html
    assert 'data-word-count data-aim="150" hidden' in html  # the live count, for JavaScript
    response = auth_client.post(create_url(prompt), {"body": "Short one."})
    assert response.status_code == HTTPStatus.FOUND and Reflection.objects.filter(author=user).exists()


def test_preview_without_javascript_shows_the_word_count(auth_client):
    prompt = make_prompt(suggested_words=20)
    response = auth_client.post(create_url(prompt), {"body": "I didn't *see* it — twice.", "preview": "1"})
    html = response.content.decode()
    assert "Preview — not posted yet · 5 words (the suggestion is at least 20)" in html
    assert not Reflection.objects.exists()


def test_preview_of_sections_counts_only_the_members_words(auth_client):
    prompt = gibbs_prompt()
    response = auth_client.post(create_url(prompt), {**sections("One two.", "Three."), "preview": "1"})
    html = response.content.decode()
    assert "· 3 words</p>" in html and "<h2>Feelings</h2>" in html
    assert 'value="One two.">' not in html and ">\nOne two.</textarea>" in html  # the sections kept


# --- Drafts ---------------------------------------------------------------------------------------


def test_autosave_keeps_a_draft_and_answers_with_a_short_status(auth_client, user):
    prompt = make_prompt()
    response = auth_client.post(draft_url(prompt), {"body": "Half a thought"}, **FETCH)
    assert response.status_code == HTTPStatus.OK and response.content.decode().strip() == "Draft saved"
    draft = Draft.objects.get(user=user, prompt=prompt, parent=None)
    assert draft.fields == {"body": "Half a thought", "mode": "free"}
    auth_client.post(draft_url(prompt), {"body": "Half a thought, now whole."}, **FETCH)
    assert Draft.objects.get().fields["body"] == "Half a thought, now whole."  # one draft, updated


def test_returning_to_the_activity_restores_the_draft(auth_client):
    prompt = make_prompt()
    auth_client.post(draft_url(prompt), {"body": "Kept for later <b>safe</b>"}, **FETCH)
    html = auth_client.get(prompt.get_absolute_url()).content.decode()
    assert ">\nKept for later &lt;b&gt;safe&lt;/b&gt;</textarea>" in html
    assert "is restored." in html and "Discard draft" in html


def test_a_draft_written_in_sections_comes_back_in_its_sections(auth_client):
    prompt = gibbs_prompt()
    auth_client.post(draft_url(prompt), sections("Seen.", "", "Good."), **FETCH)
    assert Draft.objects.get().fields["body"] == "## Description\n\nSeen.\n\n## Evaluation\n\nGood."
    form = auth_client.get(prompt.get_absolute_url()).context["form"]
    assert form.in_sections and form.section_values() == ["Seen.", "", "Good.", "", "", ""]


def test_a_draft_written_freely_comes_back_free(auth_client):
    prompt = gibbs_prompt()
    auth_client.post(draft_url(prompt), {"body": "## Feelings\n\nFine", "mode": "free"}, **FETCH)
    form = auth_client.get(prompt.get_absolute_url()).context["form"]
    assert not form.in_sections and form.text() == "## Feelings\n\nFine"


def test_save_draft_without_javascript_goes_back_to_the_composer(auth_client):
    prompt = make_prompt()
    response = auth_client.post(
        draft_url(prompt), {"body": "No script here.", "save_draft": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{prompt.get_absolute_url()}#reflect"
    html = response.content.decode()
    assert "Your draft is saved." in html and ">\nNo script here.</textarea>" in html


def test_posting_clears_the_draft(auth_client, user):
    prompt = make_prompt()
    other_prompt = make_prompt(lesson=prompt.lesson)
    auth_client.post(draft_url(prompt), {"body": "Draft"}, **FETCH)
    auth_client.post(draft_url(other_prompt), {"body": "Another draft"}, **FETCH)
    auth_client.post(create_url(prompt), {"body": "Posted now."})
    assert list(Draft.objects.values_list("prompt_id", flat=True)) == [other_prompt.pk]
    assert "Draft" not in auth_client.get(prompt.get_absolute_url()).context["form"].text()


def test_an_autosave_arriving_after_the_post_keeps_nothing(auth_client, user):
    prompt = make_prompt()
    key = "6a1f4f0e-8d0c-4a5e-9d47-2f6a4c3b1e10"
    auth_client.post(create_url(prompt), {"body": "Posted.", "submission_key": key})
    auth_client.post(draft_url(prompt), {"body": "Posted.", "submission_key": key}, **FETCH)
    assert not Draft.objects.exists()


def test_emptying_the_composer_or_discarding_removes_the_draft(auth_client):
    prompt = make_prompt()
    auth_client.post(draft_url(prompt), {"body": "Something"}, **FETCH)
    response = auth_client.post(draft_url(prompt), {"body": "   "}, **FETCH)
    assert response.content.decode().strip() == "Nothing to keep yet" and not Draft.objects.exists()
    auth_client.post(draft_url(prompt), {"body": "Something"}, **FETCH)
    response = auth_client.post(draft_url(prompt), {"body": "Something", "discard": "1"}, follow=True)
    assert "Your draft is discarded." in response.content.decode() and not Draft.objects.exists()


def test_reply_drafts_are_per_post_and_restored_on_the_reply_page(auth_client, user, other_user):
    first = make_reflection(author=other_user)
    second = make_reflection(prompt=first.prompt, author=other_user)
    auth_client.post(reply_draft_url(first), {"reply-body": "Reply to the first"}, **FETCH)
    auth_client.post(reply_draft_url(second), {"reply-body": "Reply to the second"}, **FETCH)
    auth_client.post(draft_url(first.prompt), {"body": "My own reflection"}, **FETCH)
    assert Draft.objects.filter(user=user).count() == 3
    html = auth_client.get(reverse("community:reflection-reply", args=[first.pk])).content.decode()
    assert ">\nReply to the first</textarea>" in html and "Reply to the second" not in html
    quoted = auth_client.get(reverse("community:reflection-reply", args=[first.pk]) + "?quote=1")
    assert quoted.context["form"].initial["body"].startswith("Reply to the first\n\n> A thought.")
    auth_client.post(reverse("community:reflection-reply", args=[first.pk]), {"reply-body": "Sent."})
    assert set(Draft.objects.values_list("parent_id", flat=True)) == {second.pk, None}


def test_a_draft_is_its_authors_alone(client, user, other_user):
    """Another member can neither read a member's draft nor overwrite it: their own draft is theirs."""
    prompt = make_prompt()
    post = make_reflection(prompt=prompt, author=make_user())
    client.force_login(user)
    client.post(draft_url(prompt), {"body": "AMARA-PRIVATE-DRAFT"}, **FETCH)
    client.post(reply_draft_url(post), {"reply-body": "AMARA-PRIVATE-REPLY"}, **FETCH)

    client.force_login(other_user)
    assert b"AMARA-PRIVATE" not in client.get(prompt.get_absolute_url()).content
    assert b"AMARA-PRIVATE" not in client.get(reverse("community:reflection-reply", args=[post.pk])).content
    client.post(draft_url(prompt), {"body": "Ben's words"}, **FETCH)
    client.post(draft_url(prompt), {"body": "x", "discard": "1"}, **FETCH)
    client.post(reply_draft_url(post), {"reply-body": ""}, **FETCH)
    assert "AMARA-PRIVATE" not in json.dumps(export_data(other_user), default=str)

    mine = {d.parent_id: d.fields["body"] for d in Draft.objects.filter(user=user)}
    assert mine == {None: "AMARA-PRIVATE-DRAFT", post.pk: "AMARA-PRIVATE-REPLY"}
    assert not Draft.objects.filter(user=other_user).exists()
    client.force_login(user)
    assert b"AMARA-PRIVATE-DRAFT" in client.get(prompt.get_absolute_url()).content


def test_drafting_needs_the_same_standing_as_posting(client, user, other_user):
    prompt = make_prompt()
    post = make_reflection(prompt=prompt, author=other_user)
    assert client.post(draft_url(prompt), {"body": "x"}).status_code == HTTPStatus.FOUND  # to log in
    Suspension.objects.create(user=user, reason="Rude", ends_at=timezone.now() + timedelta(days=1))
    client.force_login(user)
    assert client.post(draft_url(prompt), {"body": "x"}, **FETCH).status_code == HTTPStatus.FORBIDDEN
    assert (
        client.post(reply_draft_url(post), {"reply-body": "x"}, **FETCH).status_code == HTTPStatus.FORBIDDEN
    )
    client.force_login(make_user())
    moderation.hide_reflection(reflection=post, moderator=make_user(role="Moderator"), reason="Off topic")
    assert (
        client.post(reply_draft_url(post), {"reply-body": "x"}, **FETCH).status_code == HTTPStatus.NOT_FOUND
    )
    assert not Draft.objects.exists()


def test_a_rate_limited_draft_keeps_the_text(auth_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "draft": "1/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = {**settings.NEW_ACCOUNT_RATE_LIMITS, "draft": "1/h"}
    prompt = make_prompt()
    auth_client.post(draft_url(prompt), {"body": "First"}, **FETCH)
    response = auth_client.post(draft_url(prompt), {"body": "Second"}, **FETCH)
    assert response.status_code == 429 and "your text is still here" in response.content.decode()
    response = auth_client.post(draft_url(prompt), {"body": "Third, no script", "save_draft": "1"})
    assert response.status_code == 429 and ">\nThird, no script</textarea>" in response.content.decode()
    assert Draft.objects.get().fields["body"] == "First"


def test_a_draft_over_the_length_limit_is_refused_and_kept_on_the_page(auth_client, settings):
    settings.REFLECTION_MAX_LENGTH = 10
    prompt = make_prompt()
    response = auth_client.post(draft_url(prompt), {"body": "far too long for it"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert ">\nfar too long for it</textarea>" in response.content.decode() and not Draft.objects.exists()


def test_drafts_are_in_the_members_download_and_go_with_their_account(client, user):
    prompt = make_prompt(title="What helped?")
    post = make_reflection(prompt=prompt, author=make_user())
    client.force_login(user)
    client.post(draft_url(prompt), {"body": "Unposted *words*"}, **FETCH)
    client.post(reply_draft_url(post), {"reply-body": "Unposted reply"}, **FETCH)
    drafts = export_data(user)["drafts"]
    assert [(d["prompt"]["title"], d["reply_to_post_id"], d["body"]) for d in drafts] == [
        ("What helped?", None, "Unposted *words*"),
        ("What helped?", post.pk, "Unposted reply"),
    ]
    markdown = client.get(reverse("accounts:export-markdown")).content.decode()
    assert "## Drafts not posted (2)" in markdown and "Unposted *words*" in markdown
    response = client.post(
        reverse("accounts:delete"), {"posts": "keep", "password": "a-long-test-password-42", "confirm": "on"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not Draft.objects.filter(user=user).exists()


def test_save_draft_service_upserts_one_row_per_composer(user):
    prompt = make_prompt()
    post = make_reflection(prompt=prompt)
    first = services.save_draft(user=user, prompt=prompt, fields={"body": "a", "mode": "free"})
    again = services.save_draft(user=user, prompt=prompt, fields={"body": "b", "mode": "free"})
    reply = services.save_draft(user=user, prompt=prompt, parent=post, fields={"body": "c", "mode": "free"})
    assert first.pk == again.pk != reply.pk
    assert Draft.objects.get(pk=first.pk).fields["body"] == "b"
    assert services.save_draft(user=user, prompt=prompt, fields={"body": " ", "mode": "free"}) is None
    assert list(Draft.objects.values_list("parent_id", flat=True)) == [post.pk]


# --- The prompt admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, facilitator):
    client.force_login(facilitator)
    return client


def admin_data(prompt, **overrides):
    data = {"lesson": prompt.lesson.pk, "title": prompt.title, "body": prompt.body, "pin_position": 0}
    return {
        **data,
        "scaffold": "",
        "custom_sections": "",
        "suggested_words": "",
        "anonymous_posting": "off",
        **overrides,
    }


def test_the_admin_sets_a_scaffold_and_a_suggested_length_through_update_prompt(admin_client):
    prompt = make_prompt()
    url = reverse("admin:community_prompt_change", args=[prompt.pk])
    response = admin_client.post(url, admin_data(prompt, scaffold="kolb", suggested_words="150"))
    assert response.status_code == HTTPStatus.FOUND
    prompt.refresh_from_db()
    assert (prompt.scaffold, prompt.suggested_words) == ("kolb", 150)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"scaffold": "custom", "custom_sections": ""}, "custom_sections", "Add at least one section"),
        ({"scaffold": "custom", "custom_sections": "A | b | c"}, "custom_sections", "Line 1: use one “|”"),
        ({"suggested_words": "0"}, "suggested_words", "Suggest between 1 and 5,000 words"),
    ],
)
def test_the_admin_explains_composer_settings_it_cannot_use(admin_client, overrides, field, message):
    prompt = make_prompt()
    url = reverse("admin:community_prompt_change", args=[prompt.pk])
    response = admin_client.post(url, admin_data(prompt, **overrides))
    assert response.status_code == HTTPStatus.OK
    assert any(message in error for error in response.context["adminform"].form.errors[field])
    assert Prompt.objects.get(pk=prompt.pk).scaffold == ""


def test_the_admin_accepts_the_facilitators_own_sections(admin_client):
    prompt = make_prompt()
    url = reverse("admin:community_prompt_change", args=[prompt.pk])
    sections_text = "Before | What did you expect?\nAfter | What happened?"
    response = admin_client.post(url, admin_data(prompt, scaffold="custom", custom_sections=sections_text))
    assert response.status_code == HTTPStatus.FOUND
    assert Prompt.objects.get(pk=prompt.pk).custom_sections == sections_text


def test_form_switching_keeps_the_submission_key():
    form = ReflectionForm(
        {**sections("A"), "submission_key": "6a1f4f0e-8d0c-4a5e-9d47-2f6a4c3b1e10"},
        sections=SCAFFOLDS["rolfe"].sections,
    )
    free = form.switched("free")
    assert str(free.initial["submission_key"]) == "6a1f4f0e-8d0c-4a5e-9d47-2f6a4c3b1e10"
    assert free.initial["body"] == "## What?\n\nA" and not free.in_sections


# --- Valid HTML -----------------------------------------------------------------------------------


def test_the_composers_states_are_valid_html(request, auth_client, other_user):
    from tests.html_validation import nu_errors, require_java

    require_java(request.config)
    prompt = gibbs_prompt(suggested_words=150)
    post = make_reflection(prompt=prompt, author=other_user)
    auth_client.post(draft_url(prompt), sections("Drafted."), **FETCH)
    auth_client.post(reply_draft_url(post), {"reply-body": "Drafted reply."}, **FETCH)
    create = create_url(prompt)
    pages = {
        "sections with a restored draft": auth_client.get(prompt.get_absolute_url()),
        "sections, preview": auth_client.post(create, {**sections("One.", "Two."), "preview": "1"}),
        "sections, empty": auth_client.post(create, sections("", "")),
        "free, empty": auth_client.post(create, {"body": " ", "mode": "free"}),
        "written freely": auth_client.post(create, {**sections("One."), "switch": "free"}),
        "reply with a restored draft": auth_client.get(reverse("community:reflection-reply", args=[post.pk])),
    }
    assert "is restored." in pages["reply with a restored draft"].content.decode()
    errors = nu_errors({name: response.content.decode() for name, response in pages.items()})
    assert {name: found for name, found in errors.items() if found} == {}


def test_save_draft_of_a_reply_without_javascript_goes_back_to_the_reply_page(auth_client, other_user):
    post = make_reflection(author=other_user)
    response = auth_client.post(
        reply_draft_url(post), {"reply-body": "Not yet sent", "save_draft": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("community:reflection-reply", args=[post.pk])
    html = response.content.decode()
    assert "Your draft is saved." in html and ">\nNot yet sent</textarea>" in html and "is restored." in html
