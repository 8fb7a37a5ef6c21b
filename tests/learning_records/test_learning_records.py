"""Learning records (xAPI): what is recorded, what is never, and delivery to a real LRS (Ralph's,
started by ``conftest.running_lrs``)."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from ralph.models.xapi.base.statements import BaseXapiStatement

from community import services as community
from learning_records import lrs as lrs_client
from learning_records import services
from learning_records.models import RecordSettings, Statement
from tests.factories import make_prompt, make_reflection, make_user
from tests.html_validation import nu_errors, require_java
from tests.learning_records.conftest import PASSWORD, USERNAME, LocalLRS, free_port

pytestmark = pytest.mark.django_db

POSTED = "https://w3id.org/xapi/acrossx/verbs/posted"
REPLIED = "http://id.tincanapi.com/verb/replied"
LIKED = "http://activitystrea.ms/schema/1.0/like"
VIEWED = "http://id.tincanapi.com/verb/viewed"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def payloads(user=None) -> list[dict]:
    rows = Statement.objects.all() if user is None else Statement.objects.filter(user=user)
    return list(rows.order_by("created_at", "id").values_list("payload", flat=True))


def verbs(user) -> list[str]:
    return [payload["verb"]["id"] for payload in payloads(user)]


def consent(user, *, text=False, reasons=False) -> None:
    services.set_consent(user=user, share_reflection_text=text, share_like_reasons=reasons)


def test_every_kind_of_statement_reaches_the_lrs_and_validates(lrs, client):
    learner, colleague = make_user(), make_user()
    consent(learner, text=True, reasons=True)
    prompt = make_prompt()
    client.force_login(learner)
    assert client.get(prompt.get_absolute_url()).status_code == HTTPStatus.OK  # viewed
    post = make_reflection(prompt=prompt, author=learner, body="What I learnt from the incident review.")
    other = make_reflection(prompt=prompt, author=colleague, body="Mine.")
    make_reflection(parent=other, author=learner, body="Thank you for this.")
    like = community.like_reflection(reflection=other, user=learner)
    community.set_like_reason(like=like, reason="The *blameless* framing")

    assert verbs(learner) == [VIEWED, POSTED, COMPLETED, REPLIED, LIKED, LIKED]
    assert services.send_due() == len(payloads())
    stored = {statement["id"]: statement for statement in lrs.stored()}
    for payload in payloads():
        assert payload["id"] in stored
        BaseXapiStatement.model_validate(stored[payload["id"]])
        BaseXapiStatement.model_validate(payload)
    assert not Statement.objects.filter(sent_at__isnull=True).exists()

    posted, completed, replied = payloads(learner)[1:4]
    assert posted["object"]["id"].endswith(f"/posts/{post.pk}/")
    assert posted["result"]["response"] == "What I learnt from the incident review."
    assert posted["context"]["contextActivities"]["parent"][0]["id"].endswith(
        f"/xapi/activities/{prompt.pk}/"
    )
    assert completed["object"]["id"].endswith(f"/xapi/activities/{prompt.pk}/")
    assert completed["result"] == {"completion": True}
    assert replied["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/posts/{other.pk}/")
    assert payloads(learner)[-1]["result"]["response"] == "The *blameless* framing"
    account = posted["actor"]["account"]
    assert account["name"] == str(RecordSettings.objects.get(user=learner).account_name)
    assert {p["actor"]["account"]["name"] for p in payloads(learner)} == {account["name"]}


def test_no_email_and_no_name_in_any_statement(lrs):
    learner = make_user(email="asha.private@example.org", display_name="Asha Private")
    consent(learner, text=True, reasons=True)
    prompt = make_prompt()
    post = make_reflection(prompt=prompt, author=learner)
    like = community.like_reflection(reflection=post, user=make_user(email="ravi@example.org"))
    community.set_like_reason(like=like, reason="Clear")
    services.send_due()
    sent = json.dumps(lrs.stored()) + json.dumps(payloads())
    for word in (
        "asha.private@example.org",
        "ravi@example.org",
        "mailto:",
        "mbox",
        "Asha Private",
        "@example",
    ):
        assert word not in sent
    assert str(learner.pk) != payloads(learner)[0]["actor"]["account"]["name"]


def test_a_private_reflection_is_never_recorded_until_it_is_shared(lrs):
    learner = make_user()
    consent(learner, text=True)
    prompt = make_prompt()
    private = community.create_reflection(prompt=prompt, author=learner, body="Just for me", is_private=True)
    assert payloads() == []
    community.share_reflection(reflection=private)
    assert verbs(learner) == [POSTED, COMPLETED]
    assert payloads(learner)[0]["result"]["response"] == "Just for me"


def test_words_and_reasons_go_only_with_consent(lrs):
    learner, author = make_user(), make_user()
    prompt = make_prompt()
    make_reflection(prompt=prompt, author=learner, body="My words")
    other = make_reflection(prompt=prompt, author=author)
    like = community.like_reflection(reflection=other, user=learner)
    community.set_like_reason(like=like, reason="My reason")
    assert verbs(learner) == [POSTED, COMPLETED, LIKED]  # the like once, without its reason
    assert all("result" not in p or "response" not in p["result"] for p in payloads(learner))

    consent(learner, reasons=True)
    community.set_like_reason(like=like, reason="My reason, better said")
    assert payloads(learner)[-1]["result"]["response"] == "My reason, better said"
    make_reflection(parent=other, author=learner, body="Not shared words")
    assert "result" not in payloads(learner)[-1]  # text consent is separate
    services.send_due()
    assert "My words" not in json.dumps(lrs.stored()) and "Not shared words" not in json.dumps(lrs.stored())


def test_an_lrs_outage_loses_nothing_and_each_statement_arrives_once(
    settings, auth_client, user, tmp_path, django_capture_on_commit_callbacks
):
    down = LocalLRS(tmp_path, port=free_port())  # its address, with nothing listening yet
    settings.LRS_URL, settings.LRS_USERNAME, settings.LRS_PASSWORD = down.url, USERNAME, PASSWORD
    prompt = make_prompt()
    with django_capture_on_commit_callbacks(execute=True):  # the inline job tries the LRS at once
        response = auth_client.post(
            reverse("community:reflection-create", args=[prompt.pk]), {"body": "Kept"}
        )
    assert response.status_code == HTTPStatus.FOUND  # the member's post is unaffected
    waiting = Statement.objects.filter(user=user)
    assert waiting.count() == 2 and not waiting.filter(sent_at__isnull=False).exists()
    assert all(row.attempts == 1 and row.last_error.startswith("unreachable") for row in waiting)
    assert services.send_due() == 0  # not due yet: it waits before trying again

    down.start()
    try:
        later = timezone.now() + services.backoff(1) + timedelta(seconds=1)
        assert services.send_due(now=later) == 2
        assert services.send_due(now=later + timedelta(hours=1)) == 0  # nothing twice
        ids = [str(pk) for pk in waiting.values_list("id", flat=True)]
        assert sorted(down.stored_ids()) == sorted(ids)
        # A send whose answer was lost is sent again: the LRS keeps one of each (same id).
        lrs_client.post_statements(payloads(user))
        assert sorted(down.stored_ids()) == sorted(ids)
    finally:
        down.stop()


def test_a_failing_recording_never_fails_the_post(lrs, monkeypatch):
    def broken(prompt_id):
        raise RuntimeError("a bug while recording")

    monkeypatch.setattr(services, "_place", broken)
    post = make_reflection(prompt=make_prompt(), body="Still posted")
    assert post.pk and Statement.objects.count() == 0


def test_nothing_is_recorded_without_an_lrs(settings, client):
    settings.LRS_URL = ""
    learner = make_user()
    prompt = make_prompt()
    client.force_login(learner)
    client.get(prompt.get_absolute_url())
    make_reflection(prompt=prompt, author=learner)
    assert Statement.objects.count() == 0 and RecordSettings.objects.count() == 0


def test_a_delivery_is_queued_after_the_commit(lrs, jobs, committed):
    with committed():
        make_reflection(prompt=make_prompt())
    mine = [name for name in jobs.names() if name.startswith("learning_records.")]
    assert mine == ["learning_records.send_statements"]  # one for the post and its completion
    jobs.run()
    assert not Statement.objects.filter(sent_at__isnull=True).exists()


def test_completed_once_per_activity_and_only_by_learners(lrs, facilitator):
    learner = make_user()
    prompt = make_prompt()
    first = make_reflection(prompt=prompt, author=learner)
    make_reflection(prompt=prompt, author=learner)
    make_reflection(parent=first, author=learner)
    community.delete_reflection(reflection=first)
    make_reflection(prompt=prompt, author=learner)
    assert verbs(learner).count(COMPLETED) == 1
    make_reflection(prompt=prompt, author=facilitator)
    assert verbs(facilitator) == [POSTED]


def test_viewed_once_per_visit(lrs, client):
    learner = make_user()
    prompt = make_prompt()
    client.force_login(learner)
    client.get(prompt.get_absolute_url())
    client.get(prompt.get_absolute_url())
    assert verbs(learner) == [VIEWED]
    Statement.objects.update(created_at=timezone.now() - services.VIEW_GAP - timedelta(seconds=1))
    client.get(prompt.get_absolute_url())
    assert verbs(learner) == [VIEWED, VIEWED]


def test_an_invalid_statement_is_set_aside_and_the_others_go(lrs):
    learner = make_user()
    make_reflection(prompt=make_prompt(), author=learner)
    broken = Statement.objects.filter(user=learner).first()
    broken.payload = {**broken.payload, "actor": {"mbox": "not-an-address"}}
    broken.save()
    assert services.send_due() == 1, list(Statement.objects.values_list("verb", "last_error", "sent_at"))
    broken.refresh_from_db()
    assert broken.rejected_at is not None and broken.sent_at is None and "invalid xAPI" in broken.last_error
    assert services.send_due(now=timezone.now() + timedelta(days=1)) == 0


def test_a_learner_downloads_their_own_statements(lrs, client):
    learner, other = make_user(), make_user()
    prompt = make_prompt()
    make_reflection(prompt=prompt, author=learner)
    make_reflection(prompt=prompt, author=other)
    client.force_login(learner)
    response = client.get(reverse("learning_records:download"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"] == 'attachment; filename="learning-records.json"'
    assert [s["id"] for s in response.json()["statements"]] == [p["id"] for p in payloads(learner)]
    client.logout()
    assert client.get(reverse("learning_records:download")).status_code == HTTPStatus.FOUND  # to sign in


def test_the_learning_log_offers_the_statements_only_while_records_are_kept(client, settings):
    client.force_login(make_user())
    link = f'href="{reverse("learning_records:download")}" download>Download your learning records'
    settings.LRS_URL = "http://127.0.0.1:9/xAPI/"
    assert link in client.get(reverse("journal:learning-log")).text
    settings.LRS_URL = ""
    assert link not in client.get(reverse("journal:learning-log")).text


def test_the_settings_page_keeps_the_member_s_consent(auth_client, user):
    url = reverse("learning_records:settings")
    assert auth_client.get(url).status_code == HTTPStatus.OK
    assert not RecordSettings.objects.filter(user=user).exists()  # looking makes nothing
    response = auth_client.post(url, {"share_reflection_text": "on"})
    assert response.status_code == HTTPStatus.FOUND
    record = RecordSettings.objects.get(user=user)
    assert record.share_reflection_text and not record.share_like_reasons


def test_an_activity_id_opens_the_activity(auth_client):
    prompt = make_prompt()
    response = auth_client.get(reverse("learning_records:activity", args=[prompt.pk]))
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == prompt.get_absolute_url()
    lesson = prompt.lesson
    assert (
        auth_client.get(reverse("learning_records:lesson", args=[lesson.pk]))["Location"]
        == lesson.get_absolute_url()
    )
    course = lesson.course
    assert (
        auth_client.get(reverse("learning_records:course", args=[course.pk]))["Location"]
        == course.get_absolute_url()
    )


def test_account_deletion_takes_the_member_s_records(lrs):
    from accounts.services import delete_account

    learner = make_user()
    make_reflection(prompt=make_prompt(), author=learner)
    delete_account(user=learner, remove_posts=False)
    assert not Statement.objects.filter(user=learner).exists()
    assert not RecordSettings.objects.filter(user=learner).exists()


def test_the_settings_page_is_valid_html(lrs, auth_client, user):
    require_java()
    url = reverse("learning_records:settings")
    pages = {"no records": auth_client.get(url).content.decode()}
    make_reflection(prompt=make_prompt(), author=user)
    pages["records waiting"] = auth_client.get(url).content.decode()
    pages["saved"] = auth_client.post(url, {"share_reflection_text": "on"}, follow=True).content.decode()
    assert nu_errors(pages) == {name: [] for name in pages}


def test_refused_credentials_keep_the_statements_waiting_with_growing_waits(lrs, settings):
    settings.LRS_PASSWORD = "not-the-password"
    make_reflection(prompt=make_prompt())
    now = timezone.now()
    assert services.send_due(now=now) == 0
    row = Statement.objects.first()
    assert row.sent_at is None and row.rejected_at is None and row.last_error.startswith("LRS answered 401")
    assert row.next_attempt_at == now + services.backoff(1)
    second = row.next_attempt_at
    assert services.send_due(now=second) == 0
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == second + services.backoff(2) and row.sent_at is None
    assert services.backoff(2) == 2 * services.backoff(1) and services.backoff(30) == timedelta(hours=1)
    settings.LRS_PASSWORD = PASSWORD
    assert services.send_due(now=row.next_attempt_at) == Statement.objects.count()


def test_the_worker_drains_the_outbox_every_minute():
    from procrastinate.contrib.django import app

    [drain] = [
        task
        for task in app.periodic_registry.periodic_tasks.values()
        if task.periodic_id == "learning-records-drain"
    ]
    assert drain.task.name == "learning_records.drain_outbox" and drain.cron == "* * * * *"
