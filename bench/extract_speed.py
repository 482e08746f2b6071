"""Words per second of the whole extractor next to the bare spaCy pipeline it is built on.

The dev corpus texts are repeated until there are at least --words words (whitespace-separated).
Each pass runs in a fresh process (so its peak RSS is its own): load the pipeline, warm it up on
one batch, time one pass over all texts. Modes alternate for --repeats rounds; the best pass counts.
- bare: ``extractor.pipeline.load_base()`` and ``nlp.pipe(texts)``, the trained components alone;
- extractor: ``build_nlp`` as ``runtime/root.py``'s ``Root.nlp`` builds it, and ``extract_many``
  (our components plus reading each Doc back into an Extraction).
The overhead is the extractor's extra time as a share of the bare pipeline's, by wall clock and by
CPU time (steadier when other work shares the cores); the goal is <= 25 %.
Prints numbers, asserts nothing.

    uv run python bench/extract_speed.py [--words 200000] [--batch-size 32] [--repeats 1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import cycle
from pathlib import Path

from corpus.sources.files import read_article
from extractor import extract_many
from extractor.pipeline import load_base
from runtime.root import Root
from runtime.settings import Settings

REPO = Path(__file__).resolve().parent.parent
GOAL_PERCENT = 25.0  # our components may add at most this much to the bare pipeline's time

Item = tuple[str, date | None]


@dataclass(frozen=True, slots=True)
class Run:
    """One timed pass of one mode."""

    mode: str
    load_seconds: float
    seconds: float  # wall clock
    cpu_seconds: float  # this process's CPU time: less moved by other work on a busy machine
    words: int
    peak_rss_mb: float

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds


def shared_dir(settings: Settings) -> Path:
    """NEWSCLAIMS_SHARED_DIR when set, else ../shared next to the repository."""
    if "shared_dir" in settings.model_fields_set:
        return settings.shared_dir
    return REPO.parent / "shared"


def load_items(corpus: Path, *, settings: Settings) -> list[Item]:
    """(text, published) of every article in the corpus, in id order."""
    paths = sorted(p for p in corpus.glob("*.json") if not p.name.endswith(".gold.json"))
    articles = [read_article(p, max_bytes=settings.max_article_bytes) for p in paths]
    return [(a.text, a.published) for a in articles]


def repeat_to(items: list[Item], *, words: int) -> list[Item]:
    """The items cycled until they hold at least ``words`` words."""
    out: list[Item] = []
    total = 0
    for item in cycle(items):
        if total >= words:
            break
        out.append(item)
        total += len(item[0].split())
    return out


def measure(mode: str, items: list[Item], batch_size: int) -> Run:
    """Load one mode's pipeline, warm it up on one batch, time one pass; runs in a child process."""
    settings = Settings()
    started = time.perf_counter()
    if mode == "bare":
        nlp = load_base(settings.model)
    else:
        nlp = Root(settings).nlp
    load_seconds = time.perf_counter() - started

    def one_pass(batch: list[Item]) -> None:
        if mode == "bare":
            for _ in nlp.pipe((text for text, _ in batch), batch_size=batch_size):
                pass
        else:
            for _ in extract_many(batch, nlp=nlp, batch_size=batch_size):
                pass

    one_pass(items[:batch_size])  # warm-up: first-call allocations and caches
    started, cpu_started = time.perf_counter(), time.process_time()
    one_pass(items)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    words = sum(len(text.split()) for text, _ in items)
    return Run(mode, load_seconds, seconds, cpu_seconds, words, peak_kb / 1024)


def in_child(mode: str, items: list[Item], batch_size: int) -> Run:
    """Run ``measure`` in a fresh process so that each mode's peak RSS is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure, mode, items, batch_size).result()


def row(label: str, run: Run) -> str:
    """One line of the table."""
    return (
        f"{label:<16}{run.load_seconds:8.2f}{run.seconds:9.2f}{run.cpu_seconds:9.2f}"
        f"{run.words_per_second:10,.0f}{run.peak_rss_mb:13.0f}"
    )


def overhead(full: float, bare: float) -> float:
    """The extractor's extra time in percent of the bare pipeline's."""
    return (full - bare) / bare * 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000, help="at least this many words")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size")
    parser.add_argument(
        "--repeats", type=int, default=1, help="rounds of both modes; the best counts"
    )
    parser.add_argument("--corpus", type=Path, help="article folder (default: shared corpus/dev)")
    args = parser.parse_args()

    settings = Settings()
    corpus = args.corpus or shared_dir(settings) / "corpus" / "dev"
    articles = load_items(corpus, settings=settings)
    if not articles:
        parser.error(f"no articles in {corpus} (set NEWSCLAIMS_SHARED_DIR or --corpus)")
    items = repeat_to(articles, words=args.words)
    words = sum(len(text.split()) for text, _ in items)
    print(f"corpus   {corpus} ({len(articles)} articles)")
    print(f"input    {len(items)} docs, {words:,} words; batch_size {args.batch_size}; ", end="")
    print(f"warm-up 1 batch; best of {args.repeats}; model {settings.model}", flush=True)

    print(f"{'pass':<16}{'load s':>8}{'wall s':>9}{'cpu s':>9}{'words/s':>10}{'peak RSS MB':>13}")
    best: dict[str, Run] = {}
    for n in range(1, args.repeats + 1):  # modes alternate, so a busy spell hits both alike
        for mode in ("bare", "extractor"):
            run = in_child(mode, items, args.batch_size)
            print(row(f"{mode} #{n}", run), flush=True)
            if mode not in best or run.seconds < best[mode].seconds:
                best[mode] = run
    bare, full = best["bare"], best["extractor"]
    print(f"best: {bare.words_per_second:,.0f} words/s bare, ", end="")
    print(f"{full.words_per_second:,.0f} words/s extractor")
    wall, cpu = overhead(full.seconds, bare.seconds), overhead(full.cpu_seconds, bare.cpu_seconds)
    print(f"overhead {wall:+.1f} % wall, {cpu:+.1f} % cpu of the bare pipeline's time", end="")
    print(f" (goal: <= {GOAL_PERCENT:.0f} %)")


if __name__ == "__main__":
    main()
