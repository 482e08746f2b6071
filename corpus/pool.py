"""``ExtractorPool``: extraction in child processes, each article under a time budget.

Each child builds its extract function once (``builder``: a picklable callable, so spawned
children can rebuild it; the roots pass one that loads the spaCy pipeline) and then extracts one
article at a time. An article still running when its budget is spent has its child killed and
replaced; it comes back as a ``Fault`` with reason ``timeout``, and the other articles go on in
the other children. A child that dies (out of memory, a crash in C code) faults only the article
it held. The budget starts when the article is handed to a ready child, never while a child loads.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from corpus.errors import CorpusError
from extractor import Extraction

log = logging.getLogger(__name__)

ExtractFn = Callable[[str, date | datetime | None], Extraction]
Builder = Callable[[], ExtractFn]
READY = "ready"


@dataclass(frozen=True, slots=True)
class Job:
    """One article to extract; ``key`` comes back with its result."""

    key: int
    text: str
    published: date | datetime | None


@dataclass(frozen=True, slots=True)
class Fault:
    """An article that could not be extracted: ``reason`` is "timeout" (over the budget),
    "crashed" (its process died) or "extractor" (the extractor raised)."""

    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


class PoolBroken(CorpusError):
    """A child died before it was ready: its extractor cannot be built."""

    code = "pool_broken"


def _serve(connection: Connection, builder: Builder) -> None:
    """A child: build the extractor, say so, then extract what arrives until told to stop.

    It leaves SIGINT to its worker (a Ctrl-C reaches the whole process group; the worker finishes
    its batch first) and exits when the worker is gone, even mid-article.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    extract = builder()
    connection.send(READY)
    while True:
        try:
            job = connection.recv()
        except EOFError:  # the parent is gone
            return
        if job is None:
            return
        try:
            result: Extraction | Fault = extract(job.text, job.published)
        except Exception as err:  # the article's fault, reported as its result, never the child's
            result = Fault("extractor", repr(err)[:1000])
        connection.send((job.key, result))


def _exit_with(parent: int) -> None:
    """Exit this process once ``parent`` has died (killed, it could not stop us)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


@dataclass(slots=True)
class _Child:
    process: BaseProcess
    connection: Connection
    ready: bool = False
    job: Job | None = None
    deadline: float = 0.0


class ExtractorPool:
    """``size`` child processes extracting under a per-article budget of ``timeout`` seconds."""

    def __init__(
        self, builder: Builder, *, size: int, timeout: float, start_method: str = "spawn"
    ) -> None:
        self.builder, self.timeout = builder, timeout
        self._context = multiprocessing.get_context(start_method)
        self._children = [self._start() for _ in range(size)]

    def _start(self) -> _Child:
        parent, child = self._context.Pipe()
        process = self._context.Process(  # type: ignore[attr-defined]  # typeshed: BaseContext
            target=_serve, args=(child, self.builder), name="newsclaims-extract", daemon=True
        )
        process.start()
        child.close()
        return _Child(process, parent)

    def _replace(self, child: _Child) -> None:
        if child.process.is_alive():
            child.process.kill()
        child.process.join(timeout=10)
        child.connection.close()
        self._children[self._children.index(child)] = self._start()

    def run(
        self,
        jobs: Sequence[Job],
        *,
        on_start: Callable[[list[int]], None],
        heartbeat: Callable[[], None],
        tick: float = 1.0,
    ) -> Iterator[tuple[int, Extraction | Fault]]:
        """Each job's result as it comes, in any order. ``on_start`` gets the keys about to be
        handed out (before they are), ``heartbeat`` is called at least every ``tick`` seconds."""
        pending, running = list(reversed(jobs)), 0
        while pending or running:
            idle = [c for c in self._children if c.ready and c.job is None]
            handed = [(c, pending.pop()) for c in idle[: len(pending)]]
            if handed:
                on_start([job.key for _, job in handed])
            for child, job in handed:
                child.job, child.deadline = job, time.monotonic() + self.timeout
                child.connection.send(job)
                running += 1
            heartbeat()
            busy = [c.deadline for c in self._children if c.job is not None]
            wait_for = min([tick, *(d - time.monotonic() for d in busy)])
            for child, outcome in self._wait(max(wait_for, 0.0)):
                assert child.job is not None
                key = child.job.key
                child.job = None
                running -= 1
                yield key, outcome

    def _wait(self, timeout: float) -> Iterator[tuple[_Child, Extraction | Fault]]:
        """Results that arrived, then children dead or over budget (killed and replaced)."""
        handles: list[Any] = [c.connection for c in self._children]
        handles += [c.process.sentinel for c in self._children]
        ready = set(wait(handles, timeout))
        for child in list(self._children):
            if child.connection in ready and child.connection.poll():
                try:
                    message = child.connection.recv()
                except EOFError:
                    pass  # died: handled below with the other dead children
                else:
                    if message == READY:
                        child.ready = True
                    elif child.job is not None:
                        yield child, message[1]
                    continue
            if not child.process.is_alive():
                yield from self._died(child)
            elif child.job is not None and time.monotonic() >= child.deadline:
                log.warning(
                    "article %d: over the %.0f s budget; killed", child.job.key, self.timeout
                )
                yield child, Fault("timeout", f"extraction took over {self.timeout:g} s")
                self._replace(child)

    def _died(self, child: _Child) -> Iterator[tuple[_Child, Extraction | Fault]]:
        code = child.process.exitcode
        if not child.ready:
            raise PoolBroken(f"an extraction process died while loading (exit code {code})")
        if child.job is not None:
            yield child, Fault("crashed", f"the extraction process died (exit code {code})")
        self._replace(child)

    def close(self) -> None:
        """Stop the children (those busy or still loading are killed)."""
        for child in self._children:
            if not child.ready or child.job is not None:
                child.process.kill()
                continue
            try:
                child.connection.send(None)
            except OSError:  # it died meanwhile (a broken pipe)
                pass
        for child in self._children:
            child.process.join(timeout=5)
            if child.process.is_alive():
                child.process.kill()
                child.process.join(timeout=5)
            child.connection.close()

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
