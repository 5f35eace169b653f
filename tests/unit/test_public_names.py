"""Public names: every package's ``__all__`` resolves, and the test kit does no work when imported."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

PACKAGES = (
    "portside.testing",
    "portside.testing.storage_contract",
    "portside.core.model",
    "portside.core.services",
    "portside.adapters.memory",
    "portside.adapters.http",
)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert not missing
    assert len(set(module.__all__)) == len(module.__all__)


def test_the_test_kit_loads_its_modules_only_when_a_name_is_used() -> None:
    code = (
        "import sys, portside.testing as kit\n"
        "print(sorted(m for m in sys.modules if m.startswith('portside.testing.')))\n"
        "kit.FixedClock\n"
        "print(sorted(m for m in sys.modules if m.startswith('portside.testing.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]" and out[1] == "['portside.testing.clock']"


def test_the_storage_contract_exports_every_contract() -> None:
    package = importlib.import_module("portside.testing.storage_contract")
    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found |= {name for name, value in inspect.getmembers(module, inspect.isclass) if name.endswith("Contract")}
    assert found <= set(package.__all__)
    assert {c.__name__ for c in package.ALL_CONTRACTS} == found
