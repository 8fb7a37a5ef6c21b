from datetime import datetime, timedelta

import pytest
from django.utils.dateformat import format as django_format

from core.dates import _compiled, format_datetime

MOMENTS = [datetime(2020, 1, 17, 10, 43) + timedelta(days=n * 37, minutes=n * 131) for n in range(40)]


@pytest.mark.parametrize("fmt", ["j M, Y H:i", "d/m/Y G:i", "n-j", "Y-m-d H:i", "D j M"])
def test_compiled_formats_agree_with_djangos_formatter(fmt):
    assert _compiled(fmt) is not None
    for moment in MOMENTS:
        assert format_datetime(moment, fmt) == django_format(moment, fmt)


def test_the_display_format_reads_like_the_guide():
    assert format_datetime(datetime(2020, 1, 17, 10, 43), "j M, Y H:i") == "17 Jan, 2020 10:43"
    assert format_datetime(datetime(2020, 3, 5, 7, 4), "j M, Y H:i") == "5 Mar, 2020 07:04"


@pytest.mark.parametrize("fmt", ["jS F Y", r"j \o\f M", "P"])
def test_other_formats_fall_back_to_djangos_formatter(fmt):
    assert _compiled(fmt) is None
    for moment in MOMENTS[:5]:
        assert format_datetime(moment, fmt) == django_format(moment, fmt)
