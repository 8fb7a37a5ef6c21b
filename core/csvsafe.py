"""CSV cells that a spreadsheet will not run as formulas (CSV or "formula" injection, OWASP).

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula, and also one that starts with a tab or carriage return followed by one of those
(they strip the leading whitespace first). A member's text is written to CSV files that other
people open (their own log, a facilitator's export), so every such cell gets a leading ``'``,
which spreadsheets show as text and do not display. Numbers we produce ourselves (counts, ids)
are left alone: they are not text a member typed. Use ``safe_row`` on a whole row for
``csv.writer``.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` ready for a CSV cell: text that could start a formula is prefixed with ``'``.
    ``None`` becomes an empty cell; ``int`` and ``float`` pass through unchanged (a count of -1
    is a number we wrote, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
