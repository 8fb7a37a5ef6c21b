"""Extra fields of the activity's composer that apps to the right of community add (followthrough:
"Come back to this"), so community never imports them.

An entry is a function ``(prompt) -> ComposerField | None`` (None: not offered in this activity).
``ReflectionForm`` adds each field offered; its template (``ComposerField.template``) prints it
inside the composer; ``services.create_reflection`` hands their cleaned values (``extras``) to
``signals.reflection_composed``, inside the post's transaction."""

from dataclasses import dataclass, field

from django import forms


@dataclass
class ComposerField:
    fields: dict[str, forms.Field]
    template: str
    # Called with the form's cleaned data after the fields' own cleaning; may raise
    # forms.ValidationError (shown with the field named ``error_field``).
    clean: object = None
    error_field: str = ""
    names: tuple[str, ...] = field(default=())
    note: str = ""  # words for the template about this activity (its ``extra.note``)


COMPOSER_FIELDS: list = []


def register_composer_field(factory) -> None:
    if factory not in COMPOSER_FIELDS:
        COMPOSER_FIELDS.append(factory)


def composer_fields(prompt) -> list[ComposerField]:
    """The extra fields offered in ``prompt``'s composer, in registration order."""
    offered = []
    for factory in COMPOSER_FIELDS:
        extra = factory(prompt)
        if extra is not None:
            extra.names = tuple(extra.fields)
            offered.append(extra)
    return offered
