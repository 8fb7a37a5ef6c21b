"""Scaffolds as pure functions: the built-in models, parsing a facilitator's own sections, and
sections ↔ Markdown (``compose`` / ``split``)."""

from types import SimpleNamespace

import pytest

from community import scaffolds
from community.scaffolds import SCAFFOLDS, Section, SectionsError, compose, parse_custom_sections, split
from core.text import count_words

GIBBS = SCAFFOLDS["gibbs"].sections


def test_the_built_in_scaffolds_have_their_sections_in_order():
    headings = {key: [s.heading for s in scaffold.sections] for key, scaffold in SCAFFOLDS.items()}
    assert headings == {
        "gibbs": ["Description", "Feelings", "Evaluation", "Analysis", "Conclusion", "Action plan"],
        "kolb": [
            "Concrete experience",
            "Reflective observation",
            "Abstract conceptualisation",
            "Active experimentation",
        ],
        "rolfe": ["What?", "So what?", "Now what?"],
        "cpd": ["What did I learn?", "How will I apply it?", "What difference did it make?"],
    }
    for scaffold in SCAFFOLDS.values():
        assert all(s.question and "\n" not in s.question for s in scaffold.sections)


def test_every_scaffold_choice_on_the_model_is_defined_here():
    from community.models import Prompt

    choices = {key for key, _ in Prompt._meta.get_field("scaffold").choices}
    assert choices == {"", "custom", *SCAFFOLDS}


def test_compose_writes_a_heading_per_section_with_text_and_skips_empty_ones():
    values = [
        "We missed a deadline.",
        "  ",
        "",
        "The handover was rushed.\n\n- no checklist",
        "",
        "Use a checklist.",
    ]
    assert compose(GIBBS, values) == (
        "## Description\n\nWe missed a deadline.\n\n"
        "## Analysis\n\nThe handover was rushed.\n\n- no checklist\n\n"
        "## Action plan\n\nUse a checklist."
    )
    assert compose(GIBBS, [""] * 6) == ""


def test_split_gives_back_what_compose_wrote():
    values = ["One.", "Two\nlines.", "", "Four with a # hash.", "", "Six."]
    assert split(GIBBS, compose(GIBBS, values)) == values


def test_split_keeps_text_before_the_first_heading_and_unknown_headings():
    text = "An opening line.\n\n## Feelings\n\nNervous.\n\n### A heading of my own\n\nMore.\n\n# ACTION PLAN #\n\nAsk."
    assert split(GIBBS, text) == [
        "An opening line.",
        "Nervous.\n\n### A heading of my own\n\nMore.",
        "",
        "",
        "",
        "Ask.",
    ]


def test_split_puts_a_repeated_heading_s_parts_together_and_free_text_in_the_first_section():
    assert split(GIBBS, "## Feelings\nA\n## Analysis\nB\n## Feelings\nC")[1:4] == ["A\n\nC", "", "B"]
    assert split(GIBBS, "Just free text.")[0] == "Just free text."
    assert split((), "anything") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Before | What did you expect?\nAfter | What happened?",
            [("Before", "What did you expect?"), ("After", "What happened?")],
        ),
        ("\n  Only a heading  \n\n", [("Only a heading", "")]),
        ("What went well? | Name one thing.", [("What went well?", "Name one thing.")]),
    ],
)
def test_custom_sections_are_one_per_line(text, expected):
    assert [(s.heading, s.question) for s in parse_custom_sections(text)] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Add at least one section"),
        ("Before | a\n | b", "Line 2: write the section’s heading"),
        ("A | b | c", "Line 1: use one “|”"),
        ("## Before | a", "without “#”"),
        ("Before | a\nbefore | b", "“before” is already a section"),
        ("x" * 81 + " | a", "under 80 characters"),
        ("A | " + "q" * 201, "guiding question under 200"),
        ("\n".join(f"S{n} | q" for n in range(11)), "at most 10 sections; you have 11"),
    ],
)
def test_custom_sections_that_cannot_be_used_say_why(text, message):
    with pytest.raises(SectionsError, match=message.replace("?", r"\?").replace("|", r"\|")):
        parse_custom_sections(text)


def test_sections_for_a_prompt():
    assert scaffolds.sections_for(SimpleNamespace(scaffold="", custom_sections="")) == ()
    assert (
        scaffolds.sections_for(SimpleNamespace(scaffold="rolfe", custom_sections=""))
        == SCAFFOLDS["rolfe"].sections
    )
    custom = SimpleNamespace(scaffold="custom", custom_sections="Plan | What is the plan?")
    assert scaffolds.sections_for(custom) == (Section("Plan", "What is the plan?"),)
    broken = SimpleNamespace(scaffold="custom", custom_sections="A | b | c")  # changed outside the form
    assert scaffolds.sections_for(broken) == ()


def test_words_written_counts_the_members_words_not_the_headings():
    values = ["I didn't say it.", "", "Next time: say it."]
    assert scaffolds.words_written(values) == 8
    # The stored count (core.text, on the Markdown) includes the headings "What?" and "Now what?".
    assert count_words(compose(SCAFFOLDS["rolfe"].sections, values)) == 8 + 1 + 2
