"""The Qt binding this runs on does not eat references when signals are emitted (PySide6 6.12.0 did)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
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


@contextlib.contextmanager
def _churning_references() -> Iterator[None]:
    """Another thread taking and dropping thousands of references to True and False meanwhile."""
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
        yield
    finally:
        stop.set()
        thread.join()


def test_references_other_threads_take_meanwhile_are_not_a_leak(qapp):
    """A thread holding more references to True and False at the end of a measurement (a session winding
    down) is not the binding losing them: the --self-test of the frozen Windows app once failed so."""
    with _churning_references():
        assert emit_leak() == 0


def test_a_binding_that_loses_a_reference_at_every_emit_is_caught(qapp, monkeypatch):
    """The check itself, against a real loss: a slot that drops one reference to True inside every emit
    (what PySide6 6.12.0 did) is reported with its size, also while another thread churns references."""
    import ctypes

    from launcher.ui import qt_binding_check

    def losing_slot(self, value: object) -> None:
        self.seen += 1
        ctypes.pythonapi.Py_DecRef(ctypes.py_object(True))

    monkeypatch.setattr(qt_binding_check._Probe, "_on_fired", losing_slot)
    results = [emit_leak()]
    try:
        with _churning_references():
            results.append(emit_leak())
    finally:
        # give back what the slot took: True's count is the interpreter's own
        for _ in range(2 * qt_binding_check.EMITS):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    assert all(qt_binding_check.EMITS // 2 < lost <= qt_binding_check.EMITS for lost in results), results


def test_a_slot_that_is_not_called_for_every_emit_is_a_failed_check(qapp, monkeypatch):
    from launcher.ui import qt_binding_check

    monkeypatch.setattr(qt_binding_check._Probe, "_on_fired", lambda self, value: None)
    assert emit_leak() == qt_binding_check.EMITS
