"""API keys with roles: ``create_key``, ``authenticate``, ``allows``. Never commits.

A key is 32 random bytes (``nc_`` + url-safe base64); only its SHA-256 is stored. A fast hash is
enough: the key carries 256 bits of entropy, so no dictionary or brute force applies, and a slow
KDF would cost every request milliseconds. Roles are ordered: each includes those before it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from store.roles import ROLES
from store.tables import ApiKey

PREFIX = "nc_"


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def allows(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (admin > reviewer > submitter > reader)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def create_key(
    session: Session, *, role: str, now: datetime, name: str | None = None
) -> tuple[str, ApiKey]:
    """A new key (shown once) and its stored row; ValueError for an unknown role."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    key = PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(key_hash=hash_key(key), prefix=key[:10], role=role, name=name, created_at=now)
    session.add(row)
    session.flush()
    return key, row


def authenticate(session: Session, key: str) -> ApiKey | None:
    """The live key row for ``key``; None when unknown or revoked."""
    statement = select(ApiKey).where(
        ApiKey.key_hash == hash_key(key), col(ApiKey.revoked_at).is_(None)
    )
    return session.exec(statement).first()


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, oldest first (hashes included: callers show prefixes only)."""
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.id))))


def revoke(session: Session, key_id: int, *, now: datetime) -> bool:
    """Revoke a key; False when there is no such key."""
    row = session.get(ApiKey, key_id)
    if row is None:
        return False
    row.revoked_at = row.revoked_at or now
    session.add(row)
    return True


def end_sessions(session: Session, key_id: int) -> None:
    """End every review session signed in with the key (the next generation, migration 0006)."""
    row = session.get(ApiKey, key_id)
    if row is not None:
        row.session_generation += 1
        session.add(row)
