"""Facilitators run cohorts in the admin: cohorts (add, change, view) and enrolments (all)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Facilitator": {"cohort": ["add", "change", "view"], "enrolment": ["add", "change", "delete", "view"]}
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("lessons")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="lessons", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("lessons", "0004_default_cohorts"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
