"""Windows: the access list that makes one of the launcher's folders private (launcher.core.paths.make_private_dir).

Why: QuickSupport is copied into the runtime folder, unpacks itself into `qs-<hex>\\Temp` there and is started
from there; the verified download waits in the cache. A folder made under the user's profile (%LOCALAPPDATA%, the
default) inherits the profile's per-user list, but `[paths] data_dir` may name any folder: one made under `C:\\`
inherits the drive root's list, where every authenticated user may change subfolders and files, and another user
of the computer could swap the verified TeamViewerQS.exe between its check and its start and have their bytes run
as our user, with remote access. So every folder the launcher makes there gets its own list, not inherited from
above ("protected"), inherited by everything made inside it (object + container inherit):

- the current user (their SID from the process token), full control: the launcher's own files;
- SYSTEM, full control: Windows itself (the indexer, Defender, backup as SYSTEM) works on the profile this way too;
- Administrators, full control: chosen deliberately. It takes nothing from the protection: an administrator can
  take ownership of any file anyway (and an elevated one's new files belong to Administrators), while another
  user's non-elevated processes carry Administrators as a deny-only group, which no allowing entry admits. And it
  is exactly what the profile itself grants (C:\\Users\\<name>: SYSTEM, Administrators, the user), so a folder
  outside the profile is as private as one inside it, and the IT department or an uninstaller running elevated
  can still clean it up without taking ownership first.

No entry for anyone else, no CREATOR OWNER, no Users/Authenticated Users/Everyone.

The plain-text helpers (`private_dacl_sddl`, `dacl_is_private`, `owner_is_trusted`, `is_within`) are tested on
every OS; the rest runs on Windows only, through advapi32/kernel32/userenv with ctypes. A new folder is created with
the list from its first moment (CreateDirectoryW with SECURITY_ATTRIBUTES); an existing one gets it with
SetNamedSecurityInfoW. (CPython 3.12.4+ gives os.mkdir(mode=0o700) a protected list of its own, SYSTEM,
Administrators and OWNER RIGHTS; the launcher does not rely on it: the lane's and the build's Python is 3.11, and the
data folder may exist already.) Wine (the Windows lane) keeps no access lists: it maps them to Unix mode
bits, so the list set here cannot be read back there (tests/windows/test_private_acl_windows.py).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
from pathlib import Path

# the well-known SIDs (SDDL aliases) the list names beside the user
SYSTEM = "SY"  # S-1-5-18
ADMINISTRATORS = "BA"  # S-1-5-32-544
_WELL_KNOWN = {"S-1-5-18": SYSTEM, "S-1-5-32-544": ADMINISTRATORS}

_SID = re.compile(r"S-1-\d+(-\d+)+\Z")
_ACE = "(A;OICI;FA;;;{sid})"  # allow, object + container inherit, FILE_ALL_ACCESS


def private_dacl_sddl(user_sid: str) -> str:
    """The private list in SDDL: protected (`P`), full control to `user_sid`, SYSTEM and Administrators, each
    inherited by files and folders made inside. ValueError for anything but a SID in its string form."""
    if not _SID.match(user_sid):
        raise ValueError(f"not a SID: {user_sid!r}")
    return "D:P" + "".join(_ACE.format(sid=sid) for sid in (user_sid, SYSTEM, ADMINISTRATORS))


def dacl_is_private(sddl: str, user_sid: str) -> bool:
    """True when `sddl` (a descriptor as ConvertSecurityDescriptorToStringSecurityDescriptorW writes it, its
    `D:` part at least) has a protected list of exactly the entries `private_dacl_sddl` gives, in any order, none
    of them inherited from above (`ID`). Flags such as `AI` (auto-inherited) do not matter."""
    match = re.search(r"D:([A-Z_]*)((?:\([^)]*\))*)", sddl)
    if match is None or "P" not in _flags(match.group(1)):
        return False
    aces = re.findall(r"\(([^)]*)\)", match.group(2))
    wanted = {_ACE.format(sid=_alias(sid))[1:-1] for sid in (user_sid, SYSTEM, ADMINISTRATORS)}
    got = set()
    for ace in aces:
        parts = ace.split(";")
        if len(parts) != 6:
            return False
        parts[5] = _alias(parts[5])
        got.add(";".join(parts))
    return len(got) == len(aces) and got == wanted


def _flags(text: str) -> set[str]:
    """`PAI` -> {"P", "AI"}: the DACL's control flags in SDDL (P, AI, AR, NO_ACCESS_CONTROL)."""
    flags = set()
    for flag in re.findall(r"NO_ACCESS_CONTROL|AI|AR|P", text):
        flags.add(flag)
    return flags


def _alias(sid: str) -> str:
    return _WELL_KNOWN.get(sid, sid)


def owner_is_trusted(owner_sid: str, user_sid: str) -> bool:
    """The folder's owner may always rewrite its list: it must be one the private list trusts anyway (the user;
    Administrators, who own what an elevated process makes; SYSTEM)."""
    return _alias(owner_sid) in (_alias(user_sid), SYSTEM, ADMINISTRATORS)


def is_within(folder: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """True when `folder` is `root` or lies inside it (both resolved: links and junctions followed; case ignored
    where the OS ignores it)."""
    a = os.path.normcase(os.path.realpath(folder))
    b = os.path.normcase(os.path.realpath(root))
    return a == b or a.startswith(b.rstrip("\\/") + os.sep)


# ---------------------------------------------------------------- Windows (advapi32, userenv)

_SE_FILE_OBJECT = 1
_OWNER_SECURITY_INFORMATION = 0x1
_DACL_SECURITY_INFORMATION = 0x4
_PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000
_SDDL_REVISION_1 = 1
_TOKEN_QUERY = 0x8
_TOKEN_USER = 1  # TOKEN_INFORMATION_CLASS TokenUser
_ERROR_ALREADY_EXISTS = 183


@functools.lru_cache(maxsize=1)
def _api():  # noqa: ANN202 - the configured DLLs (Windows only)
    import ctypes
    from ctypes import wintypes as wt

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    userenv = ctypes.WinDLL("userenv", use_last_error=True)  # type: ignore[attr-defined]
    psd = ctypes.POINTER(ctypes.c_void_p)
    advapi32.OpenProcessToken.argtypes = [wt.HANDLE, wt.DWORD, ctypes.POINTER(wt.HANDLE)]
    advapi32.OpenProcessToken.restype = wt.BOOL
    advapi32.GetTokenInformation.argtypes = [wt.HANDLE, ctypes.c_int, ctypes.c_void_p, wt.DWORD,
                                             ctypes.POINTER(wt.DWORD)]
    advapi32.GetTokenInformation.restype = wt.BOOL
    advapi32.ConvertSidToStringSidW.argtypes = [ctypes.c_void_p, ctypes.POINTER(wt.LPWSTR)]
    advapi32.ConvertSidToStringSidW.restype = wt.BOOL
    advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [wt.LPCWSTR, wt.DWORD, psd,
                                                                               ctypes.POINTER(wt.ULONG)]
    advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW.restype = wt.BOOL
    advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW.argtypes = [
        ctypes.c_void_p, wt.DWORD, wt.DWORD, ctypes.POINTER(wt.LPWSTR), ctypes.POINTER(wt.ULONG)]
    advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW.restype = wt.BOOL
    advapi32.GetSecurityDescriptorDacl.argtypes = [ctypes.c_void_p, ctypes.POINTER(wt.BOOL), psd,
                                                   ctypes.POINTER(wt.BOOL)]
    advapi32.GetSecurityDescriptorDacl.restype = wt.BOOL
    advapi32.SetNamedSecurityInfoW.argtypes = [wt.LPWSTR, ctypes.c_int, wt.DWORD, ctypes.c_void_p, ctypes.c_void_p,
                                               ctypes.c_void_p, ctypes.c_void_p]
    advapi32.SetNamedSecurityInfoW.restype = wt.DWORD
    advapi32.GetNamedSecurityInfoW.argtypes = [wt.LPCWSTR, ctypes.c_int, wt.DWORD, psd, psd, psd, psd, psd]
    advapi32.GetNamedSecurityInfoW.restype = wt.DWORD
    kernel32.GetCurrentProcess.restype = wt.HANDLE
    kernel32.CloseHandle.argtypes = [wt.HANDLE]
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]
    kernel32.LocalFree.restype = ctypes.c_void_p
    userenv.GetUserProfileDirectoryW.argtypes = [wt.HANDLE, wt.LPWSTR, ctypes.POINTER(wt.DWORD)]
    userenv.GetUserProfileDirectoryW.restype = wt.BOOL
    return ctypes, wt, advapi32, kernel32, userenv


def _last_error(what: str) -> OSError:
    import ctypes

    err = ctypes.get_last_error()  # type: ignore[attr-defined]
    return OSError(None, f"{what} failed: {ctypes.FormatError(err).strip()}", None, err)  # type: ignore[attr-defined]


def _token():  # noqa: ANN202 - an open token handle of this process (TOKEN_QUERY); the caller closes it
    ctypes, wt, advapi32, kernel32, _ = _api()
    token = wt.HANDLE()
    if not advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), _TOKEN_QUERY, ctypes.byref(token)):
        raise _last_error("OpenProcessToken")
    return token


def current_user_sid() -> str:
    """This process's user as a SID string (`S-1-5-21-...`): GetTokenInformation(TokenUser). Raises OSError."""
    ctypes, wt, advapi32, kernel32, _ = _api()
    token = _token()
    try:
        needed = wt.DWORD()
        advapi32.GetTokenInformation(token, _TOKEN_USER, None, 0, ctypes.byref(needed))
        buf = ctypes.create_string_buffer(max(needed.value, 1))
        if not advapi32.GetTokenInformation(token, _TOKEN_USER, buf, needed, ctypes.byref(needed)):
            raise _last_error("GetTokenInformation(TokenUser)")
        sid = ctypes.c_void_p.from_buffer(buf).value  # TOKEN_USER.User.Sid: the first field
        return _local_text(lambda out: advapi32.ConvertSidToStringSidW(sid, out), "ConvertSidToStringSidW")
    finally:
        kernel32.CloseHandle(token)


def profile_folder() -> Path | None:
    """This user's profile folder (C:\\Users\\<name>) as Windows names it for the process token
    (GetUserProfileDirectoryW), else %USERPROFILE%; None when neither names one."""
    ctypes, wt, _, kernel32, userenv = _api()
    try:
        token = _token()
    except OSError:
        token = None
    if token is not None:
        try:
            size = wt.DWORD(32768)
            buf = ctypes.create_unicode_buffer(size.value)
            if userenv.GetUserProfileDirectoryW(token, buf, ctypes.byref(size)) and buf.value:
                return Path(buf.value)
        finally:
            kernel32.CloseHandle(token)
    value = os.environ.get("USERPROFILE", "")
    return Path(value) if value else None


def in_profile(folder: Path) -> bool:
    """True when `folder` lies in this user's profile, whose own list is already this user's alone."""
    profile = profile_folder()
    return profile is not None and is_within(folder, profile)


@contextlib.contextmanager
def _security_of(path: Path, info: int, owner=None):
    """`path`'s security descriptor (GetNamedSecurityInfoW, `info`'s parts; the owner's SID into `owner`, a
    c_void_p, where given), freed after the block. Raises OSError."""
    ctypes, _wt, advapi32, kernel32, _ = _api()
    sd = ctypes.c_void_p()
    err = advapi32.GetNamedSecurityInfoW(str(path), _SE_FILE_OBJECT, info,
                                         ctypes.byref(owner) if owner is not None else None, None, None, None,
                                         ctypes.byref(sd))
    if err:
        raise OSError(None, f"GetNamedSecurityInfoW failed: {ctypes.FormatError(err).strip()}", str(path), err)
    try:
        yield sd
    finally:
        kernel32.LocalFree(sd)


def _local_text(convert, what: str) -> str:
    """The text a Windows conversion `convert(byref(LPWSTR))` allocates, freed after (LocalFree). Raises OSError."""
    ctypes, wt, _advapi32, kernel32, _ = _api()
    text = wt.LPWSTR()
    if not convert(ctypes.byref(text)):
        raise _last_error(what)
    try:
        return str(text.value)
    finally:
        kernel32.LocalFree(text)


def security_sddl(path: Path, info: int = _OWNER_SECURITY_INFORMATION | _DACL_SECURITY_INFORMATION) -> str:
    """The owner and access list of `path` in SDDL (GetNamedSecurityInfoW). Raises OSError."""
    _ctypes, _wt, advapi32, _kernel32, _ = _api()
    with _security_of(path, info) as sd:
        return _local_text(lambda out: advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW(
            sd, _SDDL_REVISION_1, info, out, None), "ConvertSecurityDescriptorToStringSecurityDescriptorW")


def owner_sid(path: Path) -> str:
    """The SID string of `path`'s owner (GetNamedSecurityInfoW). Raises OSError."""
    ctypes, _wt, advapi32, _kernel32, _ = _api()
    owner = ctypes.c_void_p()
    with _security_of(path, _OWNER_SECURITY_INFORMATION, owner):
        return _local_text(lambda out: bool(owner) and advapi32.ConvertSidToStringSidW(owner, out),
                           "ConvertSidToStringSidW")


def create_private(path: Path) -> bool:
    """Make the folder `path` (its parent must exist) with the private list from the start (CreateDirectoryW with
    SECURITY_ATTRIBUTES). False when something of that name exists already (left to the caller); raises OSError."""
    ctypes, wt, advapi32, kernel32, _ = _api()

    class SecurityAttributes(ctypes.Structure):
        _fields_ = [("nLength", wt.DWORD), ("lpSecurityDescriptor", ctypes.c_void_p), ("bInheritHandle", wt.BOOL)]

    sd = ctypes.c_void_p()
    if not advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(private_dacl_sddl(current_user_sid()),
                                                                        _SDDL_REVISION_1, ctypes.byref(sd), None):
        raise _last_error("ConvertStringSecurityDescriptorToSecurityDescriptorW")
    try:
        attributes = SecurityAttributes(ctypes.sizeof(SecurityAttributes), sd, False)
        kernel32.CreateDirectoryW.argtypes = [wt.LPCWSTR, ctypes.c_void_p]
        kernel32.CreateDirectoryW.restype = wt.BOOL
        if kernel32.CreateDirectoryW(str(path), ctypes.byref(attributes)):
            return True
        err = ctypes.get_last_error()  # type: ignore[attr-defined]
        if err == _ERROR_ALREADY_EXISTS:
            return False
        raise OSError(None, f"CreateDirectoryW failed: {ctypes.FormatError(err).strip()}", str(path), err)
    finally:
        kernel32.LocalFree(sd)


def set_private(path: Path, user_sid: str) -> None:
    """Give `path` the private list (SetNamedSecurityInfoW with PROTECTED_DACL_SECURITY_INFORMATION: what it
    inherited from above is dropped; Windows hands the new inheritable entries down to what is already inside).
    Raises OSError."""
    ctypes, wt, advapi32, kernel32, _ = _api()
    sd = ctypes.c_void_p()
    if not advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(private_dacl_sddl(user_sid),
                                                                        _SDDL_REVISION_1, ctypes.byref(sd), None):
        raise _last_error("ConvertStringSecurityDescriptorToSecurityDescriptorW")
    try:
        present, defaulted, dacl = wt.BOOL(), wt.BOOL(), ctypes.c_void_p()
        if not advapi32.GetSecurityDescriptorDacl(sd, ctypes.byref(present), ctypes.byref(dacl),
                                                  ctypes.byref(defaulted)) or not present or not dacl:
            raise _last_error("GetSecurityDescriptorDacl")
        err = advapi32.SetNamedSecurityInfoW(str(path), _SE_FILE_OBJECT,
                                             _DACL_SECURITY_INFORMATION | _PROTECTED_DACL_SECURITY_INFORMATION,
                                             None, None, dacl, None)
        if err:
            raise OSError(None, f"SetNamedSecurityInfoW failed: {ctypes.FormatError(err).strip()}", str(path), err)
    finally:
        kernel32.LocalFree(sd)


def make_private(path: Path) -> None:
    """Make the existing folder `path` private: its list set (unless it already is exactly that list), then its
    owner checked, for an owner may rewrite the list whenever they like. Raises OSError when the list cannot be
    set or read, or the owner is someone else (PermissionError)."""
    user = current_user_sid()
    try:
        current = security_sddl(path, _DACL_SECURITY_INFORMATION)
    except OSError:
        current = ""
    if not dacl_is_private(current, user):
        set_private(path, user)
    owner = owner_sid(path)
    if not owner_is_trusted(owner, user):
        raise PermissionError(errno.EACCES, f"the folder belongs to {owner}, who may change its access list",
                              str(path))
