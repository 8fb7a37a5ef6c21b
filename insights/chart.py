"""The trend chart: bars computed in Python, drawn as inline SVG (no script, no style attributes)."""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 180
TOP = 16
BOTTOM = 24  # room for the first and last dates under the bars
LEFT = 32


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # "reflections" or "replies": a CSS class picks its colour


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
        first_label=days[0].day.strftime("%d %b") if days else "",
        last_label=days[-1].day.strftime("%d %b") if days else "",
    )
