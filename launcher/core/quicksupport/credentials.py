"""Read QuickSupport's password from its window, the same way on every OS.

Each backend (uia.py on Windows, ax.py on macOS, atspi.py on Linux) turns the windows of our processes
into a platform-neutral tree of `A11yNode`s; `find_password` then anchors on the node that shows the ID
we already know from the log and takes the password field beside it. Anchoring on the ID means another
TeamViewer window (or any other password field) is never read by mistake. The password is never logged.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from launcher.core.quicksupport.a11y_tree import A11yNode
from launcher.core.quicksupport.password_status import PasswordStatus

log = logging.getLogger(__name__)

ID_AUTOMATION_ID = "20098"
PASSWORD_AUTOMATION_ID = "20099"
PASSWORD_LABELS = {
    "password", "hasło", "haslo", "passwort", "kennwort", "mot de passe", "contraseña", "contrasena",
    "senha", "password temporanea", "wachtwoord", "heslo", "jelszó", "parola", "пароль", "lösenord",
    "adgangskode", "passord", "salasana", "şifre", "geslo", "lozinka", "密码", "パスワード", "비밀번호",
}
ID_LABELS = {"your id", "twoje id", "ihre id", "votre id", "su id", "il tuo id", "uw id", "id"}
_SEPARATORS = " \u00a0\u202f\u2009"
_MAX_PASSWORD = 32


def _label(text: str) -> str:
    return text.strip().rstrip(":：").strip().casefold()


def _shows_id(text: str, known_id: str) -> bool:
    """`1 660 388 656`, `1660388656` (any spaces), nothing else."""
    stripped = text.strip()
    return bool(stripped) and all(ch.isdigit() or ch in _SEPARATORS for ch in stripped) and (
        "".join(ch for ch in stripped if ch.isdigit()) == known_id
    )


def _is_anchor(node: A11yNode, known_id: str) -> bool:
    return _shows_id(node.value, known_id) or _shows_id(node.name, known_id) or (
        node.automation_id == ID_AUTOMATION_ID and known_id in "".join(c for c in node.value if c.isdigit())
    )


# What QuickSupport shows in the password field instead of a password.
NOT_READY_TEXTS = frozenset({"-", "–", "—", "…", "..."})  # the password is not made yet
_MASK_CHARS = frozenset("*•●∙·")  # "****": a fixed password is set on this computer by policy


def _is_mask(text: str) -> bool:
    t = text.strip()
    return len(t) >= 3 and set(t) <= _MASK_CHARS


@dataclass(frozen=True)
class PasswordReading:
    """One attempt at reading the password: `value` is set only when `status` is READ."""

    status: PasswordStatus
    value: str | None = None

    def __repr__(self) -> str:  # never the password itself
        return f"PasswordReading({self.status.value}{', <hidden>' if self.value else ''})"


def classify_shown(text: str) -> PasswordReading:
    """What the password field showing `text` means."""
    t = text.strip()
    if not t or t in NOT_READY_TEXTS:
        return PasswordReading(PasswordStatus.NOT_READY)
    if _is_mask(t):
        return PasswordReading(PasswordStatus.FIXED)
    return PasswordReading(PasswordStatus.READ, t)


def _plausible_password(text: str, known_id: str, *, placeholders: bool = False) -> bool:
    t = text.strip()
    return (
        0 < len(t) <= _MAX_PASSWORD
        and not any(ch.isspace() for ch in t)
        and _label(t) not in PASSWORD_LABELS | ID_LABELS
        and not _shows_id(t, known_id)
        and (placeholders or (t not in NOT_READY_TEXTS and not _is_mask(t)))
    )


def find_password(tree: A11yNode, known_id: str) -> str | None:
    """The password shown next to `known_id` in `tree`, or None (also while TeamViewer shows `-` or `****`)."""
    reading = find_password_field(tree, known_id)
    return reading.value if reading is not None else None


def find_password_field(tree: A11yNode, known_id: str) -> PasswordReading | None:
    """What the password field next to `known_id` shows (a password, `-`, `****`), or None where no such
    field is found. Searches outward from the ID's container."""
    if not known_id:
        return None
    parents: dict[int, A11yNode | None] = {id(tree): None}
    anchor: A11yNode | None = None
    stack = [tree]
    order: list[A11yNode] = []
    while stack:
        node = stack.pop()
        order.append(node)
        for child in reversed(node.children):
            parents[id(child)] = node
            stack.append(child)
    for node in order:
        if _is_anchor(node, known_id):
            anchor = node
            break
    if anchor is None:
        return None
    scope = parents[id(anchor)] or anchor
    while scope is not None:
        found = _password_in(scope, anchor, known_id)
        if found:
            return classify_shown(found)
        scope = parents[id(scope)]
    return None


def _password_in(scope: A11yNode, anchor: A11yNode, known_id: str) -> str | None:
    """The text of the password field (a password, or a `-`/`****` placeholder) within `scope`."""
    nodes = list(scope.walk())
    for node in nodes:  # older builds: fixed automation ids
        text = node.value or node.name
        if node.automation_id == PASSWORD_AUTOMATION_ID and _plausible_password(text, known_id, placeholders=True):
            return text.strip()
    for i, node in enumerate(nodes):
        if _label(node.name or node.value) not in PASSWORD_LABELS:  # macOS static texts carry it as value
            continue
        # a field whose accessible name is the label itself, holding the value
        if node is not anchor and node.value and _plausible_password(node.value, known_id, placeholders=True):
            return node.value.strip()
        # else: the label is a separate node; the password is the next text after it
        for later in nodes[i + 1 : i + 4]:
            if later is anchor:
                break
            text = later.value or later.name
            if _label(later.name) in PASSWORD_LABELS and later.value:
                text = later.value
            if _plausible_password(text, known_id, placeholders=True):
                return text.strip()
    return None


# ---------------------------------------------------------------- backends


def snapshot(pids: Sequence[int]) -> list[A11yNode]:
    """Accessibility trees of our processes' windows on this OS; [] where nothing can be read."""
    try:
        if sys.platform == "win32":
            from launcher.core.quicksupport import uia

            return uia.snapshot(pids)
        if sys.platform == "darwin":
            from launcher.core.quicksupport import ax

            return ax.snapshot(pids)
        from launcher.core.quicksupport import atspi

        return atspi.snapshot(pids)
    except Exception as exc:  # noqa: BLE001 - accessibility is best effort; the UI says where to read it
        # Said once per kind of failure: a reader retrying every few seconds must not fill the log.
        reason = f"{type(exc).__name__}: {exc}" if type(exc).__name__ in EXPLAINED_FAILURES else type(exc).__name__
        if reason not in _reported_failures:
            _reported_failures.add(reason)
            log.info("accessibility snapshot failed: %s", reason)
        return []


_reported_failures: set[str] = set()
# failures whose message says what failed (never a window's text): logged with it
EXPLAINED_FAILURES = ("A11yUnavailable", "UiaReadFailed")


def read_password(pids: Sequence[int], known_id: str) -> str | None:
    """The password QuickSupport's window shows next to `known_id`, or None."""
    return read_password_field(pids, known_id).value


def read_password_field(pids: Sequence[int], known_id: str) -> PasswordReading:
    """What QuickSupport's window shows as the password: READ with the value, NOT_READY (`-`), FIXED
    (`****`), or UNREADABLE where no window of ours shows the field (no accessibility bus, no permission)."""
    best: PasswordReading | None = None
    for tree in snapshot(pids):
        found = find_password_field(tree, known_id)
        if found is not None and found.status is PasswordStatus.READ:
            return found
        best = best or found
    return best or PasswordReading(PasswordStatus.UNREADABLE)


_NORMALISE = re.compile(r"\s+")


def normalise_role(role: str) -> str:
    """'push button' / 'PushButton' / 'AXButton' -> 'pushbutton' / 'button': roles compared loosely."""
    return _NORMALISE.sub("", role).lower().removeprefix("ax")
