"""The ``portside`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from portside.core.errors import PortsideError

from .config import ConfigError, Settings, load_settings
from .logs import configure_logging

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portside",
        description="Connect marketplaces to shipping platforms: orders in, tracking out, pickup points kept.",
        epilog="Configuration comes from PORTSIDE_* environment variables; see docs/operations.md.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("migrate", help="apply pending database migrations (safe to run from several processes)")
    commands.add_parser(
        "demo", help="run portside on its embedded defaults: embedded Postgres, sandboxes, a demo store"
    )
    return parser


async def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from .commands import migrate

    return await migrate(settings)


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from .demo import run_demo

    return await run_demo(settings)


COMMANDS: dict[str, Command] = {"migrate": _migrate, "demo": _demo}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"portside: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        return asyncio.run(COMMANDS[args.command](args, settings))
    except KeyboardInterrupt:
        return 130
    except PortsideError as exc:
        logging.getLogger("portside").debug("command failed", exc_info=True)
        print(f"portside: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
