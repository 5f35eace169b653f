"""``portside sandbox``: which sandboxes and Mirakl marketplaces it offers, and what it prints about each."""

from __future__ import annotations

import pytest

from portside.channels.mirakl import profile_names
from portside.entrypoints.cli import _parser, main
from portside.entrypoints.sandboxes import describe, mirakl_store_config, start_sandbox


def test_mirakl_sandbox_profiles_are_the_shipped_ones() -> None:
    args = _parser().parse_args(["sandbox", "mirakl"])
    assert args.name == "mirakl" and args.profile is None  # leroy_merlin, resolved by the command
    chosen = _parser().parse_args(["sandbox", "mirakl", "--profile", "decathlon", "--orders", "5"])
    assert (chosen.profile, chosen.orders) == ("decathlon", 5)
    with pytest.raises(SystemExit):
        _parser().parse_args(["sandbox", "mirakl", "--profile", "fnac"])  # not a Mirakl marketplace in portside
    for name in profile_names():
        assert _parser().parse_args(["sandbox", "mirakl", "--profile", name]).profile == name


def test_profile_is_only_for_the_mirakl_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "cdiscount", "--profile", "decathlon"]) == 2
    assert "--profile is for the mirakl sandbox" in capsys.readouterr().err


@pytest.mark.parametrize(("profile", "marketplace"), [("leroy_merlin", "Leroy Merlin"), ("decathlon", "Decathlon")])
async def test_mirakl_sandbox_description(profile: str, marketplace: str) -> None:
    running = await start_sandbox("mirakl", host="127.0.0.1", port=0, orders=3, profile=profile)
    try:
        text = "\n".join(describe("mirakl", running))
        credentials, settings = mirakl_store_config(running)
    finally:
        await running.close()
    assert running.config.profile == profile and len(running.state.store) == 3
    assert credentials == {"api_key": "sandbox-mirakl-key"}
    assert settings == {"base_url": running.url, "profile": profile, "shop_id": "2001"}
    assert f"Mirakl sandbox playing {marketplace} on {running.url}" in text
    assert f"base_url:       {running.url} " in text
    assert "api_key=sandbox-mirakl-key" in text and "shop_id=2001" in text and f"profile={profile}" in text
    assert f"{running.url}/_sandbox/faults" in text and f"{running.url}/_sandbox/stats" in text
    assert "portside stores add --account ACCOUNT_ID --channel mirakl" in text
