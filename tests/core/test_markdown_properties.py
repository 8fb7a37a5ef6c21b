"""Property tests: no generated hostile Markdown gets anything executable through render_markdown.

The strategies glue together fragments attackers use (link and image syntax, raw tags, event
handlers, dangerous schemes in plain, mixed-case, entity- and percent-encoded spellings) with
Markdown punctuation and random text. Derandomized, so CI sees the same examples every run.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.markdown import render_markdown
from tests.core.test_markdown import assert_safe_html

SCHEMES = [
    "javascript:",
    "JaVaScRiPt:",
    " javascript:",
    "java\tscript:",
    "java&#x09;script:",
    "&#x6a;avascript:",
    "&#106;avascript:",
    "%6aavascript:",
    "data:",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:",
    "VBScript:",
    "file:",
    "https:",
    "http://ok.example/",
    "mailto:a@example.com",
    "//evil.example/",
]
FRAGMENTS = [
    "[", "]", "](", ")", "![", "<", ">", "</", "/>", '"', "'", "`", "```", "*", "**", "_", "__", "~~",
    "\n", "\n\n", "    ", "> ", "- ", "1. ", "|", "---", "\\", "&", "&amp;", "&#x6a;", "%6a", "#",
    "alert(1)", "onerror=", "onload=", " onclick=", "onmouseover=alert(1)", "style=", 'style="x:y"',
    "<script>", "</script>", "<img", "<img src=x", "<svg", "<svg/onload=alert(1)>", "<a href=",
    '<a href="', "<iframe", "<object", "<embed", "<math>", "<style>", "<base href=", "<form action=",
    "<!--", "-->", "<![CDATA[", "@amara", "https://example.com", "www.example.com", "x@example.com",
]  # fmt: skip
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
PIECE = st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SCHEMES), TEXT)


@st.composite
def links(draw) -> str:
    """Well-formed-ish Markdown links, images and autolinks with a chosen scheme."""
    scheme = draw(st.sampled_from(SCHEMES))
    rest = draw(st.sampled_from(["alert(1)", "alert`1`", "//x", "x", ""]))
    title = draw(st.sampled_from(["", ' "t"', " 'onmouseover=alert(1)'", ' "x" onerror=alert(1)']))
    label = draw(TEXT)
    return draw(
        st.sampled_from(
            [
                f"[{label}]({scheme}{rest}{title})",
                f"![{label}]({scheme}{rest}{title})",
                f"<{scheme}{rest}>",
                f"[{label}]\n\n[{label}]: {scheme}{rest}{title}",
                f'<a href="{scheme}{rest}"{title}>{label}</a>',
                f"<img src={scheme}{rest} onerror=alert(1)>",
            ]
        )
    )


HOSTILE = st.lists(st.one_of(PIECE, links()), min_size=1, max_size=30).map("".join)
MENTIONS = st.sets(st.sampled_from(["amara", "ben", "onerror", "javascript"]), max_size=2)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE, mentions=MENTIONS)
def test_generated_hostile_markdown_renders_nothing_executable(text, mentions):
    assert_safe_html(render_markdown(text, mentions=mentions))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=links())
def test_generated_links_keep_only_safe_schemes(text):
    html = render_markdown(text)
    assert_safe_html(html)
    assert "<script" not in html.lower() and "<img" not in html.lower()
