"""Follow-through's worker jobs (Procrastinate): "How did it go?" on the day, the weekly "How my
reflections landed", and the reader counts. Each takes its moment from the periodic timestamp, so a
test moves the clock by passing one."""

from datetime import UTC, datetime, timedelta

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.jobs import enqueue
from followthrough import queries, services

RETRIES = RetryStrategy(max_attempts=4, exponential_wait=10)
# Reader counts: every few minutes, the activities visited since the last run (with overlap).
READERS_EVERY = timedelta(minutes=10)


def _moment(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


@app.periodic(cron="5 * * * *", periodic_id="follow-ups-due")
@app.task(name="followthrough.remind_due", queueing_lock="follow-ups-due", retry=RETRIES)
def remind_due(timestamp: int) -> None:
    """Hourly: each member whose day has come in their own time zone is asked once."""
    services.remind_due_plans(now=_moment(timestamp))


@app.periodic(cron="*/10 * * * *", periodic_id="count-readers")
@app.task(name="followthrough.count_readers", queueing_lock="count-readers", retry=RETRIES)
def count_readers(timestamp: int) -> None:
    now = _moment(timestamp)
    for prompt_id in services.activities_visited_since(now - 2 * READERS_EVERY):
        services.count_readers(prompt_id=prompt_id, now=now)


@app.periodic(cron="0 8 * * 1", periodic_id="weekly-landed")
@app.task(name="followthrough.weekly_landed", queueing_lock="weekly-landed", retry=RETRIES)
def weekly_landed(timestamp: int) -> None:
    """Mondays: one job per member who may have something to hear (each retried on its own)."""
    now = _moment(timestamp)
    week = now.strftime("%G-%V")
    for user_id in queries.landed_recipients(now=now):
        enqueue(send_landed, queueing_lock=f"landed-{week}-{user_id}", user_id=user_id, timestamp=timestamp)


@app.task(name="followthrough.send_landed", retry=RETRIES)
def send_landed(user_id: int, timestamp: int) -> None:
    services.send_landed(user_id=user_id, now=_moment(timestamp))
