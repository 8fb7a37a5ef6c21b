"""Follow-through's answers to the trunk's signals."""

from community.signals import reflection_composed
from followthrough import services


def on_reflection_composed(sender, *, reflection, extras: dict, **kwargs) -> None:
    """The composer's "Come back to this", stored with the post (the same transaction)."""
    services.plan_from_composer(reflection=reflection, extras=extras)


def connect() -> None:
    reflection_composed.connect(on_reflection_composed, dispatch_uid="followthrough.on_reflection_composed")
