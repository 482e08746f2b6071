"""Keys and roles: no key 401, wrong role 403, open reads, revocation, `keys create`, the key
cache, and key lookups kept off the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from api_support import auth, make_client, seed
from typer.testing import CliRunner

from api import deps
from cli.main import app as cli

# (method, path, body, the weakest role allowed)
ENDPOINTS = [
    ("GET", "/v1/claims", None, "reader"),
    ("GET", "/v1/articles", None, "reader"),
    ("GET", "/v1/discrepancies", None, "reader"),
    ("POST", "/v1/articles", {"text": "SPY rose 1% today."}, "submitter"),
    ("POST", "/v1/discrepancies/1/review", {"decision": "dismiss", "reason": "other"}, "reviewer"),
    ("GET", "/v1/feeds", None, "admin"),
    ("POST", "/v1/keys", {"role": "reader"}, "admin"),
]
ROLES = ["reader", "submitter", "reviewer", "admin"]


@pytest.mark.parametrize(("method", "path", "body", "needed"), ENDPOINTS)
def test_auth_roles(
    tmp_path: Path, method: str, path: str, body: dict[str, str] | None, needed: str
) -> None:
    client, engine, keys = make_client(tmp_path)
    seed(engine)
    assert client.request(method, path, json=body).status_code == 401
    assert client.request(method, path, json=body, headers=auth("nc_wrong")).status_code == 401
    for role in ROLES:
        status = client.request(method, path, json=body, headers=auth(keys[role])).status_code
        allowed = ROLES.index(role) >= ROLES.index(needed)
        assert (status < 400) == allowed, (role, status)
        if not allowed:
            assert status == 403


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/articles"])  # own key check, and FastAPI's
@pytest.mark.parametrize(
    ("header", "status"),
    [("bearer {key}", 200), ("BEARER {key}", 200), ("Basic {key}", 401), ("Bearer", 401),
     ("{key}", 401), ("Bearer  {key} ", 200)],
)  # fmt: skip
def test_auth_header_is_read_alike_everywhere(
    tmp_path: Path, path: str, header: str, status: int
) -> None:
    client, _, keys = make_client(tmp_path)
    value = header.format(key=keys["reader"])
    assert client.get(path, headers={"Authorization": value}).status_code == status


def test_auth_open_reads_lets_gets_through(tmp_path: Path) -> None:
    client, _, _ = make_client(tmp_path, open_reads=True)
    assert client.get("/v1/claims").status_code == 200
    assert client.post("/v1/articles", json={"text": "x"}).status_code == 401


def test_auth_revoked_key_stops_working(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    made = client.post("/v1/keys", json={"role": "reader", "name": "bot"}, headers=admin).json()
    assert client.get("/v1/claims", headers=auth(made["key"])).status_code == 200
    listed = client.get("/v1/keys", headers=admin).json()
    assert all("key" not in k and "key_hash" not in k for k in listed)
    assert client.delete(f"/v1/keys/{made['id']}", headers=admin).status_code == 204
    assert client.get("/v1/claims", headers=auth(made["key"])).status_code == 401


def test_auth_cli_keys_create_prints_the_key_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'api.db'}")
    result = CliRunner().invoke(cli, ["keys", "create", "--role", "reviewer"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith("nc_")
    assert result.stdout == key + "\n"
    client, _, _ = make_client(tmp_path)
    assert client.get("/v1/discrepancies", headers=auth(key)).status_code == 200
    bad = CliRunner().invoke(cli, ["keys", "create", "--role", "king"])
    assert bad.exit_code == 2


def test_auth_key_cache_holds_only_live_keys_and_stays_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _, keys = make_client(tmp_path)
    services = client.app.state.services
    for i in range(50):
        assert client.get("/v1/claims", headers=auth(f"nc_made_up_{i}")).status_code == 401
    assert services.known_keys == {}
    monkeypatch.setattr(deps, "KEY_CACHE_SIZE", 2)
    for role in ("reader", "submitter", "reviewer"):
        assert client.get("/v1/claims", headers=auth(keys[role])).status_code == 200
    assert list(services.known_keys) == [keys["submitter"], keys["reviewer"]]


@contextmanager
def sqlite_locked(path: Path) -> Iterator[None]:
    """Another connection holding ``path`` in SQLite's exclusive locking mode mid-write: a WAL
    reader then waits for it (up to its busy timeout), as it would behind a checkpoint."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE articles SET title = title")
    try:
        yield
    finally:
        holder.execute("COMMIT")
        holder.execute("PRAGMA locking_mode=NORMAL")
        holder.execute("SELECT 1 FROM articles").fetchall()  # the lock goes with the next access
        holder.close()


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/articles"])  # own key check, and the guard's
def test_auth_key_lookup_leaves_the_event_loop_free(tmp_path: Path, path: str) -> None:
    client, engine, keys = make_client(tmp_path)
    engine.dispose()  # the exclusive lock needs every other connection closed

    async def run() -> tuple[list[float], bool, int]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
            with sqlite_locked(tmp_path / "api.db"):
                lookup = asyncio.create_task(http.get(path, headers=auth(keys["reader"])))
                await asyncio.sleep(0.2)  # the lookup is now waiting for the lock
                probes = []
                for _ in range(10):
                    started = time.monotonic()
                    assert (await http.get("/healthz")).status_code == 200
                    probes.append(time.monotonic() - started)
                waiting = not lookup.done()
            return probes, waiting, (await lookup).status_code

    probes, waiting, status = asyncio.run(run())
    assert waiting  # /healthz answered while the key lookup was still blocked on the database
    assert max(probes) < 1.0  # READ_BUSY_MS is 5 s: a blocked loop would hold each probe that long
    assert status == 200  # and the lookup went on once the lock was released
