"""HTTP service commands: serve (the API, the review pages and, by default, a worker and the
webhook deliverer), keys."""

from __future__ import annotations

import functools
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from cli import command_group, service
from store.roles import ROLES

if TYPE_CHECKING:
    from runtime.settings import Settings

keys_app = command_group(help="API keys (only their hashes are stored).", no_args_is_help=True)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker",
            help="Serve only; run `newsclaims worker` and `webhooks deliver` apart.",
        ),
    ] = False,
) -> None:
    """Serve the API (/v1, /docs), the review pages (/review), an in-process worker and the
    webhook deliverer."""
    import uvicorn

    from api.app import configure_logging, create_app
    from runtime.root import Root
    from runtime.supervisor import Supervisor

    root = Root.from_env()
    settings = root.settings
    configure_logging()
    service.open_store(root)
    app = create_app(root)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()  # uvicorn handles the signal first, then calls this one on its way out

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = deliverer = None
    if not no_worker:
        worker = Supervisor(functools.partial(_work, settings), stop)  # restarted when it dies
        deliverer = Supervisor(
            functools.partial(_deliver, settings), stop, name="newsclaims-webhooks",
            label="webhook deliverer",
        )  # fmt: skip
        app.state.supervisors = [worker, deliverer]  # /readyz reports them
        worker.start()
        deliverer.start()
    try:
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
    finally:
        stop.set()  # the worker finishes the batch in hand, the deliverer its POST
        if deliverer is not None:
            deliverer.join(timeout=settings.webhook_lease_seconds)
        if worker is not None:
            worker.join(timeout=settings.lease_seconds)


def _work(settings: Settings, stop: threading.Event) -> None:
    """The in-process worker: its own root (engine, prices, extraction processes); it polls the
    due feeds as `newsclaims worker` does."""
    from runtime.root import Root

    Root(settings).run_worker(stop, drain=False, poll_feeds=True)


def _deliver(settings: Settings, stop: threading.Event) -> None:
    """The in-process webhook deliverer (`newsclaims webhooks deliver`): its own root."""
    from runtime.root import Root

    Root(settings).run_deliverer(stop, drain=False)


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    name: Annotated[str | None, typer.Option(help="Who or what the key is for.")] = None,
) -> None:
    """Create an API key and print it alone on stdout (it is not shown again)."""
    from sqlmodel import Session

    from runtime.root import Root
    from store import keys
    from store.clock import utc_now

    if role not in ROLES:
        print(f"error: unknown role {role!r}: one of {', '.join(ROLES)}", file=sys.stderr)
        raise typer.Exit(code=2)
    engine = service.open_store(Root.from_env())
    with Session(engine) as session, session.begin():
        key, _ = keys.create_key(session, role=role, name=name, now=utc_now())
    print(key)


def register(app: typer.Typer) -> None:
    """Add the HTTP service commands to the ``newsclaims`` app."""
    app.command("serve")(serve_command)
    app.add_typer(keys_app, name="keys")
