import pytest
from django.test import TestCase
from procrastinate import testing
from procrastinate.contrib.django import app


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
def jobs():
    connector = testing.InMemoryConnector()
    with app.replace_connector(connector) as test_app:
        yield JobRunner(test_app, connector)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …``: run what the code defers to after the commit (enqueueing jobs)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
