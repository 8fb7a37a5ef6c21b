"""What moderation did to a member's post or account, for notifications to tell them.

Sent inside the action's transaction, with ids and plain values only.
"""

from django.dispatch import Signal

# action: "hidden" (by a moderator, with ``reason``), "pending" (report threshold), "restored" or
# "removed" (permanently; the post may be gone, so ``prompt_id`` comes along).
# Arguments: action, reflection_id, author_id, prompt_id, moderator_id, reason.
post_moderated = Signal()

# action: "suspended" (with ``ends_at`` and ``reason``) or "reinstated". Arguments: action, user_id,
# moderator_id, reason, ends_at.
member_suspension_changed = Signal()
