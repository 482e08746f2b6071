"""`newsclaims serve` for real: uvicorn on a free loopback port, with its in-process worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from cli.main import app as cli

REPO = Path(__file__).resolve().parents[2]
ARTICLE = {"text": "Shares of Apple (AAPL) rose 2% on Tuesday.", "published": "2025-10-08"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """The service's base URL and a submitter key; the process is stopped afterwards."""
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.setenv("NEWSCLAIMS_POLL_SECONDS", "0.2")
    key = CliRunner().invoke(cli, ["keys", "create", "--role", "admin"]).stdout.strip()
    port = free_port()
    argv = [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        argv, cwd=REPO, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, key
    finally:
        process.terminate()
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()[-2000:]


@pytest.mark.slow
def test_server_submit_is_processed_by_the_worker(server: tuple[str, str]) -> None:
    base, key = server
    headers = {"Authorization": f"Bearer {key}"}
    made = httpx.post(f"{base}/v1/articles", json=ARTICLE, headers=headers, timeout=10)
    assert made.status_code == 202
    location = base + made.headers["Location"]
    state = "queued"
    deadline = time.monotonic() + 120  # the worker thread loads the spaCy pipeline first
    while state in ("queued", "processing") and time.monotonic() < deadline:
        time.sleep(0.3)
        state = httpx.get(location, headers=headers, timeout=10).json()["state"]
    assert state == "done"
    article = httpx.get(location, headers=headers, timeout=10).json()
    assert article["counts"]["tickers"] >= 1
    assert httpx.get(f"{base}/readyz", timeout=10).json()["status"] == "ok"
