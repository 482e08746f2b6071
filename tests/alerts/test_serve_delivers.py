"""`newsclaims serve` runs a webhook deliverer beside its worker (cli/api.py ``_deliver``)."""

from __future__ import annotations

import threading
from pathlib import Path

from store_support import upgraded
from webhook_support import Receiver, receiving, spy_claim, stored_by_worker, subscribe

from checker.calendar import NyseCalendar
from cli.api import _deliver
from runtime.settings import Settings


def test_serve_deliverer_sends_what_the_worker_stored(
    tmp_path: Path, calendar: NyseCalendar
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = upgraded(url)
    settings = Settings(database_url=url, http_allow_loopback=True, poll_seconds=0.05)
    stop = threading.Event()
    with receiving(Receiver()) as receiver:
        subscribe(engine, receiver.url)
        deliverer = threading.Thread(target=_deliver, args=(settings, stop))
        deliverer.start()
        try:
            stored_by_worker(engine, calendar, [spy_claim(2.0)])  # while the deliverer runs
            assert receiver.arrived.wait(timeout=60)
        finally:
            stop.set()
            deliverer.join(timeout=60)
        assert not deliverer.is_alive()
        [event] = receiver.processed()
        assert event["type"] == "discrepancy_group.created"
    engine.dispose()
