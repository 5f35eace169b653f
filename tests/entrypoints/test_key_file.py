"""The credentials key file of the embedded defaults: created once, atomically, even by processes starting
together on a fresh data directory; every one of them ends up with the same key."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from portside.entrypoints.config import ConfigError, Settings
from portside.entrypoints.resources import KEY_FILE, _read_key_file, credentials_cipher


def test_starting_together_on_a_fresh_data_dir_gives_everyone_the_same_key(tmp_path: Path) -> None:
    for attempt in range(20):
        data_dir = tmp_path / f"data{attempt}"
        barrier = threading.Barrier(8)

        with ThreadPoolExecutor(8) as pool:
            tokens = list(pool.map(lambda _, d=data_dir, b=barrier: _start(d, b), range(8)))
        cipher = credentials_cipher(Settings(data_dir=str(data_dir)))
        assert {cipher.decrypt(token) for token in tokens} == {b"client_secret"}  # one key for all
        assert [p.name for p in data_dir.iterdir()] == [KEY_FILE]  # no temporary file left behind
        assert stat.S_IMODE((data_dir / KEY_FILE).stat().st_mode) == 0o600


def _start(data_dir: Path, barrier: threading.Barrier) -> bytes:
    barrier.wait()  # every thread creates the cipher at the same moment
    return credentials_cipher(Settings(data_dir=str(data_dir))).encrypt(b"client_secret")


def test_a_file_being_written_is_waited_for_and_an_empty_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE
    path.write_text("")
    threading.Timer(0.1, lambda: path.write_text("the-key\n")).start()
    assert _read_key_file(path) == "the-key"
    path.write_text("")
    with pytest.raises(ConfigError, match="is empty"):
        _read_key_file(path, wait_s=0.1)
