"""Windows API calls the Windows suite makes to look at what the launcher did (Windows Python only)."""

from __future__ import annotations

import ctypes
from ctypes import wintypes as wt
from pathlib import Path

kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
kernel32.OpenProcess.restype = wt.HANDLE
kernel32.OpenProcess.argtypes = [wt.DWORD, wt.BOOL, wt.DWORD]
kernel32.IsProcessInJob.argtypes = [wt.HANDLE, wt.HANDLE, ctypes.POINTER(wt.BOOL)]
kernel32.CloseHandle.argtypes = [wt.HANDLE]
kernel32.CreateFileW.restype = wt.HANDLE
kernel32.CreateFileW.argtypes = [wt.LPCWSTR, wt.DWORD, wt.DWORD, wt.LPVOID, wt.DWORD, wt.DWORD, wt.HANDLE]
PROCESS_QUERY_INFORMATION = 0x0400  # Wine wants it for IsProcessInJob (Windows: limited is enough)
INVALID_HANDLE = wt.HANDLE(-1).value


def in_job(pid: int, job: int | None = None) -> bool:
    """IsProcessInJob(pid, job): in that job (or, with None, in any job)."""
    handle = kernel32.OpenProcess(PROCESS_QUERY_INFORMATION, False, pid)
    if not handle:
        raise OSError(ctypes.get_last_error(), f"OpenProcess({pid}) failed")  # type: ignore[attr-defined]
    try:
        result = wt.BOOL()
        if not kernel32.IsProcessInJob(handle, wt.HANDLE(job) if job else None, ctypes.byref(result)):
            raise OSError(ctypes.get_last_error(), "IsProcessInJob failed")  # type: ignore[attr-defined]
        return bool(result.value)
    finally:
        kernel32.CloseHandle(handle)


class LockedFile:
    """Opened as an antivirus scanner does: no sharing at all (others cannot read, write, rename, delete)."""

    def __init__(self, path: Path) -> None:
        self.handle = kernel32.CreateFileW(str(path), 0x80000000, 0, None, 3, 0x80, None)  # GENERIC_READ
        if self.handle in (None, INVALID_HANDLE):
            raise OSError(ctypes.get_last_error(), f"cannot lock {path}")  # type: ignore[attr-defined]

    def close(self) -> None:
        if self.handle:
            kernel32.CloseHandle(self.handle)
            self.handle = None

    def __enter__(self) -> LockedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _GUID(ctypes.Structure):
    _fields_ = [("Data1", wt.DWORD), ("Data2", wt.WORD), ("Data3", wt.WORD), ("Data4", ctypes.c_ubyte * 8)]


class _FileInfo(ctypes.Structure):
    _fields_ = [("cbStruct", wt.DWORD), ("pcwszFilePath", wt.LPCWSTR), ("hFile", wt.HANDLE),
                ("pgKnownSubject", ctypes.POINTER(_GUID))]


class _TrustData(ctypes.Structure):
    _fields_ = [("cbStruct", wt.DWORD), ("pPolicyCallbackData", wt.LPVOID), ("pSIPClientData", wt.LPVOID),
                ("dwUIChoice", wt.DWORD), ("fdwRevocationChecks", wt.DWORD), ("dwUnionChoice", wt.DWORD),
                ("pFile", ctypes.POINTER(_FileInfo)), ("dwStateAction", wt.DWORD),
                ("hWVTStateData", wt.HANDLE), ("pwszURLReference", wt.LPCWSTR), ("dwProvFlags", wt.DWORD),
                ("dwUIContext", wt.DWORD), ("pSignatureSettings", wt.LPVOID)]


class _Signer(ctypes.Structure):
    _fields_ = [("cbStruct", wt.DWORD), ("sftVerifyAsOf", wt.FILETIME), ("csCertChain", wt.DWORD),
                ("pasCertChain", ctypes.c_void_p), ("dwSignerType", wt.DWORD), ("psSigner", ctypes.c_void_p),
                ("dwError", wt.DWORD), ("csCounterSigners", wt.DWORD), ("pasCounterSigners", ctypes.c_void_p),
                ("pChainContext", ctypes.c_void_p)]


class _Chain(ctypes.Structure):
    _fields_ = [("cbSize", wt.DWORD), ("dwErrorStatus", wt.DWORD), ("dwInfoStatus", wt.DWORD)]


def winverifytrust_chain_status(path: Path) -> tuple[int, int]:
    """(WinVerifyTrust's status as an unsigned 32-bit value, the signer chain's dwErrorStatus or 0)."""
    wintrust = ctypes.WinDLL("wintrust")  # type: ignore[attr-defined]
    wintrust.WinVerifyTrust.argtypes = [wt.HWND, ctypes.POINTER(_GUID), ctypes.c_void_p]
    wintrust.WinVerifyTrust.restype = wt.LONG
    wintrust.WTHelperProvDataFromStateData.argtypes = [wt.HANDLE]
    wintrust.WTHelperProvDataFromStateData.restype = ctypes.c_void_p
    wintrust.WTHelperGetProvSignerFromChain.argtypes = [ctypes.c_void_p, wt.DWORD, wt.BOOL, wt.DWORD]
    wintrust.WTHelperGetProvSignerFromChain.restype = ctypes.POINTER(_Signer)
    action = _GUID(0x00AAC56B, 0xCD44, 0x11D0, (ctypes.c_ubyte * 8)(0x8C, 0xC2, 0x00, 0xC0, 0x4F, 0xC2, 0x95, 0xEE))
    info = _FileInfo(ctypes.sizeof(_FileInfo), str(path), None, None)
    data = _TrustData(cbStruct=ctypes.sizeof(_TrustData), dwUIChoice=2, dwUnionChoice=1,
                      pFile=ctypes.pointer(info), dwStateAction=1)
    status = wintrust.WinVerifyTrust(None, ctypes.byref(action), ctypes.byref(data)) & 0xFFFFFFFF
    chain_error = 0
    try:
        prov = wintrust.WTHelperProvDataFromStateData(data.hWVTStateData)
        signer = wintrust.WTHelperGetProvSignerFromChain(prov, 0, False, 0) if prov else None
        if signer and signer.contents.pChainContext:
            chain_error = ctypes.cast(signer.contents.pChainContext, ctypes.POINTER(_Chain)).contents.dwErrorStatus
    finally:
        data.dwStateAction = 2
        wintrust.WinVerifyTrust(None, ctypes.byref(action), ctypes.byref(data))
    return status, chain_error
