"""The channels' secret masking: a real secret is masked wherever it appears, a very short one only where it
stands alone, so it neither leaks as a word nor garbles every message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portside.adapters.http.redact import ANYWHERE_FROM, MASK
from portside.channels.cdiscount.redact import Redactor as OctopiaRedactor
from portside.channels.mirakl.redact import Redactor as MiraklRedactor

MESSAGE = "GET https://api.octopia-io.net/seller/v2/orders answered 401: invalid client secret"


@pytest.mark.parametrize("redactor", [OctopiaRedactor, MiraklRedactor])
def test_a_very_short_secret_is_masked_as_a_word_and_never_inside_one(redactor: type[OctopiaRedactor]) -> None:
    redact = redactor("s")
    assert redact(MESSAGE) == MESSAGE  # not "/***eller/v2/order***"
    assert redact("client secret s refused; s.") == f"client secret {MASK} refused; {MASK}."
    assert redactor("abc")("key abc, not abcd or xabc") == f"key {MASK}, not abcd or xabc"


@pytest.mark.parametrize("redactor", [OctopiaRedactor, MiraklRedactor])
def test_a_real_secret_is_masked_wherever_it_appears(redactor: type[OctopiaRedactor]) -> None:
    secret = "c7e1-SECRET-4f2a"
    assert len(secret) >= ANYWHERE_FROM
    assert redactor(secret)(f"x{secret}y {secret}") == f"x{MASK}y {MASK}"
    assert redactor(f" {secret} ")(f"a{secret}") == f"a{MASK}"  # surrounding blanks are no part of it
    assert redactor("", "  ")(MESSAGE) == MESSAGE


def test_tokens_are_masked_too_and_only_the_latest_four_kept() -> None:
    redact = OctopiaRedactor("client-secret-value")
    tokens = [f"eyJ-token-number-{n}" for n in range(6)]
    for token in tokens:
        redact.add_token(token)
    assert redact(" ".join(tokens)) == " ".join(tokens[:2] + [MASK] * 4)


def test_a_short_secret_inside_a_longer_one_does_not_break_its_mask() -> None:
    redact = OctopiaRedactor("abc")
    redact.add_token("abc-0123456789")
    assert redact("abc-0123456789 and abc") == f"{MASK} and {MASK}"


@given(secret=st.text(st.characters(codec="utf-8", blacklist_characters="*<>"), min_size=1, max_size=30))
def test_a_secret_standing_alone_never_survives(secret: str) -> None:
    secret = secret.strip()
    if secret:
        for redactor in (OctopiaRedactor, MiraklRedactor):
            assert redactor(secret)(f"<{secret}>") == f"<{MASK}>"
