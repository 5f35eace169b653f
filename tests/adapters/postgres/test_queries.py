"""Named SQL queries: every one parses and prepares against the migrated schema."""

from __future__ import annotations

import asyncpg
import pytest

from portside.adapters.postgres.queries import all_queries, parse, query


async def test_every_named_query_prepares(pg_pool: asyncpg.Pool) -> None:
    queries = all_queries()
    assert len(queries) > 20
    async with pg_pool.acquire() as conn:
        for name, sql in queries.items():
            try:
                await conn.prepare(sql)
            except asyncpg.PostgresError as exc:
                pytest.fail(f"query {name} does not prepare: {exc}")


def test_parse_splits_on_name_headers_and_refuses_duplicates() -> None:
    text = "-- file comment\n\n-- name: one\nSELECT 1;\n\n-- name: two\n-- says why\nSELECT 2;\n"
    assert parse(text, "x.sql") == {"one": "SELECT 1", "two": "-- says why\nSELECT 2"}
    with pytest.raises(ValueError, match="defined twice"):
        parse("-- name: one\nSELECT 1;\n-- name: one\nSELECT 2;\n", "x.sql")


def test_unknown_query_names_the_package() -> None:
    with pytest.raises(KeyError, match="no SQL query named 'nope'"):
        query("nope")


async def test_pool_plans_with_actual_values_and_reads_portside_first(pg_pool: asyncpg.Pool) -> None:
    # Without custom plans, the keyset of order_find would scan from the first order every page.
    assert await pg_pool.fetchval("SHOW plan_cache_mode") == "force_custom_plan"
    assert (await pg_pool.fetchval("SHOW search_path")).startswith("portside")


async def test_pool_codecs_use_msgspec_for_json_and_jsonb(pg_pool: asyncpg.Pool) -> None:
    value = {"a": [1, 2.5, None, True], "b": {"c": "é"}}
    assert await pg_pool.fetchval("SELECT $1::jsonb", value) == value
    assert await pg_pool.fetchval("SELECT $1::json", value) == value
    assert await pg_pool.fetchval("SELECT '[1, {\"x\": 2}]'::jsonb") == [1, {"x": 2}]
