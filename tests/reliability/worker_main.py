"""``portside`` exactly as shipped (``python -m tests.reliability.worker_main worker|serve|…``), with one
change for the crash tests: the relay's lease is ``RELIABILITY_RELAY_LEASE_S`` seconds instead of 120.

The relay lease is not a ``PORTSIDE_*`` setting (``RelaySettings.lease_s`` is fixed at 120 s), so a
killed relay's messages would only come back after two minutes; everything else is the real CLI.
"""

from __future__ import annotations

import os
import sys

import msgspec


def main() -> int:
    from portside.entrypoints import commands
    from portside.entrypoints import container as root
    from portside.entrypoints.cli import main as cli

    lease = os.environ.get("RELIABILITY_RELAY_LEASE_S")
    if lease:
        build = root.build_container

        def build_container(settings: root.Settings) -> root.Container:
            container = build(settings)
            relay = msgspec.structs.replace(root.relay_settings(settings), lease_s=float(lease))
            container.app.add_kwargs(relay_settings=relay)
            return container

        commands.build_container = build_container  # type: ignore[assignment]
    return cli(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
