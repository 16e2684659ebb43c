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


def test_append_line_on_a_full_disk_raises_and_leaves_no_torn_record(tmp_path):
    """A disk with room for part of the line takes that part (a short write): it must not stay as a torn
    record while the caller believes the line was written."""
    import errno

    import pytest

    from tests.support.tmpfs import fill_up, mounted_tmpfs

    with mounted_tmpfs(tmp_path / "disk", "size=64k") as folder:
        target = folder / "consent.jsonl"
        append_line(target, '{"a": 1}')
        fill_up(folder)  # the record's block still has room for a few KiB: the next line is longer
        with pytest.raises(OSError) as err:
            append_line(target, '{"b": "' + "x" * 20_000 + '"}')
        assert err.value.errno == errno.ENOSPC
        assert target.read_bytes() == b'{"a": 1}\n'
        append_line(target, '{"c": 3}')  # a line that fits goes in whole, after the intact one
        assert target.read_bytes() == b'{"a": 1}\n{"c": 3}\n'
