"""Webhook delivery end to end on SQLite and PostgreSQL: each event reaches a loopback receiver
once with a valid signature; a receiver that fails twice still gets it once (by id), every
attempt recorded with its status code; an event's outbox row commits or rolls back with it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from store_support import STORES, store_engine
from webhook_support import (
    BEFORE_2025,
    PRICES,
    Receiver,
    outbox_rows,
    receiving,
    spy_claim,
    stored_by_worker,
    subscribe,
)  # fmt: skip

from alerts import delivery, signing
from checker import InMemoryPrices
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus.http import HttpClient, HttpOptions
from review import decisions
from review.recheck import recheck
from store import outbox
from store.clock import utc_now
from store.tables import ClaimRow, WebhookDelivery

LOOPBACK = HttpOptions(allow_loopback=True, deadline=5.0, timeout=5.0)
NOW_AND_AGAIN = delivery.DeliveryOptions(retry_seconds=0.0, lease_seconds=30.0, drain=True)


def drain(
    engine: Engine, options: delivery.DeliveryOptions = NOW_AND_AGAIN
) -> delivery.DeliveryTally:
    with HttpClient(LOOPBACK) as client:
        return delivery.run(engine, client, options=options)


def claim_ids(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return [i for i in session.exec(select(ClaimRow.id).order_by(col(ClaimRow.id))) if i]


@pytest.mark.parametrize("kind", STORES)
def test_delivery_sends_each_event_once_signed(
    kind: str, tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine(kind, tmp_path) as engine, receiving(Receiver()) as receiver:
        subscribe(engine, receiver.url)
        # Two copies of one wrong claim: one new group; a forecast still pending.
        stored_by_worker(engine, calendar, [spy_claim(2.0), spy_claim(2.0)])
        stored_by_worker(engine, calendar, [spy_claim(3.0, "forecast")], prices=BEFORE_2025)
        first, _, forecast = claim_ids(engine)
        with Session(engine) as session, session.begin():
            choice = decisions.Decision("dismiss", "ana", reason="wrong_period")
            decisions.decide_group(
                session, first, choice, now=utc_now(), checking=Checking(PRICES, calendar)
            )
        recheck(engine, PRICES, calendar, now=utc_now())
        tally = drain(engine)
        events = receiver.processed()
        assert len(receiver.requests) == len(events) == tally.delivered == 3
        assert [e["type"] for e in events] == [
            "discrepancy_group.created", "review.decided", "forecast.resolved",
        ]  # fmt: skip
        group, decided, resolved = (e["data"] for e in events)
        assert [m["id"] for m in group["group"]["members"]] == [first]
        assert [r["claim"]["id"] for r in decided["reviews"]] == [first, first + 1]
        assert decided["group"] is True
        assert decided["reason"] == "wrong_period"
        assert resolved["claim"]["id"] == forecast
        assert resolved["verdict_before"] == "pending"
        headers, content, _ = receiver.requests[0]
        assert headers["content-type"] == "application/json"
        assert not signing.verify("another secret", headers[signing.HEADER.lower()], content, now=0)
        assert drain(engine).attempts == 0  # nothing left to send


@pytest.mark.parametrize("kind", STORES)
def test_delivery_retries_until_the_receiver_recovers(
    kind: str, tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine(kind, tmp_path) as engine, receiving(Receiver([500, 500])) as receiver:
        webhook = subscribe(engine, receiver.url)
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        tally = drain(engine)
        assert (tally.retried, tally.delivered) == (2, 1)
        assert [code for _, _, code in receiver.requests] == [500, 500, 200]
        assert len({h["webhook-id"] for h, _, _ in receiver.requests}) == 1
        assert len(receiver.processed()) == 1
        with Session(engine) as session:
            [(sent, event_type, attempts)] = outbox.deliveries(session, webhook)
        assert (sent.status, sent.attempts, event_type) == (
            "delivered",
            3,
            "discrepancy_group.created",
        )
        assert [(a.attempt, a.status_code) for a in attempts] == [(1, 500), (2, 500), (3, 200)]
        assert attempts[0].error == "HTTP 500"
        assert attempts[2].error is None


@pytest.mark.parametrize("kind", STORES)
def test_delivery_gives_up_after_the_last_attempt(
    kind: str, tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine(kind, tmp_path) as engine, receiving(Receiver([503] * 5)) as receiver:
        subscribe(engine, receiver.url)
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        options = delivery.DeliveryOptions(max_attempts=2, retry_seconds=0.0, drain=True)
        assert drain(engine, options).failed == 1
        assert len(receiver.requests) == 2
        assert receiver.processed() == []
        with Session(engine) as session:
            row = session.exec(select(WebhookDelivery)).one()
        assert (row.status, row.last_status, row.last_error) == ("failed", 503, "HTTP 503")


def test_delivery_backs_off_doubling(tmp_path: Path, calendar: NyseCalendar) -> None:
    with store_engine("sqlite", tmp_path) as engine, receiving(Receiver([500, 500])) as receiver:
        subscribe(engine, receiver.url)
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        moments = [utc_now()]  # the deliverer's clock, moved by the test
        options = delivery.DeliveryOptions(retry_seconds=60.0, drain=True)
        waits = []
        for _ in range(2):
            with HttpClient(LOOPBACK) as client:
                tally = delivery.run(engine, client, options=options, clock=lambda: moments[-1])
            assert tally.retried == 1  # the retry is not due yet: drain returns
            with Session(engine) as session:
                row = session.exec(select(WebhookDelivery)).one()
            waits.append(row.next_attempt_at - moments[-1])
            moments.append(row.next_attempt_at)
        assert waits == [timedelta(seconds=60), timedelta(seconds=120)]
        assert len(receiver.requests) == 2


def test_delivery_refuses_a_private_address_every_attempt(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine("sqlite", tmp_path) as engine:
        subscribe(engine, "http://127.0.0.1:9/hooks")  # registered directly, past the API
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        options = delivery.DeliveryOptions(max_attempts=1, drain=True)
        with HttpClient(HttpOptions()) as client:
            assert delivery.run(engine, client, options=options).failed == 1
        with Session(engine) as session:
            row = session.exec(select(WebhookDelivery)).one()
        assert row.last_status is None
        assert "loopback" in (row.last_error or "")


def decide_then_fail(engine: Engine, claim_id: int, options: dict[str, Any]) -> None:
    """A decision whose transaction fails after it: everything it wrote rolls back."""
    with Session(engine) as session, session.begin():
        decisions.decide(session, claim_id, decisions.Decision("confirm", "ana"), **options)
        raise RuntimeError("the request failed after the decision")


@pytest.mark.parametrize("kind", STORES)
def test_alerts_roll_back_with_their_review(
    kind: str, tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine(kind, tmp_path) as engine:
        subscribe(engine, "https://hooks.example.com/in", ("review.decided",))
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        [claim_id] = claim_ids(engine)
        options = {"now": utc_now(), "checking": Checking(PRICES, calendar)}
        with pytest.raises(RuntimeError, match="after the decision"):
            decide_then_fail(engine, claim_id, options)
        assert outbox_rows(engine) == (0, 0)
        with Session(engine) as session, session.begin():
            decisions.decide(session, claim_id, decisions.Decision("confirm", "ana"), **options)
        assert outbox_rows(engine) == (1, 1)


def test_alerts_none_without_a_subscriber(tmp_path: Path, calendar: NyseCalendar) -> None:
    with store_engine("sqlite", tmp_path) as engine:
        subscribe(engine, "https://hooks.example.com/in", ("forecast.resolved",))
        stored_by_worker(engine, calendar, [spy_claim(2.0), spy_claim(2.0)])
        assert outbox_rows(engine) == (0, 0)


def test_outbox_settle_after_a_lost_lease_writes_nothing(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine("sqlite", tmp_path) as engine:
        webhook = subscribe(engine, "https://93.184.215.14/in")
        stored_by_worker(engine, calendar, [spy_claim(2.0)])
        now, ok = utc_now(), outbox.Outcome(200, None, 0.1)
        settle = {"max_attempts": 3, "retry_seconds": 1.0}
        with Session(engine) as session, session.begin():
            [dead] = outbox.claim_due(session, now=now, lease_seconds=5)
            assert outbox.claim_due(session, now=now, lease_seconds=5) == []  # leased
        later = now + timedelta(seconds=6)
        with Session(engine) as session, session.begin():
            [alive] = outbox.claim_due(session, now=later, lease_seconds=5)
            assert outbox.settle(session, dead, ok, now=later, **settle) is None
            assert outbox.settle(session, alive, ok, now=later, **settle) == "delivered"
        with Session(engine) as session:
            [(sent, _, attempts)] = outbox.deliveries(session, webhook)
        assert (sent.attempts, [a.attempt for a in attempts]) == (2, [2])


def test_alerts_recheck_opens_a_group(tmp_path: Path, calendar: NyseCalendar) -> None:
    with store_engine("sqlite", tmp_path) as engine, receiving(Receiver()) as receiver:
        subscribe(engine, receiver.url)
        stored_by_worker(engine, calendar, [spy_claim(2.0)], prices=InMemoryPrices({}))
        assert outbox_rows(engine) == (0, 0)  # unverifiable (no_data): in no queue yet
        recheck(engine, PRICES, calendar, now=utc_now())
        drain(engine)
        [event] = receiver.processed()
        assert event["type"] == "discrepancy_group.created"
        assert event["data"]["group"]["members"][0]["verdict"] == "contradicted"
