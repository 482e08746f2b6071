"""Webhook commands: ``webhooks deliver [--drain]`` runs the delivery loop (``serve`` runs one
beside its worker); webhooks are registered with the API (``/v1/webhooks``, admin)."""

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


def register(app: typer.Typer) -> None:
    """Add the webhook commands to the ``newsclaims`` app."""
    app.add_typer(webhooks_app, name="webhooks")
