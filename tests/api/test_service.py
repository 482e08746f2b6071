"""Health, readiness (the supervised worker included), metrics, feeds and price uploads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from api_support import auth, make_client, seed
from httpx import Response
from spacy.language import Language

from runtime.root import Root
from runtime.settings import Settings
from runtime.supervisor import Supervisor

CSV = (
    "Date,Open,High,Low,Close,Adj Close,Volume\n"
    "2025-10-07,1,2,1,1.5,1.5,100\n"
    "2025-10-08,1,2,1,1.8,1.8,100\n"
)


def test_health_ready_and_metrics(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path, metrics=True)
    seed(engine)
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    client.get("/v1/claims", headers=auth(keys["reader"]))
    text = client.get("/metrics").text
    assert (
        'newsclaims_http_requests_total{method="GET",route="/v1/claims",status="200"} 1.0' in text
    )
    assert "newsclaims_http_request_duration_seconds_bucket" in text
    assert 'newsclaims_queue_depth{state="queued"} 1.0' in text
    assert "newsclaims_articles_processed_total 0.0" in text
    assert 'newsclaims_verdicts{kind="historical",verdict="contradicted"} 2.0' in text


def test_feeds_add_list_remove(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    body = {"url": "https://example.com/feed.xml", "interval_seconds": 600}
    made = client.post("/v1/feeds", json=body, headers=admin)
    assert made.status_code == 201
    assert client.post("/v1/feeds", json=body, headers=admin).status_code == 200
    assert [f["url"] for f in client.get("/v1/feeds", headers=admin).json()["items"]] == [
        body["url"]
    ]
    assert client.delete(f"/v1/feeds/{made.json()['id']}", headers=admin).status_code == 204
    assert client.delete(f"/v1/feeds/{made.json()['id']}", headers=admin).status_code == 404
    assert client.get("/v1/feeds", headers=admin).json()["items"] == []


def test_prices_upload_imports_the_csv(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    files = {"file": ("QQQ.csv", CSV, "text/csv")}
    response = client.post("/v1/prices", files=files, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == 2
    renamed = client.post("/v1/prices", files=files, data={"symbol": "SPY"}, headers=admin)
    assert renamed.json()["symbols"] == 1
    bad = client.post("/v1/prices", files={"file": ("x.csv", "hello", "text/csv")}, headers=admin)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"


def test_readyz_reports_a_dead_worker_until_the_supervisor_restarts_it(
    tmp_path: Path, nlp: Language
) -> None:
    client, engine, keys = make_client(tmp_path, extract_processes=0, poll_seconds=0.05)
    crash, stop, calls = threading.Event(), threading.Event(), []

    def flaky_worker(stop: threading.Event) -> None:
        calls.append(time.monotonic())
        if len(calls) == 1:
            crash.wait(30)
            raise RuntimeError("boom")
        settings = Settings(database_url=str(engine.url), extract_processes=0, poll_seconds=0.05)
        Root(settings, engine=engine, nlp=nlp).run_worker(stop, drain=False, poll_feeds=False)

    supervisor = Supervisor(flaky_worker, stop, backoff=2.0)
    client.app.state.supervisors = [supervisor]  # type: ignore[attr-defined]  # as `serve` does
    supervisor.start()
    try:
        assert client.get("/readyz").status_code == 200
        crash.set()
        down = poll(lambda: client.get("/readyz"), lambda r: r.status_code == 503)
        assert down.json()["status"] == "unavailable"
        assert "worker down" in down.json()["detail"]
        assert "RuntimeError: boom" in down.json()["detail"]
        poll(lambda: client.get("/readyz"), lambda r: r.status_code == 200)
        assert len(calls) == 2
        body = {"text": "Shares of Apple (AAPL) rose 2% on Tuesday.", "published": "2025-10-08"}
        made = client.post("/v1/articles", json=body, headers=auth(keys["submitter"]))
        location = made.headers["Location"]
        done = poll(
            lambda: client.get(location, headers=auth(keys["reader"])),
            lambda r: r.json()["state"] == "done",
        )
        assert done.json()["counts"]["tickers"] >= 1  # the restarted worker works
    finally:
        stop.set()
        supervisor.join(timeout=30)


def test_readyz_reports_a_dead_webhook_deliverer(tmp_path: Path) -> None:
    """The deliverer runs beside the worker in `serve`: while it is down /readyz says so, by name,
    even though the worker is up."""
    client, _, _ = make_client(tmp_path)
    stop, crashed = threading.Event(), threading.Event()

    def worker(stop: threading.Event) -> None:
        stop.wait()

    def deliverer(stop: threading.Event) -> None:
        crashed.set()
        raise OSError("outbox unreadable")

    threads = [
        Supervisor(worker, stop),
        Supervisor(deliverer, stop, backoff=30.0, name="hooks", label="webhook deliverer"),
    ]
    client.app.state.supervisors = threads  # type: ignore[attr-defined]  # as `serve` does
    for thread in threads:
        thread.start()
    try:
        assert crashed.wait(10)
        down = poll(lambda: client.get("/readyz"), lambda r: r.status_code == 503)
        assert down.json()["detail"].startswith("webhook deliverer down for ")
        assert "OSError: outbox unreadable" in down.json()["detail"]
        assert threads[0].up
    finally:
        stop.set()


def poll(ask: Callable[[], Response], until: Callable[[Response], bool]) -> Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = ask()
        if until(answer):
            return answer
        time.sleep(0.02)
    raise AssertionError(f"still {answer.status_code} {answer.text}")
