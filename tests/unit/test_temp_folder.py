"""The temporary folder the launcher writes to is the one the environment names (launcher.core.paths.temp_folder),
never another one Python's tempfile falls back to when it cannot be written (the current folder, C:\\temp, /tmp):
`--demo` and `--self-test` say APP-DATA-DIR naming it, the single-instance fallback lock is not taken there.

Here TMPDIR names a read-only tmpfs (tests/support/tmpfs.py: Linux as root, else skipped); the Windows lane runs a
read-only %TEMP% through Wine's Z: (tests/windows/test_temp_fallback_windows.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.paths import temp_folder
from tests.support.tmpfs import mounted_tmpfs

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="TMPDIR: POSIX; Windows: tests/windows")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def unusable_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """TMPDIR names a read-only folder; the current folder is an empty, writable one (`tmp_path/cwd`). tempfile's
    remembered answer is forgotten, so that code still asking it would ask again."""
    (tmp_path / "cwd").mkdir()
    with mounted_tmpfs(tmp_path / "temp", "ro,size=64k") as read_only:
        monkeypatch.setenv("TMPDIR", str(read_only))
        for var in ("TEMP", "TMP"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setattr(tempfile, "tempdir", None)
        monkeypatch.chdir(tmp_path / "cwd")
        yield read_only


def test_the_temp_folder_is_the_one_named(unusable_temp: Path) -> None:
    assert temp_folder() == unusable_temp
    assert Path(tempfile.gettempdir()) != unusable_temp  # what tempfile does instead: another folder, silently


def test_the_demo_says_app_data_dir_for_a_temp_folder_it_cannot_write(unusable_temp: Path, tmp_path: Path) -> None:
    from launcher.demo.session import demo_environment

    with pytest.raises(LauncherError) as info, demo_environment():
        pytest.fail("the demo ran elsewhere")
    assert info.value.code == "APP-DATA-DIR" and str(unusable_temp) in info.value.detail, info.value
    assert list((tmp_path / "cwd").iterdir()) == [] and list(unusable_temp.iterdir()) == []


def test_the_self_test_says_app_data_dir_for_a_temp_folder_it_cannot_write(unusable_temp: Path,
                                                                            tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "launcher", "--lang", "en", "--self-test"], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path / "cwd", stdin=subprocess.DEVNULL,
                          env={**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith("ERROR APP-DATA-DIR:"), proc.stderr
    assert str(unusable_temp) in proc.stderr and "Traceback" not in proc.stderr
    assert list((tmp_path / "cwd").iterdir()) == []


def test_the_single_instance_fallback_lock_folder_is_in_the_named_temp_folder_or_none(unusable_temp: Path,
                                                                                      tmp_path: Path) -> None:
    from launcher.ui.single_instance import _private_temp_folder

    folder = _private_temp_folder("overmax-test-instance")
    assert folder.is_relative_to(unusable_temp), folder  # unusable: the lock then runs unguarded, and says so
    assert list(unusable_temp.iterdir()) == [] and list((tmp_path / "cwd").iterdir()) == []
