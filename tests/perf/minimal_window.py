"""The benchmark baseline: the smallest PySide6 widgets window, measured exactly like `--self-test`.

Prints `SELFTEST OK first_paint_epoch=<s> peak_rss_kib=<KiB>` after its first paint, then exits.
Run from the venv (`python tests/perf/minimal_window.py`) or frozen by tests/perf/minimal_window.spec.
"""

from __future__ import annotations

import os
import sys
import time


# launcher.selftest.peak_rss_kib, on purpose a copy: the baseline must not import the app it is measured against
def peak_rss_kib() -> int:
    if sys.platform.startswith("linux"):  # under Wine a Windows program would read Linux's file through Z:
        try:  # this process's own high-water mark (ru_maxrss would count the parent's size at fork)
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak // 1024 if sys.platform == "darwin" else peak
    except ImportError:  # Windows
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
                (name, ctypes.c_size_t) for name in (
                    "PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage", "QuotaPagedPoolUsage",
                    "QuotaPeakNonPagedPoolUsage", "QuotaNonPagedPoolUsage", "PagefileUsage",
                    "PeakPagefileUsage")]

        c = Counters()
        c.cb = ctypes.sizeof(c)
        ctypes.windll.psapi.GetProcessMemoryInfo(ctypes.windll.kernel32.GetCurrentProcess(), ctypes.byref(c),
                                                 c.cb)
        return c.PeakWorkingSetSize // 1024


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.resize(860, 640)
    QVBoxLayout(window).addWidget(QLabel("Hello"))
    return paint_and_report(app, window)


def paint_and_report(app, window) -> int:
    """Show `window`, spin until its first paint and print the `SELFTEST OK` line; 1 if never painted.
    (Shared with plain_terms_window.py: both references must be timed exactly alike.)"""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    painted: list[float] = []

    class PaintSpy(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.time())
            return False

    spy = PaintSpy()
    window.installEventFilter(spy)
    window.show()
    deadline = time.monotonic() + 10
    wake = QTimer()  # as launcher.selftest.spin_until: events handled the moment they come
    wake.start(50)
    while not painted and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    wake.stop()
    if not painted:
        print("ERROR: the window was not painted", file=sys.stderr)
        return 1
    app.processEvents()
    print(f"SELFTEST OK first_paint_epoch={painted[0]:.6f} peak_rss_kib={peak_rss_kib()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
