"""The webhook signature: what portside sends verifies with the documented algorithm, and nothing else does."""

from __future__ import annotations

import hashlib
import hmac
import time

from portside.adapters.webhooks import sign, verify

SECRET = "whsec_test"
BODY = b'{"id":"evt_1","type":"order.created"}'


def documented_check(secret: str, body: bytes, header: str) -> bool:
    # The snippet of docs/api.md, verbatim in spirit: split, recompute, compare in constant time.
    parts = dict(p.split("=", 1) for p in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_signature_header_shape_and_documented_verification() -> None:
    header = sign(SECRET, BODY, 1_790_000_000)
    assert header.startswith("t=1790000000,v1=")
    assert len(header.split("v1=")[1]) == 64
    assert documented_check(SECRET, BODY, header)
    assert verify(SECRET, BODY, header, now=1_790_000_010)


def test_tampered_body_wrong_secret_or_old_timestamp_fail() -> None:
    header = sign(SECRET, BODY, 1_790_000_000)
    assert not verify(SECRET, BODY + b" ", header, now=1_790_000_000)
    assert not verify("other", BODY, header, now=1_790_000_000)
    assert not verify(SECRET, BODY, header, now=1_790_000_000 + 301)  # a replay, five minutes later
    assert not verify(SECRET, BODY, "v1=abc", now=1_790_000_000)
    assert not verify(SECRET, BODY, "t=x,v1=abc", now=1_790_000_000)


def test_a_second_scheme_beside_v1_is_ignored_not_fatal() -> None:
    header = sign(SECRET, BODY, 1_790_000_000) + ",v0=deadbeef"
    assert verify(SECRET, BODY, header, now=1_790_000_000)


def test_verify_checks_against_the_current_time_by_default() -> None:
    """The documented call ``verify(secret, raw_body, header)`` works without ``now``."""
    fresh = sign(SECRET, BODY, int(time.time()))
    assert verify(SECRET, BODY, fresh)
    assert not verify(SECRET, BODY, sign(SECRET, BODY, int(time.time()) - 3600))  # an hour old: a replay
