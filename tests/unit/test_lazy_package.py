"""lazy_package: one module of a package without the package's __init__, names resolved on first use."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from launcher.core.lazy_package import import_lightly

REPO = Path(__file__).resolve().parents[2]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


PKG = {
    "pkg/__init__.py": """
        from pkg.constants import *
        from .heavy import Heavy
        from pkg.groups import Light as Renamed
        import pkg.never_mentioned
        import pkg.heavy as heavy_module
        from . import constants
        raise RuntimeError("the real __init__ must not run")
    """,
    "pkg/constants.py": "__all__ = ['PUBLIC']\nPUBLIC = 'public'\n_PRIVATE = 1\n",
    "pkg/heavy.py": "LOADED = True\nclass Heavy: pass\n",
    "pkg/groups/__init__.py": """
        from pkg.groups.light import Light
        from pkg.groups.heavy import HeavyGroup
        raise RuntimeError("the real groups __init__ must not run")
    """,
    "pkg/groups/light.py": "class Light: pass\n",
    "pkg/groups/heavy.py": "class HeavyGroup: pass\n",
    "pkg/never_mentioned.py": "",
    "pkg/countries/__init__.py": "raise RuntimeError('no')\n",
    "pkg/countries/land.py": """
        from pkg import PUBLIC
        from pkg.groups import Light
        class Land(Light):
            kind = PUBLIC
    """,
}


def _run(tmp_path: Path, code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_only_the_submodules_used_are_loaded(tmp_path):
    _write(tmp_path, PKG)
    out = _run(tmp_path, """
        import sys
        from launcher.core.lazy_package import import_lightly
        land = import_lightly("pkg.countries.land", ["pkg", "pkg.groups", "pkg.countries"])
        print(land.Land.kind, sorted(m for m in sys.modules if m.startswith("pkg")))
        import pkg
        print(pkg.Renamed.__name__, pkg.Heavy.__name__, "pkg.heavy" in sys.modules,
              pkg.heavy_module.__name__, pkg.constants.__name__)
        try:
            pkg._PRIVATE
        except AttributeError:
            print("private hidden")
    """)
    first, second, third = out.splitlines()
    assert first == "public ['pkg', 'pkg.constants', 'pkg.countries', 'pkg.countries.land', 'pkg.groups', " \
                    "'pkg.groups.light']"
    # names still resolve, each loading its own module on first use; `import a.b as c` and
    # `from . import sub` give the submodules themselves
    assert second == "Light Heavy True pkg.heavy pkg.constants"
    assert third == "private hidden"


def test_a_failure_removes_every_stand_in(tmp_path):
    _write(tmp_path, {**PKG, "pkg/countries/land.py": "from pkg.groups import Missing\n"})
    out = _run(tmp_path, """
        import sys
        from launcher.core.lazy_package import import_lightly
        try:
            import_lightly("pkg.countries.land", ["pkg", "pkg.groups", "pkg.countries"])
        except ImportError as exc:
            print("ImportError", "Missing" in str(exc))
        print(sorted(m for m in sys.modules if m.startswith("pkg")))
    """)
    assert out.splitlines() == ["ImportError True", "[]"]


def test_an_already_imported_package_is_used_as_it_is():
    import json

    assert import_lightly("json.decoder", ["json"]) is sys.modules["json.decoder"]
    assert sys.modules["json"] is json


def test_not_a_package_is_an_import_error(tmp_path):
    _write(tmp_path, {"plainmod.py": "X = 1\n"})
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(ImportError):
            import_lightly("plainmod.x", ["plainmod"])
        assert "plainmod" not in sys.modules
    finally:
        sys.path.remove(str(tmp_path))


NESTED = {
    "outer/__init__.py": "OUTER = 1\n",
    "outer/inner/__init__.py": """
        from outer.inner.sign import sign, SIZE
        from outer.inner.box import box
        raise RuntimeError("the real inner __init__ must not run")
    """,
    "outer/inner/sign.py": "SIZE = 64\ndef sign(x):\n    return ('signed', x)\n",
    "outer/inner/box.py": "def box(x):\n    return ('boxed', x)\n",
}


def test_a_stand_in_under_a_real_package_answers_like_the_real_one(tmp_path):
    """As for nacl.bindings: the stand-in is reachable as an attribute of its real parent, and a name
    its __init__ imports from a submodule of the same name is that name, not the submodule."""
    _write(tmp_path, NESTED)
    out = _run(tmp_path, """
        import sys
        from launcher.core.lazy_package import import_lightly
        sign_module = import_lightly("outer.inner.sign", ["outer.inner"])
        import outer
        print(outer.inner is sys.modules["outer.inner"], type(sys.modules["outer.inner"]).__name__)
        print(outer.inner.sign(1), outer.inner.SIZE, sign_module.__name__)
        print(sorted(m for m in sys.modules if m.startswith("outer")))
        print(outer.inner.box(2), "outer.inner.box" in sys.modules)
    """)
    assert out.splitlines() == [
        "True _StandIn",
        "('signed', 1) 64 outer.inner.sign",
        "['outer', 'outer.inner', 'outer.inner.sign']",
        "('boxed', 2) True",
    ]


def test_a_failure_unbinds_the_stand_in_from_its_real_parent(tmp_path):
    _write(tmp_path, {**NESTED, "outer/inner/sign.py": "import no_such_module_here\n"})
    out = _run(tmp_path, """
        import sys
        from launcher.core.lazy_package import import_lightly
        try:
            import_lightly("outer.inner.sign", ["outer.inner"])
        except ImportError:
            print("ImportError")
        import outer
        print(hasattr(outer, "inner"), sorted(m for m in sys.modules if m.startswith("outer")))
    """)
    assert out.splitlines() == ["ImportError", "False ['outer']"]
