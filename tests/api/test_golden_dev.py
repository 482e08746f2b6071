"""Behaviour pinned across refactors: for every article of ../shared/corpus/dev, the checked
contract (`newsclaims check --json`: what the eval gate scores) and the bytes of
GET /v1/articles/{id}/claims and GET /v1/claims?article={id}, kept as SHA-256 digests in
tests/data/golden_dev.json (digests only: the shared texts stay out of the repository).

A change meant to alter nothing (a move, a split, a storage change) leaves every digest as it
was. A change meant to alter extraction, checking or the API's JSON records new digests with
``NEWSCLAIMS_UPDATE_GOLDEN=1 uv run pytest tests/api/test_golden_dev.py`` and says so in its
commit message, next to the eval gate's numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from api_support import NOW, auth, make_client
from spacy.language import Language
from sqlmodel import Session

from checker import PriceSource, check_claim, checked_claim
from checker.calendar import NyseCalendar
from corpus import intake
from corpus.sources.files import read_article
from extractor import extract
from marketdata.providers.csv import load_prices_dir
from store import queries

GOLDEN = Path(__file__).parents[1] / "data" / "golden_dev.json"
UPDATE = os.environ.get("NEWSCLAIMS_UPDATE_GOLDEN") == "1"  # read before the env is cleared


def _digest(data: bytes, shared_dir: Path) -> str:
    """SHA-256 of the output with the shared directory's path replaced, should any output carry
    it (the CSV provider's name once did), so the digest is the same on every machine."""
    return hashlib.sha256(data.replace(str(shared_dir).encode(), b"$SHARED")).hexdigest()


def _contract(path: Path, nlp: Language, prices: PriceSource, calendar: NyseCalendar) -> Any:
    """The article, its extraction and the contract with checks (as `newsclaims check --json`)."""
    article = read_article(path, max_bytes=10_000_000)
    extraction = extract(article.text, nlp=nlp, published=article.dated)
    checks = [check_claim(c, prices, calendar) for c in extraction.claims]
    contract = extraction.to_dict()
    contract["claims"] = [
        checked_claim(c, k) for c, k in zip(extraction.claims, checks, strict=True)
    ]
    return article, extraction, checks, contract


@pytest.mark.slow
def test_golden_dev_outputs_unchanged(
    shared_dir: Path, nlp: Language, calendar: NyseCalendar, tmp_path: Path
) -> None:
    dev, marketdata = shared_dir / "corpus" / "dev", shared_dir / "marketdata"
    if not dev.is_dir() or not marketdata.is_dir():
        pytest.skip("shared corpus or market data not present")
    prices = load_prices_dir(marketdata)
    client, engine, keys = make_client(tmp_path)
    found: dict[str, dict[str, str]] = {}
    for path in sorted(p for p in dev.glob("*.json") if not p.name.endswith(".gold.json")):
        article, extraction, checks, contract = _contract(path, nlp, prices, calendar)
        with Session(engine) as session, session.begin():
            queued = intake.enqueue(session, article, now=NOW, max_bytes=10_000_000)
            ids = queries.save_extraction(session, queued.article_id, extraction)
            queries.save_checks(session, list(zip(ids, checks, strict=True)), now=NOW)
        reader = auth(keys["reader"])
        pages = [  # pydantic's claims, then the stored page JSON (store/claim_pages.py)
            client.get(f"/v1/articles/{queued.article_id}/claims?limit=500", headers=reader),
            client.get(f"/v1/claims?article={queued.article_id}&limit=500", headers=reader),
        ]
        assert [p.status_code for p in pages] == [200, 200], pages[1].text
        found[path.stem] = {
            "contract": _digest(json.dumps(contract, ensure_ascii=False).encode(), shared_dir),
            "api_claims": _digest(pages[0].content, shared_dir),
            "api_claim_pages": _digest(pages[1].content, shared_dir),
        }
    engine.dispose()
    if UPDATE:
        GOLDEN.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = sorted(
        f"{stem}: {part}"
        for stem in found.keys() | recorded.keys()
        for part in ("contract", "api_claims", "api_claim_pages")
        if found.get(stem, {}).get(part) != recorded.get(stem, {}).get(part)
    )
    assert not changed, f"outputs differ from tests/data/golden_dev.json: {changed}"
