"""Check one claim against market data: ``check_claim(claim, prices, calendar) -> Check``.

The rules are design.md "Checking rules" (arithmetic in ``rules.py``). A claim the data cannot
decide gets the verdict ``unverifiable`` with a reason, never an exception; hypothetical claims are
not checked (verdict None). Forecasts are ``pending`` while their date is past the data, then
``hit`` or ``missed`` by the same arithmetic. Every verdict keeps JSON-able evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from checker import readings, rules
from checker.prices import PriceBar, PriceSource
from checker.rules import Target
from extractor.dates import TradingCalendar
from extractor.types import Claim

Verdict = Literal["supported", "contradicted", "unverifiable", "pending", "hit", "missed"]
Reason = Literal[
    "no_data", "unknown_subject", "ambiguous_period", "unsupported_metric", "ambiguous_reading"
]

MOVES = frozenset({"price_return", "price_change"})
LEVELS = frozenset({"price_level", "target_level"})
# Units each metric can be checked in; "" is a claim that did not say (the gold leaves it out).
UNITS: dict[str, frozenset[str]] = {
    "price_return": frozenset({"percent", ""}),
    "price_change": frozenset({"points", "usd", ""}),
    "price_level": frozenset({"points", "usd", ""}),
    "target_level": frozenset({"points", "usd", ""}),
}
# Yahoo-style symbols: AAPL, BRK-B, ^GSPC, RDS.A, ES=F.
SYMBOL = re.compile(r"\^?[A-Z0-9][A-Z0-9.\-=]{0,11}")
FORECAST_VERDICTS: dict[str | None, Verdict] = {"supported": "hit", "contradicted": "missed"}
DIGITS = 4  # decimals kept for computed values in evidence


@dataclass(frozen=True, slots=True)
class Check:
    """A verdict, its reason when unverifiable, the computed value and the evidence."""

    verdict: Verdict | None
    reason: Reason | None = None
    computed: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The fields ``newsclaims check --json`` adds to each claim."""
        return {
            "verdict": self.verdict,
            "reason": self.reason,
            "computed": self.computed,
            "evidence": self.evidence,
        }


NOT_CHECKED = Check(None)


def checked_claim(claim: Claim, check: Check) -> dict[str, Any]:
    """The claim's contract JSON with its verdict, reason, computed value and evidence."""
    return claim.to_dict() | check.to_dict()


def check_claim(
    claim: Claim, prices: PriceSource, calendar: TradingCalendar, *, today: date | None = None
) -> Check:
    """Verdict and evidence for one claim; ``today`` keeps forecasts dated after it pending.

    A historical claim comes out ``contradicted`` only when its reading is certain and no other
    reading the text allows supports it (``readings.py``); else it is ``ambiguous_reading``.
    """
    check = check_reading(claim, prices, calendar, today=today)
    if check.verdict != "contradicted" or claim.kind != "historical":
        return check
    alternative: dict[str, Any] | None = None
    if not claim.basis.certain:
        alternative = {"reading": "uncertain", "basis": claim.basis.to_dict()}
    for name, other in [] if alternative else readings.alternatives(claim, calendar):
        found = check_reading(other, prices, calendar, today=today)
        if found.verdict == "supported":
            alternative = {**readings.describe(name, other), "computed": found.computed}
            break
    if alternative is None:
        return check
    evidence = check.evidence | {"alternative": alternative}
    return unverifiable("ambiguous_reading", evidence, check.computed)


def check_reading(
    claim: Claim, prices: PriceSource, calendar: TradingCalendar, *, today: date | None = None
) -> Check:
    """Verdict and evidence for one claim read exactly as it stands."""
    if claim.kind == "hypothetical":
        return NOT_CHECKED
    evidence: dict[str, Any] = {"provider": prices.provider, "symbol": claim.subject}
    target = Target(claim.value, claim.low, claim.high, claim.approx, claim.bound)
    if claim.metric not in UNITS or claim.unit not in UNITS[claim.metric] or not target.decidable:
        return unverifiable("unsupported_metric", evidence)
    if not SYMBOL.fullmatch(claim.subject):
        return unverifiable("unknown_subject", evidence)
    last = prices.last_day(claim.subject)
    if last is None:
        return unverifiable("no_data", evidence | {"note": "symbol not in the data"})
    if claim.end is None:
        return unverifiable("ambiguous_period", evidence)
    end = calendar.session_on_or_before(claim.end)
    evidence["end"] = end.isoformat()
    if claim.kind == "forecast" and (end > last or (today is not None and end > today)):
        return Check("pending", evidence=evidence | {"last_data": last.isoformat()})
    if claim.metric in LEVELS:
        check = _check_level(claim, target, prices, end, evidence)
    else:
        check = _check_move(claim, target, prices, calendar, end, evidence)
    if claim.kind == "forecast" and check.verdict in FORECAST_VERDICTS:
        return Check(FORECAST_VERDICTS[check.verdict], None, check.computed, check.evidence)
    return check


def unverifiable(reason: Reason, evidence: dict[str, Any], computed: float | None = None) -> Check:
    """An ``unverifiable`` verdict with its reason."""
    return Check("unverifiable", reason, computed, evidence)


def decided(ok: bool, computed: float | None, evidence: dict[str, Any]) -> Check:
    """``supported`` or ``contradicted``."""
    return Check("supported" if ok else "contradicted", None, computed, evidence)


def excess(target: Target, computed: dict[str, float], tolerance: dict[str, float]) -> float | None:
    """How far the claim is from the nearest computed value, in multiples of its tolerance.

    The review queue ranks discrepancies by it: points and percent are not comparable, being
    three tolerances off is. A range's claim is taken at its middle.
    """
    claimed = target.value
    if claimed is None and target.low is not None and target.high is not None:
        claimed = (target.low + target.high) / 2
    ratios = [
        abs(claimed - value) / tolerance[name]
        for name, value in computed.items()
        if claimed is not None and tolerance.get(name)
    ]
    return round(min(ratios), 2) if ratios else None


def exact_bar(prices: PriceSource, symbol: str, day: date) -> PriceBar | None:
    """The symbol's bar on ``day`` itself; None when the data lacks that day."""
    bar = prices.bar_on_or_before(symbol, day)
    return bar if bar is not None and bar.day == day else None


def bar_prices(bar: PriceBar) -> dict[str, Any]:
    """The prices of a bar that are present, for evidence."""
    fields = {"close": bar.close, "adj_close": bar.adj_close, "low": bar.low, "high": bar.high}
    return {"day": bar.day.isoformat()} | {k: v for k, v in fields.items() if v is not None}


def _check_level(
    claim: Claim, target: Target, prices: PriceSource, end: date, evidence: dict[str, Any]
) -> Check:
    """A level is read from Close and the day's range; adjusted closes are not prices."""
    bar = exact_bar(prices, claim.subject, end)
    if bar is None:
        return unverifiable("no_data", evidence | {"note": "no bar on the date"})
    evidence |= {"rule": "level", "prices": {"end": bar_prices(bar)}}
    if bar.close is None:
        return unverifiable("no_data", evidence | {"note": "only adjusted closes"})
    if claim.session in ("premarket", "afterhours"):
        return unverifiable("ambiguous_period", evidence, bar.close)
    evidence["tolerance"] = round(rules.LEVEL_TOL_REL * abs(bar.close), DIGITS)
    evidence["excess"] = excess(target, {"close": bar.close}, {"close": evidence["tolerance"]})
    ok = rules.level_supported(target, close=bar.close, low=bar.low, high=bar.high)
    return decided(ok, bar.close, evidence)


def _check_move(
    claim: Claim,
    target: Target,
    prices: PriceSource,
    calendar: TradingCalendar,
    end: date,
    evidence: dict[str, Any],
) -> Check:
    """A return or a change between two closes, with the end day's range and the dividend window."""
    if claim.start is None:
        return unverifiable("ambiguous_period", evidence)
    start = calendar.session_on_or_before(claim.start)
    evidence["start"] = start.isoformat()
    if start >= end:
        return unverifiable("ambiguous_period", evidence)
    before, after = exact_bar(prices, claim.subject, start), exact_bar(prices, claim.subject, end)
    if before is None or after is None:
        return unverifiable("no_data", evidence | {"note": "no bar on a date"})
    move = Move.measure(before, after, change=claim.metric == "price_change")
    evidence["rule"] = "change" if move.change else "return"
    evidence |= move.evidence(target, before, after)
    if not move.computed and move.day_range is None:
        return unverifiable("no_data", evidence | {"note": "only adjusted closes"})
    if claim.session in ("premarket", "afterhours"):  # daily bars cannot see outside the session
        return unverifiable("ambiguous_period", evidence, move.headline(target))
    # A move the sentence places in the session: only the day's range can speak for it. One the
    # published time places there may also be the close (the piece was updated after it), so the
    # close supports it; without a range it is contradicted only when it lies further from the
    # close-to-close move than a session's drift (``rules.intraday_drift``) could carry it.
    inferred = claim.basis.session == "clock"
    if claim.session == "intraday":
        if move.day_range is None and not inferred:
            return unverifiable("ambiguous_period", evidence, move.headline(target))
        matched = "day_range" if move.in_range(target) else None
        if matched is None and inferred:
            matched = move.match(target, start, end, evidence)
            if matched is None and move.day_range is None and move.near_close(target):
                return unverifiable("ambiguous_period", evidence, move.headline(target))
    else:
        matched = move.match(target, start, end, evidence)
    evidence["matched"] = matched
    tolerances = {k: move.tolerance(v, target) for k, v in move.computed.items()}
    evidence["excess"] = excess(target, move.computed, tolerances)
    return decided(matched is not None, move.headline(target, matched), evidence)


@dataclass(frozen=True, slots=True)
class Move:
    """A measured move: by column ("close", "adj_close"), and the end day's Low..High range."""

    change: bool
    computed: dict[str, float]
    day_range: tuple[float, float] | None
    base: float | None = None  # the start close, to size a drift in points

    @classmethod
    def measure(cls, before: PriceBar, after: PriceBar, *, change: bool) -> Move:
        """Measure from two bars: price return / change from Close, total return from Adj Close."""
        measure = _difference if change else rules.pct_change
        computed: dict[str, float] = {}
        if before.close and after.close:
            computed["close"] = measure(before.close, after.close)
        if not change and before.adj_close and after.adj_close:  # adjusted levels are no prices
            computed["adj_close"] = measure(before.adj_close, after.adj_close)
        day_range = None
        if before.close and after.low is not None and after.high is not None:
            day_range = (measure(before.close, after.low), measure(before.close, after.high))
        return cls(change, computed, day_range, before.close or before.adj_close)

    def tolerance(self, computed: float, target: Target) -> float:
        if self.change:
            return rules.change_tolerance(computed, target)
        return rules.return_tolerance(computed, target)

    def near_close(self, target: Target) -> bool:
        """Whether an intraday claim lies within a session's drift of the close-to-close move."""
        for value in self.computed.values():
            drift = rules.intraday_drift(value, change=self.change, base=self.base)
            if rules.within(value, rules.allowed(target, self.tolerance(value, target) + drift)):
                return True
        return False

    def in_range(self, target: Target) -> bool:
        if self.day_range is None:
            return False
        widening = rules.range_widening(target, change=self.change)
        return rules.overlaps(*self.day_range, rules.allowed(target, widening))

    def match(self, target: Target, start: date, end: date, evidence: dict[str, Any]) -> str | None:
        """Which rule supports the claim (a column, the day range, the dividend window), if any."""
        for name, value in self.computed.items():
            if rules.within(value, rules.allowed(target, self.tolerance(value, target))):
                return name
        if self.in_range(target):
            return "day_range"
        total = self.computed.get("adj_close")
        if total is None or "close" in self.computed:
            return None
        window = rules.dividend_window(start, end)  # only adjusted closes: allow for dividends
        evidence["dividend_window"] = round(window, DIGITS)
        allowed = rules.allowed(target, self.tolerance(total, target))
        return "dividend_window" if rules.overlaps(total - window, total, allowed) else None

    def headline(self, target: Target, matched: str | None = None) -> float | None:
        """The computed value to show: the one that matched, else the one nearest the claim."""
        if matched in self.computed:
            return round(self.computed[matched], DIGITS)
        if not self.computed:
            return None
        claimed = target.value
        if claimed is None:
            claimed = ((target.low or 0.0) + (target.high or 0.0)) / 2
        _, nearest = min((abs(v - claimed), v) for v in self.computed.values())
        return round(nearest, DIGITS)

    def evidence(self, target: Target, before: PriceBar, after: PriceBar) -> dict[str, Any]:
        """Prices used, computed values, the day range and the tolerance applied to each value."""
        out: dict[str, Any] = {
            "prices": {"start": bar_prices(before), "end": bar_prices(after)},
            "computed": {k: round(v, DIGITS) for k, v in self.computed.items()},
        }
        if self.day_range is not None:
            out["day_range"] = [round(x, DIGITS) for x in self.day_range]
        out["tolerance"] = {
            k: round(self.tolerance(v, target), DIGITS) for k, v in self.computed.items()
        }
        return out


def _difference(before: float, after: float) -> float:
    return after - before
