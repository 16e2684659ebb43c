"""Tests that start QuickSupport on a shared machine, where another program's TeamViewer may already run."""

from __future__ import annotations

import time

import psutil
import pytest

from launcher.core.quicksupport import session as session_module


def count_only_teamviewers_started_from_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the session's "another TeamViewer is running" check (QS-ALREADY, tested on its own in
    test_qs_session) sees only TeamViewer processes started during the test."""
    started = time.time() - 1.0
    real = session_module.running_teamviewers

    def ours(exclude=()):
        found = []
        for proc in real(exclude):
            try:
                if proc.create_time() >= started:
                    found.append(proc)
            except psutil.Error:
                continue
        return found

    monkeypatch.setattr(session_module, "running_teamviewers", ours)
