"""Articles as the queue on SQLite: enqueue, lease, complete, fail, expiry (no extractor)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select
from store_support import synthetic, upgraded

from corpus import intake
from corpus.dedup import RecentArticles
from corpus.errors import BadArticle
from corpus.sources import ArticleIn
from store import queue
from store.errors import LeaseLost
from store.tables import Article

T0 = datetime(2025, 10, 8, 14, 0, tzinfo=UTC)
OPTIONS = {"lease_seconds": 60.0, "max_attempts": 3}


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return upgraded(f"sqlite:///{tmp_path / 'q.db'}")


def put(
    engine: Engine, article: ArticleIn, recent: RecentArticles | None = None
) -> intake.Enqueued:
    with Session(engine) as session, session.begin():
        return intake.enqueue(session, article, now=T0, max_bytes=10_000, recent=recent)


def lease(
    engine: Engine, now: datetime, limit: int = 10, *, started: bool = True
) -> queue.Lease | None:
    """Lease a batch; ``started``: the worker begins every article of it (an attempt each)."""
    with Session(engine) as session, session.begin():
        held = queue.lease(session, limit=limit, now=now, **OPTIONS)
        if held is not None and started:
            queue.start(session, [a.id for a in held.articles], token=held.token)
        return held


def article(engine: Engine, article_id: int) -> Article:
    with Session(engine) as session:
        return session.exec(select(Article).where(Article.id == article_id)).one()


def test_queue_sqlite_pragmas(engine: Engine) -> None:
    with engine.connect() as connection:
        pragmas = [
            connection.execute(text(f"PRAGMA {p}")).scalar()
            for p in ("journal_mode", "foreign_keys", "busy_timeout")
        ]
    assert pragmas == ["wal", 1, 30000]


def test_queue_enqueue_is_idempotent_on_normalised_text(engine: Engine) -> None:
    first = put(engine, ArticleIn(text="SPY rose 1% on Tuesday.", title="a"))
    again = put(engine, ArticleIn(text="  SPY rose 1%\ton Tuesday.\r\n", title="b"))
    assert first.created
    assert not again.created
    assert again.article_id == first.article_id


def test_queue_enqueue_marks_near_duplicates(engine: Engine) -> None:
    recent = RecentArticles(window=100, threshold=90)
    first = put(engine, synthetic(0), recent)
    edited = synthetic(0).text.replace("Tuesday", "Wednesday")
    second = put(engine, ArticleIn(text=edited, title=synthetic(0).title), recent)
    other = put(engine, ArticleIn(text="Crude oil slid 2% as supply rose.", title="Oil"), recent)
    assert second.created
    assert second.duplicate_of == first.article_id
    assert other.duplicate_of is None
    assert article(engine, second.article_id).similarity is not None


@pytest.mark.parametrize("bad", ["", "\x00\x01binary", "x" * 20_000])
def test_queue_bad_input_writes_nothing(engine: Engine, bad: str) -> None:
    with pytest.raises(BadArticle):
        put(engine, ArticleIn(text=bad))
    with Session(engine) as session:
        assert queue.status_counts(session)["queued"] == 0


def test_queue_lease_takes_oldest_in_batches(engine: Engine) -> None:
    ids = [put(engine, synthetic(i)).article_id for i in range(5)]
    first, second = lease(engine, T0, limit=3), lease(engine, T0, limit=3)
    assert first is not None
    assert second is not None
    assert [a.id for a in first.articles] == ids[:3]
    assert [a.id for a in second.articles] == ids[3:]
    assert lease(engine, T0) is None  # all held


def test_queue_complete_needs_the_lease(engine: Engine) -> None:
    put(engine, synthetic(0))
    held = lease(engine, T0)
    assert held is not None
    later = T0 + timedelta(seconds=61)
    retaken = lease(engine, later)  # the first lease expired: another worker takes it over
    assert retaken is not None
    assert retaken.articles[0].attempts == 1  # counted when the worker starts it, not on lease
    with Session(engine) as session, session.begin(), pytest.raises(LeaseLost):
        queue.complete(session, held.articles[0].id, token=held.token, now=later)
    with Session(engine) as session, session.begin():
        queue.complete(session, retaken.articles[0].id, token=retaken.token, now=later)
    assert article(engine, held.articles[0].id).status == "done"


def test_queue_fail_backs_off_then_fails_after_max_attempts(engine: Engine) -> None:
    article_id = put(engine, synthetic(0)).article_id
    now, statuses = T0, []
    for _ in range(3):
        held = lease(engine, now)
        assert held is not None, statuses
        with Session(engine) as session, session.begin():
            statuses.append(
                queue.fail(session, article_id, token=held.token, error="boom", now=now,
                           max_attempts=3, retry_seconds=10)
            )  # fmt: skip
        assert lease(engine, now) is None  # backing off
        now = article(engine, article_id).available_at
    assert statuses == ["queued", "queued", "failed"]
    assert (now - T0).total_seconds() == 10 + 20 + 40  # doubling backoff, recorded on the last too
    assert article(engine, article_id).error == "boom"


def test_queue_failing_article_does_not_block_others(engine: Engine) -> None:
    bad, good = put(engine, synthetic(0)).article_id, put(engine, synthetic(1)).article_id
    held = lease(engine, T0, limit=1)
    assert held is not None
    assert held.articles[0].id == bad
    with Session(engine) as session, session.begin():
        queue.fail(session, bad, token=held.token, error="x", now=T0, max_attempts=3,
                   retry_seconds=10)  # fmt: skip
    nxt = lease(engine, T0)
    assert nxt is not None
    assert [a.id for a in nxt.articles] == [good]


def test_queue_expired_leases_fail_after_max_attempts(engine: Engine) -> None:
    article_id = put(engine, synthetic(0)).article_id
    now = T0
    for _ in range(3):  # a worker takes it and dies, three times
        assert lease(engine, now) is not None
        now += timedelta(seconds=61)
    assert lease(engine, now) is None
    row = article(engine, article_id)
    assert row.status == "failed"
    assert "lease expired" in (row.error or "")


def test_queue_attempts_are_counted_per_article(engine: Engine) -> None:
    ids = [put(engine, synthetic(i)).article_id for i in range(3)]
    held = lease(engine, T0, started=False)
    assert held is not None
    with Session(engine) as session, session.begin():
        queue.start(session, [ids[0]], token=held.token)  # the worker died on the first one
    now = T0
    for _ in range(2):  # it dies on the first article twice more
        now += timedelta(seconds=61)
        again = lease(engine, now, limit=1, started=True)
        assert again is not None
        assert [a.id for a in again.articles] == [ids[0]]
    now += timedelta(seconds=61)
    rest = lease(engine, now, started=False)
    assert rest is not None
    assert [a.id for a in rest.articles] == ids[1:]  # its batch-mates are leased again, not failed
    assert [article(engine, i).attempts for i in ids] == [3, 0, 0]
    assert article(engine, ids[0]).status == "failed"


def test_queue_renew_extends_the_lease(engine: Engine) -> None:
    put(engine, synthetic(0))
    held = lease(engine, T0)
    assert held is not None
    with Session(engine) as session, session.begin():
        renewed = queue.renew(session, token=held.token, now=T0 + timedelta(seconds=50),
                              lease_seconds=60)  # fmt: skip
    assert renewed == 1
    assert lease(engine, T0 + timedelta(seconds=100)) is None  # still held: 50 + 60 s
    assert lease(engine, T0 + timedelta(seconds=111)) is not None


def test_queue_fail_final_fails_at_once(engine: Engine) -> None:
    article_id = put(engine, synthetic(0)).article_id
    held = lease(engine, T0)
    assert held is not None
    with Session(engine) as session, session.begin():
        status = queue.fail(session, article_id, token=held.token, error="timeout: slow",
                            now=T0, max_attempts=3, retry_seconds=10, final=True)  # fmt: skip
    assert status == "failed"


def test_queue_requeue_puts_failed_articles_back(engine: Engine) -> None:
    ids = [put(engine, synthetic(i)).article_id for i in range(3)]
    held = lease(engine, T0)
    assert held is not None
    for article_id in ids[:2]:
        with Session(engine) as session, session.begin():
            queue.fail(session, article_id, token=held.token, error="x", now=T0, max_attempts=1,
                       retry_seconds=10)  # fmt: skip
    with Session(engine) as session, session.begin():
        assert queue.requeue(session, now=T0, article_ids=[ids[0], ids[2]]) == 1  # 2 not failed
    assert (article(engine, ids[0]).status, article(engine, ids[0]).attempts) == ("queued", 0)
    assert article(engine, ids[0]).error is None
    assert article(engine, ids[1]).status == "failed"
    with Session(engine) as session, session.begin():
        assert queue.requeue(session, now=T0) == 1  # all the failed ones
    assert article(engine, ids[1]).status == "queued"
