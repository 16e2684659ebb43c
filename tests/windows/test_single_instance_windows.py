"""One launcher per user on the Windows build's Qt binding (PySide6 6.6, the newest Wine 8 runs).

There, QLockFile.getLockInfo() is exposed only with the C++ out-parameters: the second launcher's
question "who holds the lock?" raised TypeError instead of stepping aside (APP-RUNNING in a window)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication

from launcher.ui.single_instance import SingleInstance, lock_name


def test_a_second_launcher_is_told_the_first_holds_the_lock(tmp_path):
    app = QCoreApplication.instance() or QCoreApplication([])
    assert app is not None
    name = lock_name(uuid.uuid4().hex)
    first = SingleInstance(name, tmp_path)
    assert first.acquire()
    second = SingleInstance(name, tmp_path)
    assert not second.acquire()  # the lock decides, whatever the binding can say about its holder
    first.release()
    assert second.acquire()  # the first one ended: the next start is the only launcher
    second.release()
