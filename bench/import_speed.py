"""How fast ``newsclaims prices import`` fills the price table from the shared market data.

Imports every CSV under --marketdata into a fresh SQLite file (and, when
NEWSCLAIMS_TEST_POSTGRES_URL is set, into a fresh PostgreSQL database), then imports it again
(the idempotent re-import path: every row is replaced). Goal: the whole folder (about 3.8M rows)
under 60 s on SQLite. Prints numbers, asserts nothing.

    uv run python bench/import_speed.py [--marketdata ../shared/marketdata] [--once]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from marketdata.price_import import ImportReport, import_prices
from marketdata.table import TABLE
from store import db

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOAL_SECONDS = 60.0


def run(engine: Engine, marketdata: Path, label: str, *, once: bool) -> None:
    """Import twice (fresh, then re-import) and print rows/s for each."""
    db.upgrade(engine)
    passes = ["fresh"] if once else ["fresh", "re-import"]
    for name in passes:
        report = import_prices(engine, [marketdata])
        show(label, name, report)
    with engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(TABLE)).scalar_one()
    print(f"{label}: table holds {rows:,} rows")


def show(label: str, name: str, report: ImportReport) -> None:
    verdict = "ok" if report.seconds < GOAL_SECONDS else f"over the {GOAL_SECONDS:.0f} s goal"
    print(
        f"{label} {name}: {report.rows:,} rows, {report.files} files, {report.symbols} symbols in "
        f"{report.seconds:.1f} s = {report.rows_per_second:,.0f} rows/s ({verdict}); "
        f"{len(report.conflicts)} series conflicts, {sum(n for _, n in report.bad_rows)} bad rows"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marketdata", type=Path, default=SHARED / "marketdata")
    parser.add_argument("--once", action="store_true", help="Skip the re-import pass.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'prices.db'}")
        run(engine, args.marketdata, "sqlite", once=args.once)
        engine.dispose()
    url = os.environ.get("NEWSCLAIMS_TEST_POSTGRES_URL")
    if url:
        postgres(url, args.marketdata, once=args.once)


def postgres(url: str, marketdata: Path, *, once: bool) -> None:
    """The same on a fresh PostgreSQL database, dropped afterwards."""
    base = make_url(url)
    name = f"newsclaims_bench_{uuid.uuid4().hex[:8]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        engine = db.make_engine(base.set(database=name).render_as_string(hide_password=False))
        run(engine, marketdata, "postgresql", once=once)
        engine.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
