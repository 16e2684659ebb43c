"""The frozen build leaves out modules nothing in the app needs (installer/pyi_qt.py EXCLUDED_MODULES), some of
them imported lazily by a dependency: sqlite3 by filelock's read-write locks, multiprocessing by nothing we
run. Here, in a plain Python with those modules made unimportable as in the frozen app, every module of the
app still imports and the manifest serial store (filelock) raises, keeps and refuses serials across its
lock, so a dependency that starts importing one of them at load time fails here, not in front of a customer
(the frozen self-tests of installer/build.sh and test_frozen_build run the same code frozen)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import importlib.abc, json, sys
    from pathlib import Path

    sys.path.insert(0, str(Path(sys.argv[1]) / "installer"))
    import pyi_qt

    blocked = [name for name in pyi_qt.EXCLUDED_MODULES if not name.startswith("PySide6.")]

    class Excluded(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if any(name == b or name.startswith(b + ".") for b in blocked):
                raise ModuleNotFoundError(f"No module named {name!r} (left out of the frozen build)", name=name)
            return None

    sys.meta_path.insert(0, Excluded())

    from datetime import UTC, datetime, timedelta

    from launcher.core.errors import LauncherError
    from launcher.core.manifest import PRODUCT, SCHEMA, Manifest, SerialStore
    from launcher.selftest import check_modules

    def manifest(serial):
        return Manifest(schema=SCHEMA, product=PRODUCT, serial=serial, artifacts={},
                        expires=datetime.now(UTC) + timedelta(days=1))

    modules = check_modules()
    store = SerialStore(Path(sys.argv[2]))
    store.accept(manifest(5))
    store.accept(manifest(5))
    try:
        store.accept(manifest(4))
        refused = None
    except LauncherError as exc:
        refused = exc.code
    print(json.dumps({"modules": modules, "highest": store.highest(), "refused": refused,
                      "loaded": sorted(name for name in blocked if name in sys.modules)}))
""")


def test_the_app_runs_without_the_modules_the_frozen_build_leaves_out(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(tmp_path / "data" / "manifest_state.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["modules"] > 50 and result["highest"] == 5 and result["refused"] == "MAN-ROLLBACK", result
    assert result["loaded"] == [], result
