"""Markdown rendering benchmark: CPU time of the worst shapes of a 20,000-character post.

Run with `make bench`. Prints a Markdown table of CPU time (``process_time``, the median of a few
renders) and of the Python calls each render makes, which is what the test suite holds to a budget
(tests/core/test_markdown_limits.py: 100 calls per character, no timings). Asserts only that every
shape stays within that budget here too (never timings). Before the limits the wide table took
3.4 s of CPU; with them the worst shape takes about 0.2 s.
"""

import statistics
import time

from core.markdown import render_markdown
from tests.core.test_markdown_limits import CALLS_PER_CHARACTER, WORST_SHAPES, N, python_calls

RENDERS = 3


def _cpu_ms(text: str) -> float:
    times = []
    for _ in range(RENDERS):
        start = time.process_time()
        render_markdown(text)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def test_markdown_worst_shapes_benchmark():
    render_markdown("warm up")
    rows = [(name, _cpu_ms(text), python_calls(render_markdown, text)) for name, text in WORST_SHAPES.items()]
    print(f"\n\nRendering {len(WORST_SHAPES)} worst shapes of {N:,} characters (median of {RENDERS} renders)")
    print("| shape | CPU ms | Python calls | calls per character |\n|---|---:|---:|---:|")
    for name, ms, calls in sorted(rows, key=lambda row: -row[1]):
        print(f"| {name} | {ms:.0f} | {calls:,} | {calls / N:.0f} |")
    assert all(calls <= CALLS_PER_CHARACTER * N for _, _, calls in rows)
