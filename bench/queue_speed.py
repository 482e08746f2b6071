"""Queue speed (issue 13): latency of GET /v1/discrepancies per claim next to its group view,
with 100k claims of which 5k open groups, on SQLite and PostgreSQL.

The store is filled directly (synthetic articles, claims and checks; no extractor): every open
group is one wrong claim repeated in ``--copies`` articles from different outlets (15k open
discrepancies by default), 10k more contradicted claims are already decided, the rest are
supported or unverifiable. `newsclaims serve --no-worker` runs in its own process
(api_speed.serving) and one keep-alive httpx client asks each page ``--requests`` times in turn:
p50 and p99 in ms of the first page and of a deep page (a cursor halfway through the queue).
Goal (issue 13): grouping must not slow the queue: the group view's p99 next to the per-claim one.

    uv run python bench/queue_speed.py                     # SQLite
    NEWSCLAIMS_TEST_POSTGRES_URL=$(bash .ci/postgres.sh) \
        uv run python bench/queue_speed.py --postgres      # and PostgreSQL
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import httpx
from api_speed import each_store, serving
from sqlalchemy import Engine, insert
from sqlmodel import Session

from store import db, keys
from store.tables import Article, CheckRow, ClaimRow

NOW = datetime(2025, 10, 9, tzinfo=UTC)
BATCH = 10_000  # rows per executemany
PER_ARTICLE = 10
DECIDED = 10_000  # contradicted claims with a decision: in no open queue
OUTLETS = ("Reuters", "AP", "Yahoo Finance", "MarketWatch", "Bloomberg")
VIEWS = {"per-claim": "/v1/discrepancies", "group": "/v1/discrepancies?view=group"}


def fill(engine: Engine, *, claims: int, groups: int, copies: int) -> None:
    """``claims`` claims, ``PER_ARTICLE`` to an article; the first ``groups * copies`` are the open
    groups' members (copy c of group g is claim c * groups + g, so copies sit in other articles)."""
    with engine.begin() as connection:
        for start in range(0, claims // PER_ARTICLE, BATCH):
            ids = range(start, min(start + BATCH, claims // PER_ARTICLE))
            connection.execute(insert(Article), [_article(i) for i in ids])
        for start in range(0, claims, BATCH):
            ids = range(start, min(start + BATCH, claims))
            connection.execute(insert(ClaimRow), [_claim(i, groups, copies) for i in ids])
            connection.execute(insert(CheckRow), [_check(i, groups * copies) for i in ids])


def _article(i: int) -> dict[str, object]:
    return {
        "id": i + 1, "content_hash": f"{i:064x}", "text": f"Synthetic article {i}.",
        "published": date(2025, 1, 1) + timedelta(days=i % 280), "source": OUTLETS[i % 5],
        "status": "done", "available_at": NOW, "created_at": NOW, "done_at": NOW, "words": 3,
        "dedup_key": "", "attempts": 1,
    }  # fmt: skip


def _claim(i: int, groups: int, copies: int) -> dict[str, object]:
    """An open group's member repeats its group's reading; any other claim has its own."""
    key = i % groups if i < groups * copies else i
    return {
        "id": i + 1, "article_id": i // PER_ARTICLE + 1, "position": i % PER_ARTICLE,
        "subject": f"S{key % 200:04d}", "metric": "price_return", "value": 10.0 + key / 1000,
        "unit": "percent", "approx": False, "start": date(2024, 12, 31),
        "end": date(2025, 1, 1) + timedelta(days=key % 280), "kind": "historical",
        "text": f"S{key % 200:04d} rose {10.0 + key / 1000}% this year.", "offset_start": 0,
        "offset_end": 5,
    }  # fmt: skip


def _check(i: int, open_claims: int) -> dict[str, object]:
    contradicted = i < open_claims + DECIDED
    verdict = "contradicted" if contradicted else ("supported", "unverifiable")[i % 2]
    return {
        "claim_id": i + 1, "verdict": verdict, "computed": 1.0, "checked_at": NOW,
        "evidence": {"provider": "bench", "rule": "return"},
        "excess": float((i * 7919) % 1000) / 10 if contradicted else None,
        "review_status": "dismissed" if open_claims <= i < open_claims + DECIDED else None,
    }  # fmt: skip


def latencies(client: httpx.Client, url: str, requests: int) -> list[float]:
    """Milliseconds of ``requests`` GETs of ``url`` (after two for warm-up); non-200 fails."""
    times = []
    for n in range(requests + 2):
        began = time.perf_counter()
        answer = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{url}: {answer.status_code} {answer.text[:200]}")
        if n >= 2:
            times.append(elapsed)
    return times


def deep_cursor(client: httpx.Client, path: str, items: int) -> str:
    """The cursor ``items`` rows into the queue (pages of 500, the API's largest)."""
    cursor = None
    for _ in range(items // 500):
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        cursor = client.get(path, params=params).json()["next_cursor"]
        assert cursor, f"{path} ended before {items} rows"
    assert cursor is not None
    return cursor


def percentile(times: list[float], share: float) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[round(share * 100) - 1]


def run(url: str, label: str, args: argparse.Namespace) -> None:
    """Fill the store at ``url``, serve it, time both views; one line per view and page."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    began = time.perf_counter()
    fill(engine, claims=args.claims, groups=args.groups, copies=args.copies)
    filled = time.perf_counter() - began
    with Session(engine) as session, session.begin():
        key = keys.create_key(session, role="reader", now=NOW)[0]
    engine.dispose()
    print(f"{label}: {args.claims} claims, {args.groups} open groups of {args.copies}, "
          f"filled in {filled:.1f} s")  # fmt: skip
    headers = {"Authorization": f"Bearer {key}"}
    with serving(url) as base, httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        sizes = {"per-claim": args.groups * args.copies, "group": args.groups}
        for view, path in VIEWS.items():
            first = client.get(path).json()["items"]
            assert len(first) == 50, (view, len(first))
            cursor = deep_cursor(client, path, sizes[view] // 2)
            joiner = "&" if "?" in path else "?"
            pages = {"first page": path, "deep page": f"{path}{joiner}cursor={cursor}"}
            for name, target in pages.items():
                times = latencies(client, target, args.requests)
                p50, p99 = statistics.median(times), percentile(times, 0.99)
                print(f"{label:<10} {view:<9} {name:<10} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms"
                      f"  ({args.requests} requests)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=5_000)
    parser.add_argument("--copies", type=int, default=3, help="articles each open group spans")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--postgres", action="store_true", help="also NEWSCLAIMS_TEST_POSTGRES_URL")
    args = parser.parse_args()
    if args.groups * args.copies + DECIDED > args.claims:
        raise SystemExit("--claims must exceed groups * copies + 10,000 decided ones")
    for url, label in each_store(postgres=args.postgres):
        run(url, label, args)


if __name__ == "__main__":
    main()
