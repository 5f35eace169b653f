"""Turn untrusted data into typed values, naming every bad field and never echoing a value back."""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import msgspec

from ..errors import ValidationFailed

T = TypeVar("T")

# msgspec says where ("- at `$.lines[0].quantity`") and what ("Expected `int`, got `str`").
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]+)`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>[^`]+)`$")
# A repr'd value ('abc'), not an apostrophe inside a word ("operator's"): values are never echoed.
_PATTERN = re.compile(r"matching regex '([^']*)'")
_QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)")


def allowed_values(kind: object) -> list[str] | None:
    """The values an enum or Literal field takes (through ``X | None`` and ``Annotated``), if it is one."""
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return allowed_values(typing.get_args(kind)[0])
    if origin in (typing.Union, types.UnionType):
        found = [allowed_values(arg) for arg in typing.get_args(kind) if arg is not type(None)]
        return found[0] if len(found) == 1 else None
    if origin is typing.Literal:
        return [str(v) for v in typing.get_args(kind)]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [str(member.value) for member in kind]
    return None


_STEP = re.compile(r"\.(\w+)|\[(\d+|\.\.\.)\]")


def _type_at(kind: object, path: str) -> object:
    """The type found at a msgspec error path below ``kind`` (None where it cannot be followed)."""
    for name, index in _STEP.findall(path):
        while typing.get_origin(kind) is typing.Annotated or typing.get_origin(kind) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            kind = args[0] if len(args) == 1 or typing.get_origin(kind) is typing.Annotated else None
        if name and isinstance(kind, type) and issubclass(kind, msgspec.Struct):
            found = {f.encode_name: f.type for f in msgspec.structs.fields(kind)}
            kind = found.get(name)
        elif index and typing.get_origin(kind) in (list, tuple, dict):
            kind = typing.get_args(kind)[-1 if index == "..." else 0]
        else:
            return None
    return kind


def _join(prefix: str, path: str) -> str:
    # "$.lines[0].quantity" below field "body" → "body.lines[0].quantity"; "$[...]" means a map key.
    path = path.replace("[...]", "")
    if not path:
        return prefix
    if path.startswith("."):
        path = path[1:]
    return f"{prefix}.{path}" if prefix and not path.startswith("[") else f"{prefix}{path}"


def _explain(what: str, kind: object) -> str:
    if what.startswith(("Invalid enum value", "Invalid value")):
        allowed = allowed_values(kind)
        return f"must be one of: {', '.join(allowed)}" if allowed else "is not one of the allowed values"
    what = what.replace("`", "")
    what = what.replace("Expected ", "expected ", 1)
    # A regex is ours, not the input's: say it plainly before the masking below would hide it.
    pattern = _PATTERN.search(what)
    if pattern is not None:
        return f"must match the pattern {pattern.group(1)}" + (
            " (an absolute http or https URL)" if "http" in pattern.group(1) else ""
        )
    # Whatever msgspec quoted came from the input; it may be a secret.
    return _QUOTED.sub("the given value", what)


def problem_of(error: msgspec.ValidationError, field: str, kind: object) -> tuple[str, str]:
    """(field path, message) for one msgspec validation error under ``field``."""
    match = _AT.match(str(error))
    what, path = (match.group("what"), match.group("path") or "") if match else (str(error), "")
    missing = _MISSING.match(what)
    if missing:
        return _join(field, f"{path}.{missing.group('name')}"), "required"
    unknown = _UNKNOWN.match(what)
    if unknown:
        return _join(field, f"{path}.{unknown.group('name')}"), "unknown field"
    return _join(field, path), _explain(what, _type_at(kind, path))


def redact(message: str, secrets: Iterable[str]) -> str:
    """``message`` with every given secret value masked (a last guard for messages we do not write)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 3:
            message = message.replace(secret, "***")
    return message


def string_leaves(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, Mapping):
        return [leaf for value in data.values() for leaf in string_leaves(value)]
    if isinstance(data, list | tuple):
        return [leaf for value in data for leaf in string_leaves(value)]
    return []


def field_problems(
    data: object, kind: type[msgspec.Struct], *, prefix: str = "", strict: bool = True
) -> dict[str, str]:
    """Every top-level field of ``kind`` that ``data`` gets wrong (msgspec alone stops at the first)."""
    if not isinstance(data, Mapping):
        return {prefix or "body": "must be a JSON object"}
    problems: dict[str, str] = {}
    fields = msgspec.structs.fields(kind)
    names = {f.encode_name for f in fields}
    if kind.__struct_config__.forbid_unknown_fields:
        for key in data:
            if key not in names:
                problems[_join(prefix, f".{key}")] = f"unknown field; expected one of: {', '.join(sorted(names))}"
    for f in fields:
        where = _join(prefix, f".{f.encode_name}")
        if f.encode_name not in data:
            if f.required:
                problems[where] = "required"
            continue
        try:
            msgspec.convert(data[f.encode_name], f.type, strict=strict)
        except msgspec.ValidationError as exc:
            entries = _entry_problems(data[f.encode_name], f.type, where, strict)
            if entries:
                problems.update(entries)
                continue
            path, message = problem_of(exc, where, f.type)
            problems[path] = message
    return problems


def _entry_problems(value: object, kind: object, where: str, strict: bool) -> dict[str, str]:
    """A mapping's bad entries, each named by its key (``overrides.SHIPPING``): msgspec's own path
    stops at the mapping (``$.overrides[...]``), which would not say which entry to fix."""
    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    if typing.get_origin(kind) is not dict or not isinstance(value, Mapping):
        return {}
    value_type = typing.get_args(kind)[1]
    problems: dict[str, str] = {}
    for key, entry in value.items():
        try:
            msgspec.convert(entry, value_type, strict=strict)
        except msgspec.ValidationError as exc:
            path, message = problem_of(exc, f"{where}.{key}", value_type)
            problems[path] = message
    return problems


# A rule across fields (``__post_init__``) names the field it is about first: "base_url must be …",
# "profile: not a shipped profile …", "profile_overrides.acceptance: …". It is reported there.
_NAMED = re.compile(r"^(?P<field>[a-z][a-z0-9_]*)(?P<rest>(?:\.\w+|\[\d+\])*)(?P<colon>:)? (?P<tail>.+)$", re.S)


def _named_rule(path: str, message: str, prefix: str, kind: object) -> tuple[str, str]:
    named = _NAMED.match(message)
    if named is None or path != (prefix or "body") or not (isinstance(kind, type) and issubclass(kind, msgspec.Struct)):
        return path, message
    if named.group("field") not in {f.encode_name for f in msgspec.structs.fields(kind)}:
        return path, message
    where = _join(prefix, f".{named.group('field')}{named.group('rest')}")
    return where, (_explain(named.group("tail"), None) if named.group("colon") else message)


def convert_fields(
    data: object, kind: type[T], *, what: str, prefix: str = "", strict: bool = True, secret: bool = False
) -> T:
    """``data`` as ``kind``, or ValidationFailed naming each bad field. ``secret``: the input's own
    strings are masked in every message (credentials)."""
    try:
        return msgspec.convert(data, kind, strict=strict)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        problems: dict[str, str] = {}
        if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
            problems = field_problems(data, kind, prefix=prefix, strict=strict)
        if not problems:  # a rule across fields (``__post_init__``), or not a Struct
            if isinstance(exc, msgspec.ValidationError):
                path, message = problem_of(exc, prefix, kind)
            else:
                path, message = prefix or "body", _QUOTED.sub("the given value", str(exc))
            path, message = _named_rule(path or "body", message, prefix, kind)
            problems = {path: message}
        if secret:
            leaves = string_leaves(data)
            problems = {redact(k, leaves): redact(v, leaves) for k, v in problems.items()}
        raise ValidationFailed(
            f"invalid {what}: {'; '.join(f'{k}: {v}' for k, v in problems.items())}", problems
        ) from None


def merge_patch(current: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """RFC 7386 at the top level: given keys replace, ``null`` removes (back to the default)."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
