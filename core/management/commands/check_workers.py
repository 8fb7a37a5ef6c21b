"""``manage.py check_workers``: exit 1 when no background worker has checked in lately (mail,
notices and PDFs would wait): for a monitor or a supervisor's health check."""

from django.core.management.base import BaseCommand, CommandError

from core import jobs


class Command(BaseCommand):
    help = "Exit 1 unless a background worker has checked in within the last minute."

    def handle(self, *args, **options):
        alive = jobs.workers_alive()
        if not alive:
            raise CommandError(f"No worker has checked in within {jobs.WORKER_SILENCE_SECONDS} s.")
        self.stdout.write(f"{alive} worker(s) alive.")
