"""Reflection scaffolds: the structured models a facilitator may choose for an activity
(``Prompt.scaffold``), each a list of sections with a heading and a one-line guiding question.

The composer shows one field per section; what is posted is ordinary Markdown with a ``## Heading``
per section that has text (``compose``), so rendering, search and export need nothing new.
``split`` reads such Markdown back into the sections (a restored draft, "Use the sections").
Pure functions, no database.
"""

import re
from dataclasses import dataclass

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
        "Gibbs’ reflective cycle",
        (
            Section(
                "Description", "What happened? Set the scene in a few lines: where, who, and what you did."
            ),
            Section("Feelings", "What were you thinking and feeling at the time, and afterwards?"),
            Section("Evaluation", "What went well, and what went less well?"),
            Section("Analysis", "Why did it go the way it did? What from this lesson helps explain it?"),
            Section("Conclusion", "What else could you have done, and what have you learned about yourself?"),
            Section("Action plan", "If it happened again, what would you do? What will you try first?"),
        ),
    ),
    "kolb": Scaffold(
        "Kolb’s experiential learning cycle",
        (
            Section("Concrete experience", "Which experience are you looking at? Describe what you did."),
            Section(
                "Reflective observation", "Looking back, what do you notice, from your side and from others'?"
            ),
            Section("Abstract conceptualisation", "What general idea or principle do you take from it?"),
            Section("Active experimentation", "How will you test that idea in practice, and when?"),
        ),
    ),
    "rolfe": Scaffold(
        "Rolfe: What? So what? Now what?",
        (
            Section("What?", "What happened, and what was your part in it?"),
            Section("So what?", "Why does it matter? What does it tell you about you or your work?"),
            Section("Now what?", "What will you do differently, and what do you need to get there?"),
        ),
    ),
    "cpd": Scaffold(
        "CPD reflection",
        (
            Section("What did I learn?", "Name the one or two things you learned, as concretely as you can."),
            Section("How will I apply it?", "Where and when will you put it to use in your work?"),
            Section(
                "What difference did it make?",
                "What changed, or what do you expect to change, for you or the people you work with?",
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
            raise SectionsError(f"Line {number}: use one “|”, between the heading and its guiding question.")
        if not heading:
            raise SectionsError(f"Line {number}: write the section’s heading before the “|”.")
        if heading.startswith("#"):
            raise SectionsError(
                f"Line {number}: write the heading without “#”; the heading marks are added for you."
            )
        if len(heading) > MAX_HEADING_LENGTH:
            raise SectionsError(f"Line {number}: keep the heading under {MAX_HEADING_LENGTH} characters.")
        if len(question) > MAX_QUESTION_LENGTH:
            raise SectionsError(
                f"Line {number}: keep the guiding question under {MAX_QUESTION_LENGTH} characters."
            )
        if heading.casefold() in seen:
            raise SectionsError(
                f"Line {number}: “{heading}” is already a section; give each section its own heading."
            )
        seen.add(heading.casefold())
        sections.append(Section(heading, question))
    if not sections:
        raise SectionsError("Add at least one section: one per line, “Heading | guiding question”.")
    if len(sections) > MAX_CUSTOM_SECTIONS:
        raise SectionsError(f"Use at most {MAX_CUSTOM_SECTIONS} sections; you have {len(sections)}.")
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
    return scaffold.name if scaffold else "this activity"


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
