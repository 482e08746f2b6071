"""Extraction time of pathological 1 MB texts next to a normal 1 MB article (issue 10).

The normal article is the wild corpus's texts (NEWSCLAIMS_SHARED_DIR, else ../shared) joined with
blank lines up to --size characters. Each hostile shape is cut to the same size and extracted
through the whole pipeline (``build_nlp`` as ``runtime.Root`` builds it, then ``extract``); it
prints seconds, the ratio to the normal article (goal <= 3x) and what came out. Also times the
HTML fragment reader on '<a ' * n for doubling n. Prints numbers, asserts nothing.

    uv run python bench/hostile_speed.py [--size 1048576] [--only SHAPE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from checker.calendar import NyseCalendar
from corpus import instruments
from corpus.sources.files import html_fragment_to_text
from extractor import build_nlp, extract

REPO = Path(__file__).resolve().parent.parent
GOAL_RATIO = 3.0


def _cut(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "quotations": lambda n: _cut('He said "stocks rose a lot" and ', n),
    "short quotations": lambda n: _cut('"a b" ', n),
    "quote marks": lambda n: _cut('"', n),
    "spaced quote marks": lambda n: _cut("\u201c \u2019 ", n),
    "punctuation run": lambda n: "!" * n,
    "punctuation runs of 999": lambda n: _cut("!" * 999 + " ", n),
    "brackets": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "spaced brackets": lambda n: _cut("( [ { ", n),
    "100k numbers": lambda n: _cut("1.5% 2,300 $4.2 billion ", n),
    "one line": lambda n: _cut("Apple (AAPL) rose 3% on Tuesday, analysts said ", n),
    "tickers": lambda n: _cut("AAPL MSFT $NVDA (NYSE: IBM) ", n),
    "letters": lambda n: "a" * n,
}


def normal_article(size: int) -> str:
    """The wild corpus's texts joined until ``size`` characters."""
    shared = Path(os.environ.get("NEWSCLAIMS_SHARED_DIR", REPO.parent / "shared"))
    texts: list[str] = []
    total = 0
    for path in sorted((shared / "corpus" / "wild").glob("*.json")):
        text = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
        texts.append(text)
        total += len(text) + 2
        if total >= size:
            break
    return "\n\n".join(texts)[:size]


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = run()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1 << 20, help="characters of each text")
    parser.add_argument("--only", nargs="*", help="shapes to run (default: all)")
    args = parser.parse_args()

    for n in (6_000, 12_000, 24_000, 48_000, 96_000):  # '<a ' * 6,000 is the 18 KB case
        seconds, _ = timed(lambda n=n: html_fragment_to_text("<a " * n))
        print(f"html '<a ' * {n:<6} {3 * n / 1000:6.0f} KB  {seconds:8.4f} s", flush=True)

    lexicon = instruments.load_lexicon(Path(tempfile.mkdtemp()))
    nlp = build_nlp(lexicon, calendar=NyseCalendar())
    extract("Warm-up: Apple rose 3%.", nlp=nlp)
    base, out = timed(lambda: extract(normal_article(args.size), nlp=nlp))
    print(f"{'normal article':26s} {base:8.2f} s  1.00x  {_counts(out)}", flush=True)
    for name, build in SHAPES.items():
        if args.only and name not in args.only:
            continue
        text = build(args.size)
        seconds, out = timed(lambda text=text: extract(text, nlp=nlp))
        ratio = seconds / base
        flag = "" if ratio <= GOAL_RATIO else f"  over the {GOAL_RATIO:.0f}x goal"
        print(f"{name:26s} {seconds:8.2f} s  {ratio:4.2f}x  {_counts(out)}{flag}", flush=True)


def _counts(out: object) -> str:
    return " ".join(
        f"{k}={len(getattr(out, k))}" for k in ("tickers", "figures", "quotes", "claims")
    )


if __name__ == "__main__":
    main()
