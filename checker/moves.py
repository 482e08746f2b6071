"""A move between two daily bars, measured per column, and the rule that supports a claim of it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from checker import rules
from checker.evidence import DIGITS, Bar, Evidence
from checker.prices import PriceBar
from checker.rules import Target


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

    def match(self, target: Target, start: date, end: date) -> tuple[str | None, float | None]:
        """Which rule supports the claim (a column, the day range, the dividend window), if any;
        and the dividend window, when one was tried (for evidence)."""
        for name, value in self.computed.items():
            if rules.within(value, rules.allowed(target, self.tolerance(value, target))):
                return name, None
        if self.in_range(target):
            return "day_range", None
        total = self.computed.get("adj_close")
        if total is None or "close" in self.computed:
            return None, None
        window = rules.dividend_window(start, end)  # only adjusted closes: allow for dividends
        allowed = rules.allowed(target, self.tolerance(total, target))
        matched = "dividend_window" if rules.overlaps(total - window, total, allowed) else None
        return matched, round(window, DIGITS)

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

    def evidence(
        self, evidence: Evidence, target: Target, before: PriceBar, after: PriceBar
    ) -> Evidence:
        """Prices used, computed values, the day range and the tolerance applied to each value."""
        day_range = None
        if self.day_range is not None:
            day_range = (round(self.day_range[0], DIGITS), round(self.day_range[1], DIGITS))
        tolerances = {k: self.tolerance(v, target) for k, v in self.computed.items()}
        return replace(
            evidence,
            start_bar=Bar.of(before),
            end_bar=Bar.of(after),
            computed={k: round(v, DIGITS) for k, v in self.computed.items()},
            day_range=day_range,
            tolerances={k: round(v, DIGITS) for k, v in tolerances.items()},
        )


def _difference(before: float, after: float) -> float:
    return after - before
