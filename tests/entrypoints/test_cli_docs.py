"""docs/operations.md documents every command of ``portside`` with every one of its options, and no other."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from portside.entrypoints.cli import _parser

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """``"stores add"`` -> its long options, for every leaf command."""
    found: dict[str, set[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_commands(sub, (*path, name)))
    if not found and path:
        options = {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
        found[" ".join(path)] = options
    return found


def _documented() -> dict[str, set[str]]:
    """The first cell of each table row that starts with ``portside …``: its command and options."""
    rows: dict[str, set[str]] = {}
    for cell in re.findall(r"^\| `portside ([^`]+)` \|", DOC.read_text(encoding="utf-8"), re.MULTILINE):
        words = [w for w in cell.split() if re.fullmatch(r"[a-z]+", w)]
        rows[" ".join(words[:2]) if words[:1] in (["accounts"], ["apikeys"], ["stores"]) else words[0]] = set(
            re.findall(r"--[a-z][a-z-]*", cell)
        )
    return rows


def test_every_command_and_option_is_documented_and_nothing_else() -> None:
    actual, documented = _commands(_parser()), _documented()
    assert set(actual) == set(documented), "a command is missing from, or stale in, docs/operations.md"
    for command, options in actual.items():
        assert options == documented[command], f"portside {command}: document exactly its options"
