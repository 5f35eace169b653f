"""What an import run leaves behind: the cursor, the report and the payloads it could not map."""

from __future__ import annotations

from datetime import datetime

import msgspec
from msgspec.structs import force_setattr

from ._time import optional_utc, require_utc


class SyncCursor(msgspec.Struct, frozen=True, kw_only=True):
    store_id: str
    updated_at: datetime  # the latest channel ``updatedAt`` seen by a completed sync

    def __post_init__(self) -> None:
        force_setattr(self, "updated_at", require_utc(self.updated_at, "updated_at"))


class SyncReport(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    store_id: str
    started_at: datetime
    finished_at: datetime | None = None
    since: datetime | None = None
    pages: int = 0
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    skipped: int = 0
    enriched_later: int = 0
    unmapped_statuses: dict[str, int] = {}
    cursor_before: datetime | None = None
    cursor_after: datetime | None = None
    outcome: str = "running"  # running | completed | failed | interrupted
    error: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "started_at", require_utc(self.started_at, "started_at"))
        force_setattr(self, "finished_at", optional_utc(self.finished_at, "finished_at"))

    @property
    def duration_s(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class QuarantinedPayload(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    store_id: str
    channel_order_id: str | None
    raw: bytes
    error: str
    received_at: datetime
    sync_id: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "received_at", require_utc(self.received_at, "received_at"))
