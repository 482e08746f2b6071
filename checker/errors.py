"""Errors the checker raises. A claim the data cannot decide is a verdict, never an exception.

Hierarchy::

    CheckerError            code "checker_error"    base of every checker error

Market data that cannot be read raises ``marketdata.errors.PriceDataError``.
"""

from __future__ import annotations


class CheckerError(Exception):
    """Base class of every error the checker package raises."""

    code = "checker_error"
