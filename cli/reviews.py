"""Review commands: ``export gold DIR`` writes reviewed articles as evaluation gold."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import command_group
from cli.service import open_store

export_app = command_group(help="Reviewers' work out of the store.", no_args_is_help=True)


@export_app.command("gold")
def export_gold(
    folder: Annotated[Path, typer.Argument(help="Folder for <id>.json and <id>.gold.json files.")],
) -> None:
    """Write every reviewed article in the gold format of shared/corpus/README.md (corrected
    readings applied, dismissed claims left out); score it with shared/eval/score.py."""
    from sqlmodel import Session

    from review.gold import export_gold as write_gold
    from runtime.root import Root

    with Session(open_store(Root.from_env())) as session:
        written = write_gold(session, folder)
    print(f"{len(written)} reviewed articles written to {folder}")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
