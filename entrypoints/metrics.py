"""Prometheus metrics: syncs, imported orders, outbox outcomes and depth, HTTP latency, acceptance SLA,
pickup cache purges."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from portside.core.model import OutboxKind
from portside.core.ports import OutboxDepth

CONTENT_TYPE = CONTENT_TYPE_LATEST
_SYNC_BUCKETS = (0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
_HTTP_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    """One registry per process (never the global one: tests and embedding hosts build several)."""

    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # the *_created series double every counter for no operator's benefit
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self.syncs = Counter(
            "portside_syncs", "Store syncs by channel and outcome", ["channel", "outcome"], registry=registry
        )
        self.sync_seconds = Histogram(
            "portside_sync_duration_seconds",
            "Store sync duration",
            ["channel"],
            buckets=_SYNC_BUCKETS,
            registry=registry,
        )
        self.orders = Counter(
            "portside_orders_imported",
            "Orders written by imports (new or updated)",
            ["channel", "kind"],
            registry=registry,
        )
        self.outbox_outcomes = Counter(
            "portside_outbox_outcomes",
            "Settled outbox messages (ship notifications, acceptances, webhooks) by outcome",
            ["kind", "outcome"],
            registry=registry,
        )
        self.outbox_messages = Gauge(
            "portside_outbox_messages", "Outbox messages by kind and state", ["kind", "state"], registry=registry
        )
        self.outbox_age = Gauge(
            "portside_outbox_oldest_due_age_seconds",
            "Age of the oldest message due for delivery (0 when none waits)",
            ["kind"],
            registry=registry,
        )
        self.events = Counter("portside_events_published", "Activity records published as events", registry=registry)
        self.webhooks_queued = Counter(
            "portside_webhook_deliveries_queued", "Webhook deliveries queued for subscribers", registry=registry
        )
        self.http_seconds = Histogram(
            "portside_http_request_duration_seconds",
            "HTTP API request latency",
            ["route", "method", "status"],
            buckets=_HTTP_BUCKETS,
            registry=registry,
        )
        self.overdue = Gauge(
            "portside_acceptance_overdue_orders",
            "Orders awaiting acceptance longer than the SLA threshold",
            registry=registry,
        )
        self.breaches = Counter(
            "portside_acceptance_sla_breaches", "Orders that crossed the acceptance SLA threshold", registry=registry
        )
        self.pickup_cache_purges = Counter(
            "portside_pickup_cache_purged",
            "Expired pickup point cache entries deleted by housekeeping",
            registry=registry,
        )

    # --- the HTTP API's hook -------------------------------------------------------------------
    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """One answered request; ``route`` is the route template (``/v1/orders/{id}``), never the path."""
        self.http_seconds.labels(route, method, str(status)).observe(seconds)

    def render(self) -> str:
        """Every metric in the Prometheus text format 0.0.4."""
        return generate_latest(self.registry).decode()

    content_type = CONTENT_TYPE

    # --- Observer ------------------------------------------------------------------------------
    def sync_finished(self, channel: str, outcome: str, seconds: float, *, new: int, updated: int) -> None:
        self.syncs.labels(channel, outcome).inc()
        self.sync_seconds.labels(channel).observe(seconds)
        if new:
            self.orders.labels(channel, "new").inc(new)
        if updated:
            self.orders.labels(channel, "updated").inc(updated)

    def outbox_settled(self, kind: str, outcome: str) -> None:
        self.outbox_outcomes.labels(kind, outcome).inc()

    def events_published(self, records: int, deliveries: int) -> None:
        self.events.inc(records)
        self.webhooks_queued.inc(deliveries)

    def acceptance_overdue(self, overdue: int, newly_breached: int) -> None:
        self.overdue.set(overdue)
        if newly_breached:
            self.breaches.inc(newly_breached)

    def outbox_depth(self, rows: list[OutboxDepth]) -> None:
        by_kind = {row.kind: row for row in rows}
        # Every known kind is reported, at zero when it has no row: a gauge left at its last value
        # would show a backlog that drained long ago.
        for kind in sorted({k.value for k in OutboxKind} | set(by_kind)):
            row = by_kind.get(kind, OutboxDepth(kind=kind))
            for state in ("due", "scheduled", "in_flight", "dead"):
                self.outbox_messages.labels(kind, state).set(getattr(row, state))
            self.outbox_age.labels(kind).set(row.oldest_due_age_s)

    def pickup_cache_purged(self, entries: int) -> None:
        self.pickup_cache_purges.inc(entries)
