"""The --demo QuickSupport stand-in: a small window that says DEMO and writes TeamViewer-format log lines.

    python -m launcher.demo.standin --root DIR [--id N] [--password P] [--join-after S] [--leave-after S]

Like the real one it shows "Your ID" and "Password" (readable through the OS accessibility API: the
fields carry accessible names), writes DIR/logfiles/TeamViewer15_Logfile.log in TeamViewer's exact
layout (header with `ID: 0`, the ManageLogin ID line, KeepAliveConnect ... successful, a consultant
connecting after --join-after seconds and leaving after --leave-after), and ends cleanly on SIGTERM.
It never talks to any network. Negative --join-after/--leave-after disable that part.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import signal
import string
import sys
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

TITLE = "TeamViewer QuickSupport (DEMO)"
LOG_NAME = "TeamViewer15_Logfile.log"
CONSULTANT_NAME = "Demo Konsultant"
PASSWORD_ALPHABET = string.ascii_lowercase + string.digits


def random_id() -> str:
    digits = secrets.choice((9, 10))
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(digits - 1))


def random_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(secrets.choice((6, 7, 8))))


def group_id(tv_id: str) -> str:
    head = len(tv_id) % 3
    groups = [tv_id[:head]] if head else []
    return " ".join(groups + [tv_id[i : i + 3] for i in range(head, len(tv_id), 3)])


class TvLogWriter:
    """Appends lines in TeamViewer's layout: `YYYY/MM/DD HH:MM:SS.mmm  PID  TID  TAG  message`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / LOG_NAME
        self.pid = os.getpid()

    def line(self, msg: str, tag: str = "S0", tid: int = 2488) -> None:
        now = datetime.now()
        stamp = now.strftime("%Y/%m/%d %H:%M:%S.") + f"{now.microsecond // 1000:03d}"
        self._append(f"{stamp}  {self.pid}  {tid:>9} {tag:>2}   {msg}\n")

    def _append(self, text: str) -> None:
        with open(self.path, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    def header(self) -> None:
        self.line("Logger started.", tag="0", tid=3688)
        now = datetime.now().strftime("%Y/%m/%d %H:%M:%S.%f")[:-3]
        self._append(
            f"\nStart:              {now}\nVersion:            15.0.0 DEMO (64-bit)\n"
            f"ID:                 0\nLoglevel:           Info\nOS:                 {platform.system()}\n"
            "AppPath:            teamviewerqs/teamviewer (DEMO stand-in)\n\n"
        )


class Script:
    """The log timeline, driven by `tick()` from a timer (Qt) or a plain loop (headless)."""

    def __init__(self, log: TvLogWriter, tv_id: str, join_after: float, leave_after: float) -> None:
        self.log, self.tv_id = log, tv_id
        self.consultant_id = "1" + "".join(str(secrets.randbelow(10)) for _ in range(9))
        self.session = str(100_000_000 + secrets.randbelow(800_000_000))
        self.start = time.monotonic()
        self.steps = [
            (0.3, self._online),
            (join_after, self._join) if join_after >= 0 else None,
            (leave_after, self._leave) if leave_after >= 0 and join_after >= 0 else None,
        ]
        self.steps = [s for s in self.steps if s is not None]
        self.status = "Gotowy do połączenia (DEMO)"
        log.header()

    def tick(self) -> None:
        elapsed = time.monotonic() - self.start
        while self.steps and elapsed >= self.steps[0][0]:
            self.steps.pop(0)[1]()

    def _online(self) -> None:
        self.log.line("CKeepAliveClientClient::StartConnect(): Protocol 8 proxy -- IP router1.teamviewer.com")
        self.log.line("KeepAliveSessionOutgoing::ConnectSuccessHandler(): "
                      "KeepAliveConnect to router1.teamviewer.com successful")
        self.log.line(f"Login::Identify::ManageLogin(): ID: {self.tv_id} IC -2100253538 MIDv2")
        self.log.line(f'IDLabelContent::UpdateImpl() IDs changed: SessionID "{self.tv_id}", ServerID "0"', tag="G1")

    def _join(self) -> None:
        self.log.line("CommandHandlerRouting[2]::CreatePassiveSession(): incoming session via "
                      "demo.router.teamviewer.invalid, protocol Tcp")
        self.log.line(f"CParticipantManagerBase::SetMyParticipantIdentifier(): pid=[{self.tv_id},{self.session}]")
        self.log.line("AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: "
                      "authentication using dynamic password was successful", tag="D1")
        host = platform.node().upper() or "DEMO-PC"
        self.log.line(f"CPersistentParticipantManager::AddParticipant: [{self.tv_id},{self.session}] "
                      f"type=3 name={host}")
        self.log.line(f"CPersistentParticipantManager::AddParticipant: [{self.consultant_id},{self.session}] "
                      f"type=6 name={CONSULTANT_NAME}")
        self.status = f"Połączono: {CONSULTANT_NAME} (DEMO)"

    def _leave(self) -> None:
        self.log.line(f"CPersistentParticipantManager::RemoveParticipant: [{self.consultant_id},{self.session}]")
        self.log.line("CStreamManager[2]::ReceivedEndSession(): reason=1")
        self.log.line(f"CPersistentParticipantManager::RemoveParticipant: [{self.tv_id},{self.session}]")
        self.status = "Sesja zakończona (DEMO)"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="launcher.demo.standin", description="the --demo QuickSupport stand-in")
    parser.add_argument("--root", type=Path, required=True, help="the stand-in's folder (logs go to logfiles/)")
    parser.add_argument("--id", default=None, help="TeamViewer ID to show (default: random, 9-10 digits)")
    parser.add_argument("--password", default=None, help="password to show (default: random, 6-8 chars)")
    parser.add_argument("--join-after", type=float, default=5.0, help="seconds until the demo consultant joins")
    parser.add_argument("--leave-after", type=float, default=40.0, help="seconds until they leave")
    parser.add_argument("--headless", action="store_true", help="no window, log only")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.id is not None and not (args.id.isdigit() and len(args.id) in (9, 10)):
        parser.error("--id must be 9 or 10 digits")
    return args


def run_headless(script: Script) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.05):
        script.tick()
    return 0


def run_window(script: Script, tv_id: str, password: str) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = QWidget()
    window.setWindowTitle(TITLE)
    window.setAccessibleName(TITLE)
    layout = QVBoxLayout(window)
    demo = QLabel("DEMO — to nie jest prawdziwy TeamViewer / this is not the real TeamViewer")
    demo.setStyleSheet("background:#ffd400;color:#000;font-weight:bold;padding:6px")
    demo.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(demo)

    big = QFont()
    big.setPointSize(20)

    def field(label_text: str, value: str, object_name: str) -> QLineEdit:
        label = QLabel(label_text)
        label.setAccessibleName(label_text)
        edit = QLineEdit(value)
        edit.setReadOnly(True)
        edit.setFont(big)
        edit.setObjectName(object_name)
        edit.setAccessibleName(label_text)
        label.setBuddy(edit)
        layout.addWidget(label)
        layout.addWidget(edit)
        return edit

    field("Your ID", group_id(tv_id), "demoId")
    field("Password", password, "demoPassword")
    status = QLabel(script.status)
    status.setObjectName("demoStatus")
    layout.addWidget(status)
    window.resize(420, 260)
    window.show()

    def on_tick() -> None:  # also lets Python run its signal handlers inside Qt's loop
        script.tick()
        if status.text() != script.status:
            status.setText(script.status)

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(on_tick)
    timer.start()
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    app.exec()
    timer.stop()
    window.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tv_id = args.id or random_id()
    # The environment lets a trainer (or a test) fix the password the demo shows through the whole flow.
    password = args.password or os.environ.get("OVERMAX_DEMO_PASSWORD") or random_password()
    script = Script(TvLogWriter(args.root / "logfiles"), tv_id, args.join_after, args.leave_after)
    if args.headless:
        return run_headless(script)
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        return run_window(script, tv_id, password)
    except ImportError:
        return run_headless(script)


if __name__ == "__main__":
    sys.exit(main())
