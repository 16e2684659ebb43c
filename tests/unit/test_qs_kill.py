"""QS-KILL for real: the launcher runs as an ordinary user and QuickSupport's folder holds a process it
may not end (as an elevated TeamViewer helper would be). The session must say QS-KILL, name the process,
keep trying on the next stop, and never call the session ended while that process lives.

Needs root (to own the helper) and a system Python an unprivileged user can run; skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import psutil
import pytest

from tests.support.polling import wait_until

REPO = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")
NOBODY = 65534



def _system_python_matches() -> bool:
    """The unprivileged side runs the system Python on copies of this venv's compiled packages (psutil's
    extension), so its version must be the one running the tests, whichever of the supported ones that is."""
    try:
        done = subprocess.run([str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.stdout.strip() == str(sys.version_info[:2])


pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0 or not SYSTEM_PYTHON.exists()
    or shutil.which("setpriv") is None or not _system_python_matches(),
    reason=f"needs Linux, root, setpriv and a system Python {sys.version_info[0]}.{sys.version_info[1]} "
           "(the version running the tests) for an unprivileged launcher")

# Runs as `nobody`: a QuickSupportSession whose QuickSupport is /bin/sleep in a folder of its own.
SESSION = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from launcher.core.errors import LauncherError
    from launcher.core.quicksupport.launch import Prepared, child_env
    from launcher.core.quicksupport.session import QuickSupportSession

    root = Path(sys.argv[1])
    root.mkdir(mode=0o700)  # the unprivileged launcher's own QuickSupport folder
    prepared = Prepared(argv=["/bin/sleep", "300"], cwd=root, root=root, log_dirs=[root], env=child_env(),
                        watch_dirs=[root])
    session = QuickSupportSession(prepared, id_timeout_s=60)
    session.start()
    print(json.dumps({"started": session.pids}), flush=True)
    for line in sys.stdin:  # one stop per line from the test
        try:
            session.stop(grace_s=0.2)
            print(json.dumps({"stopped": True, "root_exists": root.exists()}), flush=True)
        except LauncherError as exc:
            print(json.dumps({"code": exc.code, "detail": exc.detail, "pids": session.pids,
                              "root_exists": root.exists()}), flush=True)
""")


def _runs(pid: int, exe: Path) -> bool:
    try:
        return psutil.Process(pid).exe() == str(exe)
    except psutil.Error:
        return False


def _readable_copy(base: Path) -> Path:
    """What the unprivileged side imports, copied into `base` (which it can read): the clone may sit in a
    folder only its owner can enter (`mktemp -d` makes such), and so may its .venv. Returns the folder to
    put on its PYTHONPATH: the launcher package and the third-party packages SESSION imports."""
    lib = base / "lib"
    probe = ("import sys, json; import launcher.core.quicksupport.session, launcher.core.quicksupport.launch; "
             "print(json.dumps(sorted({m.__file__ for m in list(sys.modules.values()) "
             "if getattr(m, '__file__', None)})))")
    import json

    files = json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                                      cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout)
    roots = {REPO / "launcher"}
    for entry in (Path(p) for p in sys.path if p and "site-packages" in p):
        for name in files:
            path = Path(name)
            if path.is_relative_to(entry):
                roots.add(entry / path.relative_to(entry).parts[0])
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    lib.mkdir(parents=True, exist_ok=True)
    for root in roots:
        if root.is_dir():
            shutil.copytree(root, lib / root.name, ignore=ignore)
        elif root.suffix in (".py", ".so") and not root.name.startswith("__editable__"):
            shutil.copy2(root, lib / root.name)
    for path in [lib, *lib.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return lib


def _read(proc: subprocess.Popen) -> dict:
    import json

    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return json.loads(line)


def test_a_process_we_may_not_end_is_qs_kill_and_the_session_is_kept():
    base = Path(tempfile.mkdtemp(prefix="overmax-qs-kill-"))
    os.chmod(base, 0o777)
    root = base / "qs"
    helper_exe = root / "tv_helper"
    env = {"PYTHONPATH": str(_readable_copy(base)), "PATH": "/usr/bin:/bin", "HOME": str(base)}
    launcher = subprocess.Popen(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", str(SYSTEM_PYTHON), "-c", SESSION,
         str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        cwd=base)  # not the clone: `python -c` puts the working folder first on sys.path
    helper = None
    try:
        ours = _read(launcher)["started"]
        assert ours and all(psutil.Process(p).uids().real == NOBODY for p in ours)
        # an elevated helper appears in QuickSupport's folder: root's, so `nobody` may not signal it
        shutil.copy("/bin/sleep", helper_exe)
        helper = subprocess.Popen([str(helper_exe), "300"], cwd=root)
        assert wait_until(lambda: _runs(helper.pid, helper_exe))  # exec'd, not just forked

        launcher.stdin.write("stop\n")
        launcher.stdin.flush()
        first = _read(launcher)
        assert first["code"] == "QS-KILL"
        assert str(helper.pid) in first["detail"] and helper.pid in first["pids"]
        assert first["root_exists"]  # nothing deleted while something of it still runs
        assert helper.poll() is None
        assert not [p for p in ours if psutil.pid_exists(p)
                    and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]  # what it may end, it ended

        launcher.stdin.write("stop\n")  # the next stop (retry, closing the window) tries again
        launcher.stdin.flush()
        assert _read(launcher)["code"] == "QS-KILL"

        helper.kill()  # an administrator ends it ...
        helper.wait()
        launcher.stdin.write("stop\n")  # ... and now the session can end for good
        launcher.stdin.flush()
        assert _read(launcher) == {"stopped": True, "root_exists": False}
    finally:
        if helper is not None and helper.poll() is None:
            helper.kill()
            helper.wait()
        launcher.stdin.close()
        try:
            launcher.wait(timeout=20)
        except subprocess.TimeoutExpired:
            launcher.kill()
            launcher.wait()
        shutil.rmtree(base, ignore_errors=True)
