"""Errors of the marketdata package.

Hierarchy::

    MarketDataError         code "market_data_error"  base of every marketdata error
     └── PriceDataError     code "price_data"         market data cannot be read
          └── NoPriceFiles  code "no_price_files"     a folder holds no usable price file
"""

from __future__ import annotations


class MarketDataError(Exception):
    """Base class of every error the marketdata package raises."""

    code = "market_data_error"


class PriceDataError(MarketDataError):
    """Market data cannot be read: a missing folder or an unreadable file."""

    code = "price_data"


class NoPriceFiles(PriceDataError):
    """A folder was given as market data but holds no usable price file."""

    code = "no_price_files"
