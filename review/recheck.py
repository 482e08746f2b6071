"""Re-check stored claims that newer prices may now decide: ``recheck(session, prices, calendar)``.

A claim is re-checked when its check is ``pending`` (a forecast whose date was past the data),
``unverifiable`` for ``no_data``, or missing (a worker that ran without prices). Its check row is
updated only when the outcome changed. Never commits: the caller owns the transaction. Prices a
read-through source fetched on the way are written into the table in that same transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from checker import Check, PriceSource, check_claim
from extractor.dates import TradingCalendar
from marketdata.table import save_fetched
from store.rows import check_values, copy_check, to_claim
from store.tables import CheckRow, ClaimRow


@dataclass(frozen=True, slots=True)
class RecheckReport:
    """Claims looked at, and how many moved from one outcome to another."""

    examined: int
    changes: tuple[tuple[str, str, int], ...]  # (old outcome, new outcome, claims), most first
    prices_saved: int

    @property
    def changed(self) -> int:
        """Claims whose outcome changed."""
        return sum(n for _, _, n in self.changes)


def recheck(
    session: Session,
    prices: PriceSource,
    calendar: TradingCalendar,
    *,
    now: datetime,
    symbols: Collection[str] | None = None,
    today: date | None = None,
) -> RecheckReport:
    """Re-check undecided claims (only those about ``symbols`` when given); update changed rows."""
    rows = undecided(session, symbols=symbols)
    moves: Counter[tuple[str, str]] = Counter()
    for claim_row, check_row in rows:
        check = check_claim(to_claim(claim_row), prices, calendar, today=today)
        old = outcome(check_row.verdict, check_row.reason) if check_row else "unchecked"
        new = outcome(check.verdict, check.reason)
        if check_row is None:
            assert claim_row.id is not None
            session.add(CheckRow(claim_id=claim_row.id, checked_at=now, **check_values(check)))
        elif _differs(check_row, check):
            copy_check(check_row, check, now=now)
        if old != new:
            moves[old, new] += 1
    saved = save_fetched(prices, session)
    session.flush()
    changes = tuple((old, new, n) for (old, new), n in moves.most_common())
    return RecheckReport(len(rows), changes, saved)


def undecided(
    session: Session, *, symbols: Collection[str] | None = None
) -> list[tuple[ClaimRow, CheckRow | None]]:
    """Claims whose check is pending, unverifiable for no_data, or missing; oldest first."""
    verdict, reason = col(CheckRow.verdict), col(CheckRow.reason)
    statement = (
        select(ClaimRow, CheckRow)
        .join(CheckRow, col(CheckRow.claim_id) == col(ClaimRow.id), isouter=True)
        .where(
            or_(
                verdict == "pending",
                and_(verdict == "unverifiable", reason == "no_data"),
                col(CheckRow.id).is_(None),
            )
        )
        .order_by(col(ClaimRow.id))
    )
    if symbols is not None:
        statement = statement.where(col(ClaimRow.subject).in_(sorted(symbols)))
    return [(claim, check) for claim, check in session.exec(statement)]


def outcome(verdict: str | None, reason: str | None) -> str:
    """A verdict with its reason, as reports show it: "unverifiable (no_data)"."""
    if verdict is None:
        return "not checked"
    return f"{verdict} ({reason})" if reason else verdict


def _differs(row: CheckRow, check: Check) -> bool:
    return (row.verdict, row.reason, row.computed, row.evidence) != (
        check.verdict,
        check.reason,
        check.computed,
        check.evidence.to_dict(),
    )
