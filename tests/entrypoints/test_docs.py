"""docs/operations.md stays true: every configuration variable is documented, and none that is not one."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from portside.entrypoints.config import Settings, env_name

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_every_setting_is_documented_and_nothing_else() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = {m.group(1) for m in re.finditer(r"^\| `(PORTSIDE_[A-Z0-9_]+)` \|", text, re.MULTILINE)}
    settings = {env_name(f.name) for f in msgspec.structs.fields(Settings)}
    assert settings - table == set(), "undocumented: add them to the configuration table"
    assert table - settings == set(), "documented but not read by portside"
