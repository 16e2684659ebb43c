"""The launcher's folders are private on Windows too (launcher/core/private_acl.py, paths.make_private_dir): a data
folder the config names outside the profile (`C:\\Pomoc`, made here under a new folder in C:\\) gets, on every folder
the launcher makes and on the existing one it is given, a protected access list (nothing inherited from C:\\, where
every authenticated user may change subfolders) of exactly: the user, SYSTEM and Administrators, full control, each
inherited by files and folders made inside (OICI); its owner is the process's user. Read back here with
GetNamedSecurityInfoW, independently of the launcher's own reading.

What Wine shows and what it does not (measured with Debian's Wine 8.0, 2026-12-01): Wine keeps no access lists.
SetNamedSecurityInfoW succeeds, but the list is only mapped onto the Unix mode bits, and GetNamedSecurityInfoW hands
back one made from those bits (`D:(A;OICI;FA;;;SY)(A;OICI;FA;;;<user>)(A;OICI;0x1200a9;;;WD)`, never protected), with
nothing stored (no extended attribute: storing them is a wine-staging patch). Nor does Wine enforce lists, and the lane
has a single Windows user: that another user is kept out cannot be tried anywhere here. So the tests of the list
itself are `wine_gap` (expected to fail under Wine, strictly; plain tests on Windows). What Wine does implement is
tested for real: the owner read back is the process's user (Wine maps the Unix owner to a SID: the lane's user, or
ANONYMOUS LOGON for another Unix user), and a folder that belongs to someone else (chowned on the Linux side) is
refused with APP-DATA-DIR outside the profile and only warned about inside it.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import re
import secrets
import shutil
import sys
from collections.abc import Iterator
from ctypes import wintypes as wt
from pathlib import Path

import pytest

from launcher.core import private_acl
from launcher.core.errors import LauncherError
from launcher.core.paths import app_paths, make_private_dir

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="the Windows suite: scripts/windows-lane.sh test")

SE_FILE_OBJECT, OWNER, DACL = 1, 0x1, 0x4
UNPROTECTED_DACL = 0x20000000
GAP = "Wine keeps no access lists: it maps them onto the Unix mode bits and reads back one made from those"

if sys.platform == "win32":
    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    _p = ctypes.POINTER(ctypes.c_void_p)
    advapi32.GetNamedSecurityInfoW.argtypes = [wt.LPCWSTR, ctypes.c_int, wt.DWORD, _p, _p, _p, _p, _p]
    advapi32.GetNamedSecurityInfoW.restype = wt.DWORD
    advapi32.SetNamedSecurityInfoW.argtypes = [wt.LPWSTR, ctypes.c_int, wt.DWORD, ctypes.c_void_p, ctypes.c_void_p,
                                               ctypes.c_void_p, ctypes.c_void_p]
    advapi32.SetNamedSecurityInfoW.restype = wt.DWORD
    advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW.argtypes = [
        ctypes.c_void_p, wt.DWORD, wt.DWORD, ctypes.POINTER(wt.LPWSTR), ctypes.c_void_p]
    advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [wt.LPCWSTR, wt.DWORD, _p,
                                                                               ctypes.c_void_p]
    advapi32.GetSecurityDescriptorDacl.argtypes = [ctypes.c_void_p, ctypes.POINTER(wt.BOOL), _p,
                                                   ctypes.POINTER(wt.BOOL)]
    advapi32.ConvertSidToStringSidW.argtypes = [ctypes.c_void_p, ctypes.POINTER(wt.LPWSTR)]
    advapi32.GetUserNameW.argtypes = [wt.LPWSTR, ctypes.POINTER(wt.DWORD)]
    advapi32.LookupAccountNameW.argtypes = [wt.LPCWSTR, wt.LPCWSTR, ctypes.c_void_p, ctypes.POINTER(wt.DWORD),
                                            wt.LPWSTR, ctypes.POINTER(wt.DWORD), ctypes.POINTER(wt.DWORD)]
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]


def sddl(path: Path, info: int = OWNER | DACL) -> str:
    """The owner and list of `path` as Windows reads them back (GetNamedSecurityInfoW), in SDDL."""
    sd = ctypes.c_void_p()
    err = advapi32.GetNamedSecurityInfoW(str(path), SE_FILE_OBJECT, info, None, None, None, None, ctypes.byref(sd))
    assert err == 0, f"GetNamedSecurityInfoW({path}): error {err}"
    text = wt.LPWSTR()
    assert advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, 1, info, ctypes.byref(text), None)
    value = str(text.value)
    kernel32.LocalFree(text)
    kernel32.LocalFree(sd)
    return value


def owner_of(path: Path) -> str:
    owner = re.match(r"O:(S-[0-9-]+|[A-Z]{2})", sddl(path, OWNER))
    assert owner is not None
    return owner.group(1)


def dacl_parts(path: Path) -> tuple[str, list[str]]:
    """(the list's flags, its entries) as read back: ("PAI", ["A;OICI;FA;;;S-1-5-21-...", ...])."""
    match = re.search(r"D:([A-Z_]*)((?:\([^)]*\))*)", sddl(path, DACL))
    assert match is not None
    return match.group(1), re.findall(r"\(([^)]*)\)", match.group(2))


def set_list(path: Path, text: str, protect: int = UNPROTECTED_DACL) -> None:
    """Give `path` the list `text` (SDDL) as another program would (SetNamedSecurityInfoW)."""
    sd = ctypes.c_void_p()
    assert advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(text, 1, ctypes.byref(sd), None)
    present, defaulted, dacl = wt.BOOL(), wt.BOOL(), ctypes.c_void_p()
    assert advapi32.GetSecurityDescriptorDacl(sd, ctypes.byref(present), ctypes.byref(dacl), ctypes.byref(defaulted))
    err = advapi32.SetNamedSecurityInfoW(str(path), SE_FILE_OBJECT, DACL | protect, None, None, dacl, None)
    kernel32.LocalFree(sd)
    assert err == 0, f"SetNamedSecurityInfoW({path}): error {err}"


def user_sid_by_name() -> str:
    """This user's SID found by their name (GetUserNameW, LookupAccountNameW): not the token route the launcher
    takes (GetTokenInformation), so the two check each other."""
    size = wt.DWORD(257)
    name = ctypes.create_unicode_buffer(size.value)
    assert advapi32.GetUserNameW(name, ctypes.byref(size))
    sid = ctypes.create_string_buffer(256)
    sid_size, domain_size, use = wt.DWORD(256), wt.DWORD(256), wt.DWORD()
    domain = ctypes.create_unicode_buffer(256)
    assert advapi32.LookupAccountNameW(None, name.value, sid, ctypes.byref(sid_size), domain,
                                       ctypes.byref(domain_size), ctypes.byref(use)), ctypes.get_last_error()  # type: ignore[attr-defined]
    text = wt.LPWSTR()
    assert advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text))
    value = str(text.value)
    kernel32.LocalFree(text)
    return value


def private_entries(user: str, *, inherited: bool = False) -> set[str]:
    """The entries the launcher's list has: on its folders explicit with OICI, on a file made inside inherited
    (`ID`, no OICI: a file hands nothing down)."""
    flags = "ID" if inherited else "OICI"
    return {f"A;{flags};FA;;;{sid}" for sid in (user, "SY", "BA")}


@pytest.fixture
def drive_root_folder() -> Iterator[Path]:
    r"""A new folder in C:\ (as the config's `C:\Pomoc` would be), removed afterwards."""
    folder = Path(f"C:\\overmax-acl-{secrets.token_hex(4)}")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def user() -> str:
    return user_sid_by_name()


def test_the_launcher_names_the_same_user_as_windows_does(user):
    assert private_acl.current_user_sid() == user
    assert re.fullmatch(r"S-1-5-21(-\d+)+", user)


def test_every_folder_made_under_the_drive_root_is_owned_by_the_user(drive_root_folder, user):
    paths = app_paths(str(drive_root_folder / "Pomoc")).ensure()
    for folder in (drive_root_folder, paths.data, paths.cache, paths.logs, paths.runtime):
        assert folder.is_dir()
        assert owner_of(folder) == user, folder


@pytest.mark.wine_gap(GAP)
def test_every_folder_made_under_the_drive_root_has_exactly_the_private_protected_list(drive_root_folder, user):
    """The folder above the data folder is made by the launcher too (mkdir's parents): it gets the list as well."""
    paths = app_paths(str(drive_root_folder / "Pomoc")).ensure()
    for folder in (drive_root_folder, paths.data, paths.cache, paths.logs, paths.runtime):
        flags, entries = dacl_parts(folder)
        assert "P" in re.findall(r"NO_ACCESS_CONTROL|AI|AR|P", flags), (folder, flags)  # protected
        assert sorted(entries) == sorted(private_entries(user)), (folder, entries)


@pytest.mark.wine_gap(GAP)
def test_an_existing_folder_open_to_everyone_is_made_private_with_what_was_in_it(drive_root_folder, user):
    data = drive_root_folder / "Pomoc"
    data.mkdir(parents=True)
    set_list(data, "D:(A;OICI;FA;;;WD)")  # Everyone, full control, handed down to what is made inside
    planted = data / "consent.jsonl"
    planted.write_text("{}\n", encoding="utf-8")
    assert "A;ID;FA;;;WD" in dacl_parts(planted)[1]
    app_paths(str(data)).ensure()
    flags, entries = dacl_parts(data)
    assert "P" in re.findall(r"NO_ACCESS_CONTROL|AI|AR|P", flags)
    assert sorted(entries) == sorted(private_entries(user))
    # Windows hands the new list down to what was already inside, in place of what it had inherited
    assert sorted(dacl_parts(planted)[1]) == sorted(private_entries(user, inherited=True))


@pytest.mark.wine_gap(GAP)
def test_a_file_made_inside_afterwards_inherits_the_private_list(drive_root_folder, user):
    paths = app_paths(str(drive_root_folder / "Pomoc")).ensure()
    part = paths.cache / ".TeamViewerQS.exe.0123.part"
    part.write_bytes(b"MZ")
    session = paths.runtime / "qs-0123456789ab" / "Temp"
    session.mkdir(parents=True)
    assert sorted(dacl_parts(part)[1]) == sorted(private_entries(user, inherited=True))
    for folder in (session.parent, session):
        flags, entries = dacl_parts(folder)
        assert "P" not in re.findall(r"NO_ACCESS_CONTROL|AI|AR|P", flags)  # inherits: from our folder only
        assert sorted(entries) == sorted({e.replace("A;OICI;", "A;OICIID;") for e in private_entries(user)})


# ---------------------------------------------------------------- a folder that belongs to someone else (Wine: chown)


def unix_path(path: Path) -> str | None:
    """The Linux path Wine keeps `path` at (wine_get_unix_file_name); None off Wine."""
    func = getattr(kernel32, "wine_get_unix_file_name", None)
    if func is None:
        return None
    func.argtypes, func.restype = [wt.LPCWSTR], ctypes.c_void_p
    raw = func(str(path))
    if not raw:
        return None
    value = ctypes.string_at(raw).decode("utf-8")
    kernel32.HeapFree.argtypes = [wt.HANDLE, wt.DWORD, ctypes.c_void_p]
    kernel32.GetProcessHeap.restype = wt.HANDLE
    kernel32.HeapFree(kernel32.GetProcessHeap(), 0, raw)
    return value


@contextlib.contextmanager
def owned_by_another_user(folder: Path) -> Iterator[None]:
    """`folder` given to another Linux user (uid 12345) through Linux's chown (Wine as root), which Wine then names
    as another owner (ANONYMOUS LOGON); given back afterwards so it can be removed. Skips off Wine, or where
    chown cannot run."""
    from tests.windows.unix_tmpfs import _start_unix, _unix_program, _wait

    chown, unix = _unix_program("chown"), unix_path(folder)
    if chown is None or unix is None or " " in unix:
        pytest.skip("another owner is given through Linux's chown under Wine only")
    mine = owner_of(folder)
    if not _start_unix(chown, "12345", unix) or not _wait(lambda: owner_of(folder) != mine):
        pytest.skip("Linux's chown could not give the folder away here (not root?)")
    try:
        yield
    finally:
        _start_unix(chown, "0", unix)
        _wait(lambda: owner_of(folder) == mine)


def test_a_folder_outside_the_profile_that_belongs_to_someone_else_is_app_data_dir(drive_root_folder):
    """Its owner can rewrite its list whenever they like: QuickSupport must not start from it."""
    data = drive_root_folder / "Pomoc"
    data.mkdir(parents=True)
    with owned_by_another_user(data):
        assert not private_acl.in_profile(data)
        with pytest.raises(LauncherError) as caught:
            app_paths(str(data)).ensure()
        assert caught.value.code == "APP-DATA-DIR"
        assert "cannot be made private" in str(caught.value) and str(data) in str(caught.value)
        assert list(data.iterdir()) == []  # nothing made or written in it


def test_a_folder_in_the_profile_that_cannot_be_made_private_is_only_warned_about(caplog):
    """The profile's own list keeps other users out: the customer still gets help."""
    profile = private_acl.profile_folder()
    assert profile is not None
    folder = profile / "AppData" / "Local" / f"overmax-acl-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    try:
        with owned_by_another_user(folder), caplog.at_level(logging.WARNING, logger="launcher.core.paths"):
            assert private_acl.in_profile(folder)
            assert make_private_dir(folder, check=True) == folder
        assert any("could not make" in r.getMessage() and str(folder) in r.getMessage() for r in caplog.records)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_missing_folder_is_created_with_its_list_and_an_existing_name_is_left_to_the_caller(drive_root_folder, user):
    """CreateDirectoryW with the list in its SECURITY_ATTRIBUTES: no moment with C:\\'s list (Wine: made, its owner the
    user; the list itself is the wine_gap tests' business). A file of that name stays a file, and the data folder
    named by it is APP-DATA-DIR, as it was."""
    assert private_acl.create_private(drive_root_folder)
    assert drive_root_folder.is_dir() and owner_of(drive_root_folder) == user
    assert not private_acl.create_private(drive_root_folder)
    blocker = drive_root_folder / "Pomoc"
    blocker.write_bytes(b"")
    assert not private_acl.create_private(blocker)
    assert blocker.is_file()
    with pytest.raises(LauncherError) as caught:
        app_paths(str(blocker)).ensure()
    assert caught.value.code == "APP-DATA-DIR"
