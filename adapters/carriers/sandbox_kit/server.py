"""Run a sandbox app on a local port and hand back its URL and a way to stop it."""

from __future__ import annotations

from types import TracebackType

from aiohttp import web

from .faults import FaultInjector

FAULTS = web.AppKey("faults", FaultInjector)


class Running:
    """A started sandbox: ``url`` is what a directory's settings take, ``base_url`` reaches ``/_sandbox``."""

    def __init__(self, runner: web.AppRunner, base_url: str, path: str) -> None:
        self._runner = runner
        self.base_url = base_url
        self.url = base_url + path

    @property
    def app(self) -> web.Application:
        return self._runner.app

    async def close(self) -> None:
        await self._runner.cleanup()

    async def __aenter__(self) -> Running:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def sandbox_app(*, malformed: bytes, bomb: bytes, content_type: str) -> web.Application:
    """An empty sandbox app with the fault knobs installed (``app[FAULTS]``) and small request bodies."""
    app = web.Application(client_max_size=64 * 1024)  # a directory request is a few hundred bytes
    injector = FaultInjector(malformed=malformed, bomb=bomb, content_type=content_type)
    injector.install(app)
    app[FAULTS] = injector
    return app


async def serve(app: web.Application, *, host: str, port: int, path: str) -> Running:
    """Start ``app`` on ``host:port`` (0 picks a free port) and return once it accepts connections."""
    # A stalled handler (the "slow" fault) must not hold close() for aiohttp's default 60 s.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_host, bound_port = runner.addresses[0][:2]
    if ":" in bound_host:
        bound_host = f"[{bound_host}]"  # IPv6 literal in a URL
    return Running(runner, f"http://{bound_host}:{bound_port}", path)
