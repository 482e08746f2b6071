"""Imports point one way, from cli at the top down to extractor:

    extractor <- checker <- store <- marketdata <- corpus, review <- alerts <- runtime <- api <- cli

alerts sends webhooks (through corpus's outbound client). runtime is the composition root
(Settings and the Root that builds engine, pipeline, prices ...).

``ALLOWED`` states, for each package, the packages it may import; every other import between
them is a back import (or a sideways one: corpus and review never import each other) and fails
the test.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Each package and the packages it may import, lowest layer first: a package may only name
# packages listed above it (test_layers_allowed_points_one_way).
ALLOWED: dict[str, set[str]] = {
    "extractor": set(),
    "checker": {"extractor"},
    "store": {"extractor", "checker"},
    "marketdata": {"checker", "store"},
    "corpus": {"extractor", "checker", "store", "marketdata"},
    "review": {"extractor", "checker", "store", "marketdata"},
    "alerts": {"store", "corpus"},
    "runtime": {"extractor", "checker", "store", "marketdata", "corpus", "review", "alerts"},
    "api": {"extractor", "checker", "store", "marketdata", "corpus", "review", "alerts",
            "runtime"},
    "cli": {"extractor", "checker", "store", "marketdata", "corpus", "review", "alerts",
            "runtime", "api"},
}  # fmt: skip


def imports_against(allowed: dict[str, set[str]], root: Path = REPO) -> list[str]:
    """Every import of a listed package its importer may not use, as 'file: module'."""
    wrong = []
    for package, may_import in allowed.items():
        others = set(allowed) - may_import - {package}
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                wrong += [
                    f"{path.relative_to(root).as_posix()}: {n}"
                    for n in names
                    if n.split(".")[0] in others
                ]
    return wrong


def test_layers_point_one_way() -> None:
    assert imports_against(ALLOWED) == []


def test_layers_allowed_points_one_way() -> None:
    order = list(ALLOWED)
    assert {p: {q for q in ALLOWED[p] if order.index(q) > order.index(p)} for p in order} == {
        p: set() for p in order
    }


def test_layers_a_back_import_is_reported(tmp_path: Path) -> None:
    (tmp_path / "extractor").mkdir()
    (tmp_path / "cli").mkdir()
    (tmp_path / "extractor" / "bad.py").write_text("from cli.main import app\n")
    allowed = {"extractor": set(), "cli": {"extractor"}}
    assert imports_against(allowed, tmp_path) == ["extractor/bad.py: cli.main"]
