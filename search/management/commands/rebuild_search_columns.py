from django.conf import settings
from django.core.management.base import BaseCommand

from search.columns import rebuild_search_columns


class Command(BaseCommand):
    help = (
        "Re-create the full-text search columns and their indexes with the current SEARCH_CONFIG "
        "(after changing it on an existing database). Locks each table while it is rewritten."
    )

    def handle(self, *args, **options):
        tables = rebuild_search_columns()
        self.stdout.write(f"Search columns rebuilt with {settings.SEARCH_CONFIG!r}: {', '.join(tables)}.")
