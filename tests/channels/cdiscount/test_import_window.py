"""A Cdiscount store's own import window (settings) reaches the import instead of the service defaults, and
only what the store sets: the rest stays the service's."""

from __future__ import annotations

from datetime import timedelta

from .conftest import make_store


def test_the_store_settings_set_the_import_window(build) -> None:
    default = build().import_window  # unset: the service's defaults apply (PORTSIDE_SYNC_*)
    assert default is not None and (default.overlap, default.look_back) == (None, None)
    custom = build(make_store(import_overlap_minutes=90, import_look_back_days=7)).import_window
    assert custom is not None and (custom.overlap, custom.look_back) == (timedelta(minutes=90), timedelta(days=7))
