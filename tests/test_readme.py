"""The README documents every setting and the two commands a newcomer runs."""

from __future__ import annotations

from pathlib import Path

from runtime.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_setting() -> None:
    missing = [
        f"NEWSCLAIMS_{name.upper()}"
        for name in Settings.model_fields
        if f"`NEWSCLAIMS_{name.upper()}`" not in README
    ]
    assert missing == []


def test_readme_gives_the_two_commands() -> None:
    assert "uv run newsclaims" in README
    assert "uv run pytest" in README
