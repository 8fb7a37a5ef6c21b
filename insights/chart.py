"""The trend chart: bars computed in Python, drawn as inline SVG (no script, no style attributes)."""

from dataclasses import dataclass

from django.utils.dateformat import format as format_date

WIDTH = 640
HEIGHT = 180
TOP = 16
BOTTOM = 30  # room for the dates under the bars (larger on a phone: see .trend__label in CSS)
LEFT = 32
MAX_DAY_LABELS = 6  # dates on the axis: every few days, never crowded


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # "reflections" or "replies": a CSS class picks its colour


@dataclass
class DayLabel:
    x: float
    text: str
    anchor: str  # "start", "middle" or "end" (the first and last stay inside the chart)


@dataclass
class TrendChart:
    bars: list[Bar]
    peak: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    first_label: str = ""
    last_label: str = ""
    day_labels: list[DayLabel] | None = None


def day_labels(days, slot: float) -> list[DayLabel]:
    """A date under every few bars (at most MAX_DAY_LABELS, evenly spaced, the first day included)."""
    if not days:
        return []
    step = max(1, -(-len(days) // MAX_DAY_LABELS))  # ceiling division
    labels = []
    for index in range(0, len(days), step):
        if index == 0:
            x, anchor = LEFT, "start"
        else:
            x, anchor = round(LEFT + index * slot + slot / 2, 1), "middle"
        labels.append(DayLabel(x=x, text=format_date(days[index].day, "j M"), anchor=anchor))
    return labels


def trend_chart(days) -> TrendChart:
    """Stacked bars per day: reflections at the bottom, replies above them."""
    peak = max((day.reflections + day.replies for day in days), default=0)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(days), 1)
    bar_width = max(slot * 0.7, 1)
    bars = []
    for index, day in enumerate(days):
        x = round(LEFT + index * slot + (slot - bar_width) / 2, 1)
        bottom = HEIGHT - BOTTOM
        for kind, count in (("reflections", day.reflections), ("replies", day.replies)):
            if count and peak:
                height = round(plot_height * count / peak, 1)
                bottom -= height
                bars.append(Bar(x=x, y=round(bottom, 1), width=round(bar_width, 1), height=height, kind=kind))
    return TrendChart(
        bars=bars,
        peak=peak,
        first_label=format_date(days[0].day, "d M") if days else "",  # month names in the active language
        last_label=format_date(days[-1].day, "d M") if days else "",
        day_labels=day_labels(days, slot),
    )
