"""Accuracy gate: score the CLI over the gold corpus and fail when a figure drops below its floor.

    uv run python bench/eval_gate.py                 # score, compare with bench/baseline.json
    uv run python bench/eval_gate.py --update        # raise floors to today's scores (never lowers)
    uv run python bench/eval_gate.py --update --allow-regression   # lower them on purpose

Floors and a digest of the corpus they were measured on live in bench/baseline.json. The scorer is
../shared/eval/score.py, run on what `newsclaims evaluate` predicts in-process (extract + check).
The instrument reference is the built-in one plus the SEC company list, imported as a user would,
and prices come from ../shared/marketdata.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "bench" / "baseline.json"
# Floors are kept this far below the measured score, so that float noise in a rerun cannot fail CI.
MARGIN = 0.005
NOT_SCORES = {"seconds"}  # the scorer's wall time is no accuracy figure


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSCLAIMS_SHARED_DIR", REPO.parent / "shared")).resolve()


def corpus_digest(corpus: Path) -> str:
    """sha256 over the names and bytes of every article and gold file, in name order."""
    digest = hashlib.sha256()
    for path in sorted(corpus.glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def evaluate(
    corpus: Path, *flags: str, out: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `newsclaims evaluate FLAGS` with a fresh data dir holding the imported SEC list.

    The predictions go to ``out`` when given (kept), else into the temporary data dir."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "NEWSCLAIMS_DATA_DIR": tmp,
            "NEWSCLAIMS_SHARED_DIR": str(shared_dir()),
            "NEWSCLAIMS_PRICES_DIR": str(shared_dir() / "marketdata"),
        }
        sec = shared_dir() / "reference" / "company_tickers_exchange.json"
        newsclaims = [sys.executable, "-m", "cli.main"]
        subprocess.run(
            [*newsclaims, "instruments", "import", str(sec)],
            env=env,
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
        return subprocess.run(
            [
                *newsclaims,
                "evaluate",
                "--corpus",
                str(corpus),
                "--out",
                str(out or f"{tmp}/pred"),
                *flags,
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )


def score(corpus: Path) -> dict[str, float]:
    """Run `newsclaims evaluate --json` with a fresh data dir holding the imported SEC list."""
    done = evaluate(corpus, "--json")
    if not done.stdout.strip():
        sys.exit(f"evaluate failed: {done.stderr[-2000:]}")
    numbers = json.loads(done.stdout).items()
    return {k: v for k, v in numbers if isinstance(v, float) and k not in NOT_SCORES}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--update", action="store_true", help="raise floors to the current scores")
    parser.add_argument("--allow-regression", action="store_true", help="let --update lower floors")
    args = parser.parse_args()
    corpus = args.corpus or shared_dir() / "corpus" / "dev"
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {"floors": {}}
    scores = score(corpus)
    digest = corpus_digest(corpus)
    floors: dict[str, float] = baseline["floors"]
    short = [
        f"{k}={scores.get(k, 0.0):.3f} < {v:.3f}"
        for k, v in floors.items()
        if scores.get(k, 0.0) < v
    ]
    for name, value in sorted(scores.items()):
        floor = floors.get(name)
        print(f"{name:<24}{value:7.3f}   floor {floor if floor is not None else '-'}")
    if digest != baseline.get("corpus_digest"):
        print(
            f"note: corpus digest {digest[:12]} differs from the baseline's (floors set elsewhere)"
        )
    if args.update:
        if short and not args.allow_regression:
            print("refusing to lower floors: " + ", ".join(short) + " (use --allow-regression)")
            return 1
        new = {k: round(max(scores[k] - MARGIN, 0.0), 3) for k in floors or scores if k in scores}
        if not args.allow_regression:
            new = {k: max(v, floors.get(k, 0.0)) for k, v in new.items()}
        BASELINE.write_text(json.dumps({"corpus_digest": digest, "floors": new}, indent=2) + "\n")
        print(f"wrote {BASELINE}")
        return 0
    if short:
        print("below the floor: " + ", ".join(short))
        return 1
    print("eval gate: all floors met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
