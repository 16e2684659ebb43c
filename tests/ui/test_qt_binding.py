"""The Qt binding this runs on does not eat references when signals are emitted (PySide6 6.12.0 did)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from launcher.ui.qt_binding_check import emit_leak

REPO = Path(__file__).resolve().parents[2]


def test_signal_emits_keep_bool_references(qapp):
    assert emit_leak() == 0


def test_a_long_run_of_emits_survives_to_a_clean_exit():
    """What a long session does: many thousands of emits from Python, then a normal exit."""
    code = (
        "from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot\n"
        "app = QCoreApplication([])\n"
        "class A(QObject):\n"
        "    s = Signal('qint64', 'qint64', float, float)\n"
        "class B(QObject):\n"
        "    n = 0\n"
        "    @Slot('qint64', 'qint64', float, float)\n"
        "    def on(self, *a): self.n += 1\n"
        "a, b = A(), B()\n"
        "a.s.connect(b.on)\n"
        "for i in range(20000): a.s.emit(i, 20000, 1.0, 0.0)\n"
        "print(b.n)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "20000"


def test_references_other_threads_take_meanwhile_are_not_a_leak(qapp):
    """A thread holding more references to True and False at the end of a measurement (a session winding
    down) is not the binding losing them: the --self-test of the frozen Windows app once failed so."""
    import threading

    held: list[bool] = []
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            held.extend([True, False] * 50)
            if len(held) > 20_000:
                held.clear()

    thread = threading.Thread(target=busy, daemon=True)
    thread.start()
    try:
        assert emit_leak() == 0
    finally:
        stop.set()
        thread.join()


def test_a_binding_that_loses_a_reference_at_every_emit_is_caught(qapp, monkeypatch):
    """The check itself: a measurement that loses one reference per emit (what PySide6 6.12.0 did) every
    time is reported with its size."""
    from launcher.ui import qt_binding_check

    monkeypatch.setattr(qt_binding_check, "_measure", lambda: qt_binding_check.EMITS)
    assert emit_leak() == qt_binding_check.EMITS
    readings = iter([7, qt_binding_check.EMITS, -3])
    monkeypatch.setattr(qt_binding_check, "_measure", lambda: next(readings))
    assert emit_leak() == 0  # one clean reading is enough
