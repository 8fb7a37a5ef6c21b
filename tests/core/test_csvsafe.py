import csv
import io

import pytest

from core.csvsafe import safe_cell, safe_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2", "'-2"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("- a list item", "'- a list item"),
        ("A plain sentence = fine", "A plain sentence = fine"),
        ("", ""),
        (" =1+1", " =1+1"),  # spreadsheets do not evaluate a formula after a space
        ("Ünïcödé — ’quotes’ 😀", "Ünïcödé — ’quotes’ 😀"),
    ],
)
def test_text_that_could_start_a_formula_is_escaped(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("plain") == "plain" and safe_cell(3) == 3 and safe_cell(None) == ""


def test_numbers_we_wrote_and_empty_values_are_left_alone():
    assert safe_cell(3) == 3
    assert safe_cell(-1) == -1  # a number, not text a member typed
    assert safe_cell(2.5) == 2.5
    assert safe_cell(None) == ""
    assert safe_cell(True) == "yes"


def test_a_row_written_by_csv_keeps_the_escape_inside_its_quotes():
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(["=cmd|' /C calc'!A0", "ok", 7]))
    assert out.getvalue() == "'=cmd|' /C calc'!A0,ok,7\r\n"
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=cmd|' /C calc'!A0", "ok", "7"]
