"""Properties of the import: the cursor overlap never misses an order that arrives late within it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portside.adapters.memory import MemoryStorage
from portside.core.model import Store
from portside.core.ports import OrderQuery
from portside.core.services import ImportSettings, import_orders
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FAKE_STATUSES, FakeChannel, FakeMarketplace
from portside.testing.orders import make_order

OVERLAP = timedelta(hours=1)
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


class LaggingChannel(FakeChannel):
    """An order stamped ``updatedAt = t`` becomes visible only at ``t + lag`` (replication, indexing)."""

    def __init__(self, market: FakeMarketplace, lags: dict[str, timedelta], clock: FixedClock) -> None:
        super().__init__(market, page_size=7)
        self.lags = lags
        self.clock = clock

    def _entries(self, since):  # type: ignore[no-untyped-def]
        now = self.clock.now()
        return [e for e in super()._entries(since) if e[0] + self.lags[e[1]] <= now]


arrivals = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6 * 3600),  # updatedAt, seconds after T0
        st.integers(min_value=0, max_value=int(OVERLAP.total_seconds())),  # lag before it shows up
    ),
    min_size=1,
    max_size=40,
)
sync_gaps = st.lists(st.integers(min_value=60, max_value=3 * 3600), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrivals=arrivals, gaps=sync_gaps)
async def test_every_order_arriving_within_the_overlap_is_imported(arrivals, gaps) -> None:
    clock = FixedClock(T0)
    storage = MemoryStorage()
    store = Store(id="s", account_id="a", channel="fake", name="n", created_at=T0)
    market = FakeMarketplace()
    lags = {}
    for index, (offset, lag) in enumerate(arrivals):
        order = make_order(store.id, f"O{index}", updated_at=T0 + timedelta(seconds=offset))
        market.put(order)
        lags[order.channel_order_id] = timedelta(seconds=lag)
    channel = LaggingChannel(market, lags, clock)
    run = ImportSettings(overlap=OVERLAP, look_back=timedelta(days=1))

    async def sync() -> None:
        await import_orders(
            store, source=channel, uow=storage, clock=clock, status_defaults=FAKE_STATUSES, owner="w", settings=run
        )

    for gap in gaps:
        clock.advance(seconds=gap)
        await sync()
    # Polling continues after the last arrival has become visible.
    clock.at = T0 + timedelta(seconds=6 * 3600) + OVERLAP + timedelta(minutes=1)
    await sync()

    async with storage() as u:
        records = await u.orders.find(OrderQuery(limit=1000))
    assert sorted(r.order.channel_order_id for r in records) == sorted(market.orders)
