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
    sandbox = commands.add_parser("sandbox", help="run a marketplace or carrier sandbox speaking the real wire format")
    sandbox.add_argument("name", choices=("cdiscount", "mondial-relay", "colissimo"))
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=0, help="0 picks a free port")
    sandbox.add_argument("--orders", type=int, default=200, help="seeded orders (cdiscount)")
    sandbox.add_argument("--seed", type=int, default=1)
    return parser


async def _sandbox(args: argparse.Namespace, settings: Settings) -> int:
    from .sandboxes import run_sandbox

    return await run_sandbox(args.name, host=args.host, port=args.port, orders=args.orders, seed=args.seed)


async def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from .commands import migrate

    return await migrate(settings)


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from .demo import run_demo

    return await run_demo(settings)


COMMANDS: dict[str, Command] = {"migrate": _migrate, "demo": _demo, "sandbox": _sandbox}


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
