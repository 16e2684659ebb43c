"""The --demo loopback server: a manifest signed with a key made at start, and the QuickSupport stand-in.

It exercises exactly the production path (signature, serial, hash, download, unpack, launch); only the
key, the host (127.0.0.1) and the artifact differ.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from launcher.core.errors import LauncherError
from launcher.core.manifest import current_platform_key
from launcher.core.manifest_signing import artifact_entry, build_manifest, generate_keypair, sign
from launcher.demo.artifact import build_standin_artifact

MANIFEST_NAME = "quicksupport.json"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server API
        pass


class DemoServer:
    """Serves `root` on 127.0.0.1 (a random free port) from a background thread."""

    def __init__(self, root: Path, standin_args: Sequence[str] = ()) -> None:
        self.root = root
        self.standin_args = tuple(standin_args)  # options for the stand-in, e.g. ("--leave-after", "3")
        self.public_key = ""
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def manifest_url(self) -> str:
        return f"{self.base_url}/{MANIFEST_NAME}"

    def start(self) -> DemoServer:
        handler = partial(_QuietHandler, directory=str(self.root))
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-server", daemon=True)
        self._thread.start()
        self._publish()
        return self

    def _publish(self) -> None:
        """Build the stand-in artifact and sign a manifest for it with a fresh key."""
        platform = current_platform_key()
        if not platform.startswith("linux-"):
            # The stand-in is packaged like Linux QuickSupport (tar.gz + shell script); the manifest rules
            # want an exe on Windows and a dmg on macOS, which this repository does not build yet.
            raise LauncherError("MAN-PLATFORM", f"the --demo stand-in exists for Linux only, not {platform}")
        artifact_path, entry = build_standin_artifact(self.root, standin_args=self.standin_args)
        entry_dict = artifact_entry(
            artifact_path, platform=platform, url=f"{self.base_url}/{artifact_path.name}",
            version="15.0.0-demo", kind="tar.gz", entry=entry,
        )
        manifest = build_manifest({platform: entry_dict}, serial=1,
                                  expires=datetime.now(UTC) + timedelta(days=1))
        private_key, self.public_key = generate_keypair()
        (self.root / MANIFEST_NAME).write_bytes(manifest)
        (self.root / (MANIFEST_NAME + ".sig")).write_bytes(sign(manifest, private_key))

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
