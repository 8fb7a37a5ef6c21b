"""Rendering is bounded: whatever its shape, a post of ``REFLECTION_MAX_LENGTH`` (20,000)
characters renders within a fixed budget of work, and the limits that make it so leave ordinary
writing alone.

Work is counted, not timed: the number of Python function calls a render makes (cProfile's
count), which is the same on every machine however busy it is. The worst shape makes about 63
calls per character; before the limits the wide table and the image openers made 230 to 245
(2.7 s and 2.3 s of CPU) and the link openers 150. The budget, 100 calls per character, is the
old bound of one second of CPU expressed in calls. The CPU times themselves are printed by
``benchmarks/test_markdown_bench.py`` (``make bench``).
"""

import cProfile

import pytest

from core import markdown
from core.markdown import render, render_markdown
from tests.core.test_markdown import assert_safe_html

N = 20_000
CALLS_PER_CHARACTER = 100


def python_calls(function, *args, **kwargs) -> int:
    """How many Python function calls ``function(*args, **kwargs)`` makes: a measure of its work
    that does not depend on the machine (calls into C, such as a regular expression, count once)."""
    profile = cProfile.Profile()
    profile.runcall(function, *args, **kwargs)
    return sum(entry.callcount for entry in profile.getstats())


def shape(*parts: str) -> str:
    """``parts`` joined, the last one repeated, cut to exactly N characters."""
    text = "".join(parts)
    return (text + parts[-1] * (N // max(1, len(parts[-1])) + 1))[:N]


def table(rows: int, columns: int = 2) -> str:
    head = "|" + "|".join(["h"] * columns) + "|\n|" + "|".join(["-"] * columns) + "|\n"
    return head + ("|" + "|".join(["x"] * columns) + "|\n") * rows


WORST_SHAPES = {
    "image openers": shape("!["),
    "link openers": shape("["),
    "unclosed inline links": shape("[a]("),
    "empty inline links": shape("[]("),
    "image in link openers": shape("[!["),
    "list markers": shape("- "),
    "deepening list lines": shape("".join("  " * i + "- x\n" for i in range(60)), "- x\n"),
    "nested list markers per line": shape("- " * 40 + "x\n"),
    "quote markers": shape(">"),
    "nested quote markers per line": shape("> " * 40 + "x\n"),
    "link reference definitions": shape("".join(f"[r{i}]: https://example.org/{i}\n" for i in range(2_000))),
    "reference uses and definitions": shape(
        "".join(f"[r{i}] " for i in range(1_500)) + "\n\n",
        "".join(f"[r{i}]: https://e.org/{i}\n" for i in range(1_500)),
    ),
    "stars": shape("*"),
    "underscored words": shape("_a"),
    "starred words": shape("*a"),
    "strikethrough openers": shape("~~a"),
    "backticks": shape("`"),
    "code spans": shape("`a"),
    "backtick runs": shape("".join("`" * (i % 40 + 1) + "a" for i in range(3_000))),
    "wide table with short rows": shape("|a" * 1_000 + "|\n" + "|-" * 1_000 + "|\n", "x\n"),
    "table rows": shape(table(4_000)),
    "line breaks": shape("a\n"),
    "angle brackets": shape("<"),
    "quotation marks": shape('"'),
    "entity starts": shape("&#"),
    "bare addresses": shape("www.a.io "),
    "autolinks": shape("<https://a.io> "),
    "brackets, then line breaks, then angle brackets": shape("![" * 1_000, "\n\n", "a\n" * 2_900, "\n", "<"),
    "emphasis, then angle brackets": shape("*a* " * 1_450, "\n\n", "<"),
    "code spans, then angle brackets": shape("`a` " * 1_450, "\n\n", "<"),
}


@pytest.mark.parametrize("text", WORST_SHAPES.values(), ids=WORST_SHAPES.keys())
def test_worst_shapes_render_within_the_work_budget(text):
    assert len(text) == N
    render_markdown("warm up")  # imports and compiled patterns are not the text's work
    html = []
    calls = python_calls(lambda: html.append(render_markdown(text)))
    assert calls <= CALLS_PER_CHARACTER * N, f"{calls / N:.0f} calls per character"
    assert_safe_html(html[0])


@pytest.mark.parametrize(
    "pathological",
    [
        "[" * 10_000 + "]" * 10_000,
        "[]" * 10_000,
        "*a" * 10_000,
        "_" * 20_000,
        ">" * 20_000,
        "- " * 10_000,
        "`" * 20_000,
        "<" * 20_000,
        "[a](" * 5_000,
        "**" * 10_000,
        "1. " * 6_000,
    ],
)
def test_pathological_input_renders_within_the_work_budget(pathological):
    # A guard against super-linear parsers (Python-Markdown took 16.5 s on the first case).
    render_markdown("warm up")
    calls = python_calls(render_markdown, pathological)
    assert calls <= CALLS_PER_CHARACTER * len(pathological), f"{calls / len(pathological):.0f} per character"


def test_a_table_ends_after_max_table_cells_and_its_other_rows_stay_text():
    html = render_markdown(table(markdown.MAX_TABLE_CELLS, columns=3) + "|the last row|\n")
    assert markdown.MAX_TABLE_CELLS - 3 <= html.count("<td>") <= markdown.MAX_TABLE_CELLS
    assert "|x|x|x|<br>" in html and "the last row" in html


def test_text_that_would_expand_past_the_budget_is_shown_whole_as_plain_text():
    text = "<b>&\n" * 4_000  # 4,000 line breaks and escapes: past MAX_HTML
    rendering = render(text)
    assert rendering.plain
    assert rendering.html.count("&lt;b&gt;&amp;") == 4_000 and rendering.html.count("<br>") == 3_999
    assert_safe_html(rendering.html)


def test_brackets_past_the_budget_stay_text_and_links_before_them_still_work():
    html = render_markdown("[first](https://example.org/1) " + "[" * 5_000 + " [x](https://example.org/2)")
    assert '<a href="https://example.org/1"' in html


def test_exclamation_marks_and_plain_brackets_do_not_use_up_the_link_budget():
    text = "Wow" + "!" * 3 * markdown.MAX_BRACKETS + " [a link](https://example.org/x) [sic]" * 400
    assert render_markdown(text).count('<a href="https://example.org/x"') == 400


def test_a_long_ordinary_post_renders_as_markdown_with_its_links():
    paragraph = (
        "Reflecting on **lesson three**, I kept returning to *psychological safety* and to "
        "[Edmondson's paper](https://example.org/edmondson) — see also https://example.org/notes.\n\n"
    )
    rows = "".join(f"| week {n} | {n * 3} incidents | *reviewed* | `ok` |\n" for n in range(40))
    text = shape(
        "# What I noticed\n\n",
        "- a list item with `code`\n" * 200 + "\n",
        "| week | count | state | flag |\n|---|---|---|---|\n" + rows + "\n",
        "> a quoted line from the lesson\n>\n" * 50 + "\n",
        "```python\nfor item in items:\n    print(item)\n```\n\n",
        paragraph,
    )
    rendering = render(text)
    assert not rendering.plain
    assert "<h1>" in rendering.html and "<table>" in rendering.html and "<blockquote>" in rendering.html
    assert '<a href="https://example.org/edmondson" rel="nofollow ugc noopener">' in rendering.html


def test_very_deep_nesting_renders_without_error():
    html = render_markdown("> " * 200 + "deep\n\n" + "- " * 200 + "deeper")
    assert "<blockquote>" in html
    assert_safe_html(html)
