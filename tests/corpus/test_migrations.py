"""Migrations from empty on SQLite and PostgreSQL match the tables, and go down and up again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel
from store_support import database

from corpus import db, tables
from corpus.errors import SchemaOutdated

TABLES = {
    "articles", "instruments", "ticker_mentions", "figures", "quotes", "claims", "checks",
    "reviews", "feeds", "prices", "api_keys", "alembic_version",
}  # fmt: skip
PRICE_COLUMNS = [
    "symbol", "day", "open", "high", "low", "close", "adj_close", "volume", "dividend", "source",
]  # fmt: skip
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
