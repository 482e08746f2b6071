"""Alembic environment: the metadata of corpus.tables; the engine comes from corpus.db.

``corpus.db.upgrade(engine)`` passes its engine in ``config.attributes``; run any other way
(the ``alembic`` command with a config pointing here) the engine is built from Settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine
from sqlmodel import SQLModel

from corpus import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from corpus.db import make_engine
from corpus.settings import Settings

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
