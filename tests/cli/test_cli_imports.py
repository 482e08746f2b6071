"""Each command imports only what it uses: `newsclaims --help` loads no spaCy, pandas or web
framework, and `extract` of a text file no web framework, database, Yahoo client or HTML extractor
(bench/cli_start.py times it).

Each case runs in a fresh interpreter, so what it finds in ``sys.modules`` is what it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Imports cli.main, runs the command in argv (none: only the import) in-process, and prints
# the exit code and the top-level packages then loaded.
PROBE = """
import json, sys
import cli.main
code = 0
if sys.argv[1:]:
    from typer.testing import CliRunner
    code = CliRunner().invoke(cli.main.app, sys.argv[1:]).exit_code
print(json.dumps({"exit": code, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""
STARTUP = {"spacy", "pandas", "exchange_calendars", "fastapi", "uvicorn", "starlette"}
# A .txt article needs neither the service's modules nor the HTML extractor (httpx is not
# among them: spaCy loads it, through weasel).
PLAIN_EXTRACT = STARTUP - {"spacy", "pandas", "exchange_calendars"} | {
    "sqlalchemy", "sqlmodel", "alembic", "yfinance", "trafilatura",
}  # fmt: skip
CASES = [
    ([], STARTUP),
    (["--help"], STARTUP),
    (["keys", "--help"], STARTUP),
    (["extract", "{article}"], PLAIN_EXTRACT),
]


def loaded_by(argv: list[str], tmp_path: Path) -> tuple[int, set[str]]:
    """The exit code and the top-level packages loaded by running ``argv`` in a new process."""
    env = os.environ | {"NEWSCLAIMS_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    result = json.loads(run.stdout.splitlines()[-1])
    return result["exit"], set(result["loaded"])


@pytest.mark.parametrize(("argv", "unwanted"), CASES)
def test_cli_imports_only_what_the_command_uses(
    argv: list[str], unwanted: set[str], tmp_path: Path
) -> None:
    article = tmp_path / "one.txt"
    article.write_text("Shares of Apple (AAPL) rose 2.5% on Tuesday.\n", encoding="utf-8")
    code, loaded = loaded_by([a.format(article=article) for a in argv], tmp_path)
    assert code == 0
    assert loaded & unwanted == set()
