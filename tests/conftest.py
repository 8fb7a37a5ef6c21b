import importlib
import os
import shutil

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from procrastinate import testing
from procrastinate.contrib.django import app

from accounts import roles
from tests.factories import make_user

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_MISSING = shutil.which(CHROMIUM) is None
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if BROWSER_MISSING and not IN_CI:
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


def pytest_terminal_summary(terminalreporter):
    if BROWSER_MISSING and not IN_CI:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"No Chromium at {CHROMIUM}. Install it with `sudo apt-get install chromium` "
            "(or set CHROMIUM_PATH) to run the browser tests.",
            red=True,
        )


def restore_role_groups() -> None:
    """Transactional tests flush every table after they run, taking the role groups that data
    migrations made with them; put them back, with the same permissions the migrations grant."""
    grants = {role: [] for role in importlib.import_module("accounts.migrations.0002_roles").ROLE_PERMISSIONS}
    for role, items in importlib.import_module("accounts.migrations.0002_roles").ROLE_PERMISSIONS.items():
        grants[role] += [(app, f"{action}_{model}") for app, model, actions in items for action in actions]
    for role, models in importlib.import_module("community.migrations.0002_role_permissions").GRANTS.items():
        grants[role] += [("community", f"{a}_{model}") for model, actions in models.items() for a in actions]
    for role, models in importlib.import_module("lessons.migrations.0005_role_permissions").GRANTS.items():
        grants[role] += [("lessons", f"{a}_{model}") for model, actions in models.items() for a in actions]
    for role, codenames in grants.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            for app, codename in codenames:
                group.permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache ("ratelimits"): every test starts with none."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()


@pytest.fixture(autouse=True)
def _role_groups(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        restore_role_groups()


@pytest.fixture(autouse=True)
def _everyone_enrolled(request):
    """Tests written before enrolment existed assume every member takes part in every course. So,
    unless a test is marked ``enrolment``, each member is enrolled in each course (in its current
    cohort) as soon as both exist: real Enrolment rows, read by the real permission checks."""
    if request.node.get_closest_marker("enrolment"):
        yield
        return
    from django.db.models.signals import post_save

    from accounts.models import User
    from lessons.models import Course, Enrolment
    from lessons.services import ensure_default_cohort

    def course_made(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            cohort = ensure_default_cohort(course=instance)
            Enrolment.objects.bulk_create(
                [Enrolment(user=u, course=instance, cohort=cohort) for u in User.objects.all()],
                ignore_conflicts=True,
            )

    def user_made(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            Enrolment.objects.bulk_create(
                [Enrolment(user=instance, course=c, cohort=ensure_default_cohort(course=c))
                 for c in Course.objects.all()],
                ignore_conflicts=True,
            )  # fmt: skip

    post_save.connect(course_made, sender=Course, dispatch_uid="tests-everyone-enrolled-course")
    post_save.connect(user_made, sender=User, dispatch_uid="tests-everyone-enrolled-user")
    try:
        yield
    finally:
        post_save.disconnect(sender=Course, dispatch_uid="tests-everyone-enrolled-course")
        post_save.disconnect(sender=User, dispatch_uid="tests-everyone-enrolled-user")


@pytest.fixture
def user(db):
    return make_user(handle="amara", display_name="Amara Osei", email="amara@example.com")


@pytest.fixture
def other_user(db):
    return make_user(handle="ben", display_name="Ben Carter", email="ben@example.com")


@pytest.fixture
def facilitator(db):
    return make_user(
        role=roles.FACILITATOR, handle="fran", display_name="Fran Okafor", email="fran@example.com"
    )


@pytest.fixture
def moderator(db):
    return make_user(role=roles.MODERATOR, handle="mo", display_name="Mo Reyes", email="mo@example.com")


@pytest.fixture
def auth_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def assert_exact_queries():
    """``with assert_exact_queries(6): …`` fails unless exactly six SQL queries ran, and the failure
    lists every query that did, so the change that added one is plain to see."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def check(expected: int):
        with CaptureQueriesContext(connection) as captured:
            yield captured
        ran = [query["sql"] for query in captured.captured_queries]
        if len(ran) != expected:
            listing = "\n".join(f"{n:>3}. {sql}" for n, sql in enumerate(ran, 1))
            pytest.fail(f"Expected exactly {expected} queries, {len(ran)} ran:\n{listing}", pytrace=False)

    return check


# --- Background jobs -------------------------------------------------------------------------------


class JobRunner:
    """Runs the jobs the code under test enqueued, in this process and this test's transaction
    (Procrastinate's in-memory connector holds them). Delayed jobs run too: time is not waited for."""

    def __init__(self, test_app, connector):
        self.app = test_app
        self.connector = connector

    def waiting(self) -> list[dict]:
        return [job for job in self.connector.jobs.values() if job["status"] == "todo"]

    def names(self) -> list[str]:
        return [job["task_name"] for job in self.waiting()]

    def run(self) -> int:
        ran = 0
        while waiting := self.waiting():
            for job in waiting:
                job["status"] = "succeeded"  # first, so a job may enqueue the same lock again
                with TestCase.captureOnCommitCallbacks(execute=True):
                    self.app.tasks[job["task_name"]](**job["args"])
                ran += 1
        return ran


@pytest.fixture
def jobs(settings):
    settings.JOBS_INLINE = False  # queue them, as production does; JobRunner.run() works the queue
    connector = testing.InMemoryConnector()
    with app.replace_connector(connector) as test_app:
        yield JobRunner(test_app, connector)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …``: run what the code defers to after the commit (enqueueing jobs)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
