"""Off-the-shelf baselines on the gold corpus: textacy for quotes, quantulum3 for figures.

Quotes: ``textacy.extract.triples.direct_quotations`` over the full trained pipeline (textacy reads
lemmas, so the lemmatizer stays in). A quote's text is the span inside the marks; its speaker is
textacy's subject widened to the named entity around it: a PERSON is the speaker, an ORG, NORP or
GPE the org; pronouns stay unresolved (speaker null). textacy refuses a text with an odd number of
quote marks (an apostrophe counts as one): that article gets no quotes.

Figures: ``quantulum3.parser.parse``. Its shipped unit classifier no longer unpickles with current
scikit-learn, so it is retrained into a temporary folder (``--classifier retrain``, needs the
``quantulum3[classifier]`` extra) or switched off for quantulum's heuristic (``--classifier off``).
Units map to the contract: percentage -> percent, percentage point -> pp, basis point -> bp, a
currency -> its ISO code in lower case; a value with an uncertainty ("10-20%" is 15 +- 5) is a
range. Dimensionless numbers become ``count``, which is not scored: quantulum cannot tell an index
level from a count or a year. Other physical units keep quantulum's name (never in the gold).

Predictions (one <id>.json per article; tickers and claims empty) go to --out, then the shared
scorer prints its table. Prints numbers, asserts nothing. Adds no dependency to the project:

    uv run --with textacy --with 'quantulum3[classifier]' python bench/baselines.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import quantulum3.classifier as quantulum_classifier
import spacy
from quantulum3 import parser as quantulum
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from textacy.extract.triples import direct_quotations

from corpus.sources.files import read_article
from runtime.settings import Settings

REPO = Path(__file__).resolve().parent.parent
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
PERSON_LABELS = {"PERSON"}
ORG_LABELS = {"ORG", "NORP", "GPE"}
UNITS = {"percentage": "percent", "percentage point": "pp", "basis point": "bp"}


def shared_dir(settings: Settings) -> Path:
    """NEWSCLAIMS_SHARED_DIR when set, else ../shared next to the repository."""
    if "shared_dir" in settings.model_fields_set:
        return settings.shared_dir
    return REPO.parent / "shared"


def speaker_of(tokens: list[Token], doc: Doc) -> tuple[str | None, str | None]:
    """(speaker, org) for textacy's speaker tokens: the entity around their last token."""
    head = tokens[-1]
    if head.ent_iob_ != "O":
        entity = next(e for e in doc.ents if e.start <= head.i < e.end)
        if entity.label_ in PERSON_LABELS:
            return entity.text, None
        if entity.label_ in ORG_LABELS:
            return None, entity.text
    text = " ".join(t.text for t in tokens)
    if text.lower() in PRONOUNS:
        return None, None
    return text, None


def quote_row(content: Span, speaker: list[Token], cue: list[Token]) -> dict[str, Any]:
    """One contract quote from a textacy triple; the text is the content inside the marks."""
    inner = content[1:-1]
    who, org = speaker_of(speaker, content.doc)
    return {
        "text": inner.text,
        "start": inner.start_char,
        "end": inner.end_char,
        "speaker": who,
        "role": None,
        "org": org,
        "cue": " ".join(t.text for t in cue),
    }


def quotes_of(doc: Doc) -> tuple[list[dict[str, Any]], bool]:
    """textacy's direct quotations as contract rows, and whether textacy bailed out."""
    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # an odd number of quote marks: textacy gives up on the whole text
        return [], True
    return [quote_row(t.content, t.speaker, t.cue) for t in triples], False


def unit_of(quantity: Any) -> str:
    """The contract unit for a quantulum Quantity."""
    unit = quantity.unit
    if unit.entity.name == "currency" and getattr(unit, "currency_code", None):
        return str(unit.currency_code).lower()
    if unit.name in UNITS:
        return UNITS[unit.name]
    if unit.name == "dimensionless":
        return "count"
    return str(unit.name)


def figures_of(text: str, *, classifier_path: str | None) -> list[dict[str, Any]]:
    """quantulum's quantities as contract figures."""
    rows = []
    for q in quantulum.parse(text, classifier_path=classifier_path):
        start, end = q.span
        value, low, high = q.value, None, None
        if q.uncertainty:  # quantulum reads "10-20%" as 15 +- 5
            value, low, high = None, q.value - q.uncertainty, q.value + q.uncertainty
        rows.append(
            {
                "text": text[start:end],
                "start": start,
                "end": end,
                "value": value,
                "unit": unit_of(q),
                "low": low,
                "high": high,
                "approx": False,
            }
        )
    return rows


def prepare_classifier(mode: str, folder: Path) -> str | None:
    """Retrain quantulum's classifier into ``folder`` (returns its path) or switch it off."""
    if mode == "off":
        quantulum_classifier.USE_CLF = False
        return None
    path = folder / "clf.joblib"
    quantulum_classifier.train_classifier(store=True, output_path=str(path), n_jobs=1)
    return str(path)


def predict(corpus: Path, out: Path, *, nlp: Language, classifier_path: str | None) -> int:
    """Write one prediction file per article; returns how many texts textacy refused."""
    settings = Settings()
    out.mkdir(parents=True, exist_ok=True)
    refused = 0
    paths = sorted(p for p in corpus.glob("*.json") if not p.name.endswith(".gold.json"))
    for path in paths:
        text = read_article(path, max_bytes=settings.max_article_bytes).text
        quotes, bailed = quotes_of(nlp(text))
        refused += bailed
        prediction = {
            "tickers": [],
            "figures": figures_of(text, classifier_path=classifier_path),
            "quotes": quotes,
            "claims": [],
        }
        (out / path.name).write_text(json.dumps(prediction, ensure_ascii=False), encoding="utf-8")
    return refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="gold corpus (default: shared corpus/dev)")
    parser.add_argument("--out", type=Path, default=Path(".newsclaims/baselines"))
    parser.add_argument("--classifier", choices=("retrain", "off"), default="retrain")
    args = parser.parse_args()

    settings = Settings()
    shared = shared_dir(settings)
    corpus = args.corpus or shared / "corpus" / "dev"
    nlp = spacy.load(settings.model)  # the full trained pipeline: textacy reads lemmas
    with tempfile.TemporaryDirectory(prefix="quantulum-") as folder:
        classifier_path = prepare_classifier(args.classifier, Path(folder))
        refused = predict(corpus, args.out, nlp=nlp, classifier_path=classifier_path)
    print(f"corpus {corpus}; predictions in {args.out}; quantulum classifier {args.classifier}")
    print(f"textacy refused {refused} texts (odd number of quote marks)")
    scorer = shared / "eval" / "score.py"
    argv = [sys.executable, str(scorer), "--corpus", str(corpus), "--pred", str(args.out)]
    subprocess.run(argv, check=False)


if __name__ == "__main__":
    main()
