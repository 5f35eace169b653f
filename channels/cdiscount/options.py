"""Item options (colour, size) from a line's ``productAttributes``, whose shape Octopia does not document."""

from __future__ import annotations

from typing import Any

import msgspec

from portside.core.model import LineOption

_NAME_KEYS = ("name", "label", "key", "code", "attributeName", "attributeLabel")
_VALUE_KEYS = ("value", "attributeValue", "valueLabel", "values")
_NOTHING = (b"", b"null", b"[]", b"{}")


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        parts = [_text(v) for v in value if not isinstance(v, list | dict)]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = item.get(key)
        if value is not None:
            return value
    return None


def options_of(attributes: Any) -> tuple[LineOption, ...]:
    """Options from decoded ``productAttributes``: an object ``{"Couleur": "Noir"}``, a list of
    ``{"name"|"label"|"key", "value"}`` pairs (the sandbox's shape), or ``"name: value"`` strings.
    Anything else yields no option rather than failing the order: options are a convenience."""
    pairs: list[tuple[Any, Any]] = []
    if isinstance(attributes, dict):
        pairs = list(attributes.items())
    elif isinstance(attributes, list):
        for item in attributes:
            if isinstance(item, dict):
                pairs.append((_first(item, _NAME_KEYS), _first(item, _VALUE_KEYS)))
            elif isinstance(item, str) and ":" in item:
                pairs.append(tuple(item.split(":", 1)))  # type: ignore[arg-type]
    options = []
    for raw_name, raw_value in pairs:
        name, text = _text(raw_name), _text(raw_value)
        if name and text:
            options.append(LineOption(name=name, value=text))
    return tuple(options)


class OptionsMemo:
    """Options per raw ``productAttributes`` bytes: a catalogue's attribute blobs repeat on every
    page, so each distinct blob is parsed once (bounded, for a flood of distinct ones)."""

    __slots__ = ("_memo",)

    MAX_ENTRIES = 20_000

    def __init__(self) -> None:
        self._memo: dict[bytes, tuple[LineOption, ...]] = {}

    def __call__(self, raw: msgspec.Raw) -> tuple[LineOption, ...]:
        key = bytes(raw)
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in _NOTHING:
            return ()
        try:
            options = options_of(msgspec.json.decode(key))
        except msgspec.DecodeError:
            options = ()  # Raw holds valid JSON by construction; this only guards odd inputs
        if len(self._memo) >= self.MAX_ENTRIES:
            self._memo.clear()
        self._memo[key] = options
        return options
