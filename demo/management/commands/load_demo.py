"""``manage.py load_demo``: demo courses, lessons and sign-in accounts for a local Reflect.

Idempotent: rows are matched by slug (courses, lessons) or email/handle (accounts) and only missing
rows are created. Existing rows are never updated, so edits made in the admin survive a re-run.
"""

import importlib.util
import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from lessons import demo_content
from lessons.models import Course, Lesson


class Command(BaseCommand):
    help = (
        "Load the demo courses, lessons and sign-in accounts (shared demo password). "
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

        self.created = {"courses": 0, "lessons": 0, "accounts": 0, "email addresses": 0}
        with transaction.atomic():
            for course_data in demo_content.DEMO_COURSES:
                self._load_course(course_data)
            for account in demo_content.DEMO_ACCOUNTS:
                self._load_account(account)
            self._load_community()

        summary = ", ".join(f"{count} {name}" for name, count in self.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created {summary})."))
        self._print_sign_in_table()

    def _load_course(self, data: dict) -> None:
        course, created = Course.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "published": data["published"],
                "position": data["position"],
            },
        )
        self.created["courses"] += created
        for lesson in data["lessons"]:
            # Match on slug or number: both are unique within a course, and a facilitator may have
            # renamed or renumbered a demo lesson since it was loaded.
            if course.lessons.filter(Q(slug=lesson["slug"]) | Q(number=lesson["number"])).exists():
                continue
            # Lesson.save renders body_html from the Markdown body.
            Lesson.objects.create(
                course=course,
                number=lesson["number"],
                title=lesson["title"],
                slug=lesson["slug"],
                summary=lesson["summary"],
                body=lesson["body"],
                published=data["published"],
                position=lesson["number"],
            )
            self.created["lessons"] += 1

    def _load_account(self, data: dict) -> None:
        User = get_user_model()
        email = data["email"].lower()
        user = User.objects.filter(Q(email__iexact=email) | Q(handle__iexact=data["handle"])).first()
        if user is None:
            user = User.objects.create_user(
                email,
                data["handle"],
                demo_content.DEMO_PASSWORD,
                display_name=data["display_name"],
                bio=data["bio"],
                time_zone=data["time_zone"],
                is_staff=data["is_staff"],
            )
            user.groups.add(Group.objects.get(name=data["group"]))
            self.created["accounts"] += 1
        # allauth (mandatory verification) needs a verified primary address to let the account in.
        # Add one only if the account has none, so an existing account's addresses are left alone.
        if not EmailAddress.objects.filter(user=user).exists():
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            self.created["email addresses"] += 1

    def _load_community(self) -> None:
        """Hand over to the community app's demo loader, when there is one."""
        try:
            spec = importlib.util.find_spec("community.demo")
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            return
        from community import demo as community_demo

        community_demo.load(stdout=self.stdout)

    def _print_sign_in_table(self) -> None:
        rows = [("Role", "Email", "Password")]
        rows += [(a["role"], a["email"], demo_content.DEMO_PASSWORD) for a in demo_content.DEMO_ACCOUNTS]
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
