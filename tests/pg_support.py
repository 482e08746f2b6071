"""A fresh PostgreSQL database per test, shared by the corpus and api test helpers.

The URL comes from NEWSCLAIMS_TEST_POSTGRES_URL (`bash .ci/postgres.sh` prints one), read at
import, before the autouse fixture clears NEWSCLAIMS_*. Without it a test skips, except with
CI=true, where a missing server fails: CI never skips PostgreSQL.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("NEWSCLAIMS_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_postgres() -> str:
    """The PostgreSQL URL; skip without one, except in CI where a missing server fails."""
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI=true but NEWSCLAIMS_TEST_POSTGRES_URL is not set (run .ci/postgres.sh)")
        pytest.skip("NEWSCLAIMS_TEST_POSTGRES_URL is not set (.ci/postgres.sh prints one)")
    return POSTGRES_URL


@contextmanager
def fresh_postgres(prefix: str = "newsclaims_test") -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    url = make_url(require_postgres())
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)


def drop_database(admin: str, name: str, *, tries: int = 20) -> None:
    """DROP DATABASE ... WITH (FORCE), tried again while an autovacuum worker (a superuser's
    process, which the test role may not terminate) is still in the new database."""
    for attempt in range(tries):
        try:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == tries - 1:
                raise
            time.sleep(0.25)
