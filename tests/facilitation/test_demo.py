import io

import pytest
from django.core.management import call_command

from accounts.models import User
from facilitation.models import HeardSettings, LibraryPrompt, ResponseOffer, Summary
from facilitation.queries import library_figures

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def test_the_demo_shows_each_follow_through_feature_once():
    call_command("load_demo", force=True, stdout=io.StringIO())
    call_command("load_demo", force=True, stdout=io.StringIO())  # idempotent
    assert HeardSettings.objects.filter(enabled=True).count() == 1
    assert ResponseOffer.objects.filter(state=ResponseOffer.State.OPEN).exists()
    summary = Summary.objects.select_related("prompt__lesson").get()
    assert summary.prompt.lesson.number == 5 and len(summary.quoted_ids) == 2
    assert LibraryPrompt.objects.count() == 2
    facilitator = User.objects.get(email="facilitator@example.com")
    for entry in library_figures(facilitator):
        (run,) = entry.runs
        assert len(run.cohorts) == 2 and all(cohort.reflections for cohort in run.cohorts)  # both cohorts
