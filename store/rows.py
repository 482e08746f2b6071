"""Contract objects to table rows and back: a Claim's column values, a stored claim as the
extractor's Claim again, and a Check's column values. Every place that writes a claim or copies a
check onto a row (store, recheck, review corrections) goes through here, so no column is missed.

Each claim and check row also keeps its GET /v1/claims JSON (``page_json``, read by
store/claim_pages.py), written here from the contract's own ``to_dict()`` in the same transaction
as the row: the claim's fields after its id (the page query puts the id first), the check's
fields with its review status. A row changed through the ORM gets its JSON again from
``claim_json``/``check_json``.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from datetime import datetime
from typing import Any

from checker import Check
from extractor.types import Basis, Claim
from store.tables import CheckRow, ClaimRow

# Claim fields kept in a column of the same name; offsets and basis are stored their own way.
COLUMNS = tuple(f.name for f in fields(Claim) if f.name not in ("offsets", "basis"))


def claim_values(article_id: int, position: int, claim: Claim) -> dict[str, Any]:
    """The claims-table columns of one extracted claim."""
    return (
        {"article_id": article_id, "position": position}
        | {name: getattr(claim, name) for name in COLUMNS}
        | {
            "offset_start": claim.offsets[0],
            "offset_end": claim.offsets[1],
            "basis": claim.basis.to_dict(),
            "page_json": _dumps({"article_id": article_id} | claim.to_dict()),
        }
    )


def claim_json(row: ClaimRow) -> str:
    """The stored claim's fields as GET /v1/claims serves them, its id left to the page query
    (a claim stored before bases were kept has a null ``basis``)."""
    fields = {"article_id": row.article_id} | to_claim(row).to_dict()
    return _dumps(fields | ({} if row.basis else {"basis": None}))


def to_claim(row: ClaimRow) -> Claim:
    """A stored claim as the extractor handed it over (no basis stored: read as stated).

    The row's text columns hold what the extractor's Literal vocabularies allowed when it was
    written; they are taken as they are, not checked again.
    """
    values: dict[str, Any] = {name: getattr(row, name) for name in COLUMNS}
    offsets = (row.offset_start, row.offset_end)
    return Claim(**values, offsets=offsets, basis=Basis.from_dict(row.basis))


def check_values(check: Check) -> dict[str, Any]:
    """The checks-table columns a Check sets: its contract fields and the queue's ``excess``."""
    excess = check.evidence.excess
    fields = check.to_dict()
    return fields | {
        "excess": None if excess is None else float(excess),
        "page_json": _dumps(fields | {"review_status": None}),
    }


def check_json(row: CheckRow) -> str:
    """The stored check's fields as GET /v1/claims serves them, its review status last."""
    fields = {name: getattr(row, name) for name in CHECK_FIELDS}
    return _dumps(fields | {"review_status": row.review_status})


def copy_check(row: CheckRow, check: Check, *, now: datetime) -> None:
    """Write a new check's values onto a stored check row, checked ``now``."""
    for name, value in check_values(check).items():
        setattr(row, name, value)
    row.checked_at = now
    row.page_json = check_json(row)  # keeps the row's review status


# A check's contract fields, in the order Check.to_dict() gives them.
CHECK_FIELDS = tuple(Check(None).to_dict())


def _dumps(fields: dict[str, Any]) -> str:
    """Compact JSON; a non-finite number, which JSON has not, as null (as pydantic writes it)."""
    finite = {
        name: None if isinstance(value, float) and not math.isfinite(value) else value
        for name, value in fields.items()
    }
    return json.dumps(finite, ensure_ascii=False, separators=(",", ":"), default=str)
