"""Handles and display names that cannot deceive: no look-alikes of the site or its staff, no
invisible names, no characters that reorder the text around them."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]+\Z",
    "A handle may contain only letters, numbers and underscores.",
)

# A deleted member's posts read "Former member"; a handle shaped like that would pass for one.
RESERVED_HANDLE_PREFIXES = ("former_",)


def reserved_handle_validator(value: str) -> None:
    """Reserved shapes of handle. Reserved whole handles are ACCOUNT_USERNAME_BLACKLIST (settings)."""
    if value.lower().startswith(RESERVED_HANDLE_PREFIXES):
        raise ValidationError(
            "Handles starting with “former_” are reserved. Please choose another.", code="reserved_handle"
        )


# allauth's ACCOUNT_USERNAME_VALIDATORS takes a dotted path to a list.
handle_validators = [handle_validator, reserved_handle_validator]


# Bidirectional controls: they make text display in an order other than the one it is stored in,
# so a name could show as someone else's, or flip the words after it.
BIDI_CONTROLS = frozenset(
    "\u061c"  # Arabic letter mark
    "\u200e\u200f"  # left-to-right / right-to-left mark
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
# Characters that render as nothing (or as blank space) but are not in a space or format category.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}

# The name a deleted member's posts show: a member called that could pass for one.
RESERVED_DISPLAY_NAMES = {"former member"}


def _visible(char: str) -> bool:
    return char not in BLANK_LOOKING and unicodedata.category(char) not in INVISIBLE_CATEGORIES


def display_name_validator(value: str) -> None:
    if any(char in BIDI_CONTROLS for char in value):
        raise ValidationError(
            "Your display name contains a hidden character that changes the direction of text. "
            "Please remove it (it often comes with copied text).",
            code="bidi_control",
        )
    if not any(_visible(char) for char in value):
        raise ValidationError(
            "Your display name needs at least one visible letter, number or symbol.", code="invisible_name"
        )
    if " ".join(value.split()).casefold() in RESERVED_DISPLAY_NAMES:
        raise ValidationError(
            "“Former member” is how the site shows deleted accounts. Please choose another name.",
            code="reserved_name",
        )
