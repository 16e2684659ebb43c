"""Qt Linguist translations: `update` the .ts sources from the code, `build` the .qm files the app loads.

Source strings are Polish (the default language needs no .qm); `resources/translations/launcher_<lang>.ts`
holds the other languages. `build` runs in ./run.sh and ./test.sh, so the .qm files are never stale.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LANGUAGES = ("en",)


def _tool(name: str) -> str:
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def ui_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "launcher" / "ui").rglob("*.py"))


def ts_path(lang: str) -> Path:
    return TS_DIR / f"launcher_{lang}.ts"


def update(lang: str, ts: Path | None = None, no_obsolete: bool = True) -> Path:
    target = ts or ts_path(lang)
    cmd = [_tool("pyside6-lupdate"), *ui_sources(), "-source-language", "pl", "-target-language", lang,
           "-locations", "none", "-ts", str(target)]
    if no_obsolete:
        cmd.insert(-2, "-no-obsolete")
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    return target


def build(lang: str, out_dir: Path | None = None) -> Path:
    out = (out_dir or TS_DIR) / f"launcher_{lang}.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(ts_path(lang)), "-qm", str(out)], check=True,
                   capture_output=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=("update", "build"))
    args = parser.parse_args(argv)
    for lang in LANGUAGES:
        path = update(lang) if args.action == "update" else build(lang)
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
