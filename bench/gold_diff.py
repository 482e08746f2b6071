"""List where the extractor's claims differ from the hand-made wild gold, class by class.

    uv run python bench/gold_diff.py [--gold bench/gold/wild] [--only CLASS]

Scores the gold in --gold as bench/score_gold.py does (``newsclaims evaluate`` in-process, the
imported SEC list, ../shared/marketdata), keeps the predictions, and pairs predicted and gold
claims with the scorer's own ``greedy_pairs`` and ``claim_score``. Then it prints, per article:

- ``period``: a pair whose start/end differ (what the scorer's period accuracy counts);
- ``verdict``: a pair whose verdicts differ;
- ``missed``: a gold claim no prediction pairs with, with the nearest prediction of the same number
  and the fields in which it differs (subject, metric, kind);
- ``extra``: a predicted claim no gold pairs with, with the nearest gold claim of the same number;
- ``ticker+`` / ``ticker-``: a symbol found that the gold does not hold, and one it missed;
- ``speaker``: a quote found whose speaker or organisation differs from the gold's (the scorer's
  ``attributed_quotes``); ``quote-`` / ``quote+``: a gold quote not found, a quote not in the gold.

(each a CLASS for --only) and a count of each class at the end, to say which class of misreading
costs the most.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections import Counter
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from eval_gate import evaluate, shared_dir
from score_gold import GOLD, SUFFIX, link_corpus

Claim = dict[str, Any]
FIELDS = ("subject", "metric", "kind")
CLASSES = [
    "period",
    "verdict",
    "missed",
    "extra",
    "ticker+",
    "ticker-",
    "speaker",
    "quote-",
    "quote+",
]


def load_scorer() -> ModuleType:
    """../shared/eval/score.py as a module (its pairing is what the reported numbers use)."""
    path = shared_dir() / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("score", path)
    if spec is None or spec.loader is None:
        sys.exit(f"no scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["score"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def describe(c: Claim) -> str:
    value = c.get("value") if c.get("value") is not None else (c.get("low"), c.get("high"))
    period = f"{c.get('start')}..{c.get('end')}"
    what = f"{c.get('subject')} {c.get('metric')} {value}"
    return f"{what} {period} {c.get('kind')} -> {c.get('verdict')}"


def differences(claim: Claim, other: Claim) -> int:
    """How many of the compared fields two claims differ in."""
    return sum(other.get(f) != claim.get(f) for f in FIELDS)


def nearest(claim: Claim, others: list[Claim], scorer: ModuleType) -> str:
    """The other side's claim with the same number, and the fields it differs in."""
    same = [o for o in others if scorer.same_number(o.get("value"), claim.get("value"))]
    if not same:
        return "no claim with this number"
    best = min(same, key=partial(differences, claim))
    fields = [
        f for f in FIELDS if str(best.get(f) or "").upper() != str(claim.get(f) or "").upper()
    ]
    return f"nearest differs in {','.join(fields) or 'pairing only'}: {describe(best)}"


def diff_article(
    pred: dict[str, Any], gold: dict[str, Any], scorer: ModuleType
) -> list[tuple[str, str]]:
    """(class, line) for each difference between one article's predicted and gold claims."""
    found: list[tuple[str, str]] = []
    pt = {str(t.get("symbol", "")).upper() for t in pred.get("tickers", []) if t.get("symbol")}
    gt = {str(t).upper() for t in gold.get("tickers", [])}
    found += [("ticker+", f"{s} named but not in the gold") for s in sorted(pt - gt)]
    found += [("ticker-", f"{s} in the gold, not found") for s in sorted(gt - pt)]
    pc = [c for c in pred.get("claims", []) if c.get("metric") in scorer.CHECKED_METRICS]
    gc = gold.get("claims", [])
    pairs = scorer.greedy_pairs(pc, gc, scorer.claim_score)
    for i, j in pairs:
        p, g = pc[i], gc[j]
        if (p.get("start"), p.get("end")) != (g.get("start"), g.get("end")):
            found.append(("period", f"gold {describe(g)} | pred {describe(p)} | {g.get('text')}"))
        if g.get("verdict") and p.get("verdict") != g["verdict"]:
            found.append(("verdict", f"gold {describe(g)} | pred {describe(p)} | {g.get('text')}"))
    paired_p, paired_g = {i for i, _ in pairs}, {j for _, j in pairs}
    for j, g in enumerate(gc):
        if j not in paired_g:
            found.append(("missed", f"{describe(g)} | {g.get('text')} | {nearest(g, pc, scorer)}"))
    for i, p in enumerate(pc):
        if i not in paired_p:
            found.append(("extra", f"{describe(p)} | {nearest(p, gc, scorer)}"))
    return found + diff_quotes(pred.get("quotes", []), gold.get("quotes", []), scorer)


def who(quote: dict[str, Any]) -> str:
    return f"{quote.get('speaker')} / {quote.get('org')}"


def diff_quotes(
    pq: list[dict[str, Any]], gq: list[dict[str, Any]], scorer: ModuleType
) -> list[tuple[str, str]]:
    """(class, line) for each quote paired with the wrong speaker, and each quote not paired."""

    def overlap(p: dict[str, Any], g: dict[str, Any]) -> float:
        o: float = scorer.quote_overlap(p.get("text", ""), g.get("text", ""))
        return o if o >= 0.8 else 0.0

    pairs = scorer.greedy_pairs(pq, gq, overlap)
    found: list[tuple[str, str]] = []
    for i, j in pairs:
        p, g = pq[i], gq[j]
        if g.get("speaker"):
            ok = scorer.same_person(p.get("speaker"), g["speaker"])
        elif g.get("org"):
            ok = scorer.same_org(p.get("org") or p.get("speaker"), g["org"])
        else:
            ok = not p.get("speaker") and not p.get("org")
        if not ok:
            found.append(("speaker", f"gold {who(g)} | pred {who(p)} | {g['text'][:70]}"))
    paired_p, paired_g = {i for i, _ in pairs}, {j for _, j in pairs}
    found += [
        ("quote-", f"{who(g)} | {g['text'][:70]}") for j, g in enumerate(gq) if j not in paired_g
    ]
    found += [
        ("quote+", f"{who(p)} | {p['text'][:70]}") for i, p in enumerate(pq) if i not in paired_p
    ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of <id>.gold.json files")
    parser.add_argument("--only", choices=CLASSES, default=None, help="print one class only")
    args = parser.parse_args()
    scorer = load_scorer()
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "pred"
        corpus.mkdir()
        link_corpus(args.gold, shared_dir() / "corpus" / "wild", corpus)
        done = evaluate(corpus, "--json", out=out)
        if done.returncode not in (0, 1):
            print(done.stderr[-2000:], file=sys.stderr)
            return 1
        for gold_path in sorted(corpus.glob(f"*{SUFFIX}")):
            article_id = gold_path.name.removesuffix(SUFFIX)
            pred = json.loads((out / f"{article_id}.json").read_text(encoding="utf-8"))
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            for kind, line in diff_article(pred, gold, scorer):
                counts[kind] += 1
                if args.only in (None, kind):
                    print(f"{article_id} {kind:<8}{line}")
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
