"""A price import killed midway (SIGKILL) loses that import and nothing stored before it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from marketdata.price_import import import_prices
from marketdata.table import TABLE
from store import db

REPO = Path(__file__).resolve().parents[2]
DAYS = [date(2000, 1, 1) + timedelta(days=i) for i in range(4000)]


def write_folder(folder: Path, symbols: list[str], close: float) -> Path:
    folder.mkdir(parents=True)
    rows = "".join(f"{d},{close},{close},{close},{close},{close},100\n" for d in DAYS)
    for symbol in symbols:
        (folder / f"{symbol}.csv").write_text(
            "Date,Open,High,Low,Close,Adj Close,Volume\n" + rows, encoding="utf-8"
        )
    return folder


def snapshot(url: str) -> tuple[int, float]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(TABLE)).scalar_one()
            total = connection.execute(select(func.sum(TABLE.c.close))).scalar_one()
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        return count, total
    finally:
        engine.dispose()


def test_import_prices_killed_midway_keeps_what_was_stored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'prices.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    import_prices(engine, [write_folder(tmp_path / "before", ["AAA", "BBB"], 10.0)])
    engine.dispose()
    before = snapshot(url)
    # 60 files x 4000 rows, two of them over the stored symbols: a second of writing to kill in
    big = write_folder(tmp_path / "big", ["AAA", "BBB", *(f"S{i:03d}" for i in range(58))], 20.0)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCLAIMS_")}
    env["NEWSCLAIMS_DATABASE_URL"] = url
    argv = [sys.executable, "-m", "cli.main", "prices", "import", str(big), "--no-recheck"]
    process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    wal = tmp_path / "prices.db-wal"
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:  # deleting and inserting: midway
            break
        time.sleep(0.01)
    assert process.poll() is None, "the import ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert snapshot(url) == before  # the restart: nothing lost, nothing half-written, consistent
    engine = db.make_engine(url)
    report = import_prices(engine, [big])  # and the import can simply be run again
    engine.dispose()
    assert snapshot(url) == (report.rows, 20.0 * report.rows)
