"""The command line refuses bad input in one line with the documented exit code: never a traceback."""

from __future__ import annotations

import asyncio
import socket

import pytest

from portside.adapters.postgres import FernetCipher

from .test_cli import UUID, portside


@pytest.fixture
def env(pg_dsn: str) -> dict[str, str]:
    return {"PORTSIDE_DATABASE_URL": pg_dsn, "PORTSIDE_SECRET_KEY": FernetCipher.generate_key()}


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("portside: ")]
    assert "Traceback" not in err and len(lines) == 1, err
    return lines[0]


async def test_bad_store_input_is_one_line(env: dict[str, str], tmp_path: object) -> None:
    account = await portside("accounts", "create", "Boutique", env=env)
    assert account.code == 0 and UUID.match(account.last_line)
    add = ["stores", "add", "--account", account.last_line, "--name", "n"]
    missing = await portside(*add, "--channel", "cdiscount", "--credentials", "@nofile.json", env=env)
    assert missing.code == 1 and "no file 'nofile.json'" in _one_line(missing.err)
    unknown = await portside(*add, "--channel", "amazon", "--credentials", "a=b", env=env)
    assert unknown.code == 1 and "unknown channel 'amazon'; installed channels: cdiscount" in _one_line(unknown.err)
    bad_json = await portside(*add, "--channel", "cdiscount", "--settings", '{"page_size": ', env=env)
    assert bad_json.code == 1 and "settings: not valid JSON" in _one_line(bad_json.err)
    nobody = await portside("stores", "list", "--account", "nobody", env=env)
    assert nobody.code == 1 and "account nobody not found" in _one_line(nobody.err)


@pytest.mark.parametrize(
    "variables",
    [
        {"PORTSIDE_SECRET_KEY": "not-a-fernet-key"},
        {"PORTSIDE_SECRET_KEY": f"{FernetCipher.generate_key()},also-not-one"},
        {"PORTSIDE_DATABASE_URL": "mysql://u:hunter2@127.0.0.1/x"},
    ],
)
async def test_invalid_configuration_exits_2_on_every_command(variables: dict[str, str]) -> None:
    for command in (["migrate"], ["stores", "list"], ["serve", "--port", "1"]):
        result = await portside(*command, env=variables)
        assert result.code == 2, (command, result)
        line = _one_line(result.err)
        assert "invalid configuration: PORTSIDE_" in line and "hunter2" not in line and "also-not-one" not in line


async def test_a_sandbox_on_a_busy_port_is_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = await asyncio.wait_for(portside("sandbox", "colissimo", "--port", str(port), env={}), 30)
    assert result.code == 1 and "the port is in use" in _one_line(result.err)
    usage = await portside("sandbox", "colissimo", "--port", "70000", env={})
    assert usage.code == 2 and "port must be from 0 to 65535" in usage.err and "Traceback" not in usage.err
