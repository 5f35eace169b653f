"""Bad command-line input is a one-line error saying what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from portside.channels.cdiscount.settings import CdiscountCredentials
from portside.core.errors import ValidationFailed
from portside.entrypoints.admin import parse_config
from portside.entrypoints.cli import _explain, _parser


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("@nofile.json", "no file 'nofile.json'"),
        ("@.", "'.' is a directory"),
        ("@", "'@' names no file"),
    ],
)
def test_a_file_that_cannot_be_read_is_named(
    source: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationFailed) as caught:
        parse_config([source], CdiscountCredentials, "credentials")
    shown = _explain(caught.value)
    assert said in shown and "\n" not in shown


def test_bad_json_says_where_and_which_forms_work(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"client_secret": "S3cr3t",')
    with pytest.raises(ValidationFailed) as caught:
        parse_config([f"@{path}"], CdiscountCredentials, "credentials")
    shown = _explain(caught.value)
    assert "not valid JSON" in shown and "key=value" in shown and "S3cr3t" not in shown
    with pytest.raises(ValidationFailed, match="not an array"):
        parse_config([f"@{_write(tmp_path, '[1]')}"], CdiscountCredentials, "credentials")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "value.json"
    path.write_text(text)
    return path


def test_pairs_for_a_channel_without_types_stay_text() -> None:
    """An unknown channel has no credentials type: its pairs are kept as text for the channel check to refuse."""
    assert parse_config(["a=b", "n=1"], dict, "credentials") == {"a": "b", "n": "1"}


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "70000"],
        ["serve", "--port", "eighty"],
        ["worker", "--metrics-port", "0"],
        ["sandbox", "cdiscount", "--orders", "-1"],
        ["sandbox", "mirakl", "--port", "65536"],
        ["demo", "--port", "-1"],
        ["stores", "add", "--account", "a", "--channel", "c", "--name", "n", "--sync-interval", "-5"],
    ],
)
def test_out_of_range_numbers_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args(argv)
    assert exited.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
