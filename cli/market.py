"""Market-data commands: prices import, recheck."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the market-data commands to the ``newsclaims`` app."""
