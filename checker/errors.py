"""Errors the checker raises. A claim the data cannot decide is a verdict, never an exception.

Hierarchy::

    CheckerError            code "checker_error"    base of every checker error
     └── PriceDataError     code "price_data"       market data cannot be read
          └── NoPriceFiles  code "no_price_files"   a folder holds no usable price file
"""

from __future__ import annotations


class CheckerError(Exception):
    """Base class of every error the checker package raises."""

    code = "checker_error"


class PriceDataError(CheckerError):
    """Market data cannot be read: a missing folder or an unreadable file."""

    code = "price_data"


class NoPriceFiles(PriceDataError):
    """A folder was given as market data but holds no usable price file."""

    code = "no_price_files"
