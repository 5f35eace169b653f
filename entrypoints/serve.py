"""``portside serve`` (HTTP API + scheduler) and ``portside worker`` (scheduler only), in one process each."""

from __future__ import annotations

import asyncio
import errno
import logging

from aiohttp import web

from portside.core.errors import PortsideError

from .carrier_kinds import CARRIER_KINDS
from .commands import ready_schema, running
from .config import Settings
from .container import Container
from .lifecycle import StopSignals, resolve
from .metrics import Metrics
from .scheduler import Scheduler
from .service_carriers import service_carrier_settings

log = logging.getLogger("portside")


class PortInUse(PortsideError):
    pass


async def start_site(
    app: web.Application, host: str, port: int, *, what: str = "the API", option: str = "--port or PORTSIDE_PORT"
) -> web.AppRunner:
    """Listen on ``host:port``; a busy port is an error that says what to do (``option`` chooses another)."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=10.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"cannot serve {what} on {host}:{port}: the port is in use (another portside?). "
                f"Stop that process, or choose another port with {option}."
            ) from None
        raise PortsideError(
            f"cannot serve {what} on {host}:{port}: {exc.strerror or exc}; check the host and port ({option})"
        ) from None
    return runner


def bound_url(runner: web.AppRunner) -> str:
    host, port = runner.addresses[0][:2]
    return f"http://{host}:{port}"


def metrics_app(metrics: Metrics) -> web.Application:
    """A worker's own small HTTP endpoint: liveness and its metrics (syncs and deliveries happen here)."""

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def render(_: web.Request) -> web.Response:
        return web.Response(text=metrics.render(), headers={"Content-Type": metrics.content_type})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", render)
    return app


async def run_scheduler(scheduler: Scheduler, signals: StopSignals, grace_s: float) -> None:
    """Run until a stop signal, then give the scheduler its grace period (plus a little) to finish."""
    task = asyncio.create_task(scheduler.run(signals.stop), name="scheduler")
    stop = asyncio.create_task(signals.stop.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    signals.stop.set()
    try:
        await asyncio.wait_for(task, timeout=grace_s + 5.0)
    except TimeoutError:
        log.warning("the scheduler did not stop within %.0f s; its leases lapse and others take over", grace_s)


async def _serve_with(
    container: Container, signals: StopSignals, settings: Settings, *, host: str | None, port: int | None, api: bool
) -> None:
    scheduler: Scheduler = await resolve(container.scheduler())
    missing = [c.value for c in CARRIER_KINDS if c not in service_carrier_settings(settings)]
    if missing:  # once, as the service starts: the admin commands have no use for it
        log.info("no service directory configured for %s: only accounts' own settings are used", ", ".join(missing))
    if api:
        web_app = await resolve(container.http_app())
        what = "the API"
    else:
        web_app = metrics_app(await resolve(container.metrics()))
        what = "the worker's metrics"
    option = "--port or PORTSIDE_PORT" if api else "--metrics-port"
    runner = await start_site(web_app, host or settings.host, port, what=what, option=option) if port else None
    try:
        if runner is not None:
            print(f"portside: {what} on {bound_url(runner)}", flush=True)
        signals.started()
        await run_scheduler(scheduler, signals, settings.shutdown_grace_s)
    finally:
        if runner is not None:
            await runner.cleanup()  # stops listening, lets requests in flight finish


async def serve(settings: Settings, *, host: str | None, port: int | None, migrate: bool) -> int:
    with StopSignals() as signals:
        async with running(settings) as container:
            await ready_schema(container, migrate=migrate)
            await _serve_with(container, signals, settings, host=host, port=port or settings.port, api=True)
    log.info("stopped")
    return 0


async def worker(settings: Settings, *, metrics_port: int | None, migrate: bool) -> int:
    with StopSignals() as signals:
        async with running(settings) as container:
            await ready_schema(container, migrate=migrate)
            log.info("worker %s started", await resolve(container.worker_id()))
            await _serve_with(container, signals, settings, host=None, port=metrics_port, api=False)
    log.info("stopped")
    return 0
