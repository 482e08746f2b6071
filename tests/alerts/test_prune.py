"""`newsclaims webhooks prune --days N` on SQLite and PostgreSQL: settled alerts (delivered or
failed) older than N days go with their deliveries and attempts; pending ones stay at any age, and
so do younger ones."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, update
from sqlmodel import Session, col, select
from store_support import STORES, store_engine
from typer.testing import CliRunner
from webhook_support import subscribe

from cli.main import app as cli
from store import outbox
from store.clock import utc_now
from store.tables import WebhookAttempt, WebhookDelivery, WebhookEvent

AGES = {"old delivered": 40, "old failed": 35, "old pending": 50, "young delivered": 5}


def make_events(engine: Engine) -> dict[str, str]:
    """One event per AGES entry, each with one delivery in that state and one attempt."""
    hook = subscribe(engine, "https://hooks.example.com/in", ("review.decided",))
    made: dict[str, str] = {}
    with Session(engine) as session, session.begin():
        for name, days in AGES.items():
            when = utc_now() - timedelta(days=days)
            event_id = outbox.emit(
                session, "review.decided", {"n": name}, now=when, webhooks=[hook]
            )
            assert event_id is not None
            status = name.split()[1]
            session.execute(
                update(WebhookDelivery)
                .where(col(WebhookDelivery.event_id) == event_id)
                .values(status=status, attempts=1)
            )
            delivery = session.exec(
                select(WebhookDelivery.id).where(col(WebhookDelivery.event_id) == event_id)
            ).one()
            session.add(WebhookAttempt(delivery_id=delivery, attempt=1, sent_at=when,
                                       status_code=200, error=None, seconds=0.01))  # fmt: skip
            made[name] = event_id
    return made


@pytest.mark.parametrize("kind", STORES)
def test_prune_removes_settled_alerts_older_than_the_days(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store_engine(kind, tmp_path) as engine:
        made = make_events(engine)
        monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", engine.url.render_as_string(False))
        monkeypatch.setenv("NEWSCLAIMS_DATA_DIR", str(tmp_path / "data"))
        result = CliRunner().invoke(cli, ["webhooks", "prune", "--days", "30", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == {"events_removed": 2}
        with Session(engine) as session:
            kept = set(session.exec(select(WebhookEvent.id)))
            deliveries = session.exec(select(func.count()).select_from(WebhookDelivery)).one()
            attempts = session.exec(select(func.count()).select_from(WebhookAttempt)).one()
        assert kept == {made["old pending"], made["young delivered"]}
        assert (deliveries, attempts) == (2, 2)
