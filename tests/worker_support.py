"""Test hooks of the extraction pool: extract functions that are slow or crash on a marker.

They live here, not in production code: spawned extraction processes import this module (the
tests folder is on their ``sys.path``) to rebuild the builder the test passes.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime

from corpus.pool import ExtractFn
from extractor import Extraction
from runtime.root import child_extractor
from runtime.settings import Settings

POISON = "Poisonous-marker-sleeps"
CRASH = "Poisonous-marker-crashes"
RAISE = "Poisonous-marker-raises"


def poisoned_extractor(settings: Settings) -> ExtractFn:
    """The real extractor, except that an article holding POISON never ends, one holding CRASH
    kills its process and one holding RAISE raises."""
    real = child_extractor(settings)

    def extract(text: str, published: date | datetime | None) -> Extraction:
        if POISON in text:
            time.sleep(3600)
        if CRASH in text:
            os._exit(3)
        if RAISE in text:
            raise ValueError("an extractor bug")
        return real(text, published)

    return extract
