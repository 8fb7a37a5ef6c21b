"""``manage.py move_versions``: move every version scope once, so every page a browser keeps is built
again on its next request. For after writes made with the triggers off (a data-only restore,
``session_replication_role = replica``), which no version saw."""

from django.core.management.base import BaseCommand

from core import versions


class Command(BaseCommand):
    help = "Move every version scope, so no page kept by a browser is served again unchanged."

    def handle(self, *args, **options):
        moved = versions.move_all()
        self.stdout.write(f"Moved {moved} version scopes.")
