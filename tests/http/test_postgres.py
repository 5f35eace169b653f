"""The API's main flows again, on real Postgres: the same test bodies, with this module's storage.

Importing a test function here collects it here too, where the fixtures below replace the in-memory
ones; so each flow is proven on both adapters without a second copy of it.
"""

from __future__ import annotations

import asyncpg
import pytest

from portside.adapters.postgres import PostgresUnitOfWorkFactory
from portside.entrypoints.application import Portside
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.fake_directory import FakeDirectory

from .conftest import build_portside
from .support import Snapshot
from .test_carriers import (  # noqa: F401
    test_a_sync_checks_points_with_the_accounts_own_mondial_relay_account,
    test_an_unreachable_carrier_is_a_503_unless_not_verifying,
    test_bad_settings_name_the_field_never_the_value_and_store_nothing,
    test_set_read_and_remove_your_own_settings,
    test_settings_the_carrier_refuses_are_a_422_with_its_reason,
)
from .test_catalog import (  # noqa: F401
    test_a_product_stored_after_the_seller_refused_an_order_fills_everything_else,
    test_bulk_csv_with_options_quotes_and_a_bad_row,
    test_bulk_json_lines_store_good_rows_and_report_bad_ones,
    test_bulk_streams_many_rows_in_batches,
    test_products_list_in_pages_and_delete,
    test_put_and_get_a_product,
)
from .test_openapi import test_a_tour_answers_every_operation_as_documented  # noqa: F401
from .test_orders import (  # noqa: F401
    test_accept_and_refuse_queue_one_decision,
    test_filters,
    test_internal_notes_are_kept_and_recorded,
    test_keyset_pages_have_no_gaps_or_duplicates_while_orders_change,
    test_order_detail_has_every_contract_field,
)
from .test_routes import (  # noqa: F401
    test_another_accounts_ids_are_not_found_and_nothing_changes,
    test_bad_bodies_are_refused_naming_fields_and_store_nothing,
    test_every_route_needs_a_valid_key,
    test_unknown_ids_are_not_found,
)
from .test_secrets import test_no_secret_in_any_answer_or_log  # noqa: F401
from .test_shipments import (  # noqa: F401
    test_a_dead_notification_is_retried_and_then_delivered,
    test_bad_shipments_name_the_fields_and_store_nothing,
    test_concurrent_retries_with_one_key_ship_once,
    test_idempotency_key_replays_the_first_answer_and_creates_nothing,
    test_ship_answers_202_with_the_notification_pending,
)
from .test_stores import (  # noqa: F401
    test_bad_credentials_are_refused_with_the_channel_reason,
    test_connect_a_store_with_good_credentials,
    test_delete_deactivates_and_keeps_history_and_reactivation_resyncs,
    test_patch_changes_fields_and_checks_new_credentials_first,
    test_status_mapping_read_and_replaced_remaps_stored_orders,
    test_sync_runs_in_the_background_and_reports,
)
from .test_webhooks import test_bad_subscriptions_store_nothing, test_create_list_read_and_deactivate  # noqa: F401


@pytest.fixture
def portside(
    pg_uow_factory: PostgresUnitOfWorkFactory, clock: FixedClock, plugin: FakeChannelPlugin, directory: FakeDirectory
) -> Portside:
    return build_portside(pg_uow_factory, clock, plugin, directory)


@pytest.fixture
def snapshot(pg_pool: asyncpg.Pool) -> Snapshot:
    """A digest of every row of every portside table."""

    async def take() -> object:
        async with pg_pool.acquire() as conn:
            tables = await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'portside' ORDER BY tablename"
            )
            digest = {}
            for (table,) in tables:
                digest[table] = await conn.fetchval(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM portside.\"{table}\" t"
                )
        return digest

    return take


async def test_ids_that_postgres_cannot_type_are_not_found(alice, portside: Portside) -> None:  # type: ignore[no-untyped-def]
    # Order ids are uuid columns: a path that is not a UUID must be a 404, not a database error.
    for path in ("/v1/orders/42", "/v1/orders/42/activity", "/v1/orders/'%3B--/shipments"):
        (await alice.api.get(path)).problem(404)
    (await alice.api.get("/v1/orders", params={"cursor": "eyJ4IjoxfQ"})).problem(422)
