"""Worker jobs (Procrastinate): deliver the outbox to the Learning Record Store.

``send_statements`` is queued after each commit that wrote a statement (one waits at a time);
``drain_outbox`` runs every minute and sends whatever an earlier failure left due. Neither raises
on an LRS failure: the statements keep their place and their next attempt time (``services``)."""

from procrastinate.contrib.django import app

from learning_records import services


@app.task(name="learning_records.send_statements")
def send_statements() -> None:
    services.send_due()


@app.periodic(cron="* * * * *", periodic_id="learning-records-drain")
@app.task(name="learning_records.drain_outbox", queueing_lock="learning-records-drain")
def drain_outbox(timestamp: int) -> None:
    services.send_due()
