from django.conf import settings
from django.core.management.base import BaseCommand

from search.columns import rebuild_search_columns


class Command(BaseCommand):
    help = (
        "Re-index posts, activities and lessons with the current SEARCH_CONFIGS "
        "(after changing it on an existing database). Rewrites every row."
    )

    def handle(self, *args, **options):
        tables = rebuild_search_columns()
        self.stdout.write(f"Search columns rebuilt with {settings.SEARCH_CONFIGS!r}: {', '.join(tables)}.")
