"""What happened to a member's account, for the apps that act on it (notifications tells them).

Sent inside the change's transaction, with ids and plain values only, so a receiver's writes (a
notice) commit or roll back with it; anything slow goes through ``core.jobs.enqueue``.
"""

from django.dispatch import Signal

# A moderator suspended a member or lifted the suspension. action: "suspended" (with ``ends_at``
# and ``reason``) or "reinstated". Arguments: action, user_id, moderator_id, reason, ends_at.
member_suspension_changed = Signal()
