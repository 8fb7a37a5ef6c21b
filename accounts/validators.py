"""Handles and display names that cannot deceive: no look-alikes of the site or its staff, no
invisible names, no characters that reorder the text around them."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]+\Z",
    gettext_lazy("A handle may contain only letters, numbers and underscores."),
)

# A deleted member's posts read "Former member"; a handle shaped like that would pass for one.
RESERVED_HANDLE_PREFIXES = ("former_",)


def reserved_handle_validator(value: str) -> None:
    """Reserved shapes of handle. Reserved whole handles are ACCOUNT_USERNAME_BLACKLIST (settings)."""
    if value.lower().startswith(RESERVED_HANDLE_PREFIXES):
        raise ValidationError(
            # Translators: “former_” is the start of a handle; keep it as it is.
            _("Handles starting with “former_” are reserved. Please choose another."),
            code="reserved_handle",
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
# Words that name a role or the site: a name holding one as a word passes for an official voice.
RESERVED_NAME_WORDS = {"admin", "administrator", "moderator", "moderators", "staff", "facilitator",
                       "reflect", "support", "official"}  # fmt: skip
# Characters that take no space but are allowed inside names: the zero-width joiner of emoji.
ALLOWED_FORMAT = frozenset("\u200d")
# Letters of other scripts drawn like Latin ones, and digits drawn like letters: what a reader sees.
LOOK_ALIKES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ӏ": "l", "ο": "o", "α": "a", "ν": "v", "ρ": "p", "τ": "t", "ι": "i", "κ": "k",
    "ε": "e", "μ": "u", "0": "o", "1": "l", "3": "e", "5": "s", "|": "l",
})  # fmt: skip


def name_skeleton(value: str) -> str:
    """What a name looks like to a reader: accents off, look-alike letters as Latin ones, case,
    spaces and punctuation ignored ("Máx Mοderator" and "max moderator" are one skeleton)."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return "".join(char for char in plain.translate(LOOK_ALIKES) if char.isalnum())


def _visible(char: str) -> bool:
    return char not in BLANK_LOOKING and unicodedata.category(char) not in INVISIBLE_CATEGORIES


def display_name_validator(value: str) -> None:
    if any(char in BIDI_CONTROLS for char in value):
        raise ValidationError(
            _(
                "Your display name contains a hidden character that changes the direction of text. "
                "Please remove it (it often comes with copied text)."
            ),
            code="bidi_control",
        )
    if not any(_visible(char) for char in value):
        raise ValidationError(
            _("Your display name needs at least one visible letter, number or symbol."), code="invisible_name"
        )
    if any(unicodedata.category(char) == "Cf" and char not in ALLOWED_FORMAT for char in value):
        raise ValidationError(
            _("Your display name contains a hidden character (one that takes no space). Please remove it."),
            code="hidden_character",
        )
    if " ".join(value.split()).casefold() in RESERVED_DISPLAY_NAMES:
        raise ValidationError(
            _("“Former member” is how the site shows deleted accounts. Please choose another name."),
            code="reserved_name",
        )
    words = set(name_skeleton_words(value))
    words |= {word.replace("l", "i") for word in words}  # "Adm1n": a 1 reads as an l or an i
    if words & RESERVED_NAME_WORDS:
        raise ValidationError(
            _(
                "Names that sound official (like “Moderator” or “Admin”) are kept for the site. "
                "Please choose another name."
            ),
            code="official_name",
        )


def name_skeleton_words(value: str) -> list[str]:
    """The name's words as a reader sees them (``name_skeleton`` per word)."""
    return [name_skeleton(word) for word in value.split()]


def impersonated_leader(value: str, *, exclude_pk: int | None = None):
    """The facilitator, moderator or staff member whose display name ``value`` looks like (the same
    skeleton), or None. A learner may not pass for someone who leads the course."""
    from django.db.models import Q

    from accounts import roles
    from accounts.models import User

    skeleton = name_skeleton(value)
    if not skeleton:
        return None
    leaders = User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=[roles.FACILITATOR, roles.MODERATOR])
    ).exclude(pk=exclude_pk)
    for leader in leaders.distinct().only("pk", "display_name"):
        if name_skeleton(leader.display_name) == skeleton:
            return leader
    return None


def refuse_leaders_names(value: str, *, exclude_pk: int | None = None) -> None:
    if impersonated_leader(value, exclude_pk=exclude_pk) is not None:
        raise ValidationError(
            _(
                "That name is (or looks like) the name of someone who leads or moderates here. "
                "Please choose one that is yours."
            ),
            code="leaders_name",
        )
