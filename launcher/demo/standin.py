"""The --demo QuickSupport stand-in: a small window that says DEMO and writes TeamViewer-format log lines.

    python -m launcher.demo.standin --root DIR [--id N] [--password P] [--join-after S] [--leave-after S]

Like the real one it shows "Your ID" and "Password" (readable through the OS accessibility API: the
fields carry accessible names), writes DIR/logfiles/TeamViewer15_Logfile.log in TeamViewer's exact
layout (header with `ID: 0`, the ManageLogin ID line, KeepAliveConnect ... successful, a consultant
connecting after --join-after seconds and leaving after --leave-after), and ends cleanly on SIGTERM.
It never talks to any network. Negative --join-after/--leave-after disable that part. A log line it cannot
write (a full disk) is dropped and it goes on (said once on stderr), as a program's logger does.

Environment (the Windows C stand-in reads the same names with the same meanings):

    OVERMAX_DEMO_PASSWORD   the password to show (default: random, 6-8 lowercase letters and digits)
    OVERMAX_DEMO_SCENARIO   what the supporter does once --join-after has passed:
        consultant (default, also when empty or unknown)
                  the demo consultant DEMO_CONSULTANT_ID "Demo Konsultant" (on the --demo roster)
                  joins, starts remote control, leaves at --leave-after
        files     as consultant, then sends a file to this computer (`Write file`, then
                  `Download from ... (SIZE)`) FILE_STEP_S later, and takes one from it
                  (`Send file`) another FILE_STEP_S later
        impostor  a supporter NOT on the roster (IMPOSTOR_ID, "Pomoc Techniczna") joins
        unidentified
                  a supporter authenticates but no join line names them (fail-closed tests)
        stranger  someone NOT on the roster (IMPOSTOR_ID) connects: TeamViewer's brute-force guard names
                  their ID (`AuthenticationBlocker::Allocate ... DyngateID`) before the password is tried
    OVERMAX_DEMO_JOIN_AFTER / OVERMAX_DEMO_LEAVE_AFTER
                            defaults for --join-after / --leave-after (seconds; negative: never)
    OVERMAX_DEMO_JOIN_WORDING   how the join is worded:
        both (default: as the real TeamViewer 15.50 log, `AddParticipant: [ID,S] type=6 name=N`
              followed by `CParticipantManagerBase participant N (ID [ID,S]) was added with the role 6`)
        add  only the AddParticipant line      role  only the CParticipantManagerBase line
    OVERMAX_DEMO_SUPPORTER_NAME
                            the display name the supporter gives TeamViewer, written into the join lines
                            as it is (default: the scenario's); for tests of hostile names (line breaks,
                            bidi overrides, markup)
    OVERMAX_DEMO_VERSION    the build the log header names (default 15.0.0: `Version:  15.0.0 DEMO
                            (64-bit)`), digits and dots, e.g. 14.7.1965 to play a build older than the
                            manifest's min_version; "none": a header without any Version line
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import secrets
import signal
import string
import sys
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from launcher.core.stop_signals import signals_forwarded
from launcher.demo.scenario import DEFAULT_VERSION, VERSION_NONE, VERSION_RE

TITLE = "TeamViewer QuickSupport (DEMO)"
LOG_NAME = "TeamViewer15_Logfile.log"
CONSULTANT_NAME = "Demo Konsultant"
DEMO_CONSULTANT_ID = "1987654320"  # the --demo roster's consultant (launcher/demo/server.py)
IMPOSTOR_ID = "1555000111"
IMPOSTOR_NAME = "Pomoc Techniczna"
SCENARIOS = ("consultant", "files", "impostor", "unidentified", "stranger")
JOIN_WORDINGS = ("both", "add", "role")
FILE_STEP_S = 1.0
DEMO_FILE_IN = "sterownik-drukarki-demo.zip"
DEMO_FILE_IN_SIZE = "10.95 MB"
DEMO_FILE_OUT = "raport-systemu-demo.txt"
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
    """Appends lines in TeamViewer's layout: `YYYY/MM/DD HH:MM:SS.mmm  PID  TID  TAG  message`. `version`:
    the build the header names (None: a header without a Version line)."""

    def __init__(self, folder: Path, version: str | None = DEFAULT_VERSION) -> None:
        with contextlib.suppress(OSError):  # no room for the folder: every line is then dropped (see _append)
            folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / LOG_NAME
        self.pid = os.getpid()
        self.version = version
        self.write_failed = False  # a line could not be written (said once on stderr)

    def line(self, msg: str, tag: str = "S0", tid: int = 2488) -> None:
        now = datetime.now()
        stamp = now.strftime("%Y/%m/%d %H:%M:%S.") + f"{now.microsecond // 1000:03d}"
        self._append(f"{stamp}  {self.pid}  {tid:>9} {tag:>2}   {msg}\n")

    def _append(self, text: str) -> None:
        """Lines that cannot be written (a full disk, a removed folder) are dropped and the stand-in goes on,
        as a program's logger does; that is said once on stderr, in one line, never with a traceback."""
        try:
            with open(self.path, "a", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            if not self.write_failed:
                self.write_failed = True
                with contextlib.suppress(OSError, ValueError):
                    print(f"demo stand-in: log line not written: {exc}", file=sys.stderr, flush=True)

    def header(self) -> None:
        self.line("Logger started.", tag="0", tid=3688)
        now = datetime.now().strftime("%Y/%m/%d %H:%M:%S.%f")[:-3]
        version = f"Version:            {self.version} DEMO (64-bit)\n" if self.version else ""
        self._append(
            f"\nStart:              {now}\n{version}"
            f"ID:                 0\nLoglevel:           Info\nOS:                 {platform.system()}\n"
            "AppPath:            teamviewerqs/teamviewer (DEMO stand-in)\n\n"
        )


def version_from_env() -> str | None:
    """OVERMAX_DEMO_VERSION: the build the header names (unset or empty: DEFAULT_VERSION; "none": None).
    Raises ValueError naming the variable for anything else."""
    value = os.environ.get("OVERMAX_DEMO_VERSION", "").strip() or DEFAULT_VERSION
    if value.lower() == VERSION_NONE:
        return None
    if not re.fullmatch(VERSION_RE, value):
        raise ValueError(f"OVERMAX_DEMO_VERSION={value!r}: not a version like 15.61.3, nor {VERSION_NONE!r}")
    return value


def scenario_from_env() -> tuple[str, str]:
    """(OVERMAX_DEMO_SCENARIO, OVERMAX_DEMO_JOIN_WORDING); unset or empty: the defaults. Raises ValueError
    naming the variable for any other value: a trainer's typo ("imposter") must not quietly play a
    verified consultant (the Windows stand-in refuses it the same way)."""
    scenario = os.environ.get("OVERMAX_DEMO_SCENARIO", "").strip().lower() or "consultant"
    wording = os.environ.get("OVERMAX_DEMO_JOIN_WORDING", "").strip().lower() or "both"
    if scenario not in SCENARIOS:
        raise ValueError(f"OVERMAX_DEMO_SCENARIO={scenario!r}: not one of {', '.join(SCENARIOS)}")
    if wording not in JOIN_WORDINGS:
        raise ValueError(f"OVERMAX_DEMO_JOIN_WORDING={wording!r}: not one of {', '.join(JOIN_WORDINGS)}")
    return scenario, wording


class Script:
    """The log timeline, driven by `tick()` from a timer (Qt) or a plain loop (headless)."""

    def __init__(self, log: TvLogWriter, tv_id: str, join_after: float, leave_after: float,
                 scenario: str = "consultant", wording: str = "both", supporter_name: str | None = None) -> None:
        self.log, self.tv_id = log, tv_id
        self.scenario, self.wording = scenario, wording
        impostor = scenario in ("impostor", "stranger")
        self.consultant_id = IMPOSTOR_ID if impostor else DEMO_CONSULTANT_ID
        self.consultant_name = supporter_name or (IMPOSTOR_NAME if impostor else CONSULTANT_NAME)
        self.session = str(100_000_000 + secrets.randbelow(800_000_000))
        self.start = time.monotonic()
        joins = join_after >= 0
        files = scenario == "files" and joins
        self.steps = [
            (0.3, self._online),
            (join_after, self._join) if joins else None,
            (join_after + FILE_STEP_S, self._file_in) if files else None,
            (join_after + 2 * FILE_STEP_S, self._file_out) if files else None,
            (leave_after, self._leave) if leave_after >= 0 and joins else None,
        ]
        self.steps = sorted((s for s in self.steps if s is not None), key=lambda step: step[0])
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
        if self.scenario == "stranger":  # the password is tried later, if the launcher lets it come to that
            self.log.line(f"AuthenticationBlocker::Allocate: allocate ok for DyngateID {self.consultant_id}, "
                          "attempt number 1")
            return
        self.log.line("AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: "
                      "authentication using dynamic password was successful", tag="D1")
        self.status = f"Połączono: {self.consultant_name} (DEMO)"
        if self.scenario == "unidentified":
            return  # authenticated, but no line names the supporter
        host = platform.node().upper() or "DEMO-PC"
        name = self.consultant_name
        cid, own = f"[{self.consultant_id},{self.session}]", f"[{self.tv_id},{self.session}]"
        if self.wording in ("both", "add"):
            self.log.line(f"CPersistentParticipantManager::AddParticipant: {own} type=3 name={host}")
            self.log.line(f"CPersistentParticipantManager::AddParticipant: {cid} type=6 name={name}")
        if self.wording in ("both", "role"):
            self.log.line(f"CParticipantManagerBase participant {host} (ID {own}) was added with the role 3")
            self.log.line(f"CParticipantManagerBase participant {name} (ID {cid}) was added with the role 6")
        self.log.line("SessionManagerDesktop::InitiateDesktopSession: creating session with "
                      f"tvsessionprotocol::TVSessionID = {self.session}", tag="D1")

    def _demo_folder(self) -> str:
        return str(Path.home() / "Pobrane")

    def _file_in(self) -> None:
        path = f"{self._demo_folder()}{os.sep}{DEMO_FILE_IN}"
        self.log.line(f"Write file {path}", tag="G1")
        self.log.line(f'Download from "{DEMO_FILE_IN}" to "{path}" ({DEMO_FILE_IN_SIZE})', tag="G1")

    def _file_out(self) -> None:
        self.log.line(f"Send file {self._demo_folder()}{os.sep}{DEMO_FILE_OUT}", tag="G1")

    def _leave(self) -> None:
        self.log.line(f"CPersistentParticipantManager::RemoveParticipant: [{self.consultant_id},{self.session}]")
        self.log.line("CStreamManager[2]::ReceivedEndSession(): reason=1")
        self.log.line(f"CPersistentParticipantManager::RemoveParticipant: [{self.tv_id},{self.session}]")
        self.status = "Sesja zakończona (DEMO)"


def _env_seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="launcher.demo.standin", description="the --demo QuickSupport stand-in")
    parser.add_argument("--root", type=Path, required=True, help="the stand-in's folder (logs go to logfiles/)")
    parser.add_argument("--id", default=None, help="TeamViewer ID to show (default: random, 9-10 digits)")
    parser.add_argument("--password", default=None, help="password to show (default: random, 6-8 chars)")
    parser.add_argument("--join-after", type=float, default=_env_seconds("OVERMAX_DEMO_JOIN_AFTER", 5.0),
                        help="seconds until the demo consultant joins")
    parser.add_argument("--leave-after", type=float, default=_env_seconds("OVERMAX_DEMO_LEAVE_AFTER", 40.0),
                        help="seconds until they leave")
    parser.add_argument("--headless", action="store_true", help="no window, log only")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.id is not None and not (args.id.isdigit() and len(args.id) in (9, 10)):
        parser.error("--id must be 9 or 10 digits")
    return args


def run_headless(script: Script) -> int:
    stop = threading.Event()
    with signals_forwarded({"sigterm": signal.SIGTERM, "sigint": signal.SIGINT}, lambda _name: stop.set()):
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
    try:
        scenario, wording = scenario_from_env()
        version = version_from_env()
    except ValueError as exc:
        print(f"demo stand-in: {exc}", file=sys.stderr)
        return 2
    script = Script(TvLogWriter(args.root / "logfiles", version), tv_id, args.join_after, args.leave_after,
                    scenario, wording, os.environ.get("OVERMAX_DEMO_SUPPORTER_NAME") or None)
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
