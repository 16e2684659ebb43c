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


# ---------------------------------------------------------------- Windows' read-only attribute (see fsutil)
# On POSIX a file's own mode never stops its removal, so these check what is platform-neutral: which files have
# the attribute cleared (never through a link), that the rmtree handler retries exactly the refused call and
# raises everything else, and that trees with read-only files go whole. What Windows refuses is tested under
# Wine in tests/windows/test_readonly_files_windows.py.


def _read_only(path):
    import stat

    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(b"x")
    os.chmod(path, stat.S_IREAD)
    return path


def test_clear_readonly_clears_the_files_own_mark_once_and_never_through_a_link(tmp_path):
    import stat

    from launcher.core.fsutil import clear_readonly

    target = _read_only(tmp_path / "target.exe")
    link = tmp_path / "link.exe"
    link.symlink_to(target)
    assert clear_readonly(link) is False
    assert stat.S_IMODE(target.stat().st_mode) == 0o400
    assert clear_readonly(target) is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert clear_readonly(target) is False  # not set any more: nothing to clear
    assert clear_readonly(tmp_path / "missing") is False


def test_the_rmtree_handler_retries_only_a_refusal_the_attribute_explains(tmp_path):
    from launcher.core.fsutil import _clear_readonly_and_retry

    marked = _read_only(tmp_path / "marked.dll")
    _clear_readonly_and_retry(os.unlink, str(marked), PermissionError(13, "Access is denied", str(marked)))
    assert not marked.exists()
    plain = tmp_path / "plain.dll"
    plain.write_bytes(b"x")  # writable: the refusal has another cause (held open, the folder's rights)
    refusal = PermissionError(13, "Access is denied", str(plain))
    with pytest.raises(PermissionError) as info:
        _clear_readonly_and_retry(os.unlink, str(plain), refusal)
    assert info.value is refusal and plain.exists()
    other = _read_only(tmp_path / "other.dll")
    with pytest.raises(PermissionError):  # not a removal: raised as it came
        _clear_readonly_and_retry(os.open, str(other), PermissionError(13, "Access is denied", str(other)))
    assert other.exists()
    _clear_readonly_and_retry(os.unlink, str(tmp_path / "gone"), FileNotFoundError(2, "gone"))  # what was wanted


def test_remove_tree_removes_read_only_files_but_not_what_links_point_to(tmp_path):
    import stat

    from launcher.core.fsutil import remove_tree

    outside = _read_only(tmp_path / "outside.txt")
    tree = tmp_path / "qs-1"
    _read_only(tree / "TeamViewer" / "tv_x64.exe")
    _read_only(tree / "TeamViewerQS.exe")
    (tree / "TeamViewer" / "to-outside").symlink_to(outside)
    remove_tree(tree)
    assert not tree.exists()
    assert outside.read_bytes() == b"x" and stat.S_IMODE(outside.stat().st_mode) == 0o400
    remove_tree(tree)  # gone already: no error


def test_remove_file_removes_a_read_only_file_and_says_when_one_is_missing(tmp_path):
    from launcher.core.fsutil import remove_file

    marked = _read_only(tmp_path / "TeamViewerQS-15.1.0-aaaa.exe")
    remove_file(marked)
    assert not marked.exists()
    remove_file(marked, missing_ok=True)
    with pytest.raises(FileNotFoundError):
        remove_file(marked)


def test_a_read_only_file_of_the_launchers_own_is_replaced_and_appended_to(tmp_path):
    from launcher.core.fsutil import append_line

    state = _read_only(tmp_path / "manifest_state.json")
    atomic_write_bytes(state, b"new")
    assert state.read_bytes() == b"new" and os.listdir(tmp_path) == ["manifest_state.json"]
    consent = tmp_path / "consent.jsonl"
    consent.write_bytes(b'{"a": 1}\n')
    _read_only(consent)
    append_line(consent, '{"b": 2}')
    assert consent.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
