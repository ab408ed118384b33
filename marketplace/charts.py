"""Horizontal bar charts drawn on the server as SVG: plain records here, the drawing in ``templates/_charts.html``.

Why server-side SVG: no JavaScript (the CSP allows none inline, and a chart must show without it), prints as
crisply as text, and every chart comes with the table of its numbers for screen readers. Bars are horizontal so
long French labels stay readable on a phone: each label sits on its own line(s) above its bar.

A chart is a :class:`BarChart` of :class:`Bar` rows, with one value per series (one series, or two side by
side such as "programmées" vs "tenues"). :attr:`BarChart.layout` computes every position (what the template
draws, and what the tests measure); :func:`bar_chart`, :func:`grouped_chart` and :func:`top_n` build the usual
shapes. Used by the events' summary and meant for the buyers' report.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

__all__ = ["Bar", "BarChart", "ChartLayout", "bar_chart", "format_number", "grouped_chart", "top_n"]

# Geometry in viewBox units (the SVG scales to its container's width).
WIDTH = 360  # about a phone's width in CSS pixels, so 15-unit text stays near 14 px there
FONT_SIZE = 15
LINE_HEIGHT = 19
BAR_HEIGHT = 18
BAR_GAP = 4  # between the bars of one row (grouped charts)
ROW_GAP = 14  # between rows
LEGEND_LINE = 24  # one line of the legend (it wraps when its items do not fit side by side)
CHAR_WIDTH = 8.5  # an average character at FONT_SIZE
CHARS_PER_LINE = 40  # a label wraps here
MAX_LABEL_LINES = 2  # and is cut after this many lines, with "…" (the table keeps it whole)
VALUE_CHAR_WIDTH = 9
VALUE_GAP = 6
MAX_SERIES = 2  # the palette: two colours with AA contrast, the second also hatched (never colour alone)


def format_number(value: float) -> str:
    """French figures: "1 300" (narrow no-break space), "2,5"."""
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",")


@dataclass(frozen=True)
class Bar:
    """One row: a label and one value per series (``value_labels`` override how the values are written)."""

    label: str
    values: tuple[float, ...]
    value_labels: tuple[str, ...] = ()

    def written(self, index: int) -> str:
        if index < len(self.value_labels):
            return self.value_labels[index]
        return format_number(self.values[index])


@dataclass(frozen=True)
class BarShape:
    x: float
    y: float
    width: float
    height: float
    series: int
    text: str  # the value, written right of the bar
    text_x: float
    text_y: float


@dataclass(frozen=True)
class RowShape:
    label: str  # whole, for the tooltip
    lines: tuple[str, ...]  # wrapped and cut, drawn one per line
    line_ys: tuple[float, ...]
    bars: tuple[BarShape, ...]


@dataclass(frozen=True)
class LegendItem:
    name: str  # cut with "…" when longer than the drawing (the table's column keeps it whole)
    series: int
    x: float
    y: float  # top of the swatch
    text_x: float
    text_y: float


@dataclass(frozen=True)
class ChartLayout:
    width: float
    height: float
    rows: tuple[RowShape, ...]
    legend: tuple[LegendItem, ...]
    plot_width: float  # the length of a bar worth ``max_value``


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart and the table behind it.

    ``unit`` names what is counted ("rencontres"); with several ``series`` their names head the table's columns
    and the legend instead. ``label_heading`` heads the label column of the table ("Statut QPV").
    ``scale_max`` fixes the value of a full-length bar (100 for percentages); by default the largest value.
    """

    title: str
    unit: str
    rows: tuple[Bar, ...]
    series: tuple[str, ...] = ()
    description: str = ""
    label_heading: str = ""
    scale_max: float | None = None

    def __post_init__(self):
        count = self.series_count
        if count > MAX_SERIES:
            raise ValueError(f"at most {MAX_SERIES} series")
        for row in self.rows:
            if len(row.values) != count:
                raise ValueError(f"row {row.label!r} has {len(row.values)} values, expected {count}")
            if any(v < 0 for v in row.values):
                raise ValueError("bar values cannot be negative")

    @property
    def series_count(self) -> int:
        return max(len(self.series), 1)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The table's value columns: the series, or the unit."""
        return self.series or (self.unit,)

    @property
    def is_empty(self) -> bool:
        """No row, or nothing but zeros: the template shows a sentence instead of a blank drawing."""
        return not any(v for row in self.rows for v in row.values)

    @property
    def max_value(self) -> float:
        if self.scale_max is not None:
            return self.scale_max
        return max((v for row in self.rows for v in row.values), default=0)

    @property
    def summary(self) -> str:
        """A sentence for the SVG's <desc>: every row and its values (the table has the same)."""
        parts = []
        for row in self.rows:
            values = ", ".join(f"{name} : {row.written(i)}" for i, name in enumerate(self.column_names))
            parts.append(f"{row.label} ({values})")
        return " ; ".join(parts) + "." if parts else ""

    @cached_property
    def layout(self) -> ChartLayout:
        """Every position of the drawing, computed once (``chart.layout.rows``...)."""
        return _layout(self)


def _wrap(text: str, width: int = CHARS_PER_LINE, max_lines: int = MAX_LABEL_LINES) -> tuple[str, ...]:
    """Words into lines of at most ``width`` characters; a word longer than a line is cut; "…" marks a cut."""
    words = " ".join((text or "").split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[: max_lines - 1] + [(last[: width - 1].rstrip() + "…")]
    return tuple(lines)


def _layout(chart: BarChart) -> ChartLayout:
    count = chart.series_count
    widest_value = max((len(row.written(i)) for row in chart.rows for i in range(count)), default=1)
    plot_width = WIDTH - VALUE_GAP - widest_value * VALUE_CHAR_WIDTH - 2
    scale = chart.max_value or 1
    y = 0.0
    legend: list[LegendItem] = []
    if chart.series:
        x = 0.0
        longest = int((WIDTH - 24) / CHAR_WIDTH)
        for index, name in enumerate(chart.series):
            name = name if len(name) <= longest else name[: longest - 1].rstrip() + "…"
            width = 24 + len(name) * CHAR_WIDTH
            if x and x + width > WIDTH:
                x, y = 0.0, y + LEGEND_LINE
            legend.append(LegendItem(name, index, x, y + 4, x + 24, y + 17))
            x += width + 20
        y += LEGEND_LINE + 4
    rows: list[RowShape] = []
    for row in chart.rows:
        lines = _wrap(row.label)
        line_ys = tuple(y + FONT_SIZE + i * LINE_HEIGHT for i in range(len(lines)))
        y += len(lines) * LINE_HEIGHT + 4
        bars = []
        for index in range(count):
            value = row.values[index]
            width = round(plot_width * min(value, scale) / scale, 2) if value > 0 else 0.0
            bars.append(BarShape(0.0, y, width, BAR_HEIGHT, index, row.written(index),
                                 width + VALUE_GAP, y + BAR_HEIGHT - 4))
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP - BAR_GAP
        rows.append(RowShape(row.label, lines, line_ys, tuple(bars)))
    return ChartLayout(WIDTH, max(y, 1.0), tuple(rows), tuple(legend), plot_width)


def bar_chart(title: str, unit: str, items: Iterable[tuple[str, float]], **options) -> BarChart:
    """One series: ``items`` are (label, value) in the order shown."""
    return BarChart(title, unit, tuple(Bar(label, (value,)) for label, value in items), **options)


def grouped_chart(title: str, unit: str, series: Sequence[str], items: Iterable[tuple[str, Sequence[float]]],
                  **options) -> BarChart:
    """Two series side by side (e.g. "Programmées", "Tenues"): ``items`` are (label, (value, value))."""
    return BarChart(title, unit, tuple(Bar(label, tuple(values)) for label, values in items),
                    series=tuple(series), **options)


def top_n(items: Iterable[tuple[str, float]], n: int, other_label: str = "Autres") -> list[tuple[str, float]]:
    """The ``n`` largest (label, value) pairs, largest first (ties by label), and the rest summed as "Autres"."""
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    head, tail = ordered[:n], ordered[n:]
    rest = sum(value for _, value in tail)
    return head + [(other_label, rest)] if tail and rest else head
