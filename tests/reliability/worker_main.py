"""``portside`` exactly as shipped (``python -m tests.reliability.worker_main worker|serve|…``), run from the
checkout with the test's environment; every setting comes from ``PORTSIDE_*`` (see ``support.FAST``)."""

from __future__ import annotations

import sys


def main() -> int:
    from portside.entrypoints.cli import main as cli

    return cli(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
