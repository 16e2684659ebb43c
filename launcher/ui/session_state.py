"""The one truth about the session, and every text drawn from it.

`SessionInfo` is the state: the controller changes it in place and sends it with `sessionChanged`.
`describe(info)` turns it into every text a customer sees about the session: the session page's status
line, the always-on-top panel, the window title (the taskbar's text) and the password's hint. Nothing
else words the session's state, so the panel can never say "czekamy na konsultanta" while the page says
the consultant has ended it. tests/ui/test_session_state.py walks every phase and compares them.

To add to the state: a slot and its default in `SessionInfo`, and where it shows, a field in
`SessionTexts` filled in `describe`.
"""

from __future__ import annotations

import enum
import time

from PySide6.QtCore import QCoreApplication

from launcher.core.formatting import format_duration, group_id
from launcher.core.quicksupport.password_status import PasswordStatus


class Phase(enum.Enum):
    """Where the session is, in the order a customer meets them."""

    STARTING = "starting"  # QuickSupport is starting: no ID yet
    CONNECTING = "connecting"  # the ID is known, TeamViewer's network is not reached yet
    WAITING = "waiting"  # online, no consultant yet
    CONNECTED = "connected"  # a consultant is connected
    ENDED_BY_CONSULTANT = "ended-by-consultant"  # the consultant left; QuickSupport still runs
    STOPPING = "stopping"  # Rozłącz was pressed: QuickSupport is being ended


class SessionInfo:
    """The session's state. A plain class, not a dataclass: dataclasses generate their methods with exec(),
    a millisecond each before the first paint."""

    __slots__ = ("tv_id", "online", "supporter", "supporter_id", "connected_since", "ended_by_consultant",
                 "seen", "stopping", "password_status", "password_try_until")

    def __init__(self) -> None:
        self.tv_id: str | None = None
        self.online = False
        self.supporter: str | None = None
        self.supporter_id: str | None = None
        self.connected_since: float | None = None  # time.monotonic() when the consultant joined
        self.ended_by_consultant = False
        self.seen: list[str] = []
        self.stopping = False
        self.password_status = PasswordStatus.READING
        self.password_try_until: float | None = None  # time.time() until which reading is retried

    def __repr__(self) -> str:
        return "SessionInfo(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"

    @property
    def phase(self) -> Phase:
        if self.stopping:
            return Phase.STOPPING
        if not self.tv_id:
            return Phase.STARTING
        if self.connected_since is not None:
            return Phase.CONNECTED
        if self.ended_by_consultant:
            return Phase.ENDED_BY_CONSULTANT
        if not self.online:
            return Phase.CONNECTING
        return Phase.WAITING


class SessionTexts:
    """Every text about the session, from one `SessionInfo` (see `describe`)."""

    __slots__ = ("phase", "short", "status", "panel", "title", "password_hint")

    def __init__(self, phase: Phase, short: str, status: str, panel: str, title: str, password_hint: str) -> None:
        self.phase = phase
        self.short = short  # a few words: what is happening (the panel's and the taskbar's)
        self.status = status  # the session page's status line (sessionStatus)
        self.panel = panel  # the always-on-top panel's line
        self.title = title  # the main window's title: the taskbar's text (Qt adds the app's name)
        self.password_hint = password_hint  # under the password: how to get it where it is not shown

    def __repr__(self) -> str:
        return "SessionTexts(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"


def _short(phase: Phase) -> str:
    if phase is Phase.STARTING:
        return QCoreApplication.translate("SessionState", "Uruchamianie TeamViewer")
    if phase is Phase.CONNECTING:
        return QCoreApplication.translate("SessionState", "Łączenie z siecią TeamViewer")
    if phase is Phase.WAITING:
        return QCoreApplication.translate("SessionState", "Czekamy na konsultanta")
    if phase is Phase.CONNECTED:
        return QCoreApplication.translate("SessionState", "Konsultant połączony")
    if phase is Phase.ENDED_BY_CONSULTANT:
        return QCoreApplication.translate("SessionState", "Konsultant zakończył sesję")
    return QCoreApplication.translate("SessionState", "Kończenie pomocy zdalnej")


def _status(info: SessionInfo, phase: Phase, now: float) -> str:
    if phase is Phase.STOPPING:
        return QCoreApplication.translate("SessionState", "Kończenie połączenia…")
    if phase is Phase.STARTING:
        return QCoreApplication.translate("SessionState", "Uruchamianie TeamViewer QuickSupport…")
    if phase is Phase.CONNECTED:
        who = info.supporter or QCoreApplication.translate("SessionState", "konsultant")
        return QCoreApplication.translate("SessionState", "Konsultant {name} jest połączony ({time})").format(
            name=who, time=format_duration(now - (info.connected_since or now)))
    if phase is Phase.ENDED_BY_CONSULTANT:
        return QCoreApplication.translate(
            "SessionState", "Konsultant zakończył sesję. Kliknij Rozłącz, aby zamknąć TeamViewer na dobre.")
    if phase is Phase.CONNECTING:
        return QCoreApplication.translate("SessionState", "Łączenie z siecią TeamViewer…")
    return QCoreApplication.translate("SessionState", "Czekamy na połączenie konsultanta")


def _panel(info: SessionInfo, phase: Phase, short: str, now: float) -> str:
    tv_id = group_id(info.tv_id) if info.tv_id else "…"
    if phase is Phase.CONNECTED:
        who = info.supporter or QCoreApplication.translate("SessionState", "konsultant")
        return QCoreApplication.translate("SessionState", "ID {id}: konsultant {name} połączony ({time})").format(
            id=tv_id, name=who, time=format_duration(now - (info.connected_since or now)))
    return QCoreApplication.translate("SessionState", "ID {id}: {status}").format(id=tv_id, status=short.lower())


def _clock(epoch_s: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(epoch_s).strftime("%H:%M")


def password_hint(info: SessionInfo) -> str:
    """What the customer reads under the password box, for each way reading it can go."""
    status = info.password_status
    where = QCoreApplication.translate(
        "SessionState", "Hasło odczytaj z okna TeamViewer QuickSupport: jest w polu „Hasło” tuż pod "
        "numerem „Twoje ID”. Przycisk „Pokaż okno TeamViewer” wyciąga to okno na wierzch.")
    if status is PasswordStatus.READ:
        return ""
    if status is PasswordStatus.READING:
        return QCoreApplication.translate("SessionState", "Odczytujemy hasło z okna TeamViewer…")
    if status is PasswordStatus.NOT_READY:
        return QCoreApplication.translate(
            "SessionState", "TeamViewer jeszcze przygotowuje hasło (w jego oknie widać „-”). "
            "Pokażemy je tutaj, gdy tylko będzie gotowe.")
    if status is PasswordStatus.FIXED:
        return QCoreApplication.translate(
            "SessionState", "Na tym komputerze ustawiono stałe hasło TeamViewer (w jego oknie widać „****”). "
            "Podaj konsultantowi tylko swój numer ID: konsultant wie, co dalej.")
    if status is PasswordStatus.GAVE_UP:
        return where + " " + QCoreApplication.translate(
            "SessionState", "Ten program nie może odczytać hasła na tym komputerze i przestał próbować.")
    until = info.password_try_until
    if until is not None:
        return where + " " + QCoreApplication.translate(
            "SessionState", "Nadal próbujemy odczytać je sami, do godziny {time}.").format(time=_clock(until))
    return where


def password_shown(info: SessionInfo, value: str) -> str:
    """The password box's text: the password, or a plain word for why there is none (never a spinner)."""
    if value:
        return value
    status = info.password_status
    if status is PasswordStatus.READING:
        return QCoreApplication.translate("SessionState", "odczytujemy…")
    if status is PasswordStatus.NOT_READY:
        return QCoreApplication.translate("SessionState", "jeszcze nie gotowe")
    if status is PasswordStatus.FIXED:
        return QCoreApplication.translate("SessionState", "stałe hasło")
    return QCoreApplication.translate("SessionState", "w oknie TeamViewer")


def describe(info: SessionInfo, now: float | None = None) -> SessionTexts:
    """Every text about the session in `info`; `now` is time.monotonic() (for the connected timer)."""
    now = time.monotonic() if now is None else now
    phase = info.phase
    short = _short(phase)
    return SessionTexts(
        phase=phase,
        short=short,
        status=_status(info, phase, now),
        panel=_panel(info, phase, short, now),
        title=short,
        password_hint=password_hint(info),
    )
