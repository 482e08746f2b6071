"""newsclaims' storage: engines and migrations, tables, the article queue and the queries.

The queue and the queries never commit: the caller owns the transaction (style.md).
"""
