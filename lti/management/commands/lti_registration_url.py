"""``manage.py lti_registration_url [--days 7]``: a dynamic registration URL to give a platform's
administrator (they paste it in the platform's "register a tool" page)."""

from django.core.management.base import BaseCommand

from lti import dynamic


class Command(BaseCommand):
    help = "Print a dynamic registration URL (LTI Dynamic Registration), valid for --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options):
        self.stdout.write(dynamic.registration_url(days=options["days"]))
