"""How long a call may wait for its store's request budget with a channel before giving up.

A channel spends each store's calls through a rate limiter (Octopia allows a few requests per second
per seller). An import waits its turn: its pages must come in order. A relay delivery should not: a
message waiting for one busy store's budget would hold a delivery slot that another store's message
could use, and a store with a backlog would hold up every other store's notifications. The relay
sets ``BUDGET_WAIT`` for each delivery; the shared HTTP client then gives up after that long, before
sending anything, with ``ChannelBusy`` (its ``retry_after`` says when the budget is back), and the
relay defers the message. Unset (None), calls wait for as long as the budget takes.
"""

from __future__ import annotations

from contextvars import ContextVar

BUDGET_WAIT: ContextVar[float | None] = ContextVar("portside_budget_wait", default=None)
