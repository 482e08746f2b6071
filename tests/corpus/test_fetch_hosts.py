"""Politeness across processes (store/hosts.py): one host gets at most one request per interval
however many processes fetch from it, while different hosts go in parallel; robots.txt is read
once for all of them. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pages_support import Story, load_stories
from site_support import Site, serve
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from store_support import REPO, STORES, held_seconds, store_engine

from corpus import intake
from corpus.errors import HostBusy
from corpus.fetching import ArticleFetching, FetchOptions, fetch_round
from corpus.http import HttpClient, HttpOptions
from corpus.politeness import HostGate
from corpus.sources import ArticleIn
from store import db
from store.hosts import FetchHost
from store.tables import Article

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
INTERVAL = 0.3
# Arrival times at the server (or the times turn returned) may come closer than the booked
# slots by the scheduling jitter of a loaded machine.
JITTER = 0.04
KEYS = [f"wsj_markets_2023-02-04-{i}" for i in range(1, 5)]  # "main" and "classic" layouts


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with store_engine(request.param, tmp_path) as upgraded:
        yield upgraded


@pytest.fixture(scope="module")
def stories(shared_dir: Path) -> list[Story]:
    return load_stories(shared_dir / "corpus" / "wild", limit=40)


@pytest.fixture
def sites(shared_dir: Path, stories: list[Story]) -> Iterator[list[Site]]:
    """Two hosts: the same address on two ports (host_of keeps the port)."""
    pair = [Site(shared_dir / "feeds", stories, robots="User-agent: *\nAllow: /\n") for _ in "ab"]
    with serve(pair[0]), serve(pair[1]):
        yield pair


def second_engine(engine: Engine) -> Engine:
    """Another engine on the same database: its own pool and connections, as a process has."""
    return db.make_engine(engine.url.render_as_string(hide_password=False))


def stage(engine: Engine) -> ArticleFetching:
    client = HttpClient(HttpOptions(allow_loopback=True, deadline=5.0))
    options = FetchOptions(retry_seconds=60.0, per_host=2)  # two workers share each host's four
    return ArticleFetching.build(client, engine, interval=INTERVAL, options=options)


def leased_by_first(engine: Engine, n: int) -> None:
    """Wait until the first worker holds ``n`` articles (on PostgreSQL a lease running at the
    same moment skips every row the other's lease has locked, and would find none)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with Session(engine) as session:
            held = session.exec(select(Article).where(col(Article.lease_token).is_not(None)))
            if len(held.all()) >= n:
                return
        time.sleep(0.005)
    raise AssertionError("the first worker leased nothing")


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(sorted(times))]


def test_fetch_hosts_two_workers_share_each_hosts_pace(engine: Engine, sites: list[Site]) -> None:
    with Session(engine) as session, session.begin():
        for site, key in itertools.product(sites, KEYS):
            article = ArticleIn("A teaser.", "A headline")
            intake.enqueue_fetch(session, article, url=f"{site.base}/articles/{key}", now=NOW,
                                 max_bytes=10**6)  # fmt: skip
    other = second_engine(engine)
    workers = [threading.Thread(target=fetch_round, args=(e, stage(e), lambda: NOW))
               for e in (engine, other)]  # fmt: skip
    workers[0].start()
    leased_by_first(engine, 2 * len(sites))  # then the second leases the rest, and both fetch
    workers[1].start()
    for worker in workers:
        worker.join()
    other.dispose()
    for site in sites:
        paths = [path for path, _, _ in site.requests]
        assert paths.count("/robots.txt") == 1  # read by one worker, kept for both
        assert len(paths) == 1 + len(KEYS)  # each page once
        assert min(gaps([at for _, _, at in site.requests])) >= INTERVAL - JITTER
    first, second = ([at for _, _, at in s.requests] for s in sites)
    assert min(second) < max(first)  # the hosts overlapped
    assert min(first) < max(second)
    with Session(engine) as session:
        articles = session.exec(select(Article)).all()
        # every page read (the second host's are duplicates of the first's: the same stories)
        assert {(a.status, a.fetch_error) for a in articles} <= {("queued", None), ("done", None)}
        assert len(session.exec(select(FetchHost)).all()) == 2


TURNS = """
import json, sys, threading, time
from corpus.politeness import HostGate
from store import db
gate = HostGate(db.make_engine(sys.argv[1]), interval=float(sys.argv[2]))
times = {"a.example": [], "b.example": []}
def turns(host):
    for _ in range(4):
        gate.turn(host)
        times[host].append(time.time())
threads = [threading.Thread(target=turns, args=(host,)) for host in times]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(times))
"""


def test_fetch_hosts_turns_across_processes(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    interval = 0.25
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", TURNS, url, str(interval)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [json.loads(p.communicate(timeout=60)[0]) for p in processes]
    assert [p.returncode for p in processes] == [0, 0]
    for host in ("a.example", "b.example"):
        times = [at for out in outputs for at in out[host]]
        assert len(times) == 8
        # turn returns just after booking: the bookings are an interval apart, the returns
        # within a few milliseconds of them
        assert min(gaps(times)) >= interval - JITTER
    a = [at for out in outputs for at in out["a.example"]]
    b = [at for out in outputs for at in out["b.example"]]
    assert min(b) < max(a)  # the hosts went side by side
    assert min(a) < max(b)
    with Session(engine) as session:
        hosts = {h.host: h for h in session.exec(select(FetchHost)).all()}
        assert set(hosts) == {"a.example", "b.example"}


def test_fetch_hosts_held_host_is_busy_for_every_process(engine: Engine) -> None:
    first, other = HostGate(engine, interval=0.05), second_engine(engine)
    first.hold("slow.example", 60.0)  # a Retry-After seen by one process
    with pytest.raises(HostBusy) as busy:
        HostGate(other, interval=0.05, patience=0.2).turn("slow.example")
    other.dispose()
    assert 55 < busy.value.seconds <= 60
    assert held_seconds(engine, "slow.example") > 55
    HostGate(engine, interval=0.05, patience=0.2).turn("fast.example")  # other hosts go on
