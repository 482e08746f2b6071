"""Alembic environment: the metadata of store.tables and store.hosts; the engine comes from
store.db.

``store.db.upgrade(engine)`` passes its engine in ``config.attributes``. Run any other way (the
``alembic`` command with a config pointing here) the engine is built from the config's
``sqlalchemy.url``, else NEWSCLAIMS_DATABASE_URL, else the default store (Settings' default).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Engine
from sqlmodel import SQLModel

from store import (
    DEFAULT_DATABASE_URL,
    hosts,  # noqa: F401  (registers fetch_hosts on SQLModel.metadata)
    tables,  # noqa: F401  (registers the tables on SQLModel.metadata)
)
from store.db import make_engine

target_metadata = SQLModel.metadata


def database_url() -> str:
    """Where to migrate when the caller passed no engine."""
    configured = context.config.get_main_option("sqlalchemy.url")
    return configured or os.environ.get("NEWSCLAIMS_DATABASE_URL") or DEFAULT_DATABASE_URL


def run_migrations() -> None:
    """Run the migrations online on the given (or configured) engine, in one transaction."""
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = make_engine(database_url())
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
