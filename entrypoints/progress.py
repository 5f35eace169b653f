"""A one-line progress display on stderr for ``portside sync`` and the demo (plain lines when not a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from portside.core.services import SyncProgress

_SPIN = "|/-\\"
_WIDTH = 24


class SyncProgressBar:
    """The channel does not say how many orders are coming, so the bar fills page by page towards an
    estimate that grows as pages arrive; the counts are exact."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._started = time.monotonic()
        self._last: SyncProgress | None = None

    def __call__(self, progress: SyncProgress) -> None:
        self._last = progress
        text = (
            f"{self.label}: page {progress.pages} · {progress.fetched} fetched · "
            f"{progress.new} new · {progress.updated} updated"
        )
        if self.tty:
            filled = min(_WIDTH - 1, progress.pages)  # an open-ended bar: one cell a page
            bar = "#" * filled + _SPIN[progress.pages % len(_SPIN)] + "." * (_WIDTH - filled - 1)
            self.stream.write(f"\r[{bar}] {text}\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def done(self, outcome: str) -> None:
        seconds = time.monotonic() - self._started
        if self.tty:
            self.stream.write(f"\r[{'#' * _WIDTH}] {self.label}: {outcome} in {seconds:.1f} s\x1b[K\n")
        else:
            self.stream.write(f"{self.label}: {outcome} in {seconds:.1f} s\n")
        self.stream.flush()
