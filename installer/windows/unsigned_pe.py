"""The PE files (.exe, .dll, .pyd) under a folder that carry no Authenticode signature, for the Windows build to
sign before the setup is made: Windows 11's Smart App Control refuses to load an unsigned DLL or extension module
even into a signed program, so a signed OvermaxPomocZdalna.exe that loads an unsigned `_sodium.pyd` cannot verify
anything. A file is signed when its certificate table (the optional header's data directory 4,
IMAGE_DIRECTORY_ENTRY_SECURITY) is not empty; that the signature is valid is signtool's check after signing.

    python installer/windows/unsigned_pe.py FOLDER        one path per line
    python installer/windows/unsigned_pe.py -0 FOLDER     NUL-separated (for xargs -0)

Exit 0; 2 for usage. A file with a PE suffix that is not a PE image is not listed (nothing can sign it).
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterator
from pathlib import Path

PE_SUFFIXES = (".exe", ".dll", ".pyd")
SECURITY_DIRECTORY = 4
# the data directories' offset inside the optional header, by its magic: PE32, PE32+
DATA_DIRECTORIES_AT = {0x10B: 96, 0x20B: 112}


def certificate_table_size(path: Path) -> int | None:
    """The size in bytes of `path`'s certificate table (0: unsigned), or None when it is not a PE image."""
    with open(path, "rb") as image:
        head = image.read(4096)
    if len(head) < 0x40 or head[:2] != b"MZ":
        return None
    pe = struct.unpack_from("<I", head, 0x3C)[0]
    optional = pe + 24
    if optional + 2 > len(head) or head[pe:pe + 4] != b"PE\0\0":
        return None
    magic = struct.unpack_from("<H", head, optional)[0]
    if magic not in DATA_DIRECTORIES_AT:
        return None
    count_at = optional + DATA_DIRECTORIES_AT[magic] - 4  # NumberOfRvaAndSizes precedes the directories
    entry = optional + DATA_DIRECTORIES_AT[magic] + SECURITY_DIRECTORY * 8
    if entry + 8 > len(head):
        return None
    if struct.unpack_from("<I", head, count_at)[0] <= SECURITY_DIRECTORY:
        return 0
    return struct.unpack_from("<I", head, entry + 4)[0]


def unsigned_pe_files(folder: Path) -> Iterator[Path]:
    """Every PE image under `folder` (sorted) whose certificate table is empty."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in PE_SUFFIXES and path.is_file() and certificate_table_size(path) == 0:
            yield path


def main(argv: list[str]) -> int:
    separator = "\n"
    if argv[:1] == ["-0"]:
        separator, argv = "\0", argv[1:]
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: unsigned_pe.py [-0] FOLDER", file=sys.stderr)
        return 2
    for path in unsigned_pe_files(Path(argv[0])):
        sys.stdout.write(f"{path}{separator}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
