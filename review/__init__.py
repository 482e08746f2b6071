"""newsclaims' review: decisions on discrepancies (``decisions``), re-checks once newer prices
arrive (``recheck``) and schema.org ClaimReview for reviewed claims (``export``). Free of HTTP:
it raises ``review.errors``, which api/errors.py maps to status codes.
"""
