"""Mondial Relay web service ``STAT`` codes (reference relay-carriers §1.9) as typed directory errors."""

from __future__ import annotations

from portside.core.errors import DirectoryError

from ..directory_errors import coded_error

CARRIER = "mondial_relay"

# What to check when Mondial Relay refuses the credentials, in the words of whoever supplied them: an
# account's own settings by default; the operator's service-wide directory passes its variables' names.
SETTINGS_HINT = "check the settings enseigne and private_key"

# STAT -> (category, meaning). Categories are those of ``directory_errors.CATEGORIES``.
STAT_TABLE: dict[int, tuple[str, str]] = {
    1: ("auth", "invalid Enseigne"),
    2: ("auth", "Enseigne empty or unknown"),
    3: ("auth", "invalid enseigne account number"),
    5: ("request", "invalid NDossier"),
    7: ("request", "invalid NClient"),
    8: ("auth", "invalid password or hash"),
    9: ("request", "city unknown or not unique: give a postcode"),
    10: ("request", "invalid collection type"),
    11: ("not_found", "invalid collection relay number"),
    12: ("request", "invalid collection relay country"),
    13: ("request", "invalid delivery type"),
    14: ("not_found", "invalid delivery relay number"),
    15: ("request", "invalid delivery relay country"),
    20: ("request", "invalid weight"),
    21: ("request", "invalid size (length + height)"),
    22: ("request", "invalid size"),
    24: ("request", "invalid shipment or tracking number"),
    26: ("request", "invalid assembly time"),
    27: ("request", "invalid collection or delivery mode"),
    28: ("request", "invalid collection mode"),
    29: ("request", "invalid delivery mode"),
    # The reference lists 30-34 together as "invalid address line L1/L2/L3/L4" without a per-code split.
    **{code: ("request", "invalid address line (L1 to L4)") for code in range(30, 35)},
    35: ("request", "invalid city"),
    36: ("request", "invalid postcode"),
    37: ("request", "invalid country"),
    38: ("request", "invalid phone number"),
    39: ("request", "invalid e-mail"),
    40: ("request", "missing parameters"),
    42: ("request", "invalid cash-on-delivery amount"),
    43: ("request", "invalid cash-on-delivery currency"),
    44: ("request", "invalid parcel value"),
    45: ("request", "invalid parcel value currency"),
    46: ("other", "shipment number range exhausted: contact Mondial Relay"),
    47: ("request", "invalid parcel count"),
    48: ("request", "multi-parcel forbidden for relay delivery"),
    49: ("request", "invalid Action (delivery mode filter)"),
    60: ("request", "invalid free text"),
    61: ("request", "invalid TAvisage"),
    62: ("request", "invalid Instructions"),
    63: ("request", "invalid Assurance"),
    64: ("request", "invalid Montage"),
    65: ("request", "invalid TRDV"),
    66: ("request", "invalid TReprise"),
    67: ("request", "invalid latitude"),
    68: ("request", "invalid longitude"),
    69: ("auth", "invalid Enseigne code"),
    70: ("not_found", "invalid Point Relais number"),
    71: ("request", "invalid point-of-sale nature (TypeActivite)"),
    74: ("request", "invalid language"),
    78: ("request", "invalid collection country"),
    79: ("request", "invalid delivery country"),
    80: ("other", "tracing: parcel registered"),
    81: ("other", "tracing: parcel in process"),
    82: ("other", "tracing: parcel delivered"),
    83: ("other", "tracing: anomaly"),
    92: ("request", "recipient country differs from relay country, or prepaid balance insufficient"),
    93: ("no_points", "no sorting-plan result: relay unavailable or postcode unknown"),
    94: ("other", "parcel does not exist"),
    95: ("auth", "enseigne account not activated"),
    96: ("auth", "wrong enseigne type"),
    97: ("auth", "invalid security key"),
    98: ("other", "generic error hiding another one (production accounts): check the request parameters"),
    99: ("service", "generic service error: try again later"),
}
# Reserved for tracing; a directory never expects them.
STAT_TABLE.update({code: ("other", "reserved tracing code") for code in range(84, 90)})


def error_for_stat(stat: str, *, auth_hint: str = SETTINGS_HINT) -> DirectoryError | None:
    """None for ``STAT`` 0 (success); otherwise the typed error for that code (a refused credential
    says ``auth_hint``: which settings to check)."""
    text = stat.strip()
    if not text.isdigit():
        return coded_error(CARRIER, "other", text, f"unexpected STAT {text[:20]!r}")
    code = int(text)
    if code == 0:
        return None
    category, meaning = STAT_TABLE.get(code, ("other", "not in Mondial Relay's published table"))
    hint = f"; {auth_hint}" if category == "auth" else ""
    return coded_error(CARRIER, category, str(code), f"STAT {code}: {meaning}{hint}")
