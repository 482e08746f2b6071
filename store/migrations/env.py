"""Alembic environment: the metadata of store.tables; the engine comes from store.db.

``store.db.upgrade(engine)`` passes its engine in ``config.attributes``; run any other way
(the ``alembic`` command with a config pointing here) the engine is built from Settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine
from sqlmodel import SQLModel

from corpus.settings import Settings
from store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from store.db import make_engine

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Run the migrations online on the given (or configured) engine, in one transaction."""
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = make_engine(Settings().database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTERs by copy
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
