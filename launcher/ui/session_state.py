"""The one truth about the session, and every text drawn from it.

`SessionInfo` is the state: the controller changes it in place and sends it with `sessionChanged`.
`describe(info)` turns it into every text a customer sees about the session: the session page's status
line, the always-on-top panel, the window title (the taskbar's text) and the password's hint. Nothing
else words the session's state, so the panel can never say "czekamy na konsultanta" while the page says
the consultant has ended it. tests/ui/test_session_state.py walks every phase and compares them.

To add to the state: a field and its default in `SessionInfo`, and where it shows, a field in
`SessionTexts` filled in `describe`.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from launcher.core.activity import ActivityLog, supporter_name
from launcher.core.activity import describe as describe_activity
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


@dataclass(slots=True)
class SessionInfo:
    """The session's state."""

    tv_id: str | None = None
    online: bool = False
    supporter: str | None = None
    supporter_id: str | None = None
    connected_since: float | None = None  # time.monotonic() when the consultant joined
    ended_by_consultant: bool = False
    seen: list[str] = field(default_factory=list)
    stopping: bool = False
    password_status: PasswordStatus = PasswordStatus.READING
    password_try_until: float | None = None  # time.time() until which reading is retried
    # the roster's word on the connected supporter: verified | unverified (no roster) | unknown | None
    supporter_verdict: str | None = None
    activity: ActivityLog = field(default_factory=ActivityLog)  # the activity list, the receipt
    language: str = "pl"  # the activity lines' language (they come from launcher.core.activity)
    # the supporters connected now, by TeamViewer ID ("" where no ID was logged): (name, the roster's verdict),
    # in the order they joined
    present: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def note_presence(self, kind: str, tv_id: str | None, name: str | None = None,
                      verdict: str | None = None) -> None:
        """Keep `present` in step with a joined/left/ended/refused event and show one of those still connected:
        one the roster does not know while there is one (warn mode: the red warning stays while they do),
        else the last to join. A "left" of one of two leaves the other shown, the session going on."""
        if kind == "joined":
            self.present.pop(tv_id or "", None)
            self.present[tv_id or ""] = (name, verdict)
        elif kind == "left" and tv_id:
            self.present.pop(tv_id, None)
        elif kind in ("left", "ended", "refused"):  # the session, or someone nobody can name: all are gone
            self.present.clear()
        else:
            return
        if self.present:
            unknown = [item for item in self.present.items() if item[1][1] == "unknown"]
            shown_id, (self.supporter, self.supporter_verdict) = (unknown or list(self.present.items()))[-1]
            self.supporter_id = shown_id or None

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


@dataclass(frozen=True, slots=True)
class SessionTexts:
    """Every text about the session, from one `SessionInfo` (see `describe`)."""

    phase: Phase
    short: str  # a few words: what is happening (the panel's and the taskbar's)
    status: str  # the session page's status line (sessionStatus)
    panel: str  # the always-on-top panel's line
    title: str  # the main window's title: the taskbar's text (Qt adds the app's name)
    password_hint: str  # under the password: how to get it where it is not shown
    activity: str = ""  # the newest line of the activity list (the panel shows it), or ""
    warning: str = ""  # a supporter outside Overmax stays connected (warn mode): the red banner, or ""


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


def _who(info: SessionInfo) -> str:
    """The connected supporter as a sentence names them: the signed roster's name as it is, a name the
    supporter chose in quotes (launcher.core.activity.supporter_name), "konsultant" without one."""
    name = supporter_name(info.supporter, info.supporter_verdict, info.language)
    return name or QCoreApplication.translate("SessionState", "konsultant")


def _status(info: SessionInfo, phase: Phase, now: float) -> str:
    if phase is Phase.STOPPING:
        return QCoreApplication.translate("SessionState", "Kończenie połączenia…")
    if phase is Phase.STARTING:
        return QCoreApplication.translate("SessionState", "Uruchamianie TeamViewer QuickSupport…")
    if phase is Phase.CONNECTED:
        who = _who(info)
        since = format_duration(now - (info.connected_since or now))
        if info.supporter_verdict == "verified":
            return QCoreApplication.translate(
                "SessionState", "Konsultant Overmax {name} (zweryfikowany) jest połączony ({time})").format(
                name=who, time=since)
        if info.supporter_verdict == "unverified":
            return QCoreApplication.translate(
                "SessionState", "Połączony: {name} (niezweryfikowany) ({time})").format(name=who, time=since)
        if info.supporter_verdict == "unknown":
            return QCoreApplication.translate(
                "SessionState", "Połączona osoba spoza Overmax: {name} ({time})").format(name=who, time=since)
        return QCoreApplication.translate("SessionState", "Konsultant {name} jest połączony ({time})").format(
            name=who, time=since)
    if phase is Phase.ENDED_BY_CONSULTANT:
        return QCoreApplication.translate(
            "SessionState", "Konsultant zakończył sesję. Kliknij Rozłącz, aby zamknąć TeamViewer na dobre.")
    if phase is Phase.CONNECTING:
        return QCoreApplication.translate("SessionState", "Łączenie z siecią TeamViewer…")
    return QCoreApplication.translate("SessionState", "Czekamy na połączenie konsultanta")


def _panel(info: SessionInfo, phase: Phase, short: str, now: float) -> str:
    tv_id = group_id(info.tv_id) if info.tv_id else "…"
    if phase is Phase.CONNECTED:
        who, since = _who(info), format_duration(now - (info.connected_since or now))
        # the panel says what the roster said too: a name that claims "(zweryfikowany)" stands in quotes
        # next to the program's own "niezweryfikowany" / "spoza Overmax"
        if info.supporter_verdict == "unverified":
            return QCoreApplication.translate(
                "SessionState", "ID {id}: połączony {name} (niezweryfikowany) ({time})").format(
                id=tv_id, name=who, time=since)
        if info.supporter_verdict == "unknown":
            return QCoreApplication.translate(
                "SessionState", "ID {id}: połączona osoba spoza Overmax {name} ({time})").format(
                id=tv_id, name=who, time=since)
        return QCoreApplication.translate("SessionState", "ID {id}: konsultant {name} połączony ({time})").format(
            id=tv_id, name=who, time=since)
    return QCoreApplication.translate("SessionState", "ID {id}: {status}").format(id=tv_id, status=short.lower())


def _warning(info: SessionInfo, phase: Phase) -> str:
    if info.supporter_verdict != "unknown" or phase is not Phase.CONNECTED:
        return ""
    return QCoreApplication.translate(
        "SessionState", "UWAGA: to nie jest konsultant Overmax. Kliknij Rozłącz i zadzwoń samodzielnie "
                        "na 61 653 12 93.")


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
        activity=describe_activity(newest, info.language) if (newest := info.activity.newest) else "",
        warning=_warning(info, phase),
    )
