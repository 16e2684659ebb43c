"""The signed manifest is fetched while the connection is checked: a passing check goes straight to the
download, over the manifest's connection; a failed check ends the manifest still on its way (one that
came is closed unused) and nothing is downloaded; a manifest that failed beside the check is fetched again
at the download step, where a lasting failure is shown; Anuluj while the manifest is still on its way ends
the step, and the manifest, at once.

The real controller with its tasks and threads, a loopback server with the signed manifest and artifact,
and a loopback probe the check waits for (a slow server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool

from launcher.config import Config, Probe
from launcher.core.fetch import PrefetchedManifest
from launcher.ui.controller import Controller, State
from tests.faults.conftest import (  # noqa: F401 - fixtures
    ARTIFACT_PATH,
    MANIFEST_PATH,
    Supply,
    closed_manifests,
    server,
    supply,
)
from tests.support.loopback_http import LoopbackServer, Reply

pytestmark = pytest.mark.e2e

WAIT_MS = 30_000
PROBE_PATH = "/probe"


def with_probe(config: Config, server: LoopbackServer, *replies: Reply, timeout_s: float = 20) -> Config:  # noqa: F811
    """`config` whose connection check is one HTTPS-kind probe of the loopback server, answering `replies`,
    given up after `timeout_s` seconds."""
    server.serve(PROBE_PATH, b"", *replies)
    probes = (Probe(name="download", url=server.url(PROBE_PATH)),)
    return replace(config, connectivity=replace(config.connectivity, timeout_s=timeout_s, probes=probes))


def refused(config: Config) -> Config:
    """`config` whose only probe is a loopback port nobody listens on: the check fails at once."""
    probes = (Probe(name="teamviewer", host="127.0.0.1", ports=(1,)),)
    return replace(config, connectivity=replace(config.connectivity, timeout_s=5, probes=probes))


def start(qtbot, config: Config, supply: Supply) -> Controller:  # noqa: F811
    controller = Controller(config, supply.paths.ensure())
    controller.accept_terms(True, True)
    assert controller.state is State.CHECK
    return controller


def wait_for_the_manifest_ahead(qtbot, controller: Controller) -> None:
    """Until the manifest fetched beside the check has its answer (the check is held meanwhile)."""
    ahead = controller._manifest_ahead
    assert ahead is not None
    qtbot.waitUntil(ahead.done.is_set, timeout=WAIT_MS)


@contextmanager
def passing_once_the_manifest_ahead_answered(qtbot, supply: Supply, server: LoopbackServer) -> Iterator[Controller]:  # noqa: F811
    """A started controller whose check is held by its server until the manifest fetched beside the check
    has its answer, and then passes: the download step is next. Shut down on leaving (the hold released)."""
    answered = threading.Event()
    controller = start(qtbot, with_probe(supply.config(), server, Reply(hold=answered)), supply)
    try:
        wait_for_the_manifest_ahead(qtbot, controller)
        answered.set()
        yield controller
    finally:
        answered.set()
        controller.shutdown()


def test_the_manifest_comes_during_the_check_and_is_not_fetched_again(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish()
    controller = start(qtbot, with_probe(supply.config(), server, Reply(delay=1.0)), supply)
    try:
        qtbot.waitUntil(lambda: bool(server.hits(MANIFEST_PATH + ".sig")), timeout=WAIT_MS)
        assert controller.state is State.CHECK  # the check still waits for its slow server
        qtbot.waitUntil(lambda: controller.verified is not None or controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.verified is not None, controller.error
        assert controller.verified.path.read_bytes() == supply.body
        [manifest], [artifact] = server.hits(MANIFEST_PATH), server.hits(ARTIFACT_PATH)
        assert artifact.peer_port == manifest.peer_port  # the download went over the manifest's connection
    finally:
        controller.shutdown()


def test_a_failed_check_ends_the_manifest_on_its_way_and_downloads_nothing(
        qtbot, supply: Supply, server: LoopbackServer, closed_manifests: list[PrefetchedManifest]) -> None:  # noqa: F811
    held = threading.Event()  # the manifest's server answers only after the test: the check fails first
    supply.publish(manifest_replies=[Reply(hold=held)])
    controller = start(qtbot, refused(supply.config()), supply)
    ahead = controller._manifest_ahead
    try:
        assert ahead is not None
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.error is not None and controller.error.code.startswith("NET-")
        assert controller.error_step == 2  # the check's step, not the download's
        qtbot.waitUntil(ahead.done.is_set, timeout=WAIT_MS)  # ended while its server still holds the answer
        assert closed_manifests == [] and not server.hits(MANIFEST_PATH + ".sig")
        assert server.hits(ARTIFACT_PATH) == [] and supply.leftovers() == []
        assert controller.state is State.ERROR and controller.verified is None
    finally:
        held.set()
        controller.shutdown()


def test_a_manifest_that_failed_beside_the_check_is_fetched_again_at_the_download(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish(manifest_replies=[Reply(status=404)])  # the first request only; then the manifest is there
    # the check passes once the manifest beside it has failed
    with passing_once_the_manifest_ahead_answered(qtbot, supply, server) as controller:
        qtbot.waitUntil(lambda: controller.verified is not None or controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.verified is not None, controller.error
        assert len(server.hits(MANIFEST_PATH)) == 2


def test_a_lasting_manifest_failure_is_shown_at_the_download_step(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish(sig=b"\0" * 64)
    # the check passes once the manifest beside it has failed
    with passing_once_the_manifest_ahead_answered(qtbot, supply, server) as controller:
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.error is not None and controller.error.code.startswith("MAN-")
        assert controller.error_step == 3
        assert len(server.hits(MANIFEST_PATH)) == 2  # beside the check, then again at the download
        assert server.hits(ARTIFACT_PATH) == []


def test_anuluj_while_the_manifest_is_on_its_way_ends_the_step_and_the_manifest_at_once(
        qtbot, supply: Supply, server: LoopbackServer, closed_manifests: list[PrefetchedManifest]) -> None:  # noqa: F811
    held = threading.Event()  # the manifest's server answers only after the test
    supply.publish(manifest_replies=[Reply(hold=held)])
    controller = start(qtbot, with_probe(supply.config(), server, Reply()), supply)
    ahead = controller._manifest_ahead
    try:
        assert ahead is not None
        qtbot.waitUntil(lambda: controller.state is State.DOWNLOAD, timeout=WAIT_MS)
        assert not server.hits(MANIFEST_PATH + ".sig")  # the manifest is still on its way
        controller.cancel_download()
        assert controller.state is State.ERROR and controller.error.code == "DL-CANCELLED"
        qtbot.waitUntil(ahead.done.is_set, timeout=WAIT_MS)  # ended while its server still holds the answer
        assert closed_manifests == [] and not server.hits(MANIFEST_PATH + ".sig")
        assert server.hits(ARTIFACT_PATH) == [] and controller.verified is None
    finally:
        held.set()
        controller.shutdown()


def test_a_check_that_passes_after_shutdown_starts_no_download(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish()
    controller = start(qtbot, with_probe(supply.config(), server, Reply(delay=1.0)), supply)
    qtbot.waitUntil(lambda: bool(server.hits(PROBE_PATH)), timeout=WAIT_MS)
    controller.shutdown()  # the window closed during the check: the check is given up
    QCoreApplication.sendPostedEvents()  # its result, queued meanwhile, comes after the shutdown
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    assert controller.state is State.CHECK and controller.verified is None
    assert server.hits(ARTIFACT_PATH) == [] and supply.leftovers() == []


def test_closing_the_window_during_a_check_held_by_its_server_does_not_wait_for_the_check(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    # the server takes the probe's request and answers only when the test ends, the check's timeout is a
    # minute: closing the window must not keep the program (and the lock a new start needs) up that long
    supply.publish()
    released = threading.Event()
    controller = start(qtbot, with_probe(supply.config(), server, Reply(hold=released), timeout_s=60), supply)
    try:
        qtbot.waitUntil(lambda: bool(server.hits(PROBE_PATH)), timeout=WAIT_MS)
        controller.shutdown()
        # shutdown() waits up to 10 s for the thread pool: the check task is over, not still waiting
        assert QThreadPool.globalInstance().activeThreadCount() == 0
        assert not released.is_set()  # the probe is still held: the check was given up, not answered
        QCoreApplication.sendPostedEvents()
        assert controller.state is State.CHECK and controller.verified is None
        assert server.hits(ARTIFACT_PATH) == [] and supply.leftovers() == []
    finally:
        released.set()


def test_a_probe_that_ends_after_the_window_closed_tells_the_gone_controller_nothing(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    # the check given up at the close leaves its probe to end on its daemon thread: when it does, it must not
    # call into the controller, which by then may be being destroyed on the GUI thread (no lock orders an
    # emit from a foreign thread against the C++ object's deletion)
    supply.publish()
    released = threading.Event()
    controller = start(qtbot, with_probe(supply.config(), server, Reply(hold=released), timeout_s=60), supply)
    told_after: list[str] = []
    closed = threading.Event()

    def record(result) -> None:  # runs on the emitting thread, at the emit itself
        if closed.is_set():
            told_after.append(result.key)

    controller.probeResult.connect(record)
    try:
        qtbot.waitUntil(lambda: bool(server.hits(PROBE_PATH)), timeout=WAIT_MS)
        controller.shutdown()
        closed.set()
    finally:
        released.set()
    probe_thread = "check-download"
    qtbot.waitUntil(lambda: all(t.name != probe_thread for t in threading.enumerate()), timeout=WAIT_MS)
    QCoreApplication.sendPostedEvents()
    assert told_after == []


def test_a_manifest_that_fails_after_the_check_passed_is_shown_not_fetched_again(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    passed = threading.Event()
    # it fails at the download step itself (the check passed before it came): waiting as long again for a
    # second answer would only put off the error the first one already is
    supply.publish(manifest_replies=[Reply(status=404, hold=passed), Reply(status=404)])
    controller = start(qtbot, with_probe(supply.config(), server, Reply()), supply)
    try:
        qtbot.waitUntil(lambda: controller.state is State.DOWNLOAD, timeout=WAIT_MS)
        passed.set()
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.error is not None and controller.error.code == "NET-HTTP"
        assert controller.error_step == 3
        assert len(server.hits(MANIFEST_PATH)) == 1 and server.hits(ARTIFACT_PATH) == []
    finally:
        passed.set()
        controller.shutdown()


def test_the_report_names_the_manifest_of_this_attempt_only(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish(serve_artifact=False)
    server.serve(ARTIFACT_PATH, bytes(len(supply.body)))  # not the signed file: refused after the manifest
    controller = start(qtbot, with_probe(supply.config(), server, Reply()), supply)
    try:
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.error is not None and controller.error.code == "DL-HASH"
        assert f"(manifest serial): {supply.serial}\n" in controller.diagnostic_report()  # the one verified
        supply.publish(sig=b"\0" * 64)
        controller.retry()
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.error is not None and controller.error.code.startswith("MAN-")
        assert "(manifest serial): -\n" in controller.diagnostic_report()  # none was, this time
    finally:
        controller.shutdown()


def test_a_retry_that_comes_after_shutdown_starts_nothing(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    supply.publish()
    controller = start(qtbot, refused(supply.config()), supply)
    qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
    controller.shutdown()
    # QuickSupport's stop, queued before the shutdown, goes on to a retry asked for before it (Spróbuj ponownie
    # while QuickSupport was being stopped)
    controller.retry()
    assert controller.state is State.ERROR  # no check, no manifest fetched ahead


def test_the_report_names_the_manifest_fetched_again_at_a_download_that_then_fails(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    # beside the check the manifest fails; fetched again at the download it verifies, and the file then does not
    supply.publish(serve_artifact=False, manifest_replies=[Reply(status=404)])
    server.serve(ARTIFACT_PATH, bytes(len(supply.body)))  # not the signed file: refused after the manifest
    # the check passes once the manifest beside it has failed
    with passing_once_the_manifest_ahead_answered(qtbot, supply, server) as controller:
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.error is not None and controller.error.code == "DL-HASH", controller.error
        assert len(server.hits(MANIFEST_PATH)) == 2 and len(server.hits(ARTIFACT_PATH)) >= 1
        assert f"(manifest serial): {supply.serial}\n" in controller.diagnostic_report()


def test_closing_the_window_during_a_download_held_by_its_server_does_not_wait_for_it(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    # the server takes the download's request and answers only when the test ends (the read timeout is 20 s):
    # closing the window must not freeze it in shutdown() for its 10 s, nor leave the task running in the
    # pool (whose end at exit is waited for: the closed program, and the lock a new start needs, stay up)
    supply.publish(serve_artifact=False)
    released = threading.Event()
    server.serve(ARTIFACT_PATH, supply.body, Reply(hold=released))
    controller = start(qtbot, with_probe(supply.config(), server), supply)
    told_after: list[int] = []
    closed = threading.Event()

    def record(done: int, *_rest) -> None:  # runs on the emitting thread, at the emit itself
        if closed.is_set():
            told_after.append(done)

    controller.downloadProgress.connect(record)
    try:
        qtbot.waitUntil(lambda: bool(server.hits(ARTIFACT_PATH)), timeout=WAIT_MS)
        assert controller.state is State.DOWNLOAD
        controller.shutdown()
        closed.set()
        assert QThreadPool.globalInstance().activeThreadCount() == 0  # the fetch task is over, not waiting
        assert not released.is_set()  # the download is still held: it was given up, not answered
        QCoreApplication.sendPostedEvents()
        assert controller.verified is None
        # still waiting for its server's answer (no body to shut yet), it outlived shutdown()'s wait: its
        # partial file was removed there, by the program that is ending
        assert supply.leftovers() == []
    finally:
        released.set()
    # the download, cancelled, ends on its own thread once the server answers: it tells the closed window
    # nothing and leaves no file behind
    qtbot.waitUntil(lambda: all(t.name != "fetch" for t in threading.enumerate()), timeout=WAIT_MS)
    assert told_after == []
    assert supply.leftovers() == []


def test_anuluj_during_a_download_held_by_its_server_ends_it_at_once_and_a_retry_downloads_beside_it(
        qtbot, supply: Supply, server: LoopbackServer) -> None:  # noqa: F811
    # the server takes the first download's request and answers it only when the test says (the read timeout
    # is 20 s): Anuluj must not make the customer wait for it, and Spróbuj ponownie must not be spoiled by the
    # first download ending later (each has its own partial file and removes only that one)
    supply.publish(serve_artifact=False)
    released = threading.Event()
    server.serve(ARTIFACT_PATH, supply.body, Reply(hold=released), Reply())
    controller = start(qtbot, with_probe(supply.config(), server), supply)
    try:
        qtbot.waitUntil(lambda: bool(server.hits(ARTIFACT_PATH)), timeout=WAIT_MS)
        assert controller.state is State.DOWNLOAD
        controller.cancel_download()
        qtbot.waitUntil(lambda: controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.error is not None and controller.error.code == "DL-CANCELLED"
        assert not released.is_set()  # the first download is still held: it was given up, not answered
        controller.retry()
        qtbot.waitUntil(lambda: controller.verified is not None or controller.state is State.ERROR, timeout=WAIT_MS)
        assert controller.verified is not None, controller.error
        assert controller.verified.path.read_bytes() == supply.body
        assert not released.is_set()  # the retry did not wait for the first download either
        assert len(server.hits(ARTIFACT_PATH)) == 2
    finally:
        released.set()
        controller.shutdown()
    # the first download, cancelled, ends once its server answers and removes its own partial file only
    qtbot.waitUntil(lambda: all(t.name != "fetch" for t in threading.enumerate()), timeout=WAIT_MS)
    assert supply.leftovers() == [controller.verified.path.name]
    assert controller.verified.path.read_bytes() == supply.body
