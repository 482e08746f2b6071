"""Webhook signatures, in the style of Stripe's and Standard Webhooks':
``Newsclaims-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>``.

The timestamp is signed with the body, so a receiver that refuses old timestamps (``verify``'s
``tolerance``) refuses replays; the event id (``Webhook-Id``) lets it drop repeats.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Newsclaims-Signature"
# A receiver refuses signatures older than this (Stripe's default; chosen, not measured).
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: ``t=<timestamp>,v1=<signature>``."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str, value: str, body: bytes, *, now: float, tolerance: float = TOLERANCE_SECONDS
) -> bool:
    """Whether a header ``value`` signs ``body`` under ``secret`` within ``tolerance`` seconds of
    ``now`` (what a receiver does; README "Alerts")."""
    parts = dict(part.split("=", 1) for part in value.split(",") if "=" in part)
    stamp = parts.get("t", "")
    if not stamp.isdigit() or abs(now - int(stamp)) > tolerance:
        return False
    expected = signature(secret, int(stamp), body)
    return hmac.compare_digest(expected, parts.get("v1", ""))
