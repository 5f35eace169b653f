"""Run every benchmark in bench/ and print each ratio next to its target (``make bench``)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
# Each module exposes ``run(quick: bool) -> list[dict]`` with rows {name, value, target, ok, unit?}.
BENCHMARKS = ("import_core", "cdiscount_mapping", "mirakl_mapping", "api", "import_e2e", "relay")


def _load(name: str):  # type: ignore[no-untyped-def]
    path = HERE / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("only", nargs="*", help="benchmark names to run (default: all)")
    args = parser.parse_args()
    rows = []
    for name in args.only or BENCHMARKS:
        module = _load(name)
        if module is None:
            continue
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        for row in module.run(quick=args.quick):
            rows.append(row)
            verdict = "PASS" if row["ok"] else "FAIL"
            value, unit, target = (str(row.get(k) or "") for k in ("value", "unit", "target"))
            print(f"  {row['name']:<58} {value:>12} {unit:<8} target {target:<10} {verdict}")
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    failed = [r for r in rows if not r["ok"]]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} targets met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
