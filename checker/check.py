"""Check one claim against market data: ``check_claim(claim, prices, calendar) -> Check``.

The rules are design.md "Checking rules" (arithmetic in ``rules.py``). A claim the data cannot
decide gets the verdict ``unverifiable`` with a reason, never an exception; hypothetical claims are
not checked (verdict None). Forecasts are ``pending`` while their date is past the data, then
``hit`` or ``missed`` by the same arithmetic. Every verdict keeps its evidence (``evidence.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from checker import readings, rules
from checker.evidence import (
    DIGITS,
    NO_EVIDENCE,
    Alternative,
    Bar,
    ComparisonEvidence,
    Evidence,
)
from checker.moves import Move
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
AnyEvidence = Evidence | ComparisonEvidence


@dataclass(frozen=True, slots=True)
class Check:
    """A verdict, its reason when unverifiable, the computed value and the evidence."""

    verdict: Verdict | None
    reason: Reason | None = None
    computed: float | None = None
    evidence: AnyEvidence = NO_EVIDENCE

    def to_dict(self) -> dict[str, Any]:
        """The fields ``newsclaims check --json`` adds to each claim."""
        return {
            "verdict": self.verdict,
            "reason": self.reason,
            "computed": self.computed,
            "evidence": self.evidence.to_dict(),
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
    alternative: Alternative | None = None
    if not claim.basis.certain:
        alternative = Alternative("uncertain", basis=claim.basis)
    for name, other in [] if alternative else readings.alternatives(claim, calendar):
        found = check_reading(other, prices, calendar, today=today)
        if found.verdict == "supported":
            alternative = Alternative(name, other.start, other.end, found.computed)
            break
    if alternative is None or not isinstance(check.evidence, Evidence):
        return check
    evidence = replace(check.evidence, alternative=alternative)
    return unverifiable("ambiguous_reading", evidence, check.computed)


def check_reading(
    claim: Claim, prices: PriceSource, calendar: TradingCalendar, *, today: date | None = None
) -> Check:
    """Verdict and evidence for one claim read exactly as it stands."""
    if claim.kind == "hypothetical":
        return NOT_CHECKED
    evidence = Evidence(provider=prices.provider, symbol=claim.subject)
    target = Target(claim.value, claim.low, claim.high, claim.approx, claim.bound)
    if claim.metric not in UNITS or claim.unit not in UNITS[claim.metric] or not target.decidable:
        return unverifiable("unsupported_metric", evidence)
    if not SYMBOL.fullmatch(claim.subject):
        return unverifiable("unknown_subject", evidence)
    last = prices.last_day(claim.subject)
    if last is None:
        return unverifiable("no_data", replace(evidence, note="symbol not in the data"))
    if claim.end is None:
        return unverifiable("ambiguous_period", evidence)
    end = calendar.session_on_or_before(claim.end)
    evidence = replace(evidence, end=end)
    if claim.kind == "forecast" and (end > last or (today is not None and end > today)):
        return Check("pending", evidence=replace(evidence, last_data=last))
    if claim.metric in LEVELS:
        check = _check_level(claim, target, prices, end, evidence)
    else:
        check = _check_move(claim, target, prices, calendar, end, evidence)
    if claim.kind == "forecast" and check.verdict in FORECAST_VERDICTS:
        return Check(FORECAST_VERDICTS[check.verdict], None, check.computed, check.evidence)
    return check


def unverifiable(reason: Reason, evidence: AnyEvidence, computed: float | None = None) -> Check:
    """An ``unverifiable`` verdict with its reason."""
    return Check("unverifiable", reason, computed, evidence)


def decided(ok: bool, computed: float | None, evidence: AnyEvidence) -> Check:
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


def _check_level(
    claim: Claim, target: Target, prices: PriceSource, end: date, evidence: Evidence
) -> Check:
    """A level is read from Close and the day's range; adjusted closes are not prices."""
    bar = exact_bar(prices, claim.subject, end)
    if bar is None:
        return unverifiable("no_data", replace(evidence, note="no bar on the date"))
    evidence = replace(evidence, rule="level", end_bar=Bar.of(bar))
    if bar.close is None:
        return unverifiable("no_data", replace(evidence, note="only adjusted closes"))
    if claim.session in ("premarket", "afterhours"):
        return unverifiable("ambiguous_period", evidence, bar.close)
    tolerance = round(rules.LEVEL_TOL_REL * abs(bar.close), DIGITS)
    off = excess(target, {"close": bar.close}, {"close": tolerance})
    evidence = replace(evidence, tolerance=tolerance, decided=True, excess=off)
    ok = rules.level_supported(target, close=bar.close, low=bar.low, high=bar.high)
    return decided(ok, bar.close, evidence)


def _check_move(
    claim: Claim,
    target: Target,
    prices: PriceSource,
    calendar: TradingCalendar,
    end: date,
    evidence: Evidence,
) -> Check:
    """A return or a change between two closes, with the end day's range and the dividend window."""
    if claim.start is None:
        return unverifiable("ambiguous_period", evidence)
    start = calendar.session_on_or_before(claim.start)
    evidence = replace(evidence, start=start)
    if start >= end:
        return unverifiable("ambiguous_period", evidence)
    before, after = exact_bar(prices, claim.subject, start), exact_bar(prices, claim.subject, end)
    if before is None or after is None:
        return unverifiable("no_data", replace(evidence, note="no bar on a date"))
    move = Move.measure(before, after, change=claim.metric == "price_change")
    evidence = replace(evidence, rule="change" if move.change else "return")
    evidence = move.evidence(evidence, target, before, after)
    if not move.computed and move.day_range is None:
        return unverifiable("no_data", replace(evidence, note="only adjusted closes"))
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
            matched, window = move.match(target, start, end)
            evidence = replace(evidence, dividend_window=window)
            if matched is None and move.day_range is None and move.near_close(target):
                return unverifiable("ambiguous_period", evidence, move.headline(target))
    else:
        matched, window = move.match(target, start, end)
        evidence = replace(evidence, dividend_window=window)
    tolerances = {k: move.tolerance(v, target) for k, v in move.computed.items()}
    off = excess(target, move.computed, tolerances)
    evidence = replace(evidence, decided=True, matched=matched, excess=off)
    return decided(matched is not None, move.headline(target, matched), evidence)
