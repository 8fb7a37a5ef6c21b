"""What happens to courses and lessons, for the apps above lessons (community) to act on.

Sent inside the service's transaction, before the rows go: a receiver removes its own rows about
them through its own services (community deletes the lessons' activities and recounts the post
counts they held), so nothing is left to a database cascade that no counter follows.
"""

from django.dispatch import Signal

# Lessons are about to be deleted (on their own or with their course): lesson_ids, sorted.
lessons_deleting = Signal()
