"""``Supervisor``: runs the in-process worker of ``newsclaims serve`` in a thread and restarts it
(and, under another name and label, the webhook deliverer beside it).

A worker that raises (or returns before ``stop``) is started again after a backoff that doubles
from ``backoff`` up to ``max_backoff`` seconds, and starts over from ``backoff`` once a run lasted
longer than ``max_backoff``. While it is down, ``up`` is false and ``detail`` says why: /readyz
answers 503 with it (api/routes/health.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Supervisor:
    """Keeps ``target(stop)`` running in a daemon thread until ``stop`` is set."""

    def __init__(
        self,
        target: Callable[[threading.Event], object],
        stop: threading.Event,
        *,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        name: str = "newsclaims-worker",
        label: str = "worker",
    ) -> None:
        self.target, self.stop, self.label = target, stop, label  # label: what /readyz calls it
        self.backoff, self.max_backoff = backoff, max_backoff
        self.restarts = 0
        self._lock = threading.Lock()
        self._down: tuple[float, str] | None = None  # (since, when monotonic; why)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        """Start the worker thread."""
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread (after ``stop`` is set)."""
        self._thread.join(timeout)

    @property
    def up(self) -> bool:
        """The worker is running (or stopping because it was told to)."""
        with self._lock:
            return self._down is None

    @property
    def detail(self) -> str:
        """Why the thread is down, and for how long; "" when it is up."""
        with self._lock:
            if self._down is None:
                return ""
            since, why = self._down
        down = time.monotonic() - since
        return f"{self.label} down for {down:.0f} s (restart {self.restarts}): {why}"

    def _loop(self) -> None:
        delay = self.backoff
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                self.target(self.stop)
            except Exception as err:  # whatever killed the worker: logged, reported, restarted
                log.exception("the worker died; restarting it in %.0f s", delay)
                why = f"{type(err).__name__}: {err}"[:500]
            else:
                if self.stop.is_set():
                    return
                why = "the worker returned"
            with self._lock:
                self._down = (time.monotonic(), why)
            if time.monotonic() - started > self.max_backoff:
                delay = self.backoff  # it had been running fine: not a crash loop
            if self.stop.wait(delay):
                return
            delay = min(delay * 2, self.max_backoff)
            self.restarts += 1
            with self._lock:
                self._down = None
