"""Migrations from empty on SQLite and PostgreSQL match the tables, and go down and up again;
0004 keeps the rows and the claim JSON of a database 0003 filled; 0005 adds published_at; 0006
the keys' session generation; 0008 the webhooks' outbox; 0011 the hosts' shared politeness."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text, update
from sqlmodel import Session, SQLModel, select
from store_support import database

from store import db, hosts, tables
from store.errors import SchemaOutdated
from store.tables import CheckRow, ClaimRow

TABLES = {
    "articles", "instruments", "ticker_mentions", "figures", "quotes", "claims", "checks",
    "reviews", "feeds", "prices", "api_keys", "webhooks", "webhook_events", "webhook_deliveries",
    "webhook_attempts", "fetch_hosts", "alembic_version",
}  # fmt: skip
PRICE_COLUMNS = [
    "symbol", "day", "open", "high", "low", "close", "adj_close", "volume", "dividend", "source",
]  # fmt: skip
ARTICLE_ROW = (
    "INSERT INTO articles (content_hash, text, words, dedup_key, status, attempts, available_at, "
    "created_at) VALUES ('h', 't', 1, '', 'done', 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
)
KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_from_empty_match_the_tables(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        assert db.current_revision(engine) is None
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        assert set(inspect(engine).get_table_names()) == TABLES
        assert [c["name"] for c in inspect(engine).get_columns("prices")] == PRICE_COLUMNS
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
        db.upgrade(engine)  # at head: nothing to do
        db.command.downgrade(db.alembic_config(engine), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        db.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == TABLES
        engine.dispose()


def test_migrations_ensure_schema_upgrades_empty_sqlite(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    db.ensure_schema(engine)
    assert db.current_revision(engine) == db.head_revision()
    assert tables.Article.__tablename__ in inspect(engine).get_table_names()


@pytest.mark.postgres
def test_migrations_ensure_schema_refuses_empty_postgres(tmp_path: Path) -> None:
    with database("postgres", tmp_path) as url:
        engine = db.make_engine(url)
        with pytest.raises(SchemaOutdated, match="newsclaims db upgrade"):
            db.ensure_schema(engine)
        engine.dispose()


def _insert_0003_rows(engine: Engine) -> None:
    """An article, a claim, its check (evidence with an excess) and a review, as 0003 had them."""
    now = datetime(2025, 10, 9, tzinfo=UTC)
    with Session(engine) as session, session.begin():
        for statement in (
            "INSERT INTO articles (id, content_hash, text, words, dedup_key, status, attempts, "
            "available_at, created_at) VALUES (1, 'h', 'SPY rose 10% this year.', 5, 'spy', "
            "'queued', 0, :now, :now)",
            "INSERT INTO claims (id, article_id, position, subject, metric, value, unit, approx, "
            "kind, text, offset_start, offset_end) VALUES (1, 1, 0, 'SPY', 'price_return', 10.0, "
            "'percent', false, 'historical', 'SPY rose 10% this year.', 9, 12)",
            "INSERT INTO checks (id, claim_id, verdict, computed, evidence, checked_at) VALUES "
            "(1, 1, 'contradicted', 5.0, :evidence, :now)",
            "INSERT INTO reviews (claim_id, decision, reviewer, decided_at) "
            "VALUES (1, 'confirmed', 'rita', :now)",
        ):
            session.execute(text(statement), {"evidence": '{"excess": 3.5}', "now": now})


def _page_json(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        found = connection.execute(text("SELECT page_json FROM claims WHERE id = 1")).scalar_one()
    return dict(json.loads(found))


def _rename_claim(engine: Engine, subject: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(text("UPDATE claims SET subject = :s WHERE id = 1"), {"s": subject})


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0004_adds_basis_and_excess_and_goes_back(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0003")
        _insert_0003_rows(engine)
        db.upgrade(engine, "0004")
        assert _page_json(engine)["basis"] is None  # stored before 0004: null
        assert list(_page_json(engine))[-2:] == ["offsets", "basis"]  # ClaimPublic's order
        with Session(engine) as session:
            assert session.exec(select(CheckRow.excess)).one() == 3.5  # from the evidence
        basis = {"subject": "sentence", "period": "clock", "session": "clock"}
        with Session(engine) as session, session.begin():
            claim = session.get(ClaimRow, 1)
            assert claim is not None
            claim.basis = basis
        assert _page_json(engine)["basis"] == basis  # the new triggers follow basis
        db.command.downgrade(db.alembic_config(engine), "0003")
        assert "basis" not in {c["name"] for c in inspect(engine).get_columns("claims")}
        assert "excess" not in {c["name"] for c in inspect(engine).get_columns("checks")}
        assert "basis" not in _page_json(engine)
        _rename_claim(engine, "QQQ")  # 0003's triggers are back
        assert _page_json(engine)["subject"] == "QQQ"
        with engine.connect() as connection:  # nothing cascaded away
            for table in ("claims", "checks", "reviews"):
                assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
        db.upgrade(engine)
        assert _page_json(engine)["basis"] is None
        engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0005_adds_published_at_and_goes_back(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0004")
        _insert_0003_rows(engine)
        db.upgrade(engine, "0005")
        moment = datetime(2025, 2, 12, 16, 26, tzinfo=UTC)
        with Session(engine) as session, session.begin():  # columns of 0005 only, by name
            assert session.exec(select(tables.Article.published_at)).one() is None  # before 0005
            session.execute(update(tables.Article).values(published_at=moment))
        with Session(engine) as session:
            assert session.exec(select(tables.Article.published_at)).one() == moment
        db.command.downgrade(db.alembic_config(engine), "0004")
        assert "published_at" not in {c["name"] for c in inspect(engine).get_columns("articles")}
        _rename_claim(engine, "QQQ")  # 0004's triggers are still there
        assert _page_json(engine)["subject"] == "QQQ"
        with engine.connect() as connection:  # nothing cascaded away
            for table in ("articles", "claims", "checks", "reviews"):
                assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0006_adds_session_generation_and_goes_back(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0005")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO api_keys (key_hash, prefix, role, created_at) "
                    "VALUES ('h', 'nc_x', 'reviewer', '2025-01-01 00:00:00')"
                )
            )
        db.upgrade(engine, "0006")
        with Session(engine) as session, session.begin():
            key = session.exec(select(tables.ApiKey)).one()
            assert key.session_generation == 0  # keys made before 0006
            key.session_generation = 3
        db.command.downgrade(db.alembic_config(engine), "0005")
        columns = {c["name"] for c in inspect(engine).get_columns("api_keys")}
        assert "session_generation" not in columns
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM api_keys")).scalar() == 1
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0007_adds_review_reason_and_goes_back(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0006")
        with engine.begin() as connection:
            connection.execute(text(ARTICLE_ROW))
            connection.execute(text(
                "INSERT INTO claims (article_id, position, subject, metric, unit, kind, text, "
                "offset_start, offset_end, approx, basis) VALUES (1, 0, 'SPY', 'price_return', "
                "'percent', 'historical', 't', 0, 1, false, '{}')"
            ))  # fmt: skip
            connection.execute(text(
                "INSERT INTO reviews (claim_id, decision, reviewer, decided_at) "
                "VALUES (1, 'dismissed', 'r', '2025-01-01 00:00:00')"
            ))  # fmt: skip
        db.upgrade(engine, "0007")
        with Session(engine) as session, session.begin():
            review = session.exec(select(tables.Review)).one()
            assert review.reason is None  # decided before 0007
            review.reason = "wrong_period"
        db.command.downgrade(db.alembic_config(engine), "0006")
        assert "reason" not in {c["name"] for c in inspect(engine).get_columns("reviews")}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM reviews")).scalar() == 1
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        engine.dispose()


def _triggers(engine: Engine) -> int:
    query = (
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
        if engine.dialect.name == "sqlite"
        else "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
    )
    with engine.connect() as connection:
        return int(connection.execute(text(query)).scalar_one())


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0010_drops_the_page_json_triggers_and_goes_back(
    kind: str, tmp_path: Path
) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0007")
        _insert_0003_rows(engine)
        written = _page_json(engine)
        assert _triggers(engine) > 0
        db.upgrade(engine, "0010")
        assert _triggers(engine) == 0
        assert _page_json(engine) == {k: v for k, v in written.items() if k != "id"}
        _rename_claim(engine, "QQQ")  # no trigger rewrites it: store/rows.py does
        assert _page_json(engine)["subject"] == "SPY"
        db.command.downgrade(db.alembic_config(engine), "0007")
        assert _page_json(engine) == written | {"subject": "QQQ"}  # rebuilt by the triggers
        _rename_claim(engine, "DIA")
        assert _page_json(engine)["subject"] == "DIA"
        db.upgrade(engine)
        assert list(_page_json(engine))[:2] == ["article_id", "subject"]
        engine.dispose()


WEBHOOK_TABLES = {"webhooks", "webhook_events", "webhook_deliveries", "webhook_attempts"}


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0008_adds_the_webhook_outbox_and_goes_back(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0007")
        assert not WEBHOOK_TABLES & set(inspect(engine).get_table_names())
        db.upgrade(engine, "0008")
        assert set(inspect(engine).get_table_names()) >= WEBHOOK_TABLES
        now = datetime(2025, 1, 1, tzinfo=UTC)
        with Session(engine) as session, session.begin():
            hook = tables.Webhook(url="https://h.example/in", events=["review.decided"],
                                  secret="s" * 16, created_at=now)  # fmt: skip
            event = tables.WebhookEvent(id="e1", type="review.decided", payload={}, created_at=now)
            session.add_all([hook, event])
            session.flush()
            session.add(tables.WebhookDelivery(event_id="e1", webhook_id=hook.id or 0,
                                               next_attempt_at=now))  # fmt: skip
        with Session(engine) as session:
            delivery = session.exec(select(tables.WebhookDelivery)).one()
            assert (delivery.status, delivery.attempts) == ("pending", 0)
            assert delivery.next_attempt_at == now  # read back aware UTC on both databases
        db.command.downgrade(db.alembic_config(engine), "0007")
        assert not WEBHOOK_TABLES & set(inspect(engine).get_table_names())
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        engine.dispose()


FETCH_COLUMNS = {"canonical_url", "partial", "author", "site_name", "fetched_at", "fetch_error"}


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0009_adds_fetch_columns_and_goes_back(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0007")
        with engine.begin() as connection:
            connection.execute(text(ARTICLE_ROW))
        db.upgrade(engine, "0009")
        with Session(engine) as session:
            article = session.exec(select(tables.Article)).one()
            assert (article.partial, article.canonical_url, article.fetched_at) == (
                False,
                None,
                None,
            )
        db.command.downgrade(db.alembic_config(engine), "0007")
        columns = {c["name"] for c in inspect(engine).get_columns("articles")}
        assert columns & FETCH_COLUMNS == set()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM articles")).scalar() == 1
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_migrations_0011_adds_fetch_hosts_and_goes_back(kind: str, tmp_path: Path) -> None:
    with database(kind, tmp_path) as url:
        engine = db.make_engine(url)
        db.upgrade(engine, "0010")
        assert "fetch_hosts" not in inspect(engine).get_table_names()
        db.upgrade(engine, "0011")
        now = datetime(2025, 1, 1, tzinfo=UTC)
        with Session(engine) as session, session.begin():
            claim = hosts.claim(session, "example.com", clock=lambda: now, interval=2.0)
            assert (claim.booked, claim.next_at) == (True, now + timedelta(seconds=2))
            again = hosts.claim(session, "example.com", clock=lambda: now, interval=2.0)
            # the slot is taken until then, read back aware UTC on both databases
            assert (again.booked, again.next_at) == (False, claim.next_at)
        db.command.downgrade(db.alembic_config(engine), "0010")
        assert "fetch_hosts" not in inspect(engine).get_table_names()
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        engine.dispose()
