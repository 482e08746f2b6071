"""Errors of the review package; api/errors.py maps each to its HTTP status.

ReviewError
 ├── ClaimNotFound     no such claim (or a claim without its article): 404
 └── DecisionRefused   not a discrepancy, an unknown decision, or a correction the claim
                       cannot take (no fields, or fields that cannot be corrected): 409
"""

from __future__ import annotations


class ReviewError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "review_error"


class ClaimNotFound(ReviewError):
    """The claim does not exist."""

    code = "not_found"


class DecisionRefused(ReviewError):
    """The decision cannot be recorded on this claim; the message says why."""

    code = "conflict"
