"""A JSON page's items as raw bytes, found without recursion, and the checks a marketplace item passes unread.

msgspec decodes a page in one pass, but nesting past its depth limit (~1,000 levels) anywhere on the
page makes the whole page unreadable, a ``RecursionError`` even when asked for ``list[msgspec.Raw]``.
A channel that splits with ``split_array`` instead gets every item's bytes whatever their depth, decodes
each on its own and quarantines only the deep one. The scan is iterative: one regular expression walks
the strings (whole, escapes included) and the brackets and commas between them, a depth counter tells
where each item ends. Its cost is linear in the body, which the HTTP client caps at 16 MiB: about 3 s of
CPU for the worst 16 MiB (brackets only), 7 ms for a 250 KB page of real orders (msgspec: 1.4 ms), so it
is a fallback, never the fast path. Its memory is the items' bytes and one copy of the envelope.
It checks structure only (brackets close as often as they open, strings close, nothing follows the
object); each item is validated when it is decoded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import cache
from typing import Any, NamedTuple, TypeVar, cast

import msgspec

# What msgspec raises on hostile bytes besides DecodeError: invalid UTF-8 inside a string, nesting
# past its depth limit. Either way the bytes are unreadable: never a crash of the sync.
UNREADABLE = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)

MAX_ITEM_BYTES = 1 << 20  # one order as JSON: a real one is a few kilobytes, a big B2B one tens
MAX_ITEMS = 10_000  # on one page: marketplaces serve at most 100 orders a page
MAX_ID_CHARS = 200  # of an id read from an item that failed, kept to name it in the quarantine

# A whole string (possessive: no backtracking state, so a multi-megabyte string is one C-speed match),
# a bracket or a comma, or a lone quote (a string that never closes).
_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{},]|"', re.DOTALL)
_WS = b" \t\n\r"
_QUOTE, _COMMA = ord('"'), ord(",")
_OPENERS, _BRACKET = frozenset(b"[{"), ord("[")
_COLON = re.compile(rb"[ \t\n\r]*(:)?")
_NUL = b"\\u0000"

T = TypeVar("T")
S = TypeVar("S", bound=msgspec.Struct)


class SplitError(ValueError):
    """The body is not a JSON object whose structure can be followed (truncated, unbalanced, …)."""


class Split(NamedTuple):
    items: list[bytes] | None  # None: the object has no such member holding an array
    envelope: bytes  # the body with that array emptied (``[]``): the page's other members, for a decoder


def split_array(body: bytes, key: str, *, max_items: int = MAX_ITEMS) -> Split:
    """Each element of the array that member ``key`` of the top-level object holds, as its own bytes.

    ``key`` is compared with the member name as written (marketplaces do not escape plain ASCII); when
    it appears twice the last one counts, as with msgspec. Raises SplitError when the body's structure
    cannot be followed or the array holds more than ``max_items`` elements.
    """
    scan = _scan(body, (), key, max_items)
    if scan.array is None:
        return Split(items=None, envelope=body)
    opened, closed = scan.array
    return Split(items=scan.items, envelope=body[:opened] + b"[]" + body[closed:])


def split_page(body: bytes, key: str, envelope: Callable[[bytes], T]) -> tuple[list[bytes], T]:
    """The items of page ``body`` (``split_array``) and the rest of the page read by ``envelope`` (a typed
    decoder: the page must still be the marketplace's). SplitError, saying why, when either fails."""
    try:
        split = split_array(body, key)
        return split.items or [], envelope(split.envelope)
    except UNREADABLE as exc:
        raise SplitError(str(exc) or type(exc).__name__) from None


def members(body: bytes, keys: Collection[str]) -> dict[str, bytes]:
    """The bytes of the values of the top-level object's members named ``keys`` (those present), found
    however deep other members nest. Raises SplitError when the structure cannot be followed."""
    found = _scan(body, keys, None, MAX_ITEMS).spans
    return {key: body[start:end].strip(_WS) for key, (start, end) in found.items()}


def read_members(raw: bytes, kind: type[S]) -> S | None:
    """``raw`` decoded as ``kind``, a Struct of a few top-level members (an id, a date), or None when it
    cannot be. When msgspec cannot read ``raw`` whole (another member nests past its limit), ``kind``
    is decoded from the bytes of its own members alone: a deep order still says which order it is."""
    decoder = _decoder(kind)
    try:
        return decoder.decode(raw)
    except RecursionError:
        pass
    except UNREADABLE:
        return None
    try:
        found = members(raw, [field.encode_name for field in msgspec.structs.fields(kind)])
        return decoder.decode(b"{" + b",".join(_quoted(key) + b":" + value for key, value in found.items()) + b"}")
    except (*UNREADABLE, SplitError):
        return None


def _decoder(kind: type[S]) -> msgspec.json.Decoder[S]:
    return cast("msgspec.json.Decoder[S]", _cached_decoder(kind))


@cache
def _cached_decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(kind)


class _Scan(NamedTuple):
    spans: dict[str, tuple[int, int]]  # value spans of the wanted members
    items: list[bytes]  # elements of the array split, if found
    array: tuple[int, int] | None  # its span, brackets included


def _scan(body: bytes, keys: Collection[str], split: str | None, max_items: int) -> _Scan:
    """One pass over object ``body``: where the wanted members' values lie, and the elements of the array
    member ``split`` holds. Depth is a counter; strings are skipped whole by the tokeniser."""
    start = len(body) - len(body.lstrip(_WS))
    if body[start : start + 1] != b"{":
        raise SplitError("the body is not a JSON object")
    wanted = {_quoted(key): key for key in keys}
    split_name = _quoted(split) if split is not None else None
    spans: dict[str, tuple[int, int]] = {}
    items: list[bytes] = []
    array: tuple[int, int] | None = None
    depth = 0
    name: bytes | None = None  # the top-level member being read (its quoted name), from its name to its end
    value_from = element_from = opened = 0
    collecting = False  # inside the array to split
    for token in _TOKEN.finditer(body, start):
        at = token.start()
        char = body[at]
        if char == _QUOTE:
            if token.end() - at == 1:
                raise SplitError(f"a string opened at byte {at} is never closed (truncated?)")
            if depth == 1 and name is None:
                colon = _COLON.match(body, token.end())  # always matches, maybe empty
                if colon is None or colon.group(1) is None:
                    if colon is not None and colon.end() == len(body):
                        break  # truncated after a member name
                    raise SplitError(f"a member name is not followed by a colon at byte {token.end()}")
                name, value_from = token.group(), colon.end()
        elif char == _COMMA:
            if depth == 1:
                _end_member(wanted, spans, name, value_from, at)
                name = None
            elif depth == 2 and collecting:
                items.append(_element(body, element_from, at))
                if len(items) >= max_items:  # and another one follows the comma
                    raise SplitError(f"the {split} array holds more than {max_items} elements")
                element_from = at + 1
        elif char in _OPENERS:
            if depth == 1 and name == split_name and char == _BRACKET and not body[value_from:at].strip(_WS):
                collecting, items, element_from, opened = True, [], at + 1, at
            depth += 1
        else:  # a closer
            depth -= 1
            if depth == 1 and collecting:
                tail = body[element_from:at].strip(_WS)
                if tail:
                    items.append(tail)
                elif items:
                    raise SplitError(f"a comma ends the {split} array at byte {at}")
                if len(items) > max_items:
                    raise SplitError(f"the {split} array holds more than {max_items} elements")
                collecting, array = False, (opened, at + 1)
            elif depth == 0:
                _end_member(wanted, spans, name, value_from, at)
                if body[at + 1 :].strip(_WS):
                    raise SplitError(f"data follows the JSON object at byte {at + 1}")
                return _Scan(spans=spans, items=items, array=array)
            elif depth < 0:
                raise SplitError(f"a bracket closes nothing at byte {at}")
    raise SplitError("the body ends inside the JSON object (truncated?)")


def _quoted(key: str) -> bytes:
    return b'"' + key.encode() + b'"'


def _end_member(
    wanted: dict[bytes, str], spans: dict[str, tuple[int, int]], name: bytes | None, start: int, end: int
) -> None:
    key = wanted.get(name) if name is not None else None
    if key is not None:
        spans[key] = (start, end)  # a member named twice: the last one counts, as with msgspec


def _element(body: bytes, start: int, end: int) -> bytes:
    element = body[start:end].strip(_WS)
    if not element:
        raise SplitError(f"an empty element (a stray comma) at byte {end}")
    return element


def has_nul(raw: bytes) -> bool:
    """Whether JSON text ``raw`` holds a U+0000 character (written ``\\u0000``; a raw NUL byte is no JSON).

    Postgres stores no U+0000 in text or jsonb: an item holding one would fail its page's transaction.
    ``\\\\u0000`` (an escaped backslash, then text) is not one.
    """
    at = raw.find(_NUL)
    while at >= 0:
        slashes = 0
        while at - slashes - 1 >= 0 and raw[at - slashes - 1] == 0x5C:
            slashes += 1
        if slashes % 2 == 0:
            return True
        at = raw.find(_NUL, at + 1)
    return False


def may_hold_refused(body: bytes, max_item_bytes: int = MAX_ITEM_BYTES) -> bool:
    """Whether an item of ``body`` may be one ``refusal`` refuses: cheap enough for every page (a page
    with no backslash at all, the usual case, is one memchr; searching for the escape itself is 40 times
    costlier, as the digits of its ``0000`` are everywhere in a page)."""
    return len(body) > max_item_bytes or (b"\\" in body and _NUL in body)


def refusal(raw: bytes, max_item_bytes: int = MAX_ITEM_BYTES) -> str | None:
    """Why one item's bytes are quarantined unread, or None: too large to be an order, or a NUL."""
    if len(raw) > max_item_bytes:
        return f"{len(raw)} bytes, more than the {max_item_bytes} one order may take: not read"
    if has_nul(raw):
        return "holds a NUL character (\\u0000), which the database cannot store: not read"
    return None


def readable_id(value: Any) -> str | None:
    """An id read from an item that failed, fit to name it in the quarantine: text or a number, stripped,
    without NUL characters, at most MAX_ID_CHARS characters; None when there is none."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).replace("\x00", "").strip()[:MAX_ID_CHARS]
    return text or None
