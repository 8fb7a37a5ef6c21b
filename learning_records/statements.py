"""xAPI statements as Reflect writes them (xAPI 1.0.3), built from plain values.

Who: the member as an account of this site (``homePage`` = ``SITE_URL``, ``name`` = their opaque
``RecordSettings.account_name``), never their email, name or row id. What: the activity, a post,
the lesson and course, each under an address that does not change when a title or slug does.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

VERBS = {
    "posted": ("https://w3id.org/xapi/acrossx/verbs/posted", "posted"),
    "replied": ("http://id.tincanapi.com/verb/replied", "replied to"),
    "liked": ("http://activitystrea.ms/schema/1.0/like", "liked"),
    "viewed": ("http://id.tincanapi.com/verb/viewed", "viewed"),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "completed"),
}

POST_TYPE = "https://w3id.org/xapi/acrossx/activities/message"  # a reflection or a reply
ACTIVITY_TYPE = "http://id.tincanapi.com/activitytype/discussion"  # an activity: a question and its space
LESSON_TYPE = "http://adlnet.gov/expapi/activities/module"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
LANGUAGE = "en"


@dataclass(frozen=True)
class Place:
    """Where something happened: an activity with its lesson and course (one query reads it)."""

    prompt_id: int
    prompt_title: str
    lesson_id: int
    lesson_title: str
    course_id: int
    course_title: str


def site_address(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def actor(account_name: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": settings.SITE_URL, "name": str(account_name)}}


def _activity(iri: str, kind: str, name: str | None = None) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": kind}
    if name:
        definition["name"] = {LANGUAGE: name}
    return {"objectType": "Activity", "id": iri, "definition": definition}


def activity(place: Place) -> dict[str, Any]:
    iri = site_address(reverse("learning_records:activity", args=[place.prompt_id]))
    return _activity(iri, ACTIVITY_TYPE, place.prompt_title)


def lesson(place: Place) -> dict[str, Any]:
    iri = site_address(reverse("learning_records:lesson", args=[place.lesson_id]))
    return _activity(iri, LESSON_TYPE, place.lesson_title)


def course(place: Place) -> dict[str, Any]:
    iri = site_address(reverse("learning_records:course", args=[place.course_id]))
    return _activity(iri, COURSE_TYPE, place.course_title)


def post(post_id: int) -> dict[str, Any]:
    """A reflection or reply, by its permalink (its words are never part of its definition)."""
    return _activity(site_address(reverse("community:post", kwargs={"post_id": post_id})), POST_TYPE)


def statement(
    *,
    id: str,
    account_name: str,
    verb: str,
    object: dict[str, Any],
    place: Place,
    timestamp: datetime,
    parent: dict[str, Any] | None = None,
    response: str | None = None,
    completion: bool | None = None,
) -> dict[str, Any]:
    """One statement. ``parent``: the post or activity ``object`` belongs to (the activity when
    omitted and ``object`` is not the activity itself); lesson and course are its grouping."""
    verb_id, display = VERBS[verb]
    in_activity = object["id"] != activity(place)["id"]
    context_activities: dict[str, Any] = {"grouping": [lesson(place), course(place)]}
    if parent is not None or in_activity:
        context_activities["parent"] = [parent or activity(place)]
        if parent is not None and in_activity:
            context_activities["grouping"].insert(0, activity(place))
    result: dict[str, Any] = {}
    if response:
        result["response"] = response
    if completion is not None:
        result["completion"] = completion
    built = {
        "id": str(id),
        "actor": actor(account_name),
        "verb": {"id": verb_id, "display": {LANGUAGE: display}},
        "object": object,
        "context": {"platform": "Reflect", "language": LANGUAGE, "contextActivities": context_activities},
        "timestamp": timestamp.isoformat(),
    }
    if result:
        built["result"] = result
    return built


def validate(payload: dict[str, Any]) -> str | None:
    """None when ``payload`` is a valid xAPI statement by Ralph's models (``ralph-malph``), else
    why not. Imported here, in the worker, and not in the web processes that only write rows."""
    from pydantic import ValidationError
    from ralph.models.xapi.base.statements import BaseXapiStatement

    try:
        BaseXapiStatement.model_validate(payload)
    except ValidationError as error:
        return str(error)[:500]
    return None
