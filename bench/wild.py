"""Extract and check every article of ../shared/corpus/wild: false flags, coverage, mutation recall.

    uv run python bench/wild.py [--jobs 2] [--sample 20] [--mutants 150] [--limit N] [--json]
        [--out wild.jsonl]

The wild corpus has no gold (../shared/corpus/README.md, "wild/"), so this measures what needs none,
over historical claims: false-flag rate = contradicted / decided (supported + contradicted), since
wire copy is nearly always right; coverage = decided / found (coverage_with_data leaves out claims
whose symbol or days the data lacks); mutation recall = the share of
supported claims that come out contradicted on a copy of their article whose figure was rewritten
far outside the tolerance. The lexicon is the built-in reference plus the SEC list imported into a
temporary data dir, as bench/eval_gate.py does; prices are ../shared/marketdata. Prints numbers,
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from eval_gate import shared_dir
from spacy.language import Language

from checker import PriceSource, check_claim, checked_claim
from checker.calendar import NyseCalendar
from corpus import instruments
from corpus.sources.files import read_article
from extractor import extract_many
from runtime.root import Root
from runtime.settings import Settings

Claims = list[dict[str, Any]]
Article = tuple[str, date | None]  # text, published
Item = tuple[str, str, date | None]  # key, text, published
Engine = tuple[Language, PriceSource, NyseCalendar]  # built in the parent, shared by fork

SEED = 20250207  # any fixed seed: the same mutants and flag sample on every run
PER_ARTICLE = 3  # at most this many mutated copies of one article
CHUNK = 8  # articles handed to a worker at a time: small enough to balance long articles
# A mutated magnitude moves this far beyond both the claim and every value the evidence could
# support (closes, day range, dividend window): max(floor, rel * |value|). Design.md's tolerances
# are returns max(0.25 pp, 3 %), hedged max(0.5 pp, 10 %); changes max(0.5, 2 %); levels 1 %.
SHIFT_FLOOR = {"price_return": 3.0, "price_change": 5.0, "price_level": 0.0}
SHIFT_REL = {"price_return": 0.5, "price_change": 0.4, "price_level": 0.08}
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
SCALES = (1.0, 1e3, 1e6, 1e9, 1e12)  # "$3.3 billion" is written 3.3, valued 3.3e9
# With only adjusted closes a price return may trail the total return by 4 % a year (design.md).
DIVIDEND_PCT_PER_YEAR = 4.0
EXAMPLES = 8  # missed mutants printed


@dataclass(frozen=True, slots=True)
class Mutant:
    """A copy of an article with one supported claim's number rewritten."""

    key: str  # article id @ the number's first character
    article: str
    claim: dict[str, Any]
    text: str
    span: tuple[int, int]  # the new number's characters in ``text``
    old: str
    new: str


_ENGINE: list[Engine] = []  # filled before the pool forks


def build_engine(shared: Path, model: str) -> Engine:
    """Pipeline with the built-in reference plus the imported SEC list, prices, NYSE calendar."""
    with tempfile.TemporaryDirectory() as tmp:
        instruments.import_file(shared / "reference" / "company_tickers_exchange.json", Path(tmp))
        settings = Settings(data_dir=Path(tmp), model=model, prices_dir=shared / "marketdata")
        root = Root(settings)
        return root.nlp, root.prices, root.calendar


def run_chunk(items: list[Item]) -> list[tuple[str, Claims]]:
    """Extract and check a few articles: each key with its checked claims."""
    nlp, prices, calendar = _ENGINE[0]
    pairs = ((text, published) for _, text, published in items)
    extractions = extract_many(pairs, nlp=nlp, batch_size=len(items))
    out = []
    for (key, _, _), extraction in zip(items, extractions, strict=True):
        checks = [(c, check_claim(c, prices, calendar)) for c in extraction.claims]
        out.append((key, [checked_claim(c, check) for c, check in checks]))
    return out


def run_all(items: list[Item], jobs: int) -> dict[str, Claims]:
    """Checked claims by key, over ``jobs`` forked processes."""
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    if jobs <= 1:
        done = [run_chunk(chunk) for chunk in chunks]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = pool.map(run_chunk, chunks, chunksize=1)
    return {key: claims for chunk in done for key, claims in chunk}


def ratio(part: int, whole: int) -> float | None:
    """part / whole to 4 decimals; None for an empty whole."""
    return round(part / whole, 4) if whole else None


def summarize(results: dict[str, Claims]) -> dict[str, Any]:
    """Counts by kind and verdict, reasons, and the false-flag rate and coverage."""
    claims = [c for claims in results.values() for c in claims]
    historical = [c for c in claims if c["kind"] == "historical"]
    verdicts = Counter(c["verdict"] for c in historical)
    decided = verdicts["supported"] + verdicts["contradicted"]
    unverifiable = [c for c in claims if c["verdict"] == "unverifiable"]
    # Claims on a symbol or day the market data lacks (^IXIC, foreign indices) are no reading's
    # fault: coverage_with_data leaves them out of the denominator.
    with_data = [c for c in historical if c["reason"] != "no_data"]
    return {
        "claims": len(claims),
        "by_kind_verdict": dict(Counter(f"{c['kind']}/{c['verdict']}" for c in claims)),
        "by_metric": dict(Counter(c["metric"] for c in historical)),
        "unverifiable_reasons": dict(Counter(f"{c['kind']}/{c['reason']}" for c in unverifiable)),
        "historical": len(historical),
        "decided": decided,
        "contradicted": verdicts["contradicted"],
        "false_flag_rate": ratio(verdicts["contradicted"], decided),
        "coverage": ratio(decided, len(historical)),
        "coverage_with_data": ratio(decided, len(with_data)),
        "supported_share": ratio(verdicts["supported"], len(historical)),
    }


def mutable(claim: dict[str, Any]) -> bool:
    """A supported historical claim with one plain number that a bigger number contradicts."""
    return (
        claim["kind"] == "historical"
        and claim["verdict"] == "supported"
        and claim["value"] is not None
        and claim.get("low") is None
        and claim.get("high") is None
        and claim["metric"] in SHIFT_REL
        and claim.get("bound") != "at_most"  # a bigger "less than" number stays supported
    )


def reachable(claim: dict[str, Any]) -> list[float]:
    """Every value the claim's evidence could support: closes, day range, dividend window, bar."""
    evidence = claim.get("evidence") or {}
    computed = evidence.get("computed")
    points = list(computed.values()) if isinstance(computed, dict) else []
    if isinstance(computed, dict) and "close" not in computed and claim.get("start"):
        days = (date.fromisoformat(claim["end"]) - date.fromisoformat(claim["start"])).days
        points += [p - DIVIDEND_PCT_PER_YEAR * days / 365.25 for p in points]
    points += evidence.get("day_range") or []
    bar = (evidence.get("prices") or {}).get("end") or {}
    if claim["metric"] == "price_level":
        points += [bar.get(k) for k in ("close", "low", "high")]
    points.append(claim.get("computed"))
    return [float(p) for p in points if isinstance(p, (int, float))]


def target_magnitude(claim: dict[str, Any]) -> float:
    """A magnitude past the claim and all its evidence reaches, in the claim's direction."""
    value = float(claim["value"])
    sign = 1.0 if value >= 0 else -1.0
    shift = max(SHIFT_FLOOR[claim["metric"]], SHIFT_REL[claim["metric"]] * abs(value))
    return max([abs(value)] + [sign * p for p in reachable(claim)]) + shift


def written_like(magnitude: float, like: str) -> str:
    """``magnitude`` rounded up to ``like``'s decimals, with thousands commas where it used them."""
    decimals = len(like.partition(".")[2])
    step = 10**decimals
    rounded = math.ceil(round(magnitude * step, 6)) / step
    comma = "," in like or (len(like.partition(".")[0]) <= 3 and rounded >= 1000)
    return f"{rounded:,.{decimals}f}" if comma else f"{rounded:.{decimals}f}"


def mutate(article: str, text: str, claim: dict[str, Any]) -> Mutant | None:
    """The article with the claim's one written number moved; None when it has no such number."""
    start, end = claim["offsets"]
    found = list(NUMBER.finditer(text, start, end))
    if len(found) != 1:
        return None
    match = found[0]
    written = float(match.group().replace(",", ""))
    magnitude = abs(float(claim["value"]))
    scales = [s for s in SCALES if written and math.isclose(written * s, magnitude, rel_tol=1e-6)]
    if not scales:
        return None
    new = written_like(target_magnitude(claim) / scales[0], match.group())
    a, b = match.span()
    mutated = text[:a] + new + text[b:]
    return Mutant(f"{article}@{a}", article, claim, mutated, (a, a + len(new)), match.group(), new)


def pick(mutants: list[Mutant], count: int, rng: random.Random) -> list[Mutant]:
    """A seeded sample spread over articles: one per article per round, ``PER_ARTICLE`` rounds."""
    groups: dict[str, list[Mutant]] = defaultdict(list)
    for mutant in mutants:
        groups[mutant.article].append(mutant)
    order = list(groups.values())
    rng.shuffle(order)
    for group in order:
        rng.shuffle(group)
    rounds = [g[r] for r in range(PER_ARTICLE) for g in order if r < len(g)]
    return rounds[:count]


def find(claims: Claims, mutant: Mutant) -> dict[str, Any] | None:
    """The claim read from the mutated number: same subject and metric first, else any on it."""
    a, b = mutant.span
    hits = [c for c in claims if c["offsets"][0] < b and a < c["offsets"][1]]
    key = (mutant.claim["subject"], mutant.claim["metric"])
    same = [c for c in hits if (c["subject"], c["metric"]) == key]
    return next(iter(same or hits), None)


def reread(mutants: list[Mutant], after: dict[str, Claims]) -> Claims:
    """Per mutant: the article, the number before and after, the claim before and as read back."""
    return [
        {"article": m.article, "old": m.old, "new": m.new, "before": m.claim}
        | {"after": find(after[m.key], m)}
        for m in mutants
    ]


def score_mutants(records: Claims) -> dict[str, Any]:
    """Recall and outcome counts of the mutated copies ("lost": no claim on the new number)."""
    outcomes = Counter(
        "lost" if r["after"] is None else str(r["after"]["verdict"]) for r in records
    )
    return {
        "mutated": len(records),
        "mutated_articles": len({r["article"] for r in records}),
        "mutation_recall": ratio(outcomes["contradicted"], len(records)),
        "mutation_outcomes": dict(outcomes),
    }


def describe(claim: dict[str, Any]) -> str:
    """subject, metric, value, computed, period, session and verdict on one line."""
    value = claim["value"] if claim["value"] is not None else f"{claim['low']}..{claim['high']}"
    reason = f" ({claim['reason']})" if claim.get("reason") else ""
    return (
        f"{claim['subject']} {claim['metric']} {value} computed {claim['computed']} "
        f"{claim['start']}..{claim['end']} {claim.get('session') or '-'} -> {claim['verdict']}"
        f"{reason} @{claim['offsets']}"
    )


def print_report(numbers: dict[str, Any], misses: Claims, flags: Claims) -> None:
    """The numbers, then the missed mutants and the sampled flags with their sentences."""
    for name, value in numbers.items():
        if not isinstance(value, dict):
            print(f"{name:<24}{value}")
    for name in ("by_kind_verdict", "by_metric", "unverifiable_reasons", "mutation_outcomes"):
        print(f"{name}:")
        print("".join(f"  {k:<34}{n:>6}\n" for k, n in sorted(numbers[name].items())), end="")
    print(f"\nmutants not contradicted ({min(EXAMPLES, len(misses))} of {len(misses)}):")
    for miss in misses[:EXAMPLES]:
        after = miss["after"]
        print(f"  {miss['article']} {miss['old']} -> {miss['new']}: {describe(miss['before'])}")
        print(f"      now: {describe(after) if after else 'no claim on the new number'}")
        print(f"      {(after or miss['before'])['text']!r}")
    print(f"\ncontradicted claims, sample of {len(flags)}:")
    for flag in flags:
        print(f"  {flag['article']} {describe(flag['claim'])}\n      {flag['claim']['text']!r}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--sample", type=int, default=20, help="contradicted claims to print")
    parser.add_argument("--mutants", type=int, default=150, help="mutated copies to check")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    parser.add_argument("--out", type=Path, default=None, help="write per-claim JSON lines here")
    return parser.parse_args()


def cpu_seconds() -> float:
    """User and system CPU of this process and its finished workers."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def timed_run(items: list[Item], jobs: int, name: str) -> tuple[dict[str, Claims], dict[str, Any]]:
    """``run_all`` with its wall and CPU seconds (the machine may be shared: CPU drifts less)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    results = run_all(items, jobs)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return results, {f"{name}_seconds": round(wall, 1), f"{name}_cpu_seconds": round(cpu, 1)}


def make_mutants(
    articles: dict[str, Article], results: dict[str, Claims], count: int
) -> tuple[list[Mutant], dict[str, int]]:
    """The seeded sample of mutated copies, and how many claims could be mutated."""
    pairs = [(k, c) for k, claims in results.items() for c in claims if mutable(c)]
    built = [mutate(k, articles[k][0], c) for k, c in pairs]
    unique = {m.key: m for m in built if m is not None}
    mutants = pick(list(unique.values()), count, random.Random(SEED))
    return mutants, {"mutation_candidates": len(pairs), "mutable": len(unique)}


def main() -> int:
    args = parse_args()
    settings, shared, clock = Settings(), shared_dir(), time.perf_counter()
    paths = sorted((shared / "corpus" / "wild").glob("*.json"))[: args.limit]
    loaded = {p.stem: read_article(p, max_bytes=settings.max_article_bytes) for p in paths}
    articles = {k: (a.text, a.dated) for k, a in loaded.items()}
    _ENGINE.append(build_engine(shared, settings.model))
    words = sum(len(text.split()) for text, _ in articles.values())
    numbers: dict[str, Any] = {"articles": len(articles), "words": words, "jobs": args.jobs}
    numbers["setup_seconds"] = round(time.perf_counter() - clock, 1)
    results, timing = timed_run([(k, *a) for k, a in articles.items()], args.jobs, "run")
    numbers |= timing | {"words_per_second": round(words / timing["run_seconds"])}
    numbers |= {"words_per_cpu_second": round(words / timing["run_cpu_seconds"])}
    numbers |= summarize(results)
    mutants, counts = make_mutants(articles, results, args.mutants)
    items = [(m.key, m.text, articles[m.article][1]) for m in mutants]
    after, timing = timed_run(items, args.jobs, "mutation")
    records = reread(mutants, after)
    numbers |= counts | score_mutants(records) | timing
    claims: Claims = [{"article": k, "claim": c} for k, cs in results.items() for c in cs]
    if args.out:  # each checked claim, then each mutant with the claim read back
        lines = (json.dumps(line, ensure_ascii=False) + "\n" for line in claims + records)
        args.out.write_text("".join(lines), encoding="utf-8")
    if args.json:
        print(json.dumps(numbers))
        return 0
    misses = [r for r in records if r["after"] is None or r["after"]["verdict"] != "contradicted"]
    flagged = [c for c in claims if c["claim"]["verdict"] == "contradicted"]
    flags = random.Random(SEED).sample(flagged, min(args.sample, len(flagged)))
    print_report(numbers, misses, flags)
    return 0


if __name__ == "__main__":
    sys.exit(main())
