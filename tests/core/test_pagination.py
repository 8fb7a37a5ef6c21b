"""The pagination bar: the link builders (core/pagination.py, the keyset PageLinks) and the one
component that prints them (templates/components/pagination.html)."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from community.keyset import PageLinks
from core.pagination import PageLink, numbered_links, step_links


def page(number: int, count: int = 200, per_page: int = 10):
    return Paginator(range(count), per_page).get_page(number)


def bar(links, label="Pages of things") -> str:
    return render_to_string("components/pagination.html", {"links": links, "label": label})


def test_one_page_has_no_links_and_no_bar():
    single = page(1, count=5)
    assert numbered_links(single) == [] and step_links(single) == [] and PageLinks().links == []
    assert bar([]).strip() == ""


def test_numbered_links_elide_and_mark_the_current_page():
    links = numbered_links(page(7), query="course=3", fragment="#log")
    assert links[0] == PageLink("Previous", "?course=3&page=6#log", rel="prev")
    assert links[-1] == PageLink("Next", "?course=3&page=8#log", rel="next")
    assert PageLink("7", "?course=3&page=7#log", current=True) in links
    assert PageLink("8", "?course=3&page=8#log", label="Page 8") in links
    assert [link.text for link in links[1:-1]] == ["1", "…", "5", "6", "7", "8", "9", "…", "20"]
    assert numbered_links(page(1))[0].text == "1"  # no Previous on the first page
    assert numbered_links(page(20))[-1].text == "20"  # no Next on the last


def test_step_links():
    assert step_links(page(2), rel=False) == [
        PageLink("Previous", "?page=1"),
        PageLink("Page 2 of 20"),
        PageLink("Next", "?page=3"),
    ]
    assert step_links(page(1), previous_text="Newer", next_text="Older", position=False) == [
        PageLink("Older", "?page=2", rel="next")
    ]


def test_the_component_prints_each_kind_of_link():
    html = bar(numbered_links(page(2), query="q=mistakes"), label="Pages of <results>")
    assert '<nav class="pagination" aria-label="Pages of &lt;results&gt;">' in html
    assert '<a href="?q=mistakes&amp;page=1" rel="prev">Previous</a>' in html
    assert '<a aria-current="page" href="?q=mistakes&amp;page=2">2</a>' in html
    assert '<a href="?q=mistakes&amp;page=3" aria-label="Page 3">3</a>' in html
    assert '<span aria-hidden="true">…</span>' in html
    assert "<span>Page 2 of 20</span>" in bar(step_links(page(2)))


def test_keyset_page_links():
    links = PageLinks("?first", "?before=1", "?after=2", "?last=1", number=2, count=4).links
    html = bar(links, label="Pages of reflections")
    assert [link.text for link in links] == ["First", "Previous", "Page 2 of 4", "Next", "Last"]
    assert '<a href="?first">First</a>' in html and '<a href="?last=1">Last</a>' in html
    assert '<span aria-current="page">Page 2 of 4</span>' in html
    assert '<a href="?after=2" rel="next">Next</a>' in html
    assert [link.text for link in PageLinks(next_url="?after=2").links] == ["Next"]  # a permalink's page
