"""Webhook commands: ``webhooks deliver [--drain]`` runs the delivery loop (``serve`` runs one
beside its worker), ``webhooks prune --days N`` deletes settled alerts older than N days;
webhooks are registered with the API (``/v1/webhooks``, admin)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from cli import command_group
from cli.service import AsJson, open_store, stopping

webhooks_app = command_group(help="Alerts sent to registered webhooks.", no_args_is_help=True)


@webhooks_app.command("deliver")
def deliver(
    drain: Annotated[
        bool, typer.Option("--drain", help="Exit once no delivery is due (backoffs stay).")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Send the outbox's due deliveries until stopped (SIGTERM finishes the one in hand)."""
    from runtime.root import Root

    stop = stopping()
    root = Root.from_env()
    open_store(root)
    tally = root.run_deliverer(stop, drain=drain)
    counts = {name: getattr(tally, name) for name in tally.__slots__}
    if as_json:
        print(json.dumps(counts))
    else:
        print(", ".join(f"{name} {count}" for name, count in counts.items()), file=sys.stderr)


@webhooks_app.command("prune")
def prune(
    days: Annotated[
        float, typer.Option("--days", min=0, help="Keep events younger than this many days.")
    ] = 30,
    as_json: AsJson = False,
) -> None:
    """Delete settled alerts (delivered or failed) older than --days, with their attempts;
    alerts still pending stay. Run it from cron: nothing else removes them."""
    from datetime import timedelta

    from sqlmodel import Session

    from runtime.root import Root
    from store import outbox
    from store.clock import utc_now

    root = Root.from_env()
    open_store(root)
    try:
        with Session(root.store) as session, session.begin():
            removed = outbox.prune(session, before=utc_now() - timedelta(days=days))
    finally:
        root.store.dispose()
    if as_json:
        print(json.dumps({"events_removed": removed}))
    else:
        print(f"{removed} webhook events removed", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the webhook commands to the ``newsclaims`` app."""
    app.add_typer(webhooks_app, name="webhooks")
