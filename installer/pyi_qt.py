"""Shared by build_spec.spec and the perf baseline spec: what of Qt/PySide6 a frozen widgets app ships.

PySide6's hooks collect by import, but plugins drag in their own libraries (Wayland GL, TLS, image
codecs, GTK themes). We keep exactly what a QtWidgets window needs on each OS and drop the rest, so the
app and the minimal baseline window are frozen the same way and their sizes compare fairly.
"""

from __future__ import annotations

import re
import sys

# Python modules never needed in the frozen app (PySide6 modules we don't import, dev tools, stdlib extras).
EXCLUDED_MODULES = [
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickControls2", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickTest", "PySide6.QtQmlFeatures", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets", "PySide6.QtSql", "PySide6.QtSvg", "PySide6.QtSvgWidgets", "PySide6.QtTest",
    "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtPrintSupport", "PySide6.QtLabsStyleKit",
    "PySide6.QtDBus",
    "tkinter", "_tkinter", "unittest", "pydoc", "pydoc_data", "doctest", "lib2to3", "idlelib", "ensurepip",
    "distutils", "setuptools", "pkg_resources", "pip", "pytest", "_pytest", "pytestqt", "hypothesis",
    "ruff", "PyInstaller", "numpy", "IPython",
    # Nothing here forks worker processes; without the package PyInstaller also drops its runtime hook,
    # which would import multiprocessing at every start.
    "multiprocessing", "concurrent.futures.process",
    # filelock's read-write locks are its only use of SQLite, imported on their first use, and filelock
    # leaves them unset where sqlite3 is missing; the launcher takes a plain FileLock (the manifest serial store).
    # Without this, sqlite3 and the SQLite library (2 MiB, 0.8 MiB of the .tar.xz) ship unused.
    "sqlite3", "_sqlite3",
]

# Qt plugin folders/files (relative to the Qt plugins dir) to keep, per OS. Everything else is dropped.
_KEEP_PLUGINS = {
    "linux": [
        r"platforms/libq(offscreen|xcb|wayland(-generic)?)\.so",
        r"platforminputcontexts/lib(compose|ibus)platforminputcontextplugin\.so",  # dead keys, IMEs
        r"platformthemes/libqxdgdesktopportal\.so",
        r"wayland-shell-integration/libxdg-shell\.so",
        r"wayland-decoration-client/libbradient\.so",  # adwaita would pull in QtSvg
        r"xcbglintegrations/libqxcb-glx-integration\.so",
    ],
    "win32": [r"platforms/q(offscreen|windows)\.dll", r"styles/.*"],
    "darwin": [r"platforms/libq(offscreen|cocoa)\.dylib", r"styles/.*"],
}
# Qt's own translations we load (see launcher.ui.app.load_translations).
KEEP_QT_TRANSLATIONS = ("qtbase_pl.qm", "qtbase_en.qm")

# Where the wheels put Qt's data: PySide6/Qt/plugins on Linux and macOS, PySide6/plugins on Windows
# (likewise translations); PyInstaller keeps that layout in the bundle.
_PLUGIN_RE = re.compile(r"(?:^|[/\\])PySide6[/\\](?:Qt[/\\])?plugins[/\\](.+)$")
_TRANSLATION_RE = re.compile(r"(?:^|[/\\])PySide6[/\\](?:Qt[/\\])?translations[/\\]([^/\\]+)$")
# Libraries only the dropped plugins or modules need (they are not caught by module excludes).
_DROP_LIBS = re.compile(
    r"(Qt6?(Qml|Quick|Pdf|Svg|Designer|Help|OpenGL|Sql|Test|Xml|Concurrent|PrintSupport|Labs|Lottie|"
    r"VirtualKeyboard|WaylandCompositor|WlShell|EglFS|EglFsKms|DBus|JsonRpc|LanguageServer|UiTools)|"
    r"pyside6qml|libgtk|libgdk|"
    r"opengl32sw|d3dcompiler)",  # Windows: software OpenGL and D3D shader compiler serve Qt Quick, not widgets
    re.IGNORECASE,
)
# QtGui links QtDBus on Linux (and ICU everywhere there): keep DBus on Linux.
_LINUX_NEEDED = re.compile(r"Qt6DBus", re.IGNORECASE)


def _keep_plugin(rel: str, platform: str) -> bool:
    rel = rel.replace("\\", "/")
    return any(re.fullmatch(p, rel) for p in _KEEP_PLUGINS.get(platform, []))


def keep(dest: str, platform: str = sys.platform) -> bool:
    """True when a collected file (by its destination path in the bundle) belongs in the frozen app."""
    m = _PLUGIN_RE.search(dest)
    if m:
        return _keep_plugin(m.group(1), platform)
    m = _TRANSLATION_RE.search(dest)
    if m:
        return m.group(1) in KEEP_QT_TRANSLATIONS
    name = re.split(r"[/\\]", dest)[-1]
    if platform == "linux" and _LINUX_NEEDED.search(name):
        return True
    return not _DROP_LIBS.search(name)


def _closure(sources: list[str], by_name: dict[str, str]) -> set[str]:
    """Names of the collected libraries that `sources` link against, transitively."""
    from PyInstaller.depend.bindepend import get_imports

    seen: set[str] = set()
    todo = list(sources)
    while todo:
        src = todo.pop()
        try:
            imports = get_imports(src)
        except Exception:  # noqa: BLE001 - not a binary PyInstaller can read: it links nothing we track
            continue
        for name, _path in imports:
            base = re.split(r"[/\\]", name)[-1]
            if base in by_name and base not in seen:
                seen.add(base)
                todo.append(by_name[base])
    return seen


def prune(toc, binaries: bool = False):
    """Filter an Analysis TOC with `keep`. For binaries, also drop the libraries that only the dropped
    plugins linked (e.g. cairo/pango/atk for the GTK theme), keeping anything a kept file still needs."""
    kept = [entry for entry in toc if keep(entry[0])]
    dropped = [entry for entry in toc if not keep(entry[0])]
    if binaries and dropped:
        by_name = {re.split(r"[/\\]", dest)[-1]: src for dest, src, _kind in toc}
        suspects = _closure([src for _d, src, _k in dropped], by_name)
        roots = [src for dest, src, _k in kept if re.split(r"[/\\]", dest)[-1] not in suspects]
        needed = _closure(roots, by_name)
        orphans = suspects - needed
        dropped += [e for e in kept if re.split(r"[/\\]", e[0])[-1] in orphans]
        kept = [e for e in kept if re.split(r"[/\\]", e[0])[-1] not in orphans]
    if dropped:
        print(f"pyi_qt: dropped {len(dropped)} files a widgets app does not need")
    return kept
