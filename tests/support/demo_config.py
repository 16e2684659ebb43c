"""Write a launcher config file (TOML) from override dicts such as launcher.demo.session.demo_overrides."""

from __future__ import annotations

from pathlib import Path


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def write_config(path: Path, overrides: dict) -> Path:
    """One [section] per key; a list of tables under `probes` becomes [[section.probes]]."""
    lines = []
    for section, values in overrides.items():
        probes = values.get("probes") if isinstance(values, dict) else None
        lines.append(f"[{section}]")
        lines += [f"{k} = {toml_value(v)}" for k, v in values.items() if k != "probes"]
        for probe in probes or []:
            lines.append(f"[[{section}.probes]]")
            lines += [f"{k} = {toml_value(v)}" for k, v in probe.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
