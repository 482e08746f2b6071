"""The Newsclaims-Signature header: what a receiver recomputes, and what it must refuse."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from alerts import signing

SECRET, BODY, T = "whsec_abc", b'{"id":"e1"}', 1_765_000_000
GOOD = signing.header(SECRET, T, BODY)


def test_signing_is_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert GOOD == f"t={T},v1={expected}"


# (secret, header, body, now): each one a receiver must refuse
REFUSED = [
    ("another secret", GOOD, BODY, T),
    (SECRET, GOOD, b'{"id":"e2"}', T),  # the body changed
    (SECRET, GOOD, BODY, T + signing.TOLERANCE_SECONDS + 1),  # replayed too late
    (SECRET, GOOD.replace(f"t={T}", f"t={T + 1}"), BODY, T),  # the timestamp changed
    (SECRET, GOOD.split(",")[1], BODY, T),  # no timestamp
    (SECRET, f"t={T}", BODY, T),  # no signature
    (SECRET, "", BODY, T),
]


@pytest.mark.parametrize(("secret", "value", "body", "now"), REFUSED)
def test_signing_verify_refuses(secret: str, value: str, body: bytes, now: int) -> None:
    assert not signing.verify(secret, value, body, now=now)


def test_signing_verify_accepts_within_tolerance() -> None:
    assert signing.verify(SECRET, GOOD, BODY, now=T + signing.TOLERANCE_SECONDS - 1)
