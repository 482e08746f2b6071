"""Fill in the verdict of each claim in hand-made gold files, from ../shared/marketdata.

    uv run python bench/gold_verdicts.py bench/gold/wild/w003.gold.json [...]

The annotator decides the reading (subject, metric, value, start, end, session, kind); this script
only does the arithmetic of design.md "Checking rules" with the project's checker on that reading,
and writes ``verdict`` (null for hypothetical claims) and an ``_audit`` with the dates and computed
values, as ../shared/corpus/dev's gold has. Read the printed line of every claim before keeping it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from checker import check_claim
from checker.calendar import NyseCalendar
from extractor.types import Claim
from marketdata.providers.csv import load_prices_dir

REPO = Path(__file__).resolve().parents[1]


def main(paths: list[str]) -> int:
    shared = Path(os.environ.get("NEWSCLAIMS_SHARED_DIR", REPO.parent / "shared"))
    prices = load_prices_dir(shared / "marketdata")
    calendar = NyseCalendar()
    for name in paths:
        path = Path(name)
        gold = json.loads(path.read_text())
        for claim in gold.get("claims", []):
            check = check_claim(Claim.from_dict(claim), prices, calendar)
            claim["verdict"] = check.verdict
            evidence = check.evidence.to_dict()
            claim["_audit"] = {
                "start": evidence.get("start"),
                "end": evidence.get("end"),
                "computed": evidence.get("computed", check.computed),
                "reason": check.reason,
            }
            print(
                f"{path.stem} {claim['subject']:<7} {claim['metric']:<13} "
                f"{claim.get('value')!s:>9} {claim.get('start')}..{claim.get('end')} "
                f"{claim.get('session') or '-':<9} -> {check.verdict} {check.reason or ''} "
                f"{check.computed}"
            )
        path.write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
