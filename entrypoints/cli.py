"""The ``portside`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from portside.core.errors import NotFound, PortsideError, ValidationFailed

from .config import ConfigError, Settings, load_settings, unknown_variables
from .logs import configure_logging
from .sandboxes import DEFAULT_PROFILE, SANDBOXES, mirakl_profiles

# Exit codes, as docs/operations.md lists them (argparse's usage errors are 2 as well).
REFUSED, BAD_CONFIGURATION, INTERRUPTED = 1, 2, 130

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def _bounded(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (a bad one is a usage error, exit 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low} to {high}")
        return value

    parse.__name__ = what  # argparse names the type in its messages
    return parse


PORT = _bounded(1, 65535, "port")
ANY_PORT = _bounded(0, 65535, "port")  # 0: the system picks a free one
COUNT = _bounded(0, 100_000, "count")
SECONDS = _bounded(1, 30 * 24 * 3600, "seconds")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portside",
        description="Connect marketplaces to shipping platforms: orders in, tracking out, pickup points kept.",
        epilog="Configuration comes from PORTSIDE_* environment variables; see docs/operations.md.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API and the scheduler in one process")
    serve.add_argument("--host", help="interface to listen on (default PORTSIDE_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=PORT, help="port to listen on (default PORTSIDE_PORT, 8080)")
    worker = commands.add_parser("worker", help="run the scheduler only: store syncs, notifications, webhooks")
    worker.add_argument("--metrics-port", type=PORT, help="also serve /metrics and /healthz on this port")
    for command in (serve, worker):
        command.add_argument("--migrate", action="store_true", help="apply pending migrations before starting")
    commands.add_parser("migrate", help="apply pending database migrations (safe to run from several processes)")

    accounts = commands.add_parser("accounts", help="manage accounts (tenants)")
    accounts_sub = accounts.add_subparsers(dest="action", metavar="ACTION", required=True)
    create_account = accounts_sub.add_parser("create", help="create an account; prints its id on the last line")
    create_account.add_argument("name")

    apikeys = commands.add_parser("apikeys", help="manage API keys")
    apikeys_sub = apikeys.add_subparsers(dest="action", metavar="ACTION", required=True)
    create_key = apikeys_sub.add_parser("create", help="create an API key; prints it once, on the last line")
    create_key.add_argument("--account", required=True, help="the account id")
    create_key.add_argument("--label", help="a note to tell keys apart")
    list_keys = apikeys_sub.add_parser("list", help="list an account's keys: id, prefix, label, created, revoked")
    list_keys.add_argument("--account", required=True, help="the account id")
    revoke_key = apikeys_sub.add_parser("revoke", help="revoke a key: every request with it is refused from now on")
    revoke_key.add_argument("key_id", metavar="KEY_ID", help="the key's id ('apikeys list' shows them)")

    stores = commands.add_parser("stores", help="connect and list marketplace stores")
    stores_sub = stores.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = stores_sub.add_parser(
        "add",
        help="connect a store (credentials are verified with the marketplace first)",
        description="CREDENTIALS and SETTINGS are a JSON object, @file.json (@- for stdin), or key=value "
        "pairs. Prefer @file for secrets: command lines end up in shell history and process lists.",
    )
    add.add_argument("--account", required=True, help="the account id")
    add.add_argument("--channel", required=True, help="e.g. cdiscount")
    add.add_argument("--name", required=True)
    add.add_argument("--credentials", nargs="+", metavar="CREDENTIALS")
    add.add_argument("--settings", nargs="+", metavar="SETTINGS", dest="store_settings")
    add.add_argument("--sync-interval", type=SECONDS, metavar="SECONDS", help="default 900 (or the channel's minimum)")
    listing = stores_sub.add_parser("list", help="list stores and their last sync")
    listing.add_argument("--account", help="only this account's stores")

    sync = commands.add_parser("sync", help="import a store's orders now, showing progress; prints the sync report")
    sync.add_argument("store", help="the store id")

    sandbox = commands.add_parser("sandbox", help="run a marketplace or carrier sandbox speaking the real wire format")
    sandbox.add_argument("name", choices=SANDBOXES)
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=ANY_PORT, default=0, help="0 picks a free port")
    sandbox.add_argument("--orders", type=COUNT, default=200, help="seeded orders (cdiscount, mirakl)")
    sandbox.add_argument("--seed", type=int, default=1)
    sandbox.add_argument(
        "--profile",
        choices=mirakl_profiles(),
        help=f"the marketplace the mirakl sandbox plays (default {DEFAULT_PROFILE})",
    )

    demo = commands.add_parser(
        "demo", help="run portside on its embedded defaults: embedded Postgres, sandboxes, a demo store, the API"
    )
    demo.add_argument("--host", help="default PORTSIDE_HOST (127.0.0.1)")
    demo.add_argument("--port", type=PORT, help="API port (default PORTSIDE_PORT, 8080)")
    demo.add_argument("--orders", type=COUNT, default=200, help="orders in each marketplace sandbox")
    return parser


async def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from .serve import serve

    return await serve(settings, host=args.host, port=args.port, migrate=args.migrate)


async def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from .serve import worker

    return await worker(settings, metrics_port=args.metrics_port, migrate=args.migrate)


async def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from .commands import migrate

    return await migrate(settings)


async def _accounts(args: argparse.Namespace, settings: Settings) -> int:
    from .admin import create_account

    return await create_account(settings, args.name)


async def _apikeys(args: argparse.Namespace, settings: Settings) -> int:
    from .admin import create_api_key, list_api_keys, revoke_api_key

    if args.action == "list":
        return await list_api_keys(settings, args.account)
    if args.action == "revoke":
        return await revoke_api_key(settings, args.key_id)
    return await create_api_key(settings, args.account, args.label)


async def _stores(args: argparse.Namespace, settings: Settings) -> int:
    from .admin import add_store, list_stores

    if args.action == "list":
        return await list_stores(settings, args.account)
    return await add_store(
        settings,
        account_id=args.account,
        channel=args.channel,
        name=args.name,
        credentials=args.credentials,
        store_settings=args.store_settings,
        sync_interval_s=args.sync_interval,
    )


async def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from .admin import sync_store

    return await sync_store(settings, args.store)


async def _sandbox(args: argparse.Namespace, settings: Settings) -> int:
    from .sandboxes import run_sandbox

    if args.profile is not None and args.name != "mirakl":
        print(f"portside: --profile is for the mirakl sandbox, not {args.name}", file=sys.stderr)
        return 2
    profile = args.profile or DEFAULT_PROFILE
    return await run_sandbox(
        args.name, host=args.host, port=args.port, orders=args.orders, seed=args.seed, profile=profile
    )


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from .demo import run_demo

    return await run_demo(settings, host=args.host, port=args.port, orders=args.orders)


COMMANDS: dict[str, Command] = {
    "serve": _serve,
    "worker": _worker,
    "migrate": _migrate,
    "accounts": _accounts,
    "apikeys": _apikeys,
    "stores": _stores,
    "sync": _sync,
    "sandbox": _sandbox,
    "demo": _demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"portside: {exc}", file=sys.stderr)
        return BAD_CONFIGURATION
    configure_logging(settings.log_level)
    for name in unknown_variables():
        logging.getLogger("portside").warning(
            "%s is not a portside setting (misspelt?); it is ignored. The settings are listed in docs/operations.md",
            name,
        )
    try:
        return asyncio.run(COMMANDS[args.command](args, settings))
    except (KeyboardInterrupt, asyncio.CancelledError):
        # Interrupted before the command finished (a one-shot command, a start-up, a forced second
        # Ctrl-C). A long-running command stopped by its first signal finishes cleanly and returns 0.
        return INTERRUPTED
    except ConfigError as exc:  # found once resources start (e.g. an empty key file): still the configuration
        print(f"portside: {exc}", file=sys.stderr)
        return BAD_CONFIGURATION
    except PortsideError as exc:
        logging.getLogger("portside").debug("command failed", exc_info=True)
        print(f"portside: {_explain(exc)}", file=sys.stderr)
        return REFUSED


def _explain(exc: PortsideError) -> str:
    if isinstance(exc, NotFound):
        if exc.kind == "store":
            return f"{exc}; check the id ('portside stores list' shows store ids)"
        if exc.kind == "account":
            return f"{exc}; check the id (the last line 'portside accounts create' printed)"
        if exc.kind == "api key":
            return f"{exc}; check the id ('portside apikeys list --account ID' shows key ids)"
        return f"{exc}; check the id"
    if isinstance(exc, ValidationFailed) and exc.problems:
        return f"{exc}\n" + "\n".join(f"  {field}: {problem}" for field, problem in exc.problems.items())
    return str(exc)


if __name__ == "__main__":
    sys.exit(main())
