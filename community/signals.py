"""What happened in a space, for apps to the right of community (notifications) to act on.

Each is sent after the transaction commits, with ids only (the receiver reloads what it needs).
"""

from django.dispatch import Signal

# A reflection or reply was posted: reflection_id.
reflection_posted = Signal()
# A member liked a post: reflection_id, user_id.
reflection_liked = Signal()
