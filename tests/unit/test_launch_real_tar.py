"""Archives as the usual tar invocations make them (GNU tar run for real, Python's tarfile for pax global
headers): accepted; only what is really wrong is refused, with the entry named in the detail."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.quicksupport.launch import safe_extract

pytestmark = pytest.mark.skipif(shutil.which("tar") is None, reason="no tar command here")
LONG = "teamviewerqs/" + "/".join(["a-rather-long-folder-name-for-plugins"] * 4) + "/libsomething-with-a-long-name.so.1"


@pytest.fixture
def src(tmp_path: Path) -> Path:
    """What QuickSupport for Linux holds, in small: an executable, a library and links to it, a long path."""
    root = tmp_path / "src"
    (root / "teamviewerqs" / "lib").mkdir(parents=True)
    entry = root / "teamviewerqs" / "teamviewer"
    entry.write_text("#!/bin/sh\nexit 0\n")
    entry.chmod(0o755)
    lib = root / "teamviewerqs" / "lib" / "libqt.so.6"
    lib.write_bytes(b"library")
    (root / "teamviewerqs" / "lib" / "libqt.so").symlink_to("libqt.so.6")
    os.link(lib, root / "teamviewerqs" / "lib" / "libqt-hard.so.6")
    readonly = root / "teamviewerqs" / "README"
    readonly.write_text("read me")
    readonly.chmod(0o444)
    long = root / LONG
    long.parent.mkdir(parents=True)
    long.write_bytes(b"plugin")
    with open(root / "teamviewerqs" / "sparse.dat", "wb") as fh:  # holes, as `tar -S` stores them
        fh.write(b"start")
        fh.seek(3 << 20)
        fh.write(b"end")
    return root


def tar(*args: str, cwd: Path) -> None:
    subprocess.run(["tar", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def unpack(archive: Path, dest: Path) -> Path:
    dest.mkdir()
    with open(archive, "rb") as fh:
        safe_extract(fh, dest)
    return dest


def assert_laid_out(dest: Path) -> None:
    entry = dest / "teamviewerqs" / "teamviewer"
    assert entry.read_text().startswith("#!/bin/sh") and os.access(entry, os.X_OK)
    assert (dest / "teamviewerqs/lib/libqt.so").read_bytes() == b"library"
    assert os.readlink(dest / "teamviewerqs/lib/libqt.so") == "libqt.so.6"
    assert (dest / "teamviewerqs/lib/libqt-hard.so.6").read_bytes() == b"library"
    assert (dest / "teamviewerqs/README").read_text() == "read me"
    assert (dest / LONG).read_bytes() == b"plugin"
    sparse = (dest / "teamviewerqs/sparse.dat").read_bytes()
    assert sparse[:5] == b"start" and sparse[-3:] == b"end" and len(sparse) == (3 << 20) + 3


INVOCATIONS = {
    "dot-prefixes": ["czf", "{out}", "."],  # ./ first, then ./teamviewerqs/...
    "folder": ["czf", "{out}", "teamviewerqs"],
    "gnu-format": ["--format=gnu", "-czf", "{out}", "teamviewerqs"],  # ././@LongLink for the long name
    "pax-format": ["--format=pax", "-czf", "{out}", "teamviewerqs"],
    "posix-dot": ["--format=posix", "-czf", "{out}", "./teamviewerqs"],
    "numeric-owner": ["--numeric-owner", "--owner=0", "--group=0", "-czf", "{out}", "."],
    "gnu-sparse": ["-cSzf", "{out}", "teamviewerqs"],
    "pax-sparse": ["--format=pax", "-cSzf", "{out}", "./teamviewerqs"],
}


@pytest.mark.parametrize("name", sorted(INVOCATIONS))
def test_usual_tar_invocations_are_accepted(src: Path, tmp_path: Path, name: str):
    out = tmp_path / "qs.tar.gz"
    tar(*[a.format(out=out) for a in INVOCATIONS[name]], cwd=src)
    assert_laid_out(unpack(out, tmp_path / "dest"))


def test_appended_member_wins_as_tar_extracts_it(src: Path, tmp_path: Path):
    plain = tmp_path / "qs.tar"
    tar("cf", str(plain), "teamviewerqs", cwd=src)
    (src / "teamviewerqs" / "README").chmod(0o644)
    (src / "teamviewerqs" / "README").write_text("newer")
    tar("rf", str(plain), "teamviewerqs/README", cwd=src)  # `tar -r`: the name is in the archive twice
    out = tmp_path / "qs.tar.gz"
    out.write_bytes(gzip.compress(plain.read_bytes()))
    dest = unpack(out, tmp_path / "dest")
    assert (dest / "teamviewerqs/README").read_text() == "newer"


def test_pax_global_header_as_git_archive_writes_it(tmp_path: Path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT,
                      pax_headers={"comment": "5f1c0e9 (git archive commit id)"}) as t:
        info = tarfile.TarInfo("teamviewerqs/teamviewer")
        info.size, info.mode = 3, 0o755
        t.addfile(info, io.BytesIO(b"#!x"))
    archive = tmp_path / "qs.tar.gz"
    archive.write_bytes(buf.getvalue())
    assert (unpack(archive, tmp_path / "dest") / "teamviewerqs/teamviewer").read_bytes() == b"#!x"


@pytest.mark.parametrize(("args", "bad"), [
    (["-czPf", "{out}", "{src}/teamviewerqs/README"], "README"),  # -P keeps the absolute path
    (["-czPf", "{out}", "teamviewerqs/../teamviewerqs/README"], "../"),  # -P keeps `..`
])
def test_really_wrong_is_refused_naming_the_entry(src: Path, tmp_path: Path, args: list[str], bad: str):
    out = tmp_path / "qs.tar.gz"
    tar(*[a.format(out=out, src=src) for a in args], cwd=src)
    with pytest.raises(LauncherError) as err:
        unpack(out, tmp_path / "dest")
    assert err.value.code == "QS-UNPACK" and bad in err.value.detail


def test_link_out_made_by_tar_is_refused(src: Path, tmp_path: Path):
    (src / "teamviewerqs" / "escape").symlink_to("../../..")
    out = tmp_path / "qs.tar.gz"
    tar("czf", str(out), "teamviewerqs", cwd=src)
    with pytest.raises(LauncherError) as err:
        unpack(out, tmp_path / "dest")
    assert err.value.code == "QS-UNPACK" and "escape" in err.value.detail
