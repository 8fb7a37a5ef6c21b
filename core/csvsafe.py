"""CSV cells that spreadsheets will not run as formulas (CSV/formula injection)."""

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """``value`` as text, prefixed with ' when a spreadsheet would treat it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
