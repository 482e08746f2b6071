"""Imports point one way: cli -> api -> corpus -> checker -> extractor."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAYERS = ["extractor", "checker", "corpus", "api", "cli"]  # each may import only those before it


def imports_against(layers: list[str], root: Path = REPO) -> list[str]:
    """Every import of a later layer from an earlier one, as 'file: module'."""
    wrong = []
    for rank, layer in enumerate(layers):
        later = set(layers[rank + 1 :])
        for path in (root / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                wrong += [
                    f"{path.relative_to(root)}: {n}" for n in names if n.split(".")[0] in later
                ]
    return wrong


def test_layers_point_one_way() -> None:
    assert imports_against(LAYERS) == []


def test_layers_a_back_import_is_reported(tmp_path: Path) -> None:
    (tmp_path / "extractor").mkdir()
    (tmp_path / "cli").mkdir()
    (tmp_path / "extractor" / "bad.py").write_text("from cli.main import app\n")
    assert imports_against(["extractor", "cli"], tmp_path) == ["extractor/bad.py: cli.main"]
