"""The scheduler: store syncs, the outbox relay and event publishing, shared through Postgres."""

from .acceptance_sla import OVERDUE_FLAG, SlaReport, check_acceptance_sla
from .loops import Scheduler

__all__ = ["OVERDUE_FLAG", "Scheduler", "SlaReport", "check_acceptance_sla"]
