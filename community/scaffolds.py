"""Reflection scaffolds: the structured models a facilitator may choose for an activity
(``Prompt.scaffold``), each a list of sections with a heading and a one-line guiding question.

The composer shows one field per section; what is posted is ordinary Markdown with a ``## Heading``
per section that has text (``compose``), so rendering, search and export need nothing new.
``split`` reads such Markdown back into the sections (a restored draft, "Use the sections").
Pure functions, no database.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.text import count_words


@dataclass(frozen=True)
class Section:
    heading: str
    question: str = ""


@dataclass(frozen=True)
class Scaffold:
    name: str
    sections: tuple[Section, ...]


# The guiding questions were written for Reflect.
SCAFFOLDS: dict[str, Scaffold] = {
    "gibbs": Scaffold(
        _("Gibbs’ reflective cycle"),
        (
            Section(
                _("Description"),
                _("What happened? Set the scene in a few lines: where, who, and what you did."),
            ),
            Section(_("Feelings"), _("What were you thinking and feeling at the time, and afterwards?")),
            Section(_("Evaluation"), _("What went well, and what went less well?")),
            Section(
                _("Analysis"), _("Why did it go the way it did? What from this lesson helps explain it?")
            ),
            Section(
                _("Conclusion"), _("What else could you have done, and what have you learned about yourself?")
            ),
            Section(_("Action plan"), _("If it happened again, what would you do? What will you try first?")),
        ),
    ),
    "kolb": Scaffold(
        _("Kolb’s experiential learning cycle"),
        (
            Section(
                _("Concrete experience"), _("Which experience are you looking at? Describe what you did.")
            ),
            Section(
                _("Reflective observation"),
                _("Looking back, what do you notice, from your side and from others'?"),
            ),
            Section(
                _("Abstract conceptualisation"), _("What general idea or principle do you take from it?")
            ),
            Section(_("Active experimentation"), _("How will you test that idea in practice, and when?")),
        ),
    ),
    "rolfe": Scaffold(
        _("Rolfe: What? So what? Now what?"),
        (
            Section(_("What?"), _("What happened, and what was your part in it?")),
            Section(_("So what?"), _("Why does it matter? What does it tell you about you or your work?")),
            Section(_("Now what?"), _("What will you do differently, and what do you need to get there?")),
        ),
    ),
    "cpd": Scaffold(
        _("CPD reflection"),
        (
            Section(
                _("What did I learn?"), _("Name the one or two things you learned, as concretely as you can.")
            ),
            Section(_("How will I apply it?"), _("Where and when will you put it to use in your work?")),
            Section(
                _("What difference did it make?"),
                _("What changed, or what do you expect to change, for you or the people you work with?"),
            ),
        ),
    ),
}

MAX_CUSTOM_SECTIONS = 10
MAX_HEADING_LENGTH = 80
MAX_QUESTION_LENGTH = 200


class SectionsError(ValueError):
    """``custom_sections`` that cannot be used; the message says which line and why."""


def parse_custom_sections(text: str) -> tuple[Section, ...]:
    """ "Heading | guiding question", one section per line (blank lines skipped; the question may
    be left out). Raises ``SectionsError`` with a message a facilitator can act on."""
    sections: list[Section] = []
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        heading, bar, question = (part.strip() for part in line.partition("|"))
        if "|" in question:
            raise SectionsError(
                gettext("Line %(number)s: use one “|”, between the heading and its guiding question.")
                % {"number": number}
            )
        if not heading:
            raise SectionsError(
                gettext("Line %(number)s: write the section’s heading before the “|”.") % {"number": number}
            )
        if heading.startswith("#"):
            raise SectionsError(
                gettext(
                    "Line %(number)s: write the heading without “#”; the heading marks are added for you."
                )
                % {"number": number}
            )
        if len(heading) > MAX_HEADING_LENGTH:
            raise SectionsError(
                gettext("Line %(number)s: keep the heading under %(limit)s characters.")
                % {"number": number, "limit": MAX_HEADING_LENGTH}
            )
        if len(question) > MAX_QUESTION_LENGTH:
            raise SectionsError(
                gettext("Line %(number)s: keep the guiding question under %(limit)s characters.")
                % {"number": number, "limit": MAX_QUESTION_LENGTH}
            )
        if heading.casefold() in seen:
            raise SectionsError(
                gettext(
                    "Line %(number)s: “%(heading)s” is already a section; give each section its own heading."
                )
                % {"number": number, "heading": heading}
            )
        seen.add(heading.casefold())
        sections.append(Section(heading, question))
    if not sections:
        raise SectionsError(gettext("Add at least one section: one per line, “Heading | guiding question”."))
    if len(sections) > MAX_CUSTOM_SECTIONS:
        raise SectionsError(
            ngettext(
                "Use at most %(limit)s sections; you have %(count)s.",
                "Use at most %(limit)s sections; you have %(count)s.",
                len(sections),
            )
            % {"limit": MAX_CUSTOM_SECTIONS, "count": len(sections)}
        )
    return tuple(sections)


def sections_for(prompt) -> tuple[Section, ...]:
    """The sections the composer shows for ``prompt``; () for free writing. Custom sections that
    no longer parse (changed outside the admin form) fall back to free writing."""
    if prompt.scaffold == "custom":
        try:
            return parse_custom_sections(prompt.custom_sections)
        except SectionsError:
            return ()
    scaffold = SCAFFOLDS.get(prompt.scaffold)
    return scaffold.sections if scaffold else ()


def scaffold_name(prompt) -> str:
    scaffold = SCAFFOLDS.get(prompt.scaffold)
    return str(scaffold.name) if scaffold else gettext("this activity")


def compose(sections: tuple[Section, ...], values: list[str]) -> str:
    """The post's Markdown: ``## Heading`` and the text, for each section that has text."""
    parts = [
        f"## {section.heading}\n\n{text.strip()}"
        for section, text in zip(sections, values, strict=False)
        if text and text.strip()
    ]
    return "\n\n".join(parts)


_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


def split(sections: tuple[Section, ...], text: str) -> list[str]:
    """Markdown back into one value per section: a heading line naming a section (any level,
    case-insensitive) starts it. Nothing is dropped: text before the first section heading goes
    into the first section, and other headings stay as text where they are.
    ``split(s, compose(s, values))`` gives back the stripped values."""
    if not sections:
        return []
    index_of = {section.heading.casefold(): i for i, section in enumerate(sections)}
    lines: list[list[str]] = [[] for _ in sections]
    current = 0
    for line in (text or "").splitlines():
        match = _HEADING_LINE.match(line)
        if match and match.group(1).strip().casefold() in index_of:
            current = index_of[match.group(1).strip().casefold()]
            if lines[current] and lines[current][-1].strip():
                lines[current].append("")  # the same heading twice: keep its two parts apart
            continue
        lines[current].append(line)
    return ["\n".join(part).strip() for part in lines]


def words_written(values: list[str]) -> int:
    """The learner's words across the sections (their headings are not theirs)."""
    return sum(count_words(value) for value in values)
