import os

import pytest

from launcher.core.fsutil import append_line, atomic_write_bytes


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "state.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["state.json"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "state.json"
    atomic_write_bytes(target, b"good")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["state.json"]


def test_append_line_closes_a_torn_tail(tmp_path):
    target = tmp_path / "log.jsonl"
    target.write_bytes(b'{"a": 1}\n{"torn')
    append_line(target, '{"b": 2}')
    assert target.read_bytes().splitlines() == [b'{"a": 1}', b'{"torn', b'{"b": 2}']
