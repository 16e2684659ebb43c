from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core import applog
from launcher.core.applog import forget_secret, register_secret, setup_logging, shutdown_logging, tail
from launcher.core.diagnostics import HIDDEN

PASSWORD = "w8Rz4tq"
log = logging.getLogger("launcher.test_applog")


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    yield folder
    shutdown_logging()
    for secret in applog.current_secrets():
        forget_secret(secret)


def _ours() -> list[logging.Handler]:
    """The rotating file handlers records reach: through the one relay on the root logger."""
    relays = [h for h in logging.getLogger().handlers if isinstance(h, applog._Relay)]
    files = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    return files + [r.target for r in relays if r.target is not None]


def test_setup_logging_writes_a_rotating_file(log_dir: Path):
    path = setup_logging(log_dir)
    assert path == log_dir / "launcher.log"
    log.info("hello %s", "world")
    assert "hello world" in path.read_text(encoding="utf-8")
    (handler,) = _ours()
    assert handler.maxBytes == applog.MAX_BYTES and handler.backupCount == applog.BACKUPS
    # a second call replaces the handler rather than doubling every line
    setup_logging(log_dir)
    assert len(_ours()) == 1
    log.info("once")
    assert path.read_text(encoding="utf-8").count("once") == 1


def test_registered_secret_never_reaches_the_log(log_dir: Path):
    path = setup_logging(log_dir)
    register_secret(PASSWORD)
    log.info("password read from window: %s", PASSWORD)
    log.warning("in the message itself " + PASSWORD.upper())
    try:
        raise RuntimeError(f"bad password {PASSWORD}")
    except RuntimeError:
        log.exception("failed while reading %s", "credentials")
    text = path.read_text(encoding="utf-8")
    assert PASSWORD.lower() not in text.lower()
    assert text.count(HIDDEN) == 3  # the argument, the message text, the exception message
    assert "RuntimeError" in text
    assert PASSWORD not in tail(log_dir)


def test_forget_secret_stops_redacting(log_dir: Path):
    path = setup_logging(log_dir)
    register_secret("old-secret")
    log.info("first old-secret")
    forget_secret("old-secret")
    log.info("second old-secret")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(f"first {HIDDEN}")
    assert lines[1].endswith("second old-secret")


def test_token_parameters_are_redacted_in_the_log(log_dir: Path):
    path = setup_logging(log_dir)
    log.info("GET https://dl.example.com/qs?token=abcdef123")
    assert "abcdef123" not in path.read_text(encoding="utf-8")


def test_tail_reaches_into_the_rotated_file(log_dir: Path):
    path = setup_logging(log_dir)
    for i in range(5):
        log.info("before rollover %d", i)
    (handler,) = _ours()
    handler.doRollover()
    for i in range(3):
        log.info("after rollover %d", i)
    assert (log_dir / "launcher.log.1").is_file()
    assert "before rollover" not in path.read_text(encoding="utf-8")
    last = tail(log_dir, lines=5).splitlines()
    assert len(last) == 5
    assert last[0].endswith("before rollover 3") and last[1].endswith("before rollover 4")
    assert last[-1].endswith("after rollover 2")
    assert len(tail(log_dir, lines=2).splitlines()) == 2


def test_tail_of_nothing(tmp_path: Path):
    assert tail(tmp_path / "missing") == ""
    assert tail(tmp_path, lines=0) == ""


def test_records_before_the_file_opens_are_kept_redacted_and_written_once(log_dir: Path):
    path = setup_logging(log_dir, open_now=False)
    log.info("early record with %s", PASSWORD)
    register_secret(PASSWORD)  # known only later, still never written
    log.info("second early record")
    assert not path.exists()
    assert applog.open_log_file() == path
    assert applog.open_log_file() == path  # idempotent
    setup_logging(log_dir, open_now=False)  # again: no second handler
    log.info("after")
    text = path.read_text(encoding="utf-8")
    assert text.count("early record with") == 1 and text.count("second early record") == 1
    assert text.count("after") == 1
    assert PASSWORD not in text and HIDDEN in text


def test_no_record_from_another_thread_is_lost_or_doubled_when_the_file_opens(log_dir: Path, monkeypatch):
    import threading

    monkeypatch.setattr(applog, "PENDING_MAX", 100_000)  # the cap is not what this is about
    path = setup_logging(log_dir, open_now=False)
    start = threading.Barrier(5)

    def writer(n: int) -> None:
        start.wait()
        for i in range(2000):
            log.info("thread %d record %d", n, i)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    start.wait()
    applog.open_log_file()  # while four threads are logging
    for t in threads:
        t.join()
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if " record " in ln]
    assert len(lines) == 8000
    assert len(set(ln.split(": ", 1)[1] for ln in lines)) == 8000


def test_the_memory_kept_before_the_file_opens_is_capped(log_dir: Path, monkeypatch):
    monkeypatch.setattr(applog, "PENDING_MAX", 10)
    path = setup_logging(log_dir, open_now=False)
    for i in range(25):
        log.info("capped %d", i)
    applog.open_log_file()
    kept = [ln for ln in path.read_text(encoding="utf-8").splitlines() if "capped" in ln]
    assert len(kept) == 10 and kept[-1].endswith("capped 24")  # the newest are kept


def test_a_log_folder_that_cannot_be_written_does_not_stop_the_window(tmp_path: Path, capsys):
    folder = tmp_path / "logs"
    setup_logging(folder, open_now=False)
    log.info("kept in memory")
    (folder / "launcher.log").mkdir()  # the file cannot be opened
    try:
        assert applog.open_log_file_or_warn() is None
        err = capsys.readouterr().err
        assert err.startswith("WARNING APP-LOG: Program nie może zapisywać swojego dziennika pracy"), err
        (folder / "launcher.log").rmdir()
        assert applog.open_log_file() == folder / "launcher.log"  # nothing was lost meanwhile
        assert "kept in memory" in (folder / "launcher.log").read_text(encoding="utf-8")
    finally:
        shutdown_logging()


def test_the_log_rotates_by_size_keeping_three_old_files(log_dir: Path, monkeypatch):
    monkeypatch.setattr(applog, "MAX_BYTES", 2000)
    path = setup_logging(log_dir)
    for i in range(60):
        log.info("line %03d %s", i, "x" * 200)
    names = sorted(p.name for p in log_dir.iterdir())
    assert names == ["launcher.log", "launcher.log.1", "launcher.log.2", "launcher.log.3"]
    assert all((log_dir / n).stat().st_size <= 2000 + 400 for n in names)
    assert "line 059" in path.read_text(encoding="utf-8")  # the newest in the live file
    assert "line 000" not in "".join((log_dir / n).read_text(encoding="utf-8") for n in names)  # oldest dropped
    oldest_kept = (log_dir / "launcher.log.3").read_text(encoding="utf-8")
    newest_rotated = (log_dir / "launcher.log.1").read_text(encoding="utf-8")
    first = lambda text: int(text.split("line ")[1][:3])  # noqa: E731
    assert first(oldest_kept) < first(newest_rotated) < first(path.read_text(encoding="utf-8"))
    assert "line 059" in tail(log_dir, 3)


def test_a_log_folder_removed_under_the_launcher_never_breaks_a_logging_call(log_dir: Path, monkeypatch):
    """A cleaning tool empties the log folder mid-session: records are lost (logging's own error report),
    the caller goes on; once the folder is back, the log is written again."""
    import shutil

    monkeypatch.setattr(applog, "MAX_BYTES", 500)
    monkeypatch.setattr(logging, "raiseExceptions", False)  # what a frozen app runs with: no stderr report
    setup_logging(log_dir)
    log.info("before %s", "x" * 600)
    shutil.rmtree(log_dir)
    for _ in range(3):
        log.info("while the folder is gone %s", "y" * 600)  # rotation and reopening fail: no exception
    log_dir.mkdir()
    log.info("after the folder is back")
    assert "after the folder is back" in (log_dir / "launcher.log").read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
def test_a_log_file_that_takes_no_more_lines_is_said_once_without_a_traceback(log_dir: Path, capsys):
    """A full disk under the log folder: logging's "--- Logging error ---" traceback reached the console."""
    log_dir.mkdir(parents=True)
    (log_dir / applog.LOG_NAME).symlink_to("/dev/full")
    setup_logging(log_dir)
    for n in range(3):
        log.info("line %d", n)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Logging error" not in err, err
    assert err.count("WARNING APP-LOG:") == 1 and "No space left on device" in err, err
    assert err.splitlines()[-1].startswith(f"  ({log_dir / applog.LOG_NAME}: "), err  # the detail names the file


needs_posix_modes = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes (Windows: the profile's ACL)")


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most desktops run with (022: new files 0644), whatever the test runner's is."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@needs_posix_modes
def test_the_log_file_is_private_to_the_user_and_stays_so_after_rotations(log_dir: Path, usual_umask, monkeypatch):
    monkeypatch.setattr(applog, "MAX_BYTES", 2000)
    path = setup_logging(log_dir)
    assert _mode(log_dir) == 0o700 and _mode(path) == 0o600
    log.info("first")
    assert _mode(path) == 0o600
    for i in range(60):  # several rotations: every new live file and every rotated one
        log.info("line %03d %s", i, "x" * 200)
    names = sorted(p.name for p in log_dir.iterdir())
    assert names == ["launcher.log", "launcher.log.1", "launcher.log.2", "launcher.log.3"]
    assert {n: _mode(log_dir / n) for n in names} == dict.fromkeys(names, 0o600)
    assert "line 059" in path.read_text(encoding="utf-8")  # the handler still writes the file made for it


@needs_posix_modes
@pytest.mark.parametrize("umask", [0o000, 0o077, 0o277])
def test_the_log_file_is_0600_whatever_the_umask(log_dir: Path, umask: int):
    """0000 would leave it 0666; 0277 would leave it 0400, which the handler could not append to (as a user)."""
    old = os.umask(umask)
    try:
        path = setup_logging(log_dir)
    finally:
        os.umask(old)
    log.info("written")
    assert _mode(path) == 0o600 and "written" in path.read_text(encoding="utf-8")


@needs_posix_modes
def test_log_files_an_older_version_left_readable_to_others_are_made_private(log_dir: Path, usual_umask):
    log_dir.mkdir(mode=0o700)
    for name in ("launcher.log", "launcher.log.1", "launcher.log.3"):
        (log_dir / name).write_text(f"old {name}\n", encoding="utf-8")
        os.chmod(log_dir / name, 0o644)
    path = setup_logging(log_dir)
    log.info("new line")
    assert {p.name: _mode(p) for p in log_dir.iterdir()} == {
        "launcher.log": 0o600, "launcher.log.1": 0o600, "launcher.log.3": 0o600}
    assert path.read_text(encoding="utf-8").startswith("old launcher.log\n")  # appended, nothing lost


@needs_posix_modes
def test_a_log_file_that_is_a_link_to_a_device_is_not_chmodded(log_dir: Path, tmp_path: Path):
    """The log may be a link the user made (to /dev/null, to keep no log): the device's mode is not ours.
    A device node of this test's own (the null device's numbers) stands in, so a regression harms nothing."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    os.chmod(device, 0o666)  # whatever the umask took off
    log_dir.mkdir(mode=0o700)
    (log_dir / applog.LOG_NAME).symlink_to(device)
    setup_logging(log_dir)
    log.info("into the void")
    assert _mode(device) == 0o666


@pytest.mark.parametrize(("lang", "sentence"), [
    ("pl", "WARNING APP-LOG: Program nie może zapisywać swojego dziennika pracy (pliku z zapisem zdarzeń). "
           "Pomoc zdalna działa dalej."),
    ("en", "WARNING APP-LOG: The program cannot write its log (the file where it records what happens). "
           "Remote help carries on."),
])
def test_a_log_file_that_cannot_be_opened_is_app_log_in_the_users_language(tmp_path: Path, capsys, lang, sentence):
    folder = tmp_path / "logs"
    setup_logging(folder, open_now=False, lang=lang)
    (folder / applog.LOG_NAME).mkdir()  # the file cannot be opened
    try:
        assert applog.open_log_file_or_warn() is None
    finally:
        shutdown_logging()
    first, detail = capsys.readouterr().err.splitlines()
    assert first.startswith(sentence), first
    assert detail.startswith("  (") and str(folder / applog.LOG_NAME) in detail, detail


def test_the_log_file_in_a_folder_about_to_be_deleted_is_closed_and_not_reopened(log_dir: Path, capsys):
    """Windows deletes no open file: the demo closes its log before its throw-away folder goes."""
    other = log_dir.parent / "elsewhere"
    path = setup_logging(log_dir)
    assert applog.close_log_file_in(other) is False  # not in that folder: left open
    assert _ours()
    log.warning("before")
    assert applog.close_log_file_in(log_dir.parent) is True  # the folder above the log's
    assert _ours() == []
    log.warning("after: kept in memory, never on the console")
    assert applog.open_log_file() is None  # nothing opens it again
    assert "after" not in path.read_text(encoding="utf-8") and "before" in path.read_text(encoding="utf-8")
    assert capsys.readouterr().err == ""
    assert applog.close_log_file_in(log_dir) is False  # once only
