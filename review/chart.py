"""The price path behind a claim, drawn on the server: ``price_chart()`` -> an inline SVG.

A reviewer judging "claimed 2.7 %, computed -0.95 %" needs to see whether the article meant another
week. The chart draws the instrument's daily closes over the claim's period with a margin either
side, marks the period's start and end days, and shows the claimed move or level against the one
computed from the same closes; for a level or an intraday move it also draws the end day's range
(low to high) when the data has one. The same words go into the SVG's ``<title>`` and ``<desc>``
and into ``Chart.caption``, for screen readers and text browsers.

No script and no external reference: the review pages' strict CSP allows the SVG inline, and
``GET /v1/claims/{id}/chart.svg`` serves the same file. Every text is XML-escaped.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from checker.prices import PriceBar, PriceSource
from extractor.types import Claim
from store.rows import to_claim
from store.tables import CheckRow, ClaimRow

WIDTH, HEIGHT = 640, 240
PAD_X, PAD_TOP, PAD_BOTTOM = 56, 28, 34
MIN_MARGIN_DAYS = 7  # calendar days drawn either side of the period, at least
MARGIN_SHARE = 4  # and a quarter of the period's length
LEVELS = frozenset({"price_level", "target_level"})


@dataclass(frozen=True, slots=True)
class Chart:
    """The SVG document and the sentence it states."""

    svg: str
    caption: str


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    value: float


def stored_chart(row: ClaimRow, check: CheckRow | None, prices: PriceSource) -> Chart:
    """The chart of a stored claim over ``prices`` (what claims are checked with)."""
    claim = to_claim(row)
    window = chart_window(claim)
    bars = prices.bars(claim.subject, *window) if window is not None else []
    return price_chart(claim, bars, computed=check.computed if check is not None else None)


def chart_window(claim: Claim) -> tuple[date, date] | None:
    """The calendar days to fetch: the claim's period with a margin either side."""
    if claim.end is None:
        return None
    first = claim.start or claim.end
    margin = timedelta(days=max(MIN_MARGIN_DAYS, (claim.end - first).days // MARGIN_SHARE))
    return first - margin, claim.end + margin


def series(bars: list[PriceBar]) -> tuple[list[Point], str]:
    """The closes to draw, and their name: as-traded closes when the data has them, else the
    adjusted ones (whose levels are not quotes: the caption says so)."""
    closes = [Point(b.day, b.close) for b in bars if b.close is not None]
    if closes:
        return sorted(closes, key=_day), "close"
    adjusted = [Point(b.day, b.adj_close) for b in bars if b.adj_close is not None]
    return sorted(adjusted, key=_day), "adjusted close"


def _day(point: Point) -> date:
    return point.day


def price_chart(claim: Claim, bars: list[PriceBar], *, computed: float | None = None) -> Chart:
    """The chart of ``claim`` over ``bars`` (fetched for ``chart_window(claim)``)."""
    points, name = series(bars)
    caption = describe(claim, points, name, computed)
    if len(points) < 2 or claim.end is None:
        return Chart(_document(caption, [_text(WIDTH / 2, HEIGHT / 2, caption, "middle")]), caption)
    end_bar = next((b for b in bars if b.day == claim.end), None)
    target = _claimed_end(claim, points)
    extra = _claimed_levels(claim) + _range(end_bar, claim) + ([target] if target else [])
    scale = _Scale(points, extra)
    parts = [_axes(scale, points), _path(scale, points)]
    if claim.start is not None and claim.metric not in LEVELS:
        parts.append(_mark(scale, claim.start, "start"))
    parts.append(_mark(scale, claim.end, "end"))
    if claim.metric in LEVELS or claim.session is not None:
        parts.append(_range_bar(scale, end_bar, claim))
    parts += [_claimed_line(scale, level) for level in _claimed_levels(claim)]
    if target is not None:
        parts.append(_claimed_dot(scale, claim.end, target))
    parts.append(_text(PAD_X, HEIGHT - 8, caption, "start", size=11))
    return Chart(_document(caption, parts), caption)


def describe(claim: Claim, points: list[Point], name: str, computed: float | None) -> str:
    """The chart in one sentence: what was claimed, what the closes say, over which days."""
    unit = "%" if claim.unit == "percent" else f" {claim.unit}"
    said = _number(claim) + unit
    who = f"{claim.subject} {claim.metric.replace('_', ' ')}"
    if not points:
        window = chart_window(claim)
        days = f" between {window[0]} and {window[1]}" if window else ""
        return f"{who}: claimed {said}; no prices for {claim.subject}{days}."
    start = _at(points, claim.start) if claim.start else None
    end = _at(points, claim.end) if claim.end else None
    span = f"from {claim.start} to {claim.end}" if claim.start else f"on {claim.end}"
    found = f"{computed:.2f}{unit}" if computed is not None else "not computed"
    ends = ""
    if end is not None:
        closes = f"{start.value:,.2f} to {end.value:,.2f}" if start else f"{end.value:,.2f}"
        ends = f" ({name} {closes})"
    return f"{who} {span}: claimed {said}, computed {found}{ends}."


def _number(claim: Claim) -> str:
    if claim.value is not None:
        return f"{claim.value:g}"
    return f"{claim.low:g} to {claim.high:g}" if claim.low is not None else "?"


def _at(points: list[Point], day: date) -> Point | None:
    """The close on ``day`` or the last one before it."""
    before = [p for p in points if p.day <= day]
    return before[-1] if before else None


def _claimed_levels(claim: Claim) -> list[float]:
    if claim.metric not in LEVELS or claim.unit not in ("usd", "points"):
        return []
    numbers = [claim.value] if claim.value is not None else [claim.low, claim.high]
    return [n for n in numbers if n is not None]


def _claimed_end(claim: Claim, points: list[Point]) -> float | None:
    """Where the claimed move would have left the close: start close x (1 + r) or + change."""
    if claim.start is None or claim.value is None or claim.metric in LEVELS:
        return None
    start = _at(points, claim.start)
    if start is None:
        return None
    if claim.metric == "price_return":
        return start.value * (1 + claim.value / 100)
    return start.value + claim.value if claim.metric == "price_change" else None


def _claimed_dot(scale: _Scale, day: date, value: float) -> str:
    x, y = scale.x(day), scale.y(value)
    return (
        f'<g class="claimed"><circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#b3261e"/>'
        + _text(x + 6, y + 4, f"claimed {value:,.2f}", "start", size=10)
        + "</g>"
    )


def _range(bar: PriceBar | None, claim: Claim) -> list[float]:
    if bar is None or (claim.metric not in LEVELS and claim.session is None):
        return []
    return [v for v in (bar.low, bar.high) if v is not None]


class _Scale:
    """Trading days evenly along x (no weekend gaps), values along y with 5 % headroom."""

    def __init__(self, points: list[Point], extra: list[float]) -> None:
        self.days = [p.day for p in points]
        values = [p.value for p in points] + extra
        low, high = min(values), max(values)
        pad = (high - low) * 0.05 or abs(high) * 0.01 or 1.0
        self.low, self.high = low - pad, high + pad

    def x(self, day: date) -> float:
        index = min(bisect_left(self.days, day), len(self.days) - 1)
        return PAD_X + index * (WIDTH - 2 * PAD_X) / max(len(self.days) - 1, 1)

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return PAD_TOP + (1 - share) * (HEIGHT - PAD_TOP - PAD_BOTTOM)


def _axes(scale: _Scale, points: list[Point]) -> str:
    bottom = HEIGHT - PAD_BOTTOM
    lines = [
        f'<line class="axis" x1="{PAD_X}" y1="{bottom}" x2="{WIDTH - PAD_X}" y2="{bottom}" '
        'stroke="#999"/>'
    ]
    for value in (scale.low, scale.high):
        lines.append(_text(PAD_X - 4, scale.y(value) + 4, f"{value:,.2f}", "end", size=10))
    lines.append(_text(PAD_X, bottom + 14, str(points[0].day), "start", size=10))
    lines.append(_text(WIDTH - PAD_X, bottom + 14, str(points[-1].day), "end", size=10))
    return "".join(lines)


def _path(scale: _Scale, points: list[Point]) -> str:
    coords = " ".join(f"{scale.x(p.day):.1f},{scale.y(p.value):.1f}" for p in points)
    return f'<polyline class="closes" fill="none" stroke="#1f4e9c" points="{coords}"/>'


def _mark(scale: _Scale, day: date, label: str) -> str:
    x = scale.x(day)
    anchor = "start" if label == "end" else "end"  # labels apart when the days are neighbours
    return (
        f'<g class="mark-{label}"><line x1="{x:.1f}" y1="{PAD_TOP}" x2="{x:.1f}" '
        f'y2="{HEIGHT - PAD_BOTTOM}" stroke="#666" stroke-dasharray="4 3"/>'
        + _text(x + (4 if label == "end" else -4), PAD_TOP - 6, f"{label} {day}", anchor, size=10)
        + "</g>"
    )


def _range_bar(scale: _Scale, bar: PriceBar | None, claim: Claim) -> str:
    if bar is None or bar.low is None or bar.high is None or claim.end is None:
        return ""
    x = scale.x(claim.end)
    return (
        f'<line class="day-range" x1="{x:.1f}" y1="{scale.y(bar.high):.1f}" x2="{x:.1f}" '
        f'y2="{scale.y(bar.low):.1f}" stroke="#999" stroke-width="6" stroke-opacity="0.5"/>'
    )


def _claimed_line(scale: _Scale, level: float) -> str:
    y = scale.y(level)
    return (
        f'<g class="claimed"><line x1="{PAD_X}" y1="{y:.1f}" x2="{WIDTH - PAD_X}" y2="{y:.1f}" '
        f'stroke="#b3261e" stroke-dasharray="6 4"/>'
        + _text(WIDTH - PAD_X, y - 4, f"claimed {level:g}", "end", size=10)
        + "</g>"
    )


def _text(x: float, y: float, words: str, anchor: str, *, size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(words)}</text>"
    )


def _document(caption: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        f"font-family={quoteattr('sans-serif')}>"
        f'<title id="chart-title">{escape(caption)}</title>'
        f'<desc id="chart-desc">{escape(caption)}</desc>' + "".join(parts) + "</svg>"
    )
