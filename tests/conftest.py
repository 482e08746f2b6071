"""The one conftest: hermetic environment, the real pipeline loaded once, shared-data paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from spacy.language import Language

from checker.calendar import NyseCalendar
from corpus import instruments
from extractor import build_nlp

SHARED = Path(os.environ.get("NEWSCLAIMS_SHARED_DIR", Path(__file__).parents[1] / ".." / "shared"))


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Your shell can't change a result: drop every NEWSCLAIMS_* variable."""
    for name in [n for n in os.environ if n.startswith("NEWSCLAIMS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSCLAIMS_ONLINE_PRICES", "false")  # tests never reach the network
    monkeypatch.setenv("NEWSCLAIMS_FETCH_ARTICLES", "false")  # nor follow a real feed's links


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (or NEWSCLAIMS_SHARED_DIR, read before the env is cleared)."""
    return SHARED.resolve()


@pytest.fixture(scope="session")
def calendar() -> NyseCalendar:
    return NyseCalendar()


@pytest.fixture(scope="session")
def nlp(calendar: NyseCalendar, tmp_path_factory: pytest.TempPathFactory) -> Language:
    """The real extractor pipeline with the built-in reference, loaded once per session."""
    lexicon = instruments.load_lexicon(tmp_path_factory.mktemp("data"))
    return build_nlp(lexicon, calendar=calendar)
