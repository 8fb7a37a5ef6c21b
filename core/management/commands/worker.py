"""``manage.py worker``: the background worker, which carries on through a PostgreSQL restart.

    python manage.py worker --queues mail,default --concurrency 2

The same worker as ``manage.py procrastinate worker`` (same jobs, queues and options), run by
``core.worker.run_worker``: its listener listens again after the database went away, and a worker
that still stops by itself is started again, with a back-off, in the same process (docs/deploy.md).
"""

import asyncio

from django.core.management.base import BaseCommand

from core import worker


class Command(BaseCommand):
    help = "Run the background worker; it reconnects and carries on when PostgreSQL restarts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queues", default="", help="Comma-separated queues to serve (default: every queue)."
        )
        parser.add_argument("--concurrency", type=int, default=1, help="Jobs run at a time.")
        parser.add_argument("--name", default=None, help="The worker's name in the logs.")
        parser.add_argument(
            "--no-listen-notify",
            dest="listen_notify",
            action="store_false",
            help="Poll for new jobs instead of LISTENing (a worker behind a transaction pooler).",
        )
        parser.add_argument(
            "--fetch-job-polling-interval",
            type=float,
            default=5.0,
            help="Seconds between polls for new jobs (a fallback when it listens).",
        )

    def handle(self, *args, **options):
        worker_options = {
            "concurrency": options["concurrency"],
            "listen_notify": options["listen_notify"],
            "fetch_job_polling_interval": options["fetch_job_polling_interval"],
        }
        queues = [queue.strip() for queue in options["queues"].split(",") if queue.strip()]
        if queues:
            worker_options["queues"] = queues
        if options["name"]:
            worker_options["name"] = options["name"]
        self.stderr.write(f"Starting the worker on {', '.join(queues) if queues else 'every queue'}")
        asyncio.run(worker.run_worker(**worker_options))
