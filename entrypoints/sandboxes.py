"""Starting the sandboxes (Octopia, Mondial Relay, Colissimo) for ``portside sandbox`` and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from datetime import datetime
from typing import Any

SANDBOXES = ("cdiscount", "mondial-relay", "colissimo")


async def start_sandbox(
    name: str, *, host: str, port: int, orders: int = 200, seed: int = 1, now: datetime | None = None
) -> Any:
    """Start one sandbox; the returned object has ``url`` and ``close()``. ``now`` anchors the Octopia
    sandbox's clock: the same seed and anchor give the same orders on every start."""
    if name == "cdiscount":
        from portside.channels.cdiscount.sandbox import SandboxConfig
        from portside.channels.cdiscount.sandbox import start_sandbox as start_octopia

        return await start_octopia(SandboxConfig(seed=seed, orders=orders, now=now), host=host, port=port)
    if name == "mondial-relay":
        from portside.adapters.carriers.mondial_relay.sandbox.app import start_sandbox as start_mondial_relay

        return await start_mondial_relay(host=host, port=port)
    if name == "colissimo":
        from portside.adapters.carriers.colissimo.sandbox.app import start_sandbox as start_colissimo

        return await start_colissimo(host=host, port=port)
    raise ValueError(f"unknown sandbox {name!r}; one of: {', '.join(SANDBOXES)}")


def describe(name: str, running: Any) -> list[str]:
    if name == "cdiscount":
        return [
            f"Octopia sandbox on {running.url}",
            f"  token endpoint: {running.auth_url}",
            f"  API base URL:   {running.api_base_url}",
            "  credentials:    client_id=sandbox-client client_secret=sandbox-secret seller_id=123456",
            f"  faults/stats:   {running.url}/_sandbox/faults  {running.url}/_sandbox/stats",
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


async def run_sandbox(name: str, *, host: str, port: int, orders: int, seed: int) -> int:
    running = await start_sandbox(name, host=host, port=port, orders=orders, seed=seed)
    try:
        print("\n".join(describe(name, running)), flush=True)
        print("Ctrl-C stops it.", flush=True)
        await wait_for_stop_signal()
    finally:
        await running.close()
    return 0
