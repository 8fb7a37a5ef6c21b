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
# Moderation acted on a post (sent by moderation, inside the action's transaction, with ids and plain
# values only). action: "hidden" (by a moderator, with ``reason``), "pending" (report threshold),
# "restored" or "removed" (permanently; the post may be gone, so ``prompt_id`` comes along).
# Arguments: action, reflection_id, author_id, prompt_id, moderator_id, reason.
post_moderated = Signal()
# A member opened an activity's space (sent by ``services.record_visit``, after the page was shown,
# on every visit; learning_records answers it): user, prompt_id.
activity_viewed = Signal()
# A facilitator reminded learners of an activity they have not reflected on (insights' nudge, sent
# by its worker job once the nudge is stored): prompt_id, facilitator_id, user_ids, message.
learners_reminded = Signal()

# --- Follow-through (issue 25, facilitation) ---------------------------------------------------------
# A colleague was offered a reflection to respond to ("Kwame is waiting to hear from you"; sent by
# facilitation's worker job inside the offer's transaction): reflection_id, prompt_id, user_id,
# author_name (the name the offered member may see: facilitation.naming.shown_author_name).
response_requested = Signal()
# A facilitator published an activity's summary for the first time (sent by facilitation's service):
# prompt_id, facilitator_id, user_ids (the members who reflected there).
activity_summarised = Signal()
# --- Follow-through (issue 25) ---
# A reflection was created (private ones too) from a composer with registered extra fields
# (``community.composer_fields``): reflection, extras ({field name: cleaned value}). Sent by
# ``services.create_reflection`` inside its transaction, so what a receiver stores commits with it.
reflection_composed = Signal()
# A learner's "Come back to this" date came (sent by followthrough's worker job, once per plan):
# user_id, reflection_id, prompt_id, link (the follow-up composer's path).
follow_up_due = Signal()
# A learner's weekly "How my reflections landed" is ready (followthrough's weekly job, once per
# member and week): user_id, text (one line of figures), link (the summary page's path).
reflections_landed = Signal()
