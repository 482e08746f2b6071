"""How fast the checker loads market data and checks claims, and how often it agrees with the gold.

Loads every CSV under --marketdata with ``load_prices_dir`` (timed; the NYSE calendar is timed on
its own), turns every gold claim of --corpus into an extractor ``Claim`` and checks them all with
``check_claim`` for --seconds, repeating the list. Goals: checks/s >= 20,000 with all prices
loaded; gold verdict agreement >= 0.97. CPU seconds are printed next to wall seconds because the
machine is shared: under load the wall numbers drift, the CPU ones much less. Prints numbers,
asserts nothing.

    uv run python bench/check_speed.py [--marketdata ../shared/marketdata]
        [--corpus ../shared/corpus/dev] [--seconds 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from checker.calendar import NyseCalendar
from checker.check import check_claim
from extractor.types import Claim
from marketdata.providers.csv import read_prices_dir

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOAL_CHECKS_PER_SECOND = 20_000
GOAL_AGREEMENT = 0.97


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marketdata", type=Path, default=SHARED / "marketdata")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "dev")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    t0, c0 = time.perf_counter(), time.process_time()
    load = read_prices_dir(args.marketdata)
    prices = load.to_prices(provider=f"csv:{args.marketdata}")
    load_seconds, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    calendar = NyseCalendar()
    calendar_seconds = time.perf_counter() - t0
    print(
        f"load: {load_seconds:.2f} s ({load_cpu:.2f} s CPU) for {load.files} files, "
        f"{load.rows:,} rows, {len(load.series)} symbols, {load.bad_rows} bad rows, "
        f"{len(load.skipped)} skipped"
    )
    print(f"calendar: {calendar_seconds:.2f} s (NyseCalendar)")

    golds = [
        g
        for p in sorted(args.corpus.glob("*.gold.json"))
        for g in json.loads(p.read_text())["claims"]
    ]
    claims = [Claim.from_dict(g) for g in golds]
    verdicts = [check_claim(c, prices, calendar).verdict for c in claims]
    agree = sum(v == g.get("verdict") for v, g in zip(verdicts, golds, strict=True))
    print(
        f"gold agreement: {agree}/{len(golds)} = {agree / len(golds):.4f} "
        f"(goal >= {GOAL_AGREEMENT})"
    )

    checks, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < args.seconds:
        for c in claims:
            check_claim(c, prices, calendar)
        checks += len(claims)
    rate, cpu_rate = (checks / (time.perf_counter() - t0), checks / (time.process_time() - c0))
    print(
        f"checks/s: {rate:,.0f} wall, {cpu_rate:,.0f} per CPU second, over {checks:,} checks "
        f"(goal >= {GOAL_CHECKS_PER_SECOND:,})"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
