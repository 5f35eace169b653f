"""Starting the sandboxes (Octopia, Mirakl, Mondial Relay, Colissimo) for ``portside sandbox`` and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
from datetime import datetime
from typing import Any

from portside.core.errors import PortsideError

SANDBOXES = ("cdiscount", "mirakl", "mondial-relay", "colissimo")
DEFAULT_PROFILE = "leroy_merlin"  # the Mirakl marketplace a sandbox plays unless told otherwise


def mirakl_profiles() -> tuple[str, ...]:
    """The marketplaces the Mirakl sandbox can play: every shipped profile."""
    from portside.channels.mirakl import profile_names

    return profile_names()


async def start_sandbox(
    name: str,
    *,
    host: str,
    port: int,
    orders: int = 200,
    seed: int = 1,
    now: datetime | None = None,
    profile: str = DEFAULT_PROFILE,
) -> Any:
    """Start one sandbox; the returned object has ``url`` and ``close()``. ``now`` anchors the marketplace
    sandboxes' clocks: the same seed and anchor give the same orders on every start. ``profile`` is the
    marketplace the Mirakl sandbox plays. A port in use or a host it cannot listen on is a PortsideError."""
    try:
        return await _start(name, host=host, port=port, orders=orders, seed=seed, now=now, profile=profile)
    except OSError as exc:
        busy = exc.errno == errno.EADDRINUSE
        reason = "the port is in use; choose another with --port (0 picks a free one)" if busy else exc.strerror
        raise PortsideError(f"cannot start the {name} sandbox on {host}:{port}: {reason or exc}") from None


async def _start(name: str, *, host: str, port: int, orders: int, seed: int, now: datetime | None, profile: str) -> Any:
    if name == "cdiscount":
        from portside.channels.cdiscount.sandbox import SandboxConfig
        from portside.channels.cdiscount.sandbox import start_sandbox as start_octopia

        return await start_octopia(SandboxConfig(seed=seed, orders=orders, now=now), host=host, port=port)
    if name == "mirakl":
        from portside.channels.mirakl.sandbox import MiraklSandboxConfig
        from portside.channels.mirakl.sandbox import start_sandbox as start_mirakl

        config = MiraklSandboxConfig(profile=profile, seed=seed, orders=orders, now=now)
        return await start_mirakl(config, host=host, port=port)
    if name == "mondial-relay":
        from portside.adapters.carriers.mondial_relay.sandbox.app import start_sandbox as start_mondial_relay

        return await start_mondial_relay(host=host, port=port)
    if name == "colissimo":
        from portside.adapters.carriers.colissimo.sandbox.app import start_sandbox as start_colissimo

        return await start_colissimo(host=host, port=port)
    raise ValueError(f"unknown sandbox {name!r}; one of: {', '.join(SANDBOXES)}")


def mirakl_store_config(running: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The credentials and settings of a store connected to a running Mirakl sandbox."""
    config = running.config
    settings = {"base_url": running.url, "profile": config.profile}
    if config.shop_id is not None:
        settings["shop_id"] = config.shop_id
    return {"api_key": config.api_key}, settings


def _pairs(values: dict[str, str]) -> str:
    return " ".join(f"{key}={value}" for key, value in values.items())


def describe(name: str, running: Any) -> list[str]:
    admin = f"{running.url}/_sandbox/faults  {running.url}/_sandbox/stats"
    if name == "cdiscount":
        return [
            f"Octopia sandbox on {running.url}",
            f"  token endpoint: {running.auth_url}",
            f"  API base URL:   {running.api_base_url}",
            "  credentials:    client_id=sandbox-client client_secret=sandbox-secret seller_id=123456",
            f"  faults/stats:   {admin}",
        ]
    if name == "mirakl":
        from portside.channels.mirakl import load_profile

        credentials, settings = mirakl_store_config(running)
        marketplace = load_profile(running.config.profile).display_name
        return [
            f"Mirakl sandbox playing {marketplace} on {running.url}",
            f"  base_url:       {running.url}   (a store's base_url, as https://<operator>.mirakl.net would be)",
            f"  credentials:    {_pairs(credentials)}",
            f"  settings:       {_pairs(settings)}",
            f"  faults/stats:   {admin}",
            "  connect a store to it:",
            f'    portside stores add --account ACCOUNT_ID --channel mirakl --name "{marketplace} sandbox" \\',
            f"      --credentials {_pairs(credentials)} --settings {_pairs(settings)}",
        ]
    return [f"{name} sandbox on {running.url}"]


async def wait_for_stop_signal() -> None:
    """Return on SIGINT or SIGTERM (Ctrl-C included)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on every platform
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)


async def run_sandbox(
    name: str, *, host: str, port: int, orders: int, seed: int, profile: str = DEFAULT_PROFILE
) -> int:
    running = await start_sandbox(name, host=host, port=port, orders=orders, seed=seed, profile=profile)
    try:
        print("\n".join(describe(name, running)), flush=True)
        print("Ctrl-C stops it.", flush=True)
        await wait_for_stop_signal()
    finally:
        await running.close()
    return 0
