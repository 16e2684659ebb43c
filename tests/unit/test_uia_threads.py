"""launcher/core/quicksupport/uia.py's COM apartment handling, with a stand-in comtypes that records the calls
(the real one runs under Wine: tests/windows/test_uia_windows.py). Every password read runs on a new thread:
each joins COM's multithreaded apartment, leaves it once every COM object of the read is gone, and a failure
reaches the caller as UiaReadFailed with its message, never as a traceback holding COM objects."""

from __future__ import annotations

import gc
import sys
import threading
import types
import weakref

import pytest

from launcher.core.quicksupport import uia


class _ComObject:
    """Stands in for a COM pointer: its release must come before the thread leaves the apartment."""

    def __init__(self, calls: list) -> None:
        self._calls = calls

    def __del__(self) -> None:
        self._calls.append(("release", threading.current_thread()))


class _Calls(list):
    """(kind, thread, ...) in call order. The Thread object, not its ident: CPython hands an ended thread's
    ident to the next thread, so two reads one after the other can share an ident; the objects, kept alive
    by this list, stay distinct."""

    refuse: dict


@pytest.fixture
def comtypes_calls(monkeypatch):
    calls = _Calls()
    fake = types.ModuleType("comtypes")
    refuse = {"mode": None}

    def co_initialize_ex(flags):
        calls.append(("init", threading.current_thread(), flags))
        if refuse["mode"] is not None:
            error = OSError(refuse["mode"], "refused")
            error.winerror = refuse["mode"]
            raise error

    fake.CoInitializeEx = co_initialize_ex
    fake.CoUninitialize = lambda: calls.append(("uninit", threading.current_thread()))
    monkeypatch.setitem(sys.modules, "comtypes", fake)
    monkeypatch.delattr(sys, "coinit_flags", raising=False)
    calls.refuse = refuse
    return calls


def _on_a_new_thread(function):
    result: dict = {}

    def run():
        try:
            result["value"] = function()
        except Exception as exc:  # noqa: BLE001 - handed to the test
            result["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return result


def test_each_read_joins_the_multithreaded_apartment_on_its_own_thread_and_leaves_it(comtypes_calls, monkeypatch):
    monkeypatch.setattr(uia, "_snapshot", lambda pids: [])
    for _ in range(2):
        assert _on_a_new_thread(lambda: uia.snapshot([1])) == {"value": []}
    inits = [c for c in comtypes_calls if c[0] == "init"]
    uninits = [c for c in comtypes_calls if c[0] == "uninit"]
    assert [c[2] for c in inits] == [uia.COINIT_MULTITHREADED] * 2
    assert inits[0][1] is not inits[1][1]  # two threads, each joined
    assert all(left[1] is joined[1] for left, joined in zip(uninits, inits, strict=True))  # each left on its own
    assert sys.coinit_flags == uia.COINIT_MULTITHREADED  # what comtypes' own first join uses


def test_a_failed_read_leaves_the_apartment_after_its_com_objects_are_released(comtypes_calls, monkeypatch):
    alive: list = []

    def failing(pids):
        held = _ComObject(comtypes_calls)  # a COM object in the failing frame, as the traceback would keep it
        alive.append(weakref.ref(held))
        raise OSError(-2147221008, "CoInitialize has not been called")

    monkeypatch.setattr(uia, "_snapshot", failing)
    result = _on_a_new_thread(lambda: uia.snapshot([1]))
    error = result["error"]
    assert isinstance(error, uia.UiaReadFailed) and "CoInitialize has not been called" in str(error)
    assert error.__traceback__ is None or all(ref() is None for ref in alive)
    kinds = [c[0] for c in comtypes_calls]
    assert kinds == ["init", "release", "uninit"], kinds


def test_a_thread_already_in_a_single_threaded_apartment_reads_there_and_stays(comtypes_calls, monkeypatch):
    comtypes_calls.refuse["mode"] = uia.RPC_E_CHANGED_MODE
    monkeypatch.setattr(uia, "_snapshot", lambda pids: [])
    assert _on_a_new_thread(lambda: uia.snapshot([1])) == {"value": []}
    assert [c[0] for c in comtypes_calls] == ["init"]  # not left: it was not ours to leave
    comtypes_calls.refuse["mode"] = -2147024882  # E_OUTOFMEMORY: any other refusal is the read's failure
    assert isinstance(_on_a_new_thread(lambda: uia.snapshot([1]))["error"], OSError)
    gc.collect()
