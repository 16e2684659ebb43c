"""The manifest platform key on Windows comes from the computer's own processor (IsWow64Process2), so that an x64
launcher emulated on Windows on ARM asks for the ARM64 build (and falls back to the x64 one: manifest.py)."""

from __future__ import annotations


def test_the_native_processor_is_read_from_windows() -> None:
    from launcher.core.manifest import _windows_native_machine, current_platform_key

    assert _windows_native_machine() == 0x8664  # IMAGE_FILE_MACHINE_AMD64: the lane runs on x86_64
    assert current_platform_key() == "windows-x86_64"
