"""Seeded buyers for the sandbox: names, phones, masked e-mails and postal addresses in Octopia's shape."""

from __future__ import annotations

import random
import unicodedata
from typing import Any, NamedTuple

from . import fixtures

Wire = dict[str, Any]


class Person(NamedTuple):
    civility: str
    first_name: str
    last_name: str
    phone: str | None
    email: str | None


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def phone(rng: random.Random) -> str | None:
    """Mostly mobiles (06/07), in the spellings buyers type; some landlines, some missing."""
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.2:
        return f"0{rng.choice('12345')}{digits(rng, 8)}"  # landline: a Colissimo relay label needs a mobile
    number = f"0{rng.choice('67')}{digits(rng, 8)}"
    spelling = rng.random()
    if spelling < 0.55:
        return number
    if spelling < 0.8:
        return " ".join(number[i : i + 2] for i in range(0, 10, 2))
    if spelling < 0.92:
        return "+33" + number[1:]
    return "+33 " + number[1] + " " + " ".join(number[i : i + 2] for i in range(2, 10, 2))


def masked_email(rng: random.Random, first_name: str) -> str | None:
    """Cdiscount hands sellers a relay address, never the buyer's own (legacy ``EncryptedEmail`` shape)."""
    if rng.random() < 0.1:
        return None
    initial = unicodedata.normalize("NFKD", first_name)[0].lower()
    return f"{initial}.{rng.getrandbits(128):032x}@clemarche.com"


def person(rng: random.Random) -> Person:
    civility, first_name = rng.choice(fixtures.FIRST_NAMES)
    last_name = rng.choice(fixtures.LAST_NAMES)
    return Person(civility, first_name, last_name, phone(rng), masked_email(rng, first_name))


def home_address(rng: random.Random, who: Person, *, company: str | None = None) -> Wire:
    """A postal address as ``billingAddress``/``shippingAddress`` carry it."""
    postal_code, city = rng.choice(fixtures.CITIES)
    complement = rng.choice(fixtures.COMPLEMENTS) if rng.random() < 0.3 else None
    number = str(rng.randint(1, 180)) + (rng.choice((" bis", " ter", "")) if rng.random() < 0.1 else "")
    return {
        "civility": who.civility if rng.random() < 0.9 else None,
        "firstName": who.first_name,
        "lastName": who.last_name,
        "companyName": company,
        "addressLine1": f"{number} {rng.choice(fixtures.STREETS)}",
        "addressLine2": complement,
        "addressLine3": None,
        "postalCode": postal_code,
        "city": city,
        "countryCode": "FR",
        "phone": who.phone,
        "email": who.email,
    }


def billing_address(rng: random.Random, who: Person, *, business: bool) -> Wire:
    company = rng.choice(fixtures.COMPANIES) if business else None
    address = home_address(rng, who, company=company)
    address["companyVatNumber"] = f"FR{digits(rng, 11)}" if business else None
    address["stateOrRegion"] = None
    return address


def pickup_address(
    who: Person, pickup_id: str, name: str, street: str, postal_code: str, city: str, country: str
) -> Wire:
    """The buyer is the recipient; the address lines are the point's, its id and name ride alongside."""
    return {
        "civility": who.civility,
        "firstName": who.first_name,
        "lastName": who.last_name,
        "companyName": None,
        "addressLine1": street,
        "addressLine2": None,
        "addressLine3": None,
        "postalCode": postal_code,
        "city": city,
        "countryCode": country,
        "phone": who.phone,
        "email": who.email,
        "pickupId": pickup_id,
        "pickupName": name,
    }
