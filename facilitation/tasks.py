"""The worker's follow-through jobs: offer a new reflection to a colleague; every ten minutes,
offer again the posts nobody answered within their activity's window, and the recent unheard ones
nobody could be offered yet."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from facilitation import services


@app.task(name="facilitation.offer_reflection", retry=RetryStrategy(max_attempts=3, wait=10))
def offer_reflection(reflection_id: int) -> None:
    services.offer_reflection(reflection_id=reflection_id)


@app.periodic(cron="*/10 * * * *", periodic_id="facilitation-reoffer")
@app.task(name="facilitation.reoffer_expired", queueing_lock="facilitation-reoffer")
def reoffer_expired(timestamp: int) -> None:
    services.reoffer_expired()
    services.offer_waiting()
