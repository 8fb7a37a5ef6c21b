import re
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from core.markdown import ALLOWED_PROTOCOLS, ALLOWED_TAGS, render, render_markdown
from tests.factories import make_prompt


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_safe_html(html: str) -> None:
    """Parse the output as a browser would and check every element and attribute."""
    collector = _Collector()
    collector.feed(html)
    for tag, attrs in collector.elements:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in {"href", "src"}:
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in ALLOWED_PROTOCOLS or scheme == "", value


def test_renders_lists_links_emphasis_and_quotes():
    html = render_markdown("1. first\n2. **second**\n\n- a\n- *b*\n\n> quoted\n\n[site](https://example.com)")
    assert "<ol>" in html and "<li><strong>second</strong></li>" in html
    assert "<ul>" in html and "<em>b</em>" in html
    assert "<blockquote>" in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">site</a>' in html


def test_bare_urls_become_links_with_rel():
    html = render_markdown("see https://example.org/page for more")
    assert 'href="https://example.org/page"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_single_newlines_are_kept_as_line_breaks():
    assert "<br>" in render_markdown("line one\nline two")


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#x09;script:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](%6Aavascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
        '<svg onload="alert(1)"></svg>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        '[x](https://example.com "title" onmouseover=alert(1))',
        '<a href="https://ok.example" onclick="alert(1)">x</a>',
        "``` onload=alert(1)\ncode\n```",
        "<<script>script>alert(1)<</script>/script>",
    ],
)
def test_nothing_executable_survives(hostile):
    assert_safe_html(render_markdown(hostile))


def test_javascript_link_keeps_text_but_loses_href():
    html = render_markdown("[click me](javascript:alert(1))")
    assert "click me" in html
    assert "href" not in html


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("I love <b>bold</b> & <script>x</script>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_code_class_only_allows_language_names():
    assert 'class="language-python"' in render_markdown("```python\nx = 1\n```")
    assert "class=" not in render_markdown('```python" onclick="x\nx = 1\n```')


# --- Links without text, bidi controls in links, visibility ---------------------------------------


@pytest.mark.django_db
def test_a_link_without_text_shows_its_address(auth_client):
    prompt = make_prompt()
    create_url = reverse("community:reflection-create", args=[prompt.pk])
    body = "Worth reading: [](https://example.org/caf%C3%A9) and [ ](mailto:team@example.org)"
    assert auth_client.post(create_url, {"body": body}).status_code == HTTPStatus.FOUND
    page = auth_client.get(prompt.lesson.get_community_url()).text
    assert (
        '<a href="https://example.org/caf%C3%A9" rel="nofollow ugc noopener">https://example.org/café</a>'
        in page
    )
    assert '<a href="mailto:team@example.org" rel="nofollow ugc noopener">team@example.org</a>' in page
    assert not re.search(r"<a [^>]*>\s*</a>", page)


def test_no_link_renders_empty():
    for text in ["[](https://example.org)", "x [](javascript:alert(1))", "x [![](a.png)](https://e.org)"]:
        assert not re.search(r"<a [^>]*>\s*</a>", render_markdown(text)), text


def test_link_text_and_mentions_lose_bidi_controls():
    html = render_markdown(
        '[file\u202egnp.exe](https://example.org/x "t\u2066") https://example.org/\u202eexe @amara\u202e',
        mentions={"amara"},
    )
    links = re.findall(r"<a [^>]*>(.*?)</a>", html)
    assert links == ["filegnp.exe", "https://example.org/exe", "@amara"]
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", "".join(re.findall(r"<a [^>]*>", html)))


def test_rendering_reports_visibility():
    assert render("hello").has_visible_text
    assert not render("\u200b").has_visible_text


@pytest.mark.parametrize(
    "text",
    [
        "> " * 30 + "deep words",
        "- " * 30 + "deep words",
        "1. " * 25 + "deep words",
        "> - " * 15 + "deep words",
    ],
)
def test_text_nested_past_the_limit_still_shows_flattened(text):
    """Quotes and lists nested deeper than the parser keeps are flattened to its depth: the words
    show on the page as they do in the exports, never vanish."""
    html = render_markdown(text)
    assert "deep words" in html
    assert html.count("<blockquote>") + html.count("<ul>") + html.count("<ol>") <= 8
