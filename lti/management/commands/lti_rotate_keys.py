"""``manage.py lti_rotate_keys``: a new signing key; the one it replaces stays published for the
grace period (LTI_KEY_GRACE_DAYS), then is retired."""

from django.core.management.base import BaseCommand

from lti import keys


class Command(BaseCommand):
    help = "Make a new tool signing key; retire keys replaced more than LTI_KEY_GRACE_DAYS ago."

    def handle(self, *args, **options):
        new, retired = keys.rotate_keys()
        self.stdout.write(
            f"New signing key {new}. Retired {retired} old key(s); grace period {keys.grace().days} days."
        )
