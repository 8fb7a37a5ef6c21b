"""The follow-through in the demo (issue 25): "Every reflection gets a response" on one activity
(with its offers made), the facilitator's summary of Lesson 5, and two library prompts that ran in
both cohorts of the course. Through facilitation's services; only what is missing is created.

The summary's words were written for Reflect."""

from collections import Counter
from datetime import datetime

from accounts.models import User
from community.models import Prompt, Reflection
from facilitation import services
from facilitation.models import HeardSettings, LibraryRun, Summary
from facilitation.queries import quotable

COURSE = "professional-courage-and-influence"
HEARD_LESSON = "take-responsibility-for-mistakes"
SUMMARY_LESSON = "giving-and-receiving-difficult-feedback"
LIBRARY_LESSONS = ("what-professional-courage-looks-like", "giving-and-receiving-difficult-feedback")
FACILITATOR = "facilitator@example.com"

SUMMARY = """\
Thank you all for writing so openly about feedback. Three things came up again and again:

1. **The pause matters more than the words.** Several of you found that waiting (counting to five, or asking for an example before answering) changed what you heard.
2. **Feedback lands better as an observation than a verdict.** "I noticed…" opened conversations that "You always…" closed.
3. **Asking for feedback is a skill too.** A specific question ("What should I stop doing in stand-ups?") got specific, usable answers.

For next week: pick one person whose feedback you trust and ask them one specific question. Come back and tell us what happened."""


def _prompt(lesson_slug: str) -> Prompt | None:
    return (
        Prompt.objects.filter(lesson__course__slug=COURSE, lesson__slug=lesson_slug)
        .select_related("lesson__course")
        .order_by("pk")
        .first()
    )


def load(created: Counter, now: datetime) -> None:
    facilitator = User.objects.filter(email=FACILITATOR).first()
    if facilitator is None:
        return
    heard_prompt = _prompt(HEARD_LESSON)
    if heard_prompt is not None and not HeardSettings.objects.filter(prompt=heard_prompt).exists():
        services.set_heard(prompt=heard_prompt, enabled=True, window_hours=48)
        created["heard activities"] += 1
        for post_id in (
            Reflection.objects.filter(prompt=heard_prompt, thread__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            created["response offers"] += (
                services.offer_reflection(reflection_id=post_id, now=now) is not None
            )
    summary_prompt = _prompt(SUMMARY_LESSON)
    if summary_prompt is not None and not Summary.objects.filter(prompt=summary_prompt).exists():
        quoted = list(quotable(facilitator, summary_prompt).values_list("pk", flat=True)[:2])
        services.publish_summary(prompt=summary_prompt, by=facilitator, body=SUMMARY, quoted_ids=quoted)
        created["summaries"] += 1
    for slug in LIBRARY_LESSONS:
        prompt = _prompt(slug)
        if prompt is not None and not LibraryRun.objects.filter(prompt=prompt).exists():
            services.save_to_library(prompt=prompt, by=facilitator)
            created["library prompts"] += 1
