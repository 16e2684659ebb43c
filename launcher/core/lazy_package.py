"""Import one module of a big package without running the package's `__init__` (which imports everything).

`holidays` loads all ~250 countries, every lunar calendar and its metadata when `import holidays` runs:
about 12 MiB and 90 ms here, where Poland's calendar alone needs 3 MiB and 20 ms. A stand-in package
keeps the real `__path__`, so submodules still import one by one, and answers the names the real
`__init__` would export by importing only the submodule that defines them. Which submodule that is
comes from the `__init__`'s own bytecode (its import statements), read without running it, so this
works the same from source and frozen (where there is no source).
"""

from __future__ import annotations

import dis
import importlib
import importlib.util
import sys
import types
from collections.abc import Sequence


class _StandIn(types.ModuleType):
    """A package whose names load on first use."""

    _exports: dict[str, tuple[str, str | None]]  # exported name -> (absolute module, its name there or
    # None for the module itself)
    _star: list[str]  # modules the real __init__ star-imports, in order

    def __setattr__(self, attr: str, value: object) -> None:
        """The import system binds every imported submodule on its parent. Where the real `__init__`
        then rebinds that name to something imported from the submodule (`from .crypto_sign import
        crypto_sign`), the stand-in must answer that too, so such a binding is left to __getattr__."""
        export = self.__dict__.get("_exports", {}).get(attr)
        if (export is not None and export[1] is not None and export[0] != self.__name__
                and isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{attr}"):
            return
        super().__setattr__(attr, value)

    def __getattr__(self, attr: str) -> object:
        if attr in self._exports:
            source, original = self._exports[attr]
            if original is None:  # `import pkg.sub as name`
                value = importlib.import_module(source)
            elif source == self.__name__:  # `from . import sub`
                value = importlib.import_module(f"{source}.{original}")
            else:
                value = getattr(importlib.import_module(source), original)
        elif attr.startswith("__"):
            raise AttributeError(attr)
        else:
            for source in self._star:
                module = importlib.import_module(source)
                public = getattr(module, "__all__", None)
                if hasattr(module, attr) and (public is None or attr in public) and not attr.startswith("_"):
                    value = getattr(module, attr)
                    break
            else:
                raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")
        setattr(self, attr, value)
        return value


def _exports_of(spec: importlib.machinery.ModuleSpec) -> tuple[dict[str, tuple[str, str | None]], list[str]]:
    """Names a package's __init__ binds by `from X import name [as alias]`, `import X.y as alias` and
    `from X import *`, from its code object's IMPORT_NAME / IMPORT_FROM / STORE_NAME instructions."""
    code = spec.loader.get_code(spec.name)
    if code is None:
        raise ImportError(f"no code for {spec.name}")
    exports: dict[str, tuple[str, str | None]] = {}
    star: list[str] = []
    consts: list[object] = []
    module: str | None = None
    whole_module = False  # `import X.y as z`: no fromlist, the IMPORT_FROM walks to the submodule
    pending: str | None = None  # the IMPORT_FROM name waiting for its STORE_NAME
    for ins in dis.get_instructions(code):
        op = ins.opname
        if op in ("LOAD_CONST", "LOAD_SMALL_INT"):
            consts.append(ins.argval)
        elif op == "IMPORT_NAME":
            level = consts[-2] if len(consts) >= 2 and isinstance(consts[-2], int) else 0
            whole_module = len(consts) >= 1 and consts[-1] is None
            name = "." * level + ins.argval if level else ins.argval
            module = importlib.util.resolve_name(name, spec.name) if level else name
            consts.clear()
        elif op == "IMPORT_FROM" and module is not None:
            pending = ins.argval
        elif op == "STORE_NAME" and module is not None and pending is not None:
            exports[ins.argval] = (module, None) if whole_module else (module, pending)
            pending = None
        elif op == "IMPORT_STAR" or (op == "CALL_INTRINSIC_1" and "IMPORT_STAR" in str(ins.argrepr)):
            if module is not None:
                star.append(module)
        elif op == "POP_TOP":
            module, pending = None, None
    return exports, star


def _stand_in(name: str) -> _StandIn:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not a package")
    exports, star = _exports_of(spec)
    stand_in = _StandIn(name)
    stand_in.__path__ = list(spec.submodule_search_locations)
    stand_in.__package__ = name
    stand_in.__spec__ = spec
    stand_in.__file__ = spec.origin
    stand_in._exports = exports
    stand_in._star = [m for m in star if m != name]
    return stand_in


def import_lightly(module: str, packages: Sequence[str]) -> types.ModuleType:
    """Import `module` with each of `packages` (outermost first, none imported yet) replaced by a
    stand-in. On any failure everything it added is removed again and ImportError is raised, so the
    caller can fall back to the ordinary import."""
    if any(p in sys.modules for p in packages):
        return importlib.import_module(module)  # already loaded one way or the other
    before = set(sys.modules)
    bound: list[tuple[types.ModuleType, str]] = []
    try:
        for package in packages:
            stand_in = sys.modules[package] = _stand_in(package)
            parent_name, _, child = package.rpartition(".")
            parent = sys.modules.get(parent_name) if parent_name else None
            if parent is not None and not isinstance(parent, _StandIn):
                setattr(parent, child, stand_in)  # as the import system does: `nacl.bindings` is reachable
                bound.append((parent, child))
        return importlib.import_module(module)
    except Exception as exc:
        for parent, child in bound:
            if getattr(parent, child, None) is sys.modules.get(f"{parent.__name__}.{child}"):
                delattr(parent, child)
        for added in set(sys.modules) - before:
            del sys.modules[added]
        raise ImportError(f"light import of {module} failed: {exc!r}") from exc
