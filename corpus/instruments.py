"""The runtime instrument reference (placeholder: empty until the tickers work lands)."""

from __future__ import annotations

from pathlib import Path

from extractor.lexicon import Lexicon


def load_lexicon(data_dir: Path) -> Lexicon:
    """The built-in reference plus instrument lists imported into ``data_dir``."""
    return Lexicon([])
