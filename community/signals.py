"""What happened in a space, for apps to the right of community (notifications) to act on.

Sent inside the service's transaction, so a receiver's own writes (a subscription) commit or roll
back with the post; anything slow or external a receiver does goes through ``core.jobs.enqueue``,
which waits for the commit.
"""

from django.dispatch import Signal

# A reflection or reply was posted: reflection.
reflection_posted = Signal()
# A member liked a post: reflection, user.
reflection_liked = Signal()
# A facilitator opened a new activity: prompt.
prompt_created = Signal()
# A facilitator (or moderator, or staff) highlighted a reflection: reflection, by.
reflection_highlighted = Signal()
# A like's reason was given, changed or taken back (or its like was): reflection_id, user_id.
like_reason_changed = Signal()
