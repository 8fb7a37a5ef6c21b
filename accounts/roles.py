"""Role names. Roles are Django groups (created in migration 0002); permissions hang off them."""

LEARNER = "Learner"
FACILITATOR = "Facilitator"
MODERATOR = "Moderator"

ALL_ROLES = (LEARNER, FACILITATOR, MODERATOR)
