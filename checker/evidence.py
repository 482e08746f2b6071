"""A check's evidence, typed: ``Evidence`` for a claim, ``ComparisonEvidence`` for "A beat B".

``to_dict()`` is the JSON kept in ``checks.evidence``, served by the API and printed by
``newsclaims check --json``. A key is written once the check got that far (a claim without data
has no prices), in the order the checker has always written them, so new checks and stored rows
read alike. ``from_dict()`` reads any stored row back, older ones included: unknown keys are
dropped, and a value of the wrong type reads as absent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast, get_args

from checker.prices import PriceBar
from extractor.types import Basis

# What a claim's numbers were compared with: a day's prices, or a move between two closes.
Rule = Literal["level", "return", "change"]
MOVE_RULES: frozenset[Rule | None] = frozenset({"return", "change"})
BAR_PRICES = ("close", "adj_close", "low", "high")
DIGITS = 4  # decimals kept for computed values in evidence


@dataclass(frozen=True, slots=True)
class Bar:
    """The prices of one daily bar that the data has (evidence keeps no nulls)."""

    day: date
    close: float | None = None
    adj_close: float | None = None
    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, bar: PriceBar) -> Bar:
        return cls(bar.day, bar.close, bar.adj_close, bar.low, bar.high)

    def to_dict(self) -> dict[str, Any]:
        prices = {name: getattr(self, name) for name in BAR_PRICES}
        return {"day": self.day.isoformat()} | {k: v for k, v in prices.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Any) -> Bar | None:
        day = _day(data.get("day")) if isinstance(data, dict) else None
        if day is None:
            return None
        return cls(day, **{name: _number(data.get(name)) for name in BAR_PRICES})


@dataclass(frozen=True, slots=True)
class Alternative:
    """Why a contradicted claim is not a discrepancy: another reading the text allows that the
    data supports (``reading`` names it: previous_session, week_to_date, to_last_close; its
    period and computed value), or ``uncertain`` with the basis that made the reading a guess."""

    reading: str
    start: date | None = None
    end: date | None = None
    computed: float | None = None
    basis: Basis | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.basis is not None:
            return {"reading": self.reading, "basis": self.basis.to_dict()}
        return {
            "reading": self.reading,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "computed": self.computed,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Alternative | None:
        if not isinstance(data, dict):
            return None
        basis = data.get("basis")
        return cls(
            str(data.get("reading") or ""),
            _day(data.get("start")),
            _day(data.get("end")),
            _number(data.get("computed")),
            Basis.from_dict(basis) if isinstance(basis, dict) else None,
        )


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a claim was checked against and how; ``Evidence()`` for a claim not checked.

    Dates are the trading days used (``end``; ``start`` for moves); ``last_data`` is the data's
    last day when a forecast is still pending. A level keeps one ``tolerance`` (in the claim's
    unit), a move one per computed column (``tolerances``); both are written as "tolerance".
    ``decided``: the numbers were compared with the claim, so ``excess`` (and for a move the
    rule that ``matched``) are written, null when there is none.
    """

    provider: str | None = None
    symbol: str | None = None
    end: date | None = None
    last_data: date | None = None
    start: date | None = None
    rule: Rule | None = None
    start_bar: Bar | None = None
    end_bar: Bar | None = None  # with start_bar, "prices"
    computed: Mapping[str, float] | None = None  # by column: "close", "adj_close"
    day_range: tuple[float, float] | None = None
    tolerance: float | None = None
    tolerances: Mapping[str, float] | None = None
    dividend_window: float | None = None
    note: str | None = None  # why the data could not decide, when it could not
    decided: bool = False
    matched: str | None = None  # a computed column, "day_range" or "dividend_window"
    excess: float | None = None  # how far off the claim is, in tolerances
    alternative: Alternative | None = None

    @property
    def widest_tolerance(self) -> float | None:
        """The widest tolerance the checker allowed (a level's, or a move's widest)."""
        if self.tolerances:
            return max(self.tolerances.values())
        return self.tolerance

    def to_dict(self) -> dict[str, Any]:
        """The stored and printed JSON."""
        out = {
            "provider": self.provider,
            "symbol": self.symbol,
            "end": _iso(self.end),
            "last_data": _iso(self.last_data),
            "start": _iso(self.start),
            "rule": self.rule,
            "prices": self._prices(),
            "computed": _plain(self.computed),
            "day_range": None if self.day_range is None else list(self.day_range),
            "tolerance": _plain(self.tolerances) if self.tolerance is None else self.tolerance,
            "dividend_window": self.dividend_window,
            "note": self.note,
        }
        out = {k: v for k, v in out.items() if v is not None}
        if self.decided:
            out |= {"matched": self.matched} if self.rule in MOVE_RULES else {}
            out["excess"] = self.excess
        if self.alternative is not None:
            out["alternative"] = self.alternative.to_dict()
        return out

    def _prices(self) -> dict[str, Any] | None:
        if self.end_bar is None:
            return None
        start = {} if self.start_bar is None else {"start": self.start_bar.to_dict()}
        return start | {"end": self.end_bar.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        """Evidence as stored; a row from before ``excess`` was kept reads as decided when it
        has ``matched`` (and then writes ``"excess": null``)."""
        prices = data.get("prices")
        prices = prices if isinstance(prices, dict) else {}
        tolerance = data.get("tolerance")
        day_range = data.get("day_range")
        rule = data.get("rule")
        return cls(
            provider=_text(data.get("provider")),
            symbol=_text(data.get("symbol")),
            end=_day(data.get("end")),
            last_data=_day(data.get("last_data")),
            start=_day(data.get("start")),
            rule=rule if rule in get_args(Rule) else None,
            start_bar=Bar.from_dict(prices.get("start")),
            end_bar=Bar.from_dict(prices.get("end")),
            computed=_numbers(data.get("computed")),
            day_range=_pair(day_range),
            tolerance=_number(tolerance),
            tolerances=_numbers(tolerance),
            dividend_window=_number(data.get("dividend_window")),
            note=_text(data.get("note")),
            decided="excess" in data or "matched" in data,
            matched=_text(data.get("matched")),
            excess=_number(data.get("excess")),
            alternative=Alternative.from_dict(data.get("alternative")),
        )


NO_EVIDENCE = Evidence()  # a claim not checked


@dataclass(frozen=True, slots=True)
class ComparisonEvidence:
    """What an "A beat B" check used: both symbols' bars on the two days and their returns from
    one ``column`` (``computed``, by symbol)."""

    provider: str
    symbols: tuple[str, str]
    start: date | None = None
    end: date | None = None
    bars: Mapping[str, tuple[Bar, Bar]] | None = None
    note: str | None = None
    column: str | None = None
    computed: Mapping[str, float] | None = None

    @property
    def excess(self) -> float | None:
        """A comparison has no tolerance to be off by."""
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``check_comparison``'s evidence."""
        bars = self.bars
        out = {
            "provider": self.provider,
            "symbols": list(self.symbols),
            "rule": None if self.start is None else "comparison",
            "start": _iso(self.start),
            "end": _iso(self.end),
            "prices": None if bars is None else {s: [b.to_dict() for b in bars[s]] for s in bars},
            "note": self.note,
            "column": self.column,
            "computed": _plain(self.computed),
        }
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ComparisonEvidence:
        symbols = [str(s) for s in data.get("symbols") or []] + ["", ""]
        prices = data.get("prices")
        pairs = prices.items() if isinstance(prices, dict) else []
        bars = {str(s): pair for s, found in pairs if (pair := _bar_pair(found)) is not None}
        return cls(
            provider=str(data.get("provider") or ""),
            symbols=(symbols[0], symbols[1]),
            start=_day(data.get("start")),
            end=_day(data.get("end")),
            bars=bars or None,
            note=_text(data.get("note")),
            column=_text(data.get("column")),
            computed=_numbers(data.get("computed")),
        )


def _bar_pair(value: Any) -> tuple[Bar, Bar] | None:
    bars = [Bar.from_dict(b) for b in value] if isinstance(value, list) else []
    if len(bars) != 2 or bars[0] is None or bars[1] is None:
        return None
    return bars[0], bars[1]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _plain(values: Mapping[str, float] | None) -> dict[str, float] | None:
    return None if values is None else dict(values)


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    """A finite number as stored (an int stays an int: it is written back as read)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return cast(float, value)


def _numbers(value: Any) -> dict[str, float] | None:
    if not isinstance(value, dict):
        return None
    return {str(k): v for k, n in value.items() if (v := _number(n)) is not None}


def _pair(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2:
        return None
    low, high = (_number(v) for v in value)
    return None if low is None or high is None else (low, high)
