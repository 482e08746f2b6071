"""API speed on loopback: requests/s and p50/p99 latency of GET /v1/claims?symbol=X with many
claims stored, next to the trivial /healthz of the same app, on SQLite and PostgreSQL.

The store is filled directly (synthetic articles, claims and checks; no extractor), then
`newsclaims serve --no-worker` runs in its own process (one uvicorn worker) and `wrk` (Debian's
package) loads it from another. Goal (issue 5): claims p99 under 25 ms and at least half of
/healthz's rate.

    uv run python bench/api_speed.py --claims 100000            # SQLite
    NEWSCLAIMS_TEST_POSTGRES_URL=$(bash .ci/postgres.sh) uv run python bench/api_speed.py --postgres
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import Engine, insert
from sqlalchemy.engine import make_url
from sqlmodel import Session

from checker import Check, Verdict
from checker.evidence import Evidence
from extractor.types import Claim
from store import db, keys, rows
from store.tables import Article, CheckRow, ClaimRow

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2025, 10, 9, tzinfo=UTC)
BATCH = 10_000  # rows per executemany


def fill(engine: Engine, *, claims: int, symbols: int, per_article: int = 10) -> None:
    """``claims`` claims over ``symbols`` symbols, ``per_article`` to an article, each checked."""
    articles = claims // per_article
    with engine.begin() as connection:
        for start in range(0, articles, BATCH):
            rows = [
                {
                    "id": i + 1,
                    "content_hash": f"{i:064x}",
                    "text": f"Synthetic article {i}.",
                    "published": date(2025, 1, 1) + timedelta(days=i % 280),
                    "source": "bench",
                    "status": "done",
                    "available_at": NOW,
                    "created_at": NOW,
                    "done_at": NOW,
                    "words": 3,
                    "dedup_key": "",
                    "attempts": 1,
                }
                for i in range(start, min(start + BATCH, articles))
            ]
            connection.execute(insert(Article), rows)
        for start in range(0, claims, BATCH):
            ids = range(start, min(start + BATCH, claims))
            connection.execute(insert(ClaimRow), [_claim(i, symbols, per_article) for i in ids])
            connection.execute(insert(CheckRow), [_check(i) for i in ids])


def _claim(i: int, symbols: int, per_article: int) -> dict[str, object]:
    """Claim ``i``'s row, built the way the worker writes it (store/rows.py), page JSON included."""
    subject = f"S{i % symbols:04d}"
    claim = Claim(
        subject, "price_return", float(i % 40), "percent", "historical",
        f"{subject} rose {i % 40}% this year.", (0, 5), start=date(2024, 12, 31),
        end=date(2025, 1, 1) + timedelta(days=i % 280),
    )  # fmt: skip
    return {"id": i + 1} | rows.claim_values(i // per_article + 1, i % per_article, claim)


def _check(i: int) -> dict[str, object]:
    verdict: Verdict = ("supported", "contradicted", "unverifiable")[i % 3]
    check = Check(
        verdict, computed=float(i % 37), evidence=Evidence(provider="bench", symbol=f"S{i:04d}")
    )
    return {"claim_id": i + 1, "checked_at": NOW} | rows.check_values(check)


@contextmanager
def fresh_postgres(base: str) -> Iterator[str]:
    """A new database on the server of ``base``, dropped afterwards."""
    name = f"newsclaims_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(base).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(url: str) -> Iterator[str]:
    """`newsclaims serve --no-worker` on ``url``; its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCLAIMS_")}
    env |= {"NEWSCLAIMS_DATABASE_URL": url, "NEWSCLAIMS_ONLINE_PRICES": "false"}
    argv = [sys.executable, "-m", "cli.main", "serve", "--no-worker", "--port", str(port)]
    process = subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


# Each request asks for the next symbol's claims, so pages come from all over the table.
ROTATE = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format("/v1/claims?symbol=S%%04d", counter %% %d))
end
"""


def wrk(
    url: str, *, key: str, seconds: int, connections: int, script: Path | None = None
) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) by wrk; non-2xx answers fail the run."""
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
            "-H", f"Authorization: Bearer {key}", url]  # fmt: skip
    if script is not None:
        argv[1:1] = ["-s", str(script)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    found = {p: float(v) * UNIT[u] for p, v, u in LATENCY.findall(out)}
    return rate, found["50"], found["99"]


def run(url: str, label: str, args: argparse.Namespace) -> None:
    """Fill the store at ``url``, serve it, load both endpoints; print one line each."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    began = time.perf_counter()
    fill(engine, claims=args.claims, symbols=args.symbols)
    filled = time.perf_counter() - began
    with Session(engine) as session, session.begin():
        key = keys.create_key(session, role="reader", now=NOW)[0]
    engine.dispose()
    with serving(url) as base:
        claims_url = f"{base}/v1/claims?symbol=S0042"
        page = httpx.get(claims_url, headers={"Authorization": f"Bearer {key}"}).json()
        assert len(page["items"]) == 50, page
        script = Path(tempfile.mkdtemp()) / "rotate.lua"
        script.write_text(ROTATE % args.symbols)
        runs = (("/healthz", f"{base}/healthz", None), ("/v1/claims?symbol=", claims_url, script))
        for name, target, lua in runs:
            wrk(target, key=key, seconds=2, connections=args.connections, script=lua)  # warm-up
            rate, p50, p99 = wrk(
                target, key=key, seconds=args.seconds, connections=args.connections, script=lua
            )
            print(
                f"{label:<10} {name:<20} {rate:>9.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
            )
    print(f"{label:<10} filled {args.claims} claims ({args.symbols} symbols) in {filled:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--symbols", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--postgres", action="store_true", help="also NEWSCLAIMS_TEST_POSTGRES_URL")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    for url, label in each_store(postgres=args.postgres):
        run(url, label, args)


def each_store(*, postgres: bool) -> Iterator[tuple[str, str]]:
    """(URL, label) of a fresh SQLite file, then with ``postgres`` of a fresh PostgreSQL database
    on NEWSCLAIMS_TEST_POSTGRES_URL's server; each is removed once the next is asked for."""
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}", "sqlite"
    if postgres:
        base = os.environ.get("NEWSCLAIMS_TEST_POSTGRES_URL")
        if not base:
            raise SystemExit("set NEWSCLAIMS_TEST_POSTGRES_URL (bash .ci/postgres.sh prints one)")
        with fresh_postgres(base) as url:
            yield url, "postgresql"


if __name__ == "__main__":
    main()
