"""Linux backend: read QuickSupport's window over AT-SPI (D-Bus, via jeepney) into `A11yNode` trees.

The session bus's `org.a11y.Bus.GetAddress` gives the accessibility bus; its registry lists the
applications; we walk only those whose D-Bus connection belongs to one of our pids. Qt exposes its
widgets there when the child runs with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 (set in launch.child_env).

    python -m launcher.core.quicksupport.atspi --dump PID    # print the tree as fixture JSON
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from launcher.core.quicksupport.a11y_tree import A11yNode

REGISTRY = "org.a11y.atspi.Registry"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
TEXT = "org.a11y.atspi.Text"
MAX_NODES = 600
MAX_DEPTH = 25
TIMEOUT_S = 1.0
SNAPSHOT_BUDGET_S = 3.0  # a hung app must not stall the session worker


class _Bus:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def call(self, dest: str, path: str, iface: str, method: str, sig: str | None = None, body: tuple = ()):
        from jeepney import DBusAddress, new_method_call

        msg = new_method_call(DBusAddress(path, bus_name=dest, interface=iface), method, sig, body)
        reply = self.conn.send_and_get_reply(msg, timeout=TIMEOUT_S)
        from jeepney import MessageType

        if reply.header.message_type == MessageType.error:
            raise RuntimeError(f"{iface}.{method}: {reply.body[:1]}")
        return reply.body

    def prop(self, dest: str, path: str, iface: str, name: str) -> Any:
        (variant,) = self.call(dest, path, "org.freedesktop.DBus.Properties", "Get", "ss", (iface, name))
        return variant[1]


class A11yUnavailable(RuntimeError):
    """There is no accessibility bus to ask (no D-Bus session, no AT-SPI): reading can never work here."""


def a11y_bus_address() -> str:
    """The AT-SPI bus address: $AT_SPI_BUS_ADDRESS, else asked of the session bus.

    Raises A11yUnavailable where neither exists (jeepney would raise a bare KeyError for the missing
    DBUS_SESSION_BUS_ADDRESS), or where the session bus does not answer."""
    import os

    if os.environ.get("AT_SPI_BUS_ADDRESS"):
        return os.environ["AT_SPI_BUS_ADDRESS"]
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise A11yUnavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    from jeepney.io.blocking import open_dbus_connection

    try:
        session_conn = open_dbus_connection(bus="SESSION", auth_timeout=TIMEOUT_S)
    except (OSError, ValueError, KeyError) as exc:
        raise A11yUnavailable(f"the D-Bus session bus does not answer: {type(exc).__name__}") from exc
    with session_conn as session:
        (address,) = _Bus(session).call("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress")
    return address


def _node(bus: _Bus, dest: str, path: str, depth: int, budget: list[float]) -> A11yNode:
    budget[0] -= 1
    if time.monotonic() > budget[1]:
        raise TimeoutError("AT-SPI snapshot took too long")
    role = bus.call(dest, path, ACCESSIBLE, "GetRoleName")[0]
    name = bus.prop(dest, path, ACCESSIBLE, "Name") or ""
    value = ""
    try:
        (interfaces,) = bus.call(dest, path, ACCESSIBLE, "GetInterfaces")
        if TEXT in interfaces:
            count = bus.prop(dest, path, TEXT, "CharacterCount")
            if 0 < count <= 256:
                (value,) = bus.call(dest, path, TEXT, "GetText", "ii", (0, count))
    except RuntimeError:
        value = ""
    node = A11yNode(role=role, name=name, value=value)
    if depth < MAX_DEPTH:
        (children,) = bus.call(dest, path, ACCESSIBLE, "GetChildren")
        for child_dest, child_path in children:
            if budget[0] <= 0:
                break
            try:
                node.children.append(_node(bus, child_dest or dest, child_path, depth + 1, budget))
            except RuntimeError:
                continue
    return node


def snapshot(pids: Sequence[int], address: str | None = None) -> list[A11yNode]:
    """Trees of the AT-SPI applications owned by `pids` ([] if the bus or the apps are not there)."""
    from jeepney.io.blocking import open_dbus_connection

    wanted = set(pids)
    if not wanted:
        return []
    trees: list[A11yNode] = []
    address = address or a11y_bus_address()
    try:
        conn = open_dbus_connection(bus=address, auth_timeout=TIMEOUT_S)
    except (OSError, ValueError, KeyError) as exc:
        raise A11yUnavailable(f"the accessibility bus does not answer: {type(exc).__name__}") from exc
    with conn:
        bus = _Bus(conn)
        (apps,) = bus.call(REGISTRY, ROOT_PATH, ACCESSIBLE, "GetChildren")
        for dest, path in apps:
            try:
                (pid,) = bus.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                  "GetConnectionUnixProcessID", "s", (dest,))
                if pid in wanted:
                    trees.append(_node(bus, dest, path, 0, [MAX_NODES, time.monotonic() + SNAPSHOT_BUDGET_S]))
            except (RuntimeError, TimeoutError, OSError):
                continue
    return trees


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - a recording tool
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "--dump":
        print("usage: python -m launcher.core.quicksupport.atspi --dump PID", file=sys.stderr)
        return 2
    trees = snapshot([int(args[1])])
    for tree in trees:  # a recording must never hold a real password: keep digits (IDs), mask the rest
        for node in tree.walk():
            if node.value and not node.value.replace(" ", "").isdigit():
                node.value = "x" * len(node.value)
    print(json.dumps([t.to_dict() for t in trees], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
