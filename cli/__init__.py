"""The ``newsclaims`` command line: main.py holds the app, the other modules its command groups."""

from __future__ import annotations

from typing import Any

import typer


def command_group(help: str, **options: Any) -> typer.Typer:
    """A Typer app with plain (click) help: Rich's help renderer costs 0.2 s of every --help
    (bench/cli_start.py), more than the rest of the command's start."""
    return typer.Typer(help=help, rich_markup_mode=None, **options)
