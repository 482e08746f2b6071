"""newsclaims' market data: the price table as a ``PriceSource`` (``table``), the import of price
CSVs into it (``price_import``) and the providers that yield ``PriceBar``s (``providers.csv``,
``providers.yahoo``). The ``PriceSource`` protocol itself stays in ``checker.prices``.
"""
