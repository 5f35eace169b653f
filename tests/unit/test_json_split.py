"""The page splitter channels fall back on: every item's bytes whatever their depth, structure checked, no recursion."""

from __future__ import annotations

import json
import sys
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portside.adapters.http.json_split import (
    MAX_ID_CHARS,
    SplitError,
    has_nul,
    may_hold_refused,
    members,
    read_members,
    readable_id,
    refusal,
    split_array,
)


def items_of(body: bytes, key: str = "items") -> list[object] | None:
    split = split_array(body, key)
    return None if split.items is None else [json.loads(item) for item in split.items]


def test_each_element_as_its_own_bytes_and_the_envelope_without_them() -> None:
    body = b'{"itemsPerPage": 3, "items": [{"a": 1}, [1, [2]], "x"], "total": 9}'
    split = split_array(body, "items")
    assert split.items == [b'{"a": 1}', b"[1, [2]]", b'"x"']
    assert json.loads(split.envelope) == {"itemsPerPage": 3, "items": [], "total": 9}


def test_strings_holding_brackets_commas_quotes_and_escapes_do_not_split() -> None:
    tricky = ["a]b", "c}d,e", 'quote " inside', "back\\slash\\", '\\"]', "[{", "é ✓ 🚢", "\n\t", "\\u0000 as text"]
    elements = [{"s": s, "k,]": [s, {"n": s}]} for s in tricky]
    body = json.dumps({"items": elements}).encode()
    assert items_of(body) == elements
    unicode = json.dumps({"items": elements}, ensure_ascii=False).encode()
    assert items_of(unicode) == elements


def test_nested_arrays_whitespace_and_scalars() -> None:
    body = b' \n{ "items" :\t[ \r\n [[[]]] ,\n{"x":[{}]} , 12.5e3 ,true, null ] \n} \n'
    assert items_of(body) == [[[[]]], {"x": [{}]}, 12500.0, True, None]


def test_the_member_is_found_by_name_at_the_top_level_only() -> None:
    body = b'{"note": "items", "meta": {"items": [1, 2]}, "items": [3], "more": [4]}'
    assert items_of(body) == [3]
    assert items_of(b'{"orders": [1]}', "orders") == [1]
    assert items_of(b'{"orders": [1]}') is None  # no such member: the envelope decoder says what is missing
    assert items_of(b'{"items": null}') is None
    assert items_of(b'{"items": []}') == []
    assert items_of(b'{"items": [1], "items": [2]}') == [2]  # the last one counts, as with msgspec


def test_nesting_far_past_any_recursion_limit() -> None:
    depth = sys.getrecursionlimit() * 20
    deep = b'{"d":' + b"[" * depth + b"]" * depth + b"}"
    body = b'{"items": [{"a": 1}, ' + deep + b', {"b": 2}]}'
    split = split_array(body, "items")
    assert split.items is not None and len(split.items) == 3
    assert split.items[1] == deep
    assert [json.loads(split.items[0]), json.loads(split.items[2])] == [{"a": 1}, {"b": 2}]
    with pytest.raises(RecursionError):  # what msgspec does with it, and why the splitter exists
        msgspec.json.decode(body)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"", "not a JSON object"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"items": [1, 2', "ends inside"),
        (b'{"items": [{"a": "unterminated}]}', "never closed"),
        (b'{"items": [1, 2]', "ends inside"),
        (b'{"items": [1,, 2]}', "empty element"),
        (b'{"items": [, 1]}', "empty element"),
        (b'{"items": [1, 2,]}', "a comma ends"),
        (b'{"items": [1]}]', "follows"),
        (b'{"items": [1]} {"items": []}', "follows"),
    ],
)
def test_broken_structure_is_an_error_never_a_guess(body: bytes, why: str) -> None:
    with pytest.raises(SplitError, match=why):
        split_array(body, "items")


def test_a_truncated_page_is_an_error_wherever_it_is_cut() -> None:
    body = json.dumps({"itemsPerPage": 2, "items": [{"id": "A", "s": 'x]"y'}, {"id": "B"}]}).encode()
    for cut in range(len(body) - 1):
        with pytest.raises(SplitError):
            split_array(body[:cut], "items")


def test_too_many_elements_is_an_error() -> None:
    body = b'{"items": [' + b",".join(b"1" for _ in range(11)) + b"]}"
    assert len(split_array(body, "items", max_items=11).items or []) == 11
    with pytest.raises(SplitError, match="more than 10"):
        split_array(body, "items", max_items=10)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(st.lists(json_values, max_size=6), st.dictionaries(st.text(max_size=5), json_values, max_size=3))
def test_agrees_with_a_json_parser(elements: list[object], others: dict[str, object]) -> None:
    page = {**others, "items": elements}
    body = json.dumps(page, ensure_ascii=False).encode()
    split = split_array(body, "items")
    assert [json.loads(item) for item in split.items or []] == elements
    assert json.loads(split.envelope) == {**page, "items": []}


class Key(msgspec.Struct):
    orderId: Any = None
    updatedAt: Any = None


def test_members_are_read_past_a_member_nested_beyond_any_limit() -> None:
    deep = b"[" * 50_000 + b"]" * 50_000
    body = b'{"orderId" : "A-1", "lines": ' + deep + b', "updatedAt":"2025-09-01T10:00:00Z", "n": {"orderId": 2}}'
    assert members(body, ["orderId", "updatedAt", "absent"]) == {
        "orderId": b'"A-1"',
        "updatedAt": b'"2025-09-01T10:00:00Z"',
    }
    assert read_members(body, Key) == Key(orderId="A-1", updatedAt="2025-09-01T10:00:00Z")
    assert read_members(b'{"orderId": 7}', Key) == Key(orderId=7)  # the fast way
    assert read_members(b'{"orderId": ' + deep + b"}", Key) is None  # the member itself is too deep
    assert read_members(b'{"orderId": "A", "x": ' + deep, Key) is None  # truncated
    assert read_members(b'{"orderId": "\xff"}', Key) is None  # not UTF-8


def test_nul_characters_are_found_only_where_json_means_one() -> None:
    assert has_nul(b'{"a": "x\\u0000"}')
    assert has_nul(b'{"a": "\\\\\\u0000"}')  # an escaped backslash, then a NUL
    assert not has_nul(b'{"a": "\\\\u0000"}')  # an escaped backslash, then the text u0000
    assert not has_nul(b'{"a": "u0000 \\\\u0000"}')
    assert has_nul(b'{"a": "\\\\u0000", "b": "\\u0000"}')
    assert [has_nul(json.dumps({"s": s}).encode()) for s in ("a\x00", "\\u0000", "a\\\x00")] == [True, False, True]


def test_refusals_of_an_item_read_unread() -> None:
    assert refusal(b'{"a": "x"}') is None
    assert "NUL" in (refusal(b'{"a": "\\u0000"}') or "")
    assert "more than the 10" in (refusal(b'{"a": "xxxxxxxxxxxxx"}', 10) or "")
    assert not may_hold_refused(b'{"items": [{"a": "\\\\"}]}')
    assert may_hold_refused(b'{"items": [{"a": "\\u0000"}]}')
    assert may_hold_refused(b"x" * 11, 10)


def test_ids_read_from_a_failed_item_are_fit_to_store() -> None:
    assert readable_id(" A-1 ") == "A-1"
    assert readable_id(42) == "42"
    assert readable_id("A\x00B") == "AB"
    assert readable_id("x" * 10_000) == "x" * MAX_ID_CHARS
    assert [readable_id(v) for v in (None, True, 1.5, [], "  ", "\x00")] == [None] * 6
