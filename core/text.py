"""Counting words the same way in Python (the composer, exports) and in PostgreSQL (stored counts).

A word is a run of letters or digits, with inner apostrophes kept ("don't" is one word); Markdown
marks, punctuation and list bullets are not words.
"""

import re

from django.db.models import F, Func, IntegerField, Value

# PostgreSQL's regular expressions (ARE) and Python's spell "a letter or digit" differently.
SQL_WORD = r"[[:alnum:]]+(['’][[:alnum:]]+)*"
_PYTHON_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def count_words(text: str) -> int:
    return sum(1 for _ in _PYTHON_WORD.finditer(text or ""))


def word_count_expression(field: str) -> Func:
    """``regexp_count(field, SQL_WORD)`` (immutable, so usable in a generated column)."""
    return Func(F(field), Value(SQL_WORD), function="regexp_count", output_field=IntegerField())
