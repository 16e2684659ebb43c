"""What the consultant does, from TeamViewer log lines: every known wording, and unknown lines ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.quicksupport.tvactivity import parse_activity, parse_size, split_path
from launcher.core.quicksupport.tvlog import parse_line

STAMP = "2025/08/20 11:02:49.585  1052       5128 G1   "


@pytest.mark.parametrize(("message", "kind", "name", "folder", "size"), [
    # public write-ups of a TeamViewer 15 log (file transfer to this computer, then from it)
    (r"Write file C:\Windows\Temp\safe\credhistview.zip", "file_in", "credhistview.zip", r"C:\Windows\Temp\safe",
     None),
    (r'Download from "safe\credhistview.zip" to "C:\Windows\Temp\safe\credhistview.zip" (56.08 kB)', "file_in",
     "credhistview.zip", r"C:\Windows\Temp\safe", round(56.08 * 1024)),
    (r'Download from "safe\mimikatz.exe" to "C:\Windows\Temp\safe\mimikatz.exe" (1.19 MB)', "file_in",
     "mimikatz.exe", r"C:\Windows\Temp\safe", round(1.19 * 1024 * 1024)),
    (r'Download from "a\b.iso" to "D:\Pobrane\b.iso" (10.95 MB)', "file_in", "b.iso", "D:\\Pobrane",
     round(10.95 * 1024 * 1024)),
    (r"Send file C:\Windows\Temp\flyover\COG-SAT LAUNCH.pdf", "file_out", "COG-SAT LAUNCH.pdf",
     r"C:\Windows\Temp\flyover", None),
    (r"Send file C:\Windows\Temp\flyover\Heisen-9 remote snapshot.kdbx", "file_out",
     "Heisen-9 remote snapshot.kdbx", r"C:\Windows\Temp\flyover", None),
    ("Send file /home/anna/Dokumenty/zażółć gęślą.odt", "file_out", "zażółć gęślą.odt", "/home/anna/Dokumenty",
     None),
    ("Write file /home/anna/Pobrane/sterownik.zip", "file_in", "sterownik.zip", "/home/anna/Pobrane", None),
    # the real TeamViewer 15.50 log: the desktop process starts the remote-control session
    ("SessionManagerDesktop::InitiateDesktopSession: creating session with tvsessionprotocol::TVSessionID = "
     "126302903", "control", None, None, None),
])
def test_known_wordings(message: str, kind: str, name: str | None, folder: str | None, size: int | None) -> None:
    ev = parse_line(STAMP + message)
    assert ev is not None
    assert (ev.kind, ev.name, ev.folder, ev.size) == (kind, name, folder, size)


@pytest.mark.parametrize("message", [
    "Write file ",
    'Download from "x" to "" (1 MB)',
    r"Send file C:\Windows\Temp\flyover\ ",
    "UdpOutputTracker(): max 73193 effectiveSent 74574 RTT 327",
    "DataTransceiver: CFT_Operation_Incoming => CopyFilesOperationIncoming::HandleError: Incoming Error",
    "Write files are disabled",
    "x" * 70000,
    "",
])
def test_unknown_or_broken_lines_are_ignored(message: str) -> None:
    ev = parse_line(STAMP + message)
    assert ev is None or ev.kind not in ("file_in", "file_out", "control")


def test_sizes() -> None:
    assert parse_size("512 Bytes") == 512
    assert parse_size("1 kB") == 1024
    assert parse_size("1,5 MB") == 1572864
    assert parse_size("2 GB") == 2 << 30
    assert parse_size("12 parsecs") is None and parse_size("") is None and parse_size(None) is None


def test_split_path() -> None:
    assert split_path(r"C:\a\b c.txt") == ("C:\\a", "b c.txt")
    assert split_path("/x/y") == ("/x", "y")
    assert split_path("/y") == ("/", "y")
    assert split_path("y") == ("", "y")


def test_activity_module_alone() -> None:
    assert parse_activity("Send file relative.txt").name == "relative.txt"  # type: ignore[union-attr]
    assert parse_activity("nothing here") is None


def test_real_log_has_remote_control_and_no_false_files(tv_real_log: Path) -> None:
    events = [ev for raw in tv_real_log.read_bytes().splitlines() if (ev := parse_line(raw.decode("utf-8", "replace")))]
    kinds = [ev.kind for ev in events]
    assert kinds.count("control") == 1
    # that log's two incoming file transfers failed ("Access is denied"): no file line may be invented
    assert "file_in" not in kinds and "file_out" not in kinds
