from django.db import models


class Stamp(models.Model):
    """A number that changes whenever something a page shows changes, per named scope:
    ``user:<id>`` (a member's row, roles, suspensions, drafts, follows), ``notices:<id>`` (their
    notifications) and
    ``course:<id>`` (the course, its lessons, activities, cohorts and enrolments).

    Written only by database triggers (``core.stamps.trigger_sql``, installed by each app's
    migrations on its own tables), whatever made the change: no code path has to remember it.
    Values come from one sequence, so a scope's number never takes a value it had before. Read by
    ``core.stamps.read``; a scope never written to has no row. Rows are never deleted."""

    name = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        db_table = "core_stamp"

    def __str__(self) -> str:
        return f"{self.name} at {self.version}"
