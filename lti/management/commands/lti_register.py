"""Register a learning platform from a script: ``manage.py lti_register --name … --issuer …``."""

import json

from django.core.management.base import BaseCommand

from lti import registrations


class Command(BaseCommand):
    help = (
        "Create or update a platform registration (activated, with its deployment) and print the tool's URLs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--issuer", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--deployment-id", required=True)
        parser.add_argument("--auth-url", required=True, help="The platform's OIDC authorisation URL")
        parser.add_argument("--token-url", required=True, help="The platform's OAuth2 access token URL")
        parser.add_argument("--keyset-url", required=True, help="The platform's public key set (JWKS) URL")
        parser.add_argument(
            "--audience", default="", help="The platform's OAuth2 audience, where it has one (Brightspace)"
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args, **options):
        registration, created = registrations.register_platform(
            name=options["name"],
            issuer=options["issuer"],
            client_id=options["client_id"],
            deployment_id=options["deployment_id"],
            auth_url=options["auth_url"],
            token_url=options["token_url"],
            keyset_url=options["keyset_url"],
            audience=options["audience"],
        )
        urls = registrations.tool_urls(registration)
        if options["json"]:
            self.stdout.write(
                json.dumps({"created": created, "registration": str(registration.uuid), **urls})
            )
            return
        self.stdout.write(
            f"{'Created' if created else 'Updated'} registration “{registration.name}” (active)."
        )
        for name, url in urls.items():
            self.stdout.write(f"{name}: {url}")
