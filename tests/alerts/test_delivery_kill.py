"""SIGKILL and the outbox, with real processes: an event committed by a process killed before it
could be sent is delivered after the restart; a deliverer killed while its POST is in flight is
replaced once its lease ends, and the receiver, dropping the repeat by id, processes it once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from store_support import REPO, STORES, store_engine, worker_env
from webhook_support import Receiver, receiving, spy_claim, stored_by_worker, subscribe

from checker.calendar import NyseCalendar
from store import outbox
from store.tables import WebhookDelivery

# A reviewer's decision committed (its alert with it), then the process waits to be killed.
DECIDE_THEN_HANG = """
import sys, time
from sqlmodel import Session
from review import decisions
from store import db
from store.clock import utc_now
engine = db.make_engine(sys.argv[1])
with Session(engine) as session, session.begin():
    decisions.decide(session, int(sys.argv[2]), decisions.Decision("confirm", "ana"),
                     now=utc_now(), checking=None)
print("committed", flush=True)
time.sleep(120)
"""


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def deliverer(engine: Engine, tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    """`newsclaims webhooks deliver ARGS` on the engine's store, allowed to reach loopback."""
    env = worker_env(
        url_of(engine), tmp_path, http_allow_loopback="true", webhook_timeout=2,
        webhook_lease_seconds=3, poll_seconds=0.1,
    )  # fmt: skip
    command = [sys.executable, "-m", "cli.main", "webhooks", "deliver", *args]
    return subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.DEVNULL)


def only_delivery(engine: Engine) -> WebhookDelivery:
    with Session(engine) as session:
        return session.exec(select(WebhookDelivery)).one()


@pytest.mark.parametrize("kind", STORES)
def test_kill_after_commit_event_delivered_after_restart(
    kind: str, tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine(kind, tmp_path) as engine, receiving(Receiver()) as receiver:
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        subscribe(engine, receiver.url, ("review.decided",))
        child = subprocess.Popen(
            [sys.executable, "-c", DECIDE_THEN_HANG, url_of(engine), "1"],
            cwd=REPO, env=worker_env(url_of(engine), tmp_path), stdout=subprocess.PIPE,
        )  # fmt: skip
        assert child.stdout is not None
        assert child.stdout.readline() == b"committed\n"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
        child.stdout.close()
        assert receiver.requests == []
        assert deliverer(engine, tmp_path, "--drain").wait(timeout=60) == 0
        [event] = receiver.processed()
        assert event["type"] == "review.decided"
        assert event["data"]["reviews"][0]["claim"]["id"] == 1
        assert len(receiver.requests) == 1
        assert only_delivery(engine).status == outbox.DELIVERED


@pytest.mark.parametrize("kind", STORES)
def test_kill_mid_send_event_sent_again_processed_once(
    kind: str, tmp_path: Path, calendar: NyseCalendar
) -> None:
    hold = threading.Event()
    with store_engine(kind, tmp_path) as engine, receiving(Receiver(hold=hold)) as receiver:
        subscribe(engine, receiver.url)
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        first = deliverer(engine, tmp_path)
        assert receiver.arrived.wait(timeout=60)  # the POST is in flight, held by the receiver
        killed_at = time.monotonic()
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
        hold.set()  # the receiver answers 200 to a dead deliverer: nothing records it
        leased = only_delivery(engine)
        assert (leased.status, leased.attempts, leased.lease_token is not None) == (
            "pending", 1, True,
        )  # fmt: skip
        time.sleep(max(0.0, 3.5 - (time.monotonic() - killed_at)))  # the lease ends
        assert deliverer(engine, tmp_path, "--drain").wait(timeout=60) == 0
        ids = {headers["webhook-id"] for headers, _, _ in receiver.requests}
        assert len(receiver.requests) == 2
        assert len(ids) == 1
        assert len(receiver.processed()) == 1
        sent = only_delivery(engine)
        assert (sent.status, sent.attempts, sent.last_status) == ("delivered", 2, 200)
