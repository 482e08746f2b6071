"""The server-drawn price chart of a claim: marks, claimed against computed, range, caption."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from checker.prices import PriceBar
from extractor.types import Claim
from review.chart import chart_window, price_chart

SVG = "{http://www.w3.org/2000/svg}"
D = date.fromisoformat
# Two made-up weeks of XYZ: 100 on 2025-02-03, one point up each trading day.
DAYS = [D("2025-02-03") + timedelta(days=i) for i in range(14)]
BARS = [
    PriceBar("XYZ", day, low=100.0 + i - 2, high=100.0 + i + 2, close=100.0 + i)
    for i, day in enumerate(d for d in DAYS if d.weekday() < 5)
]


def claim(metric: str, value: float, unit: str, **fields: object) -> Claim:
    return Claim("XYZ", metric, value, unit, "historical", "t", (0, 1), **fields)  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on markup that is not well-formed


def test_chart_return_marks_start_and_end_and_states_both_numbers() -> None:
    move = claim("price_return", 2.7, "percent", start=D("2025-02-05"), end=D("2025-02-10"))
    chart = price_chart(move, BARS, computed=3.92)
    root = parse(chart.svg)
    classes = {g.get("class") for g in root.iter(f"{SVG}g")}
    assert {"mark-start", "mark-end"} <= classes
    points = root.find(f"{SVG}polyline").get("points").split()  # type: ignore[union-attr]
    assert len(points) == len(BARS)
    assert chart.caption == (
        "XYZ price return from 2025-02-05 to 2025-02-10: claimed 2.7%, computed 3.92% "
        "(close 102.00 to 105.00)."
    )
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "claimed 104.75" in labels  # where 2.7 % from the start close of 102 would end
    assert root.find(f"{SVG}title").text == chart.caption  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == chart.caption  # type: ignore[union-attr]


def test_chart_level_draws_claimed_line_and_day_range() -> None:
    level = claim("price_level", 120.0, "usd", end=D("2025-02-07"))
    root = parse(price_chart(level, BARS, computed=104.0).svg)
    classes = {g.get("class") for g in root.iter(f"{SVG}g")}
    assert "claimed" in classes
    assert "mark-start" not in classes
    assert [line.get("class") for line in root.iter(f"{SVG}line")].count("day-range") == 1
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "claimed 120" in labels


def test_chart_without_prices_says_so() -> None:
    move = claim("price_return", 2.0, "percent", start=D("2031-01-02"), end=D("2031-01-03"))
    chart = price_chart(move, [], computed=None)
    parse(chart.svg)
    assert "no prices for XYZ between 2030-12-26 and 2031-01-10" in chart.caption


def test_chart_escapes_its_texts() -> None:
    hostile = Claim(
        "<script>alert(1)</script>", "price_return", 1.0, "percent", "historical", "t", (0, 1),
        start=D("2025-02-05"), end=D("2025-02-06"),
    )  # fmt: skip
    svg = price_chart(hostile, BARS, computed=1.0).svg
    assert "<script>" not in svg
    parse(svg)


def test_chart_window_has_a_margin_either_side() -> None:
    year = claim("price_return", 20.0, "percent", start=D("2024-12-31"), end=D("2025-12-31"))
    assert chart_window(year) == (
        D("2024-10-01"),
        D("2026-04-01"),
    )  # 91 days: a quarter of the year
    day = claim("price_level", 100.0, "usd", end=D("2025-02-07"))
    assert chart_window(day) == (D("2025-01-31"), D("2025-02-14"))
