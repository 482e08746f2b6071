"""Re-check stored claims that newer prices may now decide: ``recheck(engine, prices, calendar)``.

A claim is re-checked when its check is ``pending`` (a forecast whose date was past the data),
``unverifiable`` for ``no_data``, or missing (a worker that ran without prices). Its check row is
updated only when the outcome changed, and a forecast that gets its verdict or a claim found
contradicted raises its alert in the same transaction (store/alerts.py). Claims are checked in
chunks, each with no transaction open (a read-through source may ask Yahoo) and then committed
in a transaction of its own, with the prices fetched on the way: a long recheck never holds the
store's write lock while it waits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, and_, or_
from sqlmodel import Session, col, select

from checker import Check, PriceSource, check_claim
from extractor.dates import TradingCalendar
from marketdata.table import save_fetched
from store import alerts
from store.rows import check_values, copy_check, to_claim
from store.tables import CheckRow, ClaimRow

# Claims per transaction: a few hundred rows are written in milliseconds, so other writers
# hardly wait (chosen, not tuned).
CHUNK = 200


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
    engine: Engine,
    prices: PriceSource,
    calendar: TradingCalendar,
    *,
    now: datetime,
    symbols: Collection[str] | None = None,
    today: date | None = None,
    chunk: int = CHUNK,
) -> RecheckReport:
    """Re-check undecided claims (only those about ``symbols`` when given); update changed rows.

    Each ``chunk`` of claims is checked with no transaction open (prices may come from the
    network), then written in a transaction of its own.
    """
    with Session(engine) as session:
        rows = undecided(session, symbols=symbols)
    moves: Counter[tuple[str, str]] = Counter()
    saved = 0
    for first in range(0, len(rows), chunk):
        part = rows[first : first + chunk]
        checks = [check_claim(to_claim(c), prices, calendar, today=today) for c, _ in part]
        with Session(engine) as session, session.begin():
            for (claim_row, check_row), check in zip(part, checks, strict=True):
                old = outcome(check_row.verdict, check_row.reason) if check_row else "unchecked"
                _store(session, claim_row, check_row, check, now=now)
                moves[old, outcome(check.verdict, check.reason)] += 1
            saved += save_fetched(prices, session)
            _alert(session, part, checks, now=now)
    changes = tuple((old, new, n) for (old, new), n in moves.most_common() if old != new)
    return RecheckReport(len(rows), changes, saved)


def _alert(
    session: Session,
    part: list[tuple[ClaimRow, CheckRow | None]],
    checks: list[Check],
    *,
    now: datetime,
) -> None:
    """The chunk's alerts, in its transaction: ``forecast.resolved`` for each pending forecast
    that got a verdict, ``discrepancy_group.created`` for the groups newly contradicted claims
    open (store/alerts.py). Every claim re-checked here was undecided, so never contradicted."""
    resolved = [
        (claim_row.id or 0, check_row.verdict or "")
        for (claim_row, check_row), check in zip(part, checks, strict=True)
        if claim_row.kind == "forecast" and check_row is not None
        and check_row.verdict == "pending" and check.verdict != "pending"
    ]  # fmt: skip
    alerts.forecasts_resolved(session, resolved, now=now)
    wrong = [c.id or 0 for (c, _), check in zip(part, checks, strict=True)
             if check.verdict == "contradicted"]  # fmt: skip
    alerts.groups_opened(session, wrong, now=now)


def _store(
    session: Session,
    claim_row: ClaimRow,
    check_row: CheckRow | None,
    check: Check,
    *,
    now: datetime,
) -> None:
    """Add the claim's first check, or update its stored one when the outcome differs."""
    if check_row is None:
        assert claim_row.id is not None
        session.add(CheckRow(claim_id=claim_row.id, checked_at=now, **check_values(check)))
        return
    if _differs(check_row, check):
        current = session.get(CheckRow, check_row.id)
        if current is not None:
            copy_check(current, check, now=now)


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
