"""The diagnostic report a customer copies (or saves) for the consultant: plain text, Polish labels.

Everything in it passes through launcher.core.redaction.redact(): the TeamViewer password and any other
registered secret, token-like URL parameters and proxy credentials are replaced with "[UKRYTE]".
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from launcher.core.errors import CATALOGUE, LauncherError
from launcher.core.redaction import HIDDEN, redact  # noqa: F401 - HIDDEN/redact are used via this module too

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # connectivity pulls in requests, which the first window does not need
    from launcher.core.connectivity import ProbeResult

def _system() -> list[str]:
    import platform

    lines = [
        f"System: {platform.system()} {platform.release()} ({platform.version()})",
        f"Platforma: {platform.platform()}",
        f"Architektura: {platform.machine() or '?'}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
    ]
    if getattr(sys, "frozen", False):
        lines.append("Wydanie: zbudowane (frozen)")
    return lines


def _probe_lines(results: Sequence[ProbeResult]) -> list[str]:
    if not results:
        return ["  (nie wykonano)"]
    lines = []
    for r in results:
        status = "OK  " if r.ok else "BŁĄD"
        port = f" port {r.port}" if r.port else ""
        code = f" {r.code}" if r.code else ""
        lines.append(f"  {status} {r.key} [{r.kind}]{port}{code} {r.elapsed_s:.2f} s: {r.detail}")
    return lines


def build_report(
    *,
    app_version: str,
    step: str,
    error_code: str | None,
    error_detail: str,
    probe_results: Sequence[ProbeResult] = (),
    proxy: str = "",
    manifest_serial: int | None = None,
    artifact_sha256: str = "",
    log_tail: str = "",
    config_source: str = "",
    changed_keys: Sequence[str] = (),
    secrets: Iterable[str] = (),
    now: datetime | None = None,
    unsaved_receipt: str = "",
) -> str:
    """The report as plain text, redacted. `unsaved_receipt`: the session receipt's text where it could not be
    written to the data folder (a full disk), so that its facts reach the consultant with the report."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    lines = [
        "=== Overmax Pomoc Zdalna: raport diagnostyczny ===",
        f"Czas (UTC): {moment.isoformat(timespec='seconds').replace('+00:00', 'Z')}",
        f"Wersja programu: {app_version}",
        *_system(),
        f"Krok: {step}",
    ]
    if error_code:
        spec = CATALOGUE.get(error_code)
        lines.append(f"Błąd: {error_code}" + (f" ({spec.what_pl})" if spec else ""))
    else:
        lines.append("Błąd: brak")
    if error_detail:
        lines.append(f"Szczegóły błędu: {error_detail}")
    lines.append(f"Konfiguracja: {config_source or 'wbudowana'}")
    if changed_keys:
        lines.append(f"Zmienione ustawienia (niestandardowa konfiguracja): {', '.join(changed_keys)}")
    lines.append(f"Proxy: {proxy or 'systemowe / brak'}")
    serial = "-" if manifest_serial is None else str(manifest_serial)
    lines.append(f"Numer listy plików (manifest serial): {serial}")
    lines.append(f"SHA-256 pliku QuickSupport: {artifact_sha256 or '-'}")
    lines.append("Sprawdzenie połączenia:")
    lines += _probe_lines(probe_results)
    lines.append("Ostatnie wpisy dziennika:")
    tail = log_tail.rstrip("\n")
    lines += [f"  {line}" for line in tail.splitlines()] if tail else ["  (brak)"]
    if unsaved_receipt.strip():
        lines.append("Potwierdzenie sesji (nie udało się go zapisać na dysku):")
        lines += [f"  {line}" for line in unsaved_receipt.rstrip("\n").splitlines()]
    lines.append("=== koniec raportu ===")
    return redact("\n".join(lines) + "\n", secrets)


def save_report(text: str, folder: Path, now: datetime | None = None) -> Path:
    """Write the (already redacted) report where the customer finds it; never half-written."""
    from launcher.core.fsutil import atomic_write_text, is_disk_full

    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M%S")
    path = folder / f"overmax-pomoc-zdalna-raport-{stamp}.txt"
    try:
        atomic_write_text(path, text, mode=0o644)
    except OSError as exc:
        code = "DL-DISK-FULL" if is_disk_full(exc) else "APP-DATA-DIR"
        raise LauncherError(code, f"cannot save the report to {folder}: {exc}") from exc
    return path


def report_folders() -> list[Path]:
    """Where the report may go, best first, those that exist: the Desktop (easy to attach to an e-mail),
    Documents, Downloads, then the home folder (always last, also where it does not exist)."""
    import platformdirs

    found: list[Path] = []
    for getter in (platformdirs.user_desktop_dir, platformdirs.user_documents_dir, platformdirs.user_downloads_dir):
        try:
            candidate = getter()
        except Exception:  # noqa: BLE001 - a folder Windows cannot name is one fewer place, not a failure
            continue
        if candidate and Path(candidate).is_dir() and Path(candidate) not in found:
            found.append(Path(candidate))
    home = Path.home()
    return [*found, home] if home not in found else found


def report_folder() -> Path:
    """The first of report_folders(): the Desktop if there is one, else Documents, ..., else home."""
    return report_folders()[0]


def save_report_where_it_can_go(text: str, folders: list[Path] | None = None, now: datetime | None = None) -> Path:
    """save_report into the first of `folders` (default report_folders()) that takes it. Windows' Controlled
    folder access (Defender's ransomware protection) refuses an unknown program's writes to the Desktop and
    Documents (ERROR_ACCESS_DENIED), and a OneDrive Desktop may be out of space or offline: the report then
    goes to the next folder rather than nowhere. Raises the last folder's LauncherError when none takes it."""
    error: LauncherError | None = None
    for folder in folders if folders is not None else report_folders():
        try:
            return save_report(text, folder, now)
        except LauncherError as exc:
            log.warning("the report could not be saved in %s (%s): trying the next folder", folder, exc.detail)
            error = exc
    raise error if error is not None else LauncherError("APP-DATA-DIR", "no folder to save the report in")
