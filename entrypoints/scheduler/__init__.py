"""The scheduler: keeps every active store in sync and drains the outbox, sharing work through Postgres."""

from .loops import Scheduler

__all__ = ["Scheduler"]
