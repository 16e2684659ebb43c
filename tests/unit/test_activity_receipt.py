"""The activity list (what the consultant did) and the receipt written when a session ends."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from launcher.core.activity import ActivityLog, describe, line
from launcher.core.errors import LauncherError
from launcher.core.formatting import format_size
from launcher.core.quicksupport.tvlog import TvEvent
from launcher.core.receipt import Receipt, render_text, save_copy, write_receipt

T0 = datetime(2026, 11, 29, 10, 0, 0)
PASSWORD = "q7x2mk9p"  # planted: must never reach a receipt


def _at(minute: int, second: int = 0) -> datetime:
    return T0.replace(minute=minute, second=second)


def _session() -> ActivityLog:
    log = ActivityLog()
    for ev in (
        TvEvent("online", _at(0)),
        TvEvent("joined", _at(1), tv_id="1660360496", name="Anna Nowak", verdict="verified"),
        TvEvent("control", _at(1, 1)),
        TvEvent("control", _at(1, 2)),  # several processes: one line
        TvEvent("file_in", _at(2), name="sterownik.zip", folder="C:\\Users\\Jan\\Pobrane"),
        TvEvent("file_in", _at(2, 5), name="sterownik.zip", folder="C:\\Users\\Jan\\Pobrane", size=11481907),
        TvEvent("file_out", _at(3), name="raport.txt", folder="C:\\Users\\Jan\\Dokumenty"),
        TvEvent("left", _at(4), tv_id="1660360496"),
        TvEvent("ended", _at(4), name="reason=1"),
    ):
        log.add(ev)
    return log


def test_activity_entries_merge_and_order() -> None:
    log = _session()
    kinds = [e.kind for e in log.entries]
    assert kinds == ["joined", "control", "file_in", "file_out", "ended"]
    assert log.entries[2].size == 11481907  # `Write file` completed by `Download from ... (10.95 MB)`
    assert log.entries[-1].by == "consultant"
    assert [e.kind for e in log.newest_first()] == list(reversed(kinds))
    assert log.newest is log.entries[-1]


def test_plain_polish_and_english() -> None:
    log = _session()
    pl = [describe(e, "pl") for e in log.entries]
    en = [describe(e, "en") for e in log.entries]
    assert pl[0] == "Połączył się konsultant Overmax Anna Nowak (zweryfikowany)."
    assert pl[2] == ("Konsultant przesłał na ten komputer plik „sterownik.zip” (10,9 MB) "
                     "do folderu C:\\Users\\Jan\\Pobrane.")
    assert pl[3] == "Konsultant pobrał z tego komputera plik „raport.txt” z folderu C:\\Users\\Jan\\Dokumenty."
    assert pl[4] == "Konsultant zakończył sesję."
    assert en[0] == "Overmax consultant Anna Nowak connected (verified)."
    assert en[2].startswith("The consultant sent the file “sterownik.zip” (10.9 MB)")
    assert line(log.entries[1]) == "10:01  Konsultant zaczął sterować tym komputerem."
    unknown = ActivityLog()
    entry = unknown.add(TvEvent("joined", T0, tv_id="1555000111", name="Pomoc Techniczna", verdict="unknown"))
    assert entry is not None and "spoza Overmax" in describe(entry) and "1 555 000 111" in describe(entry)
    none = unknown.add(TvEvent("joined", T0, tv_id="12345678", name=None, verdict="unverified"))
    assert none is not None and describe(none) == "Połączył się ktoś bez nazwy (niezweryfikowany)."


def test_sizes_as_a_customer_reads_them() -> None:
    assert format_size(340) == "340 B"
    assert format_size(57426) == "56,1 kB"
    assert format_size(57426, "en") == "56.1 kB"
    assert format_size(None) == ""


def test_events_that_are_not_activity_are_dropped() -> None:
    log = ActivityLog()
    for kind in ("id", "online", "incoming", "authenticated", "exited", "no-id"):
        assert log.add(TvEvent(kind, T0)) is None
    assert log.entries == []


def test_launcher_side_end_reasons() -> None:
    log = ActivityLog()
    log.end("customer", _at(5))
    log.end("customer", _at(5))
    assert [describe(e) for e in log.entries] == ["Sesję zakończono na tym komputerze (Rozłącz)."]
    assert log.end("nonsense").by == "error"


def _receipt(log: ActivityLog, ended_by: str = "consultant") -> Receipt:
    return Receipt.from_activity(log.entries, started_at=T0, ended_at=_at(5), ended_by=ended_by,
                                 own_id="1660388656", app_version="0.1.0")


def test_receipt_text_and_json(tmp_path: Path) -> None:
    text_path, json_path = write_receipt(_receipt(_session()), tmp_path, secrets=[PASSWORD])
    assert text_path.parent == json_path.parent == tmp_path / "receipts"
    text = text_path.read_text("utf-8")
    assert "Początek: 2026-11-29 10:00:00" in text and "Koniec: 2026-11-29 10:05:00" in text
    assert "Konsultant: Anna Nowak, ID 1 660 360 496, zweryfikowany" in text
    assert "„sterownik.zip” (10,9 MB)" in text and "raport.txt" in text
    assert "Zakończenie: Konsultant zakończył sesję." in text
    doc = json.loads(json_path.read_text("utf-8"))
    assert doc["consultants"] == [{"name": "Anna Nowak", "tv_id": "1660360496", "verified": True,
                                   "verdict": "verified"}]
    assert doc["ended_by"] == "consultant" and doc["started_at"] == "2026-11-29T10:00:00"
    assert [a["kind"] for a in doc["activity"]] == ["joined", "control", "file_in", "file_out", "ended"]
    assert not [p for p in text_path.parent.iterdir() if p.name.startswith(".")]  # no temporary left
    if os.name == "posix":
        assert text_path.stat().st_mode & 0o077 == 0


def test_receipt_never_holds_the_password(tmp_path: Path) -> None:
    # the planted password shows up where a hostile partner controls the text: their name and a file name
    log = ActivityLog()
    log.add(TvEvent("joined", T0, tv_id="1555000111", name=f"Support {PASSWORD}", verdict="unknown"))
    log.add(TvEvent("file_out", _at(1), name=f"{PASSWORD}.txt", folder=f"C:\\{PASSWORD.upper()}"))
    log.add(TvEvent("refused", _at(1), tv_id="1555000111", name=f"Support {PASSWORD}", verdict="unknown"))
    log.end("refused", _at(1))
    paths = write_receipt(_receipt(log, "refused"), tmp_path, lang="en", secrets=[PASSWORD])
    for path in paths:
        assert PASSWORD not in path.read_text("utf-8").lower()
    assert "OUTSIDE OVERMAX" in paths[0].read_text("utf-8")


def test_two_receipts_in_one_second_both_kept(tmp_path: Path) -> None:
    first = write_receipt(_receipt(_session()), tmp_path)
    second = write_receipt(_receipt(_session()), tmp_path)
    assert first != second and all(p.exists() for p in (*first, *second))


def test_nobody_connected(tmp_path: Path) -> None:
    log = ActivityLog()
    log.end("customer", _at(2))
    text = render_text(_receipt(log, "customer"))
    assert "Konsultant: nikt się nie połączył" in text
    assert "Zakończenie: Sesję zakończono na tym komputerze (Rozłącz)." in text


def test_unwritable_folder_is_app_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(LauncherError) as info:
        write_receipt(_receipt(_session()), blocker)
    assert info.value.code == "APP-DATA-DIR"
    with pytest.raises(LauncherError):
        save_copy("x", blocker / "copy.txt")
    save_copy("kopia\n", tmp_path / "kopia.txt")
    assert (tmp_path / "kopia.txt").read_text("utf-8") == "kopia\n"


def test_a_session_ended_by_a_full_disk_says_so_in_both_languages() -> None:
    log = ActivityLog()
    log.end("disk-full", _at(2))
    assert describe(log.entries[-1]) == "Sesja zakończona: na dysku komputera zabrakło miejsca."
    assert describe(log.entries[-1], "en") == "The session ended: the computer's disk is full."


@pytest.fixture
def full_disk(tmp_path: Path):
    from tests.support.tmpfs import fill_up, mounted_tmpfs

    with mounted_tmpfs(tmp_path / "full", "size=64k") as folder:
        (folder / "receipts").mkdir()
        fill_up(folder)
        yield folder


def test_a_receipt_on_a_full_disk_is_disk_full_and_leaves_no_half_file(full_disk: Path, tmp_path: Path) -> None:
    with pytest.raises(LauncherError) as info:
        write_receipt(_receipt(_session()), full_disk, secrets=[PASSWORD])
    assert info.value.code == "DL-DISK-FULL"
    assert str(full_disk) in info.value.detail
    assert list((full_disk / "receipts").iterdir()) == []  # neither a half receipt nor a temporary file
    with pytest.raises(LauncherError) as info:
        save_copy(render_text(_receipt(_session())), full_disk / "kopia.txt")  # "Zapisz" onto the full disk
    assert info.value.code == "DL-DISK-FULL"
    assert not (full_disk / "kopia.txt").exists()


def test_a_receipt_that_could_not_be_written_goes_into_the_report_without_the_password() -> None:
    from launcher.core.diagnostics import build_report

    log = _session()
    log.add(TvEvent("joined", _at(4, 30), tv_id="1555000111", name=f"Support {PASSWORD}", verdict="unknown"))
    text = render_text(_receipt(log, "disk-full"))
    report = build_report(app_version="0.1.0", step="error", error_code="QS-DISK-FULL", error_detail="",
                          secrets=[PASSWORD], unsaved_receipt=text)
    assert "Potwierdzenie sesji (nie udało się go zapisać na dysku):" in report
    assert "  Konsultant: Anna Nowak, ID 1 660 360 496, zweryfikowany" in report
    assert "Zakończenie: Sesja zakończona: na dysku komputera zabrakło miejsca." in report
    assert PASSWORD not in report
    assert "Potwierdzenie sesji" not in build_report(app_version="0.1.0", step="error", error_code=None,
                                                     error_detail="")
