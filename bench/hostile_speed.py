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


# Each shape but "brackets" is its unit repeated to the size; "brackets" nests: ((( ... ))).
UNITS = {
    "quotations": 'He said "stocks rose a lot" and ',
    "short quotations": '"a b" ',
    "quote marks": '"',
    "spaced quote marks": "\u201c \u2019 ",
    "punctuation run": "!",
    "punctuation runs of 999": "!" * 999 + " ",
    "spaced brackets": "( [ { ",
    "100k numbers": "1.5% 2,300 $4.2 billion ",
    "one line": "Apple (AAPL) rose 3% on Tuesday, analysts said ",
    "tickers": "AAPL MSFT $NVDA (NYSE: IBM) ",
    "letters": "a",
}
SHAPES = [*UNITS, "brackets"]


def shaped(name: str, size: int) -> str:
    """The pathological text ``name`` of ``size`` characters."""
    if name == "brackets":
        return "(" * (size // 2) + ")" * (size // 2)
    return _cut(UNITS[name], size)


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


def timed(run: Callable[..., object], *args: object, **kwargs: object) -> tuple[float, object]:
    """Seconds of ``run(*args, **kwargs)``, and what it returned."""
    start = time.perf_counter()
    out = run(*args, **kwargs)
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1 << 20, help="characters of each text")
    parser.add_argument("--only", nargs="*", help="shapes to run (default: all)")
    args = parser.parse_args()

    for n in (6_000, 12_000, 24_000, 48_000, 96_000):  # '<a ' * 6,000 is the 18 KB case
        seconds, _ = timed(html_fragment_to_text, "<a " * n)
        print(f"html '<a ' * {n:<6} {3 * n / 1000:6.0f} KB  {seconds:8.4f} s", flush=True)

    lexicon = instruments.load_lexicon(Path(tempfile.mkdtemp()))
    nlp = build_nlp(lexicon, calendar=NyseCalendar())
    extract("Warm-up: Apple rose 3%.", nlp=nlp)
    base, out = timed(extract, normal_article(args.size), nlp=nlp)
    print(f"{'normal article':26s} {base:8.2f} s  1.00x  {_counts(out)}", flush=True)
    for name in SHAPES:
        if args.only and name not in args.only:
            continue
        seconds, out = timed(extract, shaped(name, args.size), nlp=nlp)
        ratio = seconds / base
        flag = "" if ratio <= GOAL_RATIO else f"  over the {GOAL_RATIO:.0f}x goal"
        print(f"{name:26s} {seconds:8.2f} s  {ratio:4.2f}x  {_counts(out)}{flag}", flush=True)


def _counts(out: object) -> str:
    return " ".join(
        f"{k}={len(getattr(out, k))}" for k in ("tickers", "figures", "quotes", "claims")
    )


if __name__ == "__main__":
    main()
