"""``manage.py load_demo``: the demo courses, members and community spaces for a local Reflect.

Idempotent (see ``demo.loader``): only missing rows are created and existing ones never change.
"""

import logging
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo import facilitation, followthrough, loader
from demo.members import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo courses, lessons, sign-in accounts (shared demo password) and community spaces. "
        "Safe to run again: creates missing rows only and never changes existing ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. The demo accounts share a public password: never use on a real site.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off. The demo accounts share a public password, so load_demo refuses to run "
                "on what may be a real site. Pass --force if this really is a throwaway database."
            )

        # The demo queues one job per notice; Procrastinate logs each ("Deferred 1 job") at INFO.
        job_log = logging.getLogger("procrastinate")
        level = job_log.level
        job_log.setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                created, skipped = loader.load()
                facilitation.load(created, timezone.now())  # follow-through: heard, a summary, the library
                followthrough.load(created, timezone.now())  # issue 25: a follow-up due, one written
        finally:
            job_log.setLevel(level)

        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        line = f"Demo data ready (created {summary}"
        if skipped:
            line += f"; skipped {'; '.join(skipped)}"
        self.stdout.write(self.style.SUCCESS(line + ")."))
        self._print_sign_in_table()

    def _print_sign_in_table(self) -> None:
        rows = [("Role", "Email", "Password")]
        rows += [(account["role"], account["email"], DEMO_PASSWORD) for account in DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo sign-in details (local demos only; the password is public):")
        for index, row in enumerate(rows):
            line = "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write("")
        self.stdout.write(f"Open http://127.0.0.1:{os.environ.get('PORT', '8000')}/")
