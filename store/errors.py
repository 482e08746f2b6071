"""Errors of the store package.

StoreError
 ├── LeaseLost         a worker's lease on an article expired and another worker took it over
 └── SchemaOutdated    the database is not at the newest migration (run `newsclaims db upgrade`)
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "store_error"


class LeaseLost(StoreError):
    """The article is no longer leased with this token: its result must not be stored."""

    code = "lease_lost"


class SchemaOutdated(StoreError):
    """The database schema is older than the code (or empty): it needs `newsclaims db upgrade`."""

    code = "schema_outdated"
