"""Score the hand-made gold in bench/gold/wild against the shared wild texts, as the eval gate does.

    uv run python bench/score_gold.py [--gold bench/gold/wild] [--verbose] [--json]

Each ``<id>.gold.json`` in --gold annotates ``../shared/corpus/wild/<id>.json``. The texts are not
copied into the repo: a temporary corpus folder gets a symlink to each text next to a symlink to
its gold, and bench/eval_gate.py's ``evaluate`` scores it (``newsclaims evaluate`` in-process, the
built-in reference plus the imported SEC list, ../shared/marketdata, ../shared/eval/score.py).
Prints the scorer's table (or its JSON) and exits with the scorer's status.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from eval_gate import REPO, evaluate, shared_dir

GOLD = REPO / "bench" / "gold" / "wild"
SUFFIX = ".gold.json"


def link_corpus(gold: Path, texts: Path, corpus: Path) -> list[str]:
    """Link each gold file and its article text into ``corpus``; the ids whose text is missing."""
    missing = []
    for path in sorted(gold.glob(f"*{SUFFIX}")):
        article_id = path.name.removesuffix(SUFFIX)
        text = texts / f"{article_id}.json"
        if not text.is_file():
            missing.append(article_id)
            continue
        (corpus / path.name).symlink_to(path.resolve())
        (corpus / text.name).symlink_to(text.resolve())
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of <id>.gold.json files")
    parser.add_argument("--verbose", action="store_true", help="list what each article missed")
    parser.add_argument("--json", action="store_true", help="print the scorer's numbers as JSON")
    args = parser.parse_args()
    texts = shared_dir() / "corpus" / "wild"
    with tempfile.TemporaryDirectory() as tmp:
        missing = link_corpus(args.gold, texts, Path(tmp))
        if missing:
            print(f"no text in {texts} for: {', '.join(missing)}", file=sys.stderr)
        articles = len(list(Path(tmp).glob(f"*{SUFFIX}")))
        if not articles:
            print(f"no gold files with a text in {args.gold}", file=sys.stderr)
            return 1
        if not args.json:
            print(f"{articles} gold articles from {args.gold}")
        flags = ["--verbose"] * args.verbose + ["--json"] * args.json
        done = evaluate(Path(tmp), *flags)
    print(done.stdout, end="")
    print(done.stderr, end="", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
