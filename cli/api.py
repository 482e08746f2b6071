"""HTTP service commands: serve, keys."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the HTTP service commands to the ``newsclaims`` app."""
