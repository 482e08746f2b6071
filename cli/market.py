"""Market-data commands: ``prices import PATH...`` and ``recheck``; the price source checks read."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import command_group
from cli.service import open_prices, open_store

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from marketdata.price_import import ImportReport
    from review.recheck import RecheckReport
    from runtime.root import Root

prices_app = command_group(help="The price table claims are checked against.", no_args_is_help=True)


@prices_app.command("import")
def prices_import(
    paths: Annotated[
        list[Path], typer.Argument(help="Folders (walked) or files of Yahoo-style price CSVs.")
    ],
    then_recheck: Annotated[
        bool,
        typer.Option(
            "--recheck/--no-recheck", help="Re-check undecided claims about imported symbols."
        ),
    ] = True,
) -> None:
    """Import daily prices into the price table (NEWSCLAIMS_DATABASE_URL); re-import is safe."""
    from marketdata.errors import PriceDataError
    from marketdata.price_import import import_prices
    from runtime.root import Root

    root = Root.from_env()
    engine = open_store(root)
    try:
        report = import_prices(engine, paths)
    except PriceDataError as err:
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(code=1) from err
    print_import(report)
    if then_recheck:
        symbols = imported_symbols(paths)
        print_recheck(run_recheck(root, engine, symbols=symbols))


def imported_symbols(paths: list[Path]) -> set[str]:
    """File stems of the CSVs under ``paths``: the symbols an import touched."""
    found: set[str] = set()
    for root in paths:
        files = [root] if root.is_file() else root.rglob("*")
        found.update(p.stem.strip() for p in files if p.suffix.lower() == ".csv")
    return found


def print_import(report: ImportReport) -> None:
    """Rows, speed, files, then each series conflict and each file with bad rows."""
    print(
        f"imported {report.rows:,} rows of {report.symbols:,} symbols from {report.files:,} files "
        f"in {report.seconds:.1f} s ({report.rows_per_second:,.0f} rows/s)"
    )
    for c in report.conflicts:
        dropped = ", ".join(f"{path} ({days} days)" for path, days in c.dropped)
        print(
            f"  conflict {c.symbol} {c.column}: kept {c.kept} ({c.kept_days} days), not {dropped}"
        )
    for path, bad in report.bad_rows:
        print(f"  bad rows: {path}: {bad} skipped")
    for path in report.skipped:
        print(f"  skipped (not a price CSV): {path}")
    bad_total = sum(n for _, n in report.bad_rows)
    print(f"{len(report.conflicts)} series conflicts, {bad_total} bad rows")


def run_recheck(root: Root, engine: Engine, *, symbols: set[str] | None = None) -> RecheckReport:
    """Re-check undecided claims against the configured price source (committed in chunks)."""
    from review.recheck import recheck
    from store.clock import utc_now

    prices = open_prices(root)
    return recheck(
        engine, prices, root.calendar, now=utc_now(), symbols=symbols, today=date.today()
    )


def print_recheck(report: RecheckReport) -> None:
    """Claims examined and how their outcomes moved."""
    print(f"re-checked {report.examined} undecided claims: {report.changed} changed")
    for old, new, n in report.changes:
        print(f"  {old} -> {new}: {n}")
    if report.prices_saved:
        print(f"  {report.prices_saved} price rows fetched online and saved")


def recheck_command() -> None:
    """Re-check pending forecasts and no-data claims against the price table."""
    from runtime.root import Root

    root = Root.from_env()
    print_recheck(run_recheck(root, open_store(root)))


def register(app: typer.Typer) -> None:
    """Add the market-data commands to the ``newsclaims`` app."""
    app.add_typer(prices_app, name="prices")
    app.command("recheck")(recheck_command)
