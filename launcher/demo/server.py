"""The --demo loopback server: a manifest signed with a key made at start, and the QuickSupport stand-in
(Linux: a tar.gz with a script entry; Windows: the PE stand-in, kind exe, see launcher/demo/windows/).

It exercises exactly the production path (signature, serial, hash, download, unpack, launch); only the
key, the host (127.0.0.1) and the artifact differ.
"""

from __future__ import annotations

import logging
import shutil
import socket
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from launcher.core.errors import LauncherError
from launcher.core.manifest import current_platform_key
from launcher.core.manifest_signing import artifact_entry, build_manifest, generate_keypair, sign
from launcher.core.publisher import exempt_demo_artifact, withdraw_demo_exemption
from launcher.demo.artifact import build_standin_artifact
from launcher.demo.standin import CONSULTANT_NAME, DEMO_CONSULTANT_ID
from launcher.demo.windows_standin import standin_exe

DEMO_ROSTER_NAME = CONSULTANT_NAME  # the roster's name for the demo consultant

MANIFEST_NAME = "quicksupport.json"
WINDOWS_ARTIFACT_NAME = "TeamViewerQS.exe"
DEMO_PUBLISHER = "TeamViewer Germany GmbH"  # what the production rule would demand of the real file
# The artifact's listed version and its min_version: the stand-ins' log headers say 15.0.0 unless
# OVERMAX_DEMO_VERSION says otherwise (an older one shows a trainer the QS-OUTDATED page). "+demo" is a
# local version label: packaging compares it, and it is no build TeamViewer ever published.
DEMO_VERSION = "15.0.0+demo"
DEMO_MIN_VERSION = "15.0.0"

log = logging.getLogger(__name__)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server API
        pass


class _DemoHTTPServer(ThreadingHTTPServer):
    """socketserver prints a request's exception to stderr; the demo's customer-facing terminal must not
    show one. A client that went away (Anuluj, Ctrl+C or a closed window ends its download at once) is an
    ordinary end; anything else goes to the log with its traceback."""

    def handle_error(self, request: socket.socket | tuple, client_address: tuple) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            log.debug("demo server: %s went away mid-request (%s)", client_address, type(error).__name__)
        else:
            log.warning("demo server: a request from %s failed", client_address, exc_info=True)


class DemoServer:
    """Serves `root` on 127.0.0.1 (a random free port) from a background thread."""

    def __init__(self, root: Path, platform: str | None = None, standin_args: Sequence[str] = (), *,
                 roster: bool = True, version: str = DEMO_VERSION, min_version: str = DEMO_MIN_VERSION) -> None:
        self.root = root
        self.platform = platform  # a manifest platform key; None: this machine's
        # options for the Linux stand-in (launcher.demo.standin), e.g. ("--join-after", "0.5")
        self.standin_args = tuple(standin_args)
        self.roster = roster  # False: a manifest without `consultants` (supporters shown as unverified)
        # the artifact's `version` and `min_version` ("": none); with a min_version, `version` must be one
        # packaging can compare (e.g. "15.0.0"), as the manifest's parser demands
        self.version, self.min_version = version, min_version
        self._exempt_sha256 = ""
        self.public_key = ""
        self._httpd: _DemoHTTPServer | None = None
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
        self._httpd = _DemoHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-server", daemon=True)
        self._thread.start()
        try:
            self._publish()
        except BaseException:
            self.stop()
            raise
        return self

    def _publish(self) -> None:
        """Build the stand-in artifact and sign a manifest for it with a fresh key."""
        platform = self.platform or current_platform_key()
        url = f"{self.base_url}/{{}}"
        if platform.startswith("linux-"):
            artifact_path, entry = build_standin_artifact(self.root, standin_args=self.standin_args)
            entry_dict = artifact_entry(artifact_path, platform=platform, url=url.format(artifact_path.name),
                                        version=self.version, kind="tar.gz", entry=entry,
                                        min_version=self.min_version)
        elif platform.startswith("windows-"):
            # the PE stand-in (x86-64; Windows on Arm runs it emulated), served as the real TeamViewerQS.exe
            artifact_path = self.root / WINDOWS_ARTIFACT_NAME
            shutil.copyfile(standin_exe(), artifact_path)
            entry_dict = artifact_entry(artifact_path, platform=platform, url=url.format(WINDOWS_ARTIFACT_NAME),
                                        version=self.version, kind="exe", publisher=DEMO_PUBLISHER,
                                        min_version=self.min_version)
            # It cannot carry TeamViewer's signature: waive the publisher check for these exact bytes, in
            # this process only, for as long as this server runs (see launcher/core/publisher.py).
            self._exempt_sha256 = entry_dict["sha256"]
            exempt_demo_artifact(self._exempt_sha256)
        else:
            # macOS wants a signed dmg, which this repository does not build.
            raise LauncherError("MAN-PLATFORM", f"the --demo stand-in exists for Linux and Windows, not {platform}")
        # the demo's roster holds the stand-in's consultant (OVERMAX_DEMO_SCENARIO=impostor joins as someone else)
        manifest = build_manifest({platform: entry_dict}, serial=1,
                                  expires=datetime.now(UTC) + timedelta(days=1),
                                  consultants=[{"tv_id": DEMO_CONSULTANT_ID, "name": DEMO_ROSTER_NAME}]
                                  if self.roster else None)
        private_key, self.public_key = generate_keypair()
        (self.root / MANIFEST_NAME).write_bytes(manifest)
        (self.root / (MANIFEST_NAME + ".sig")).write_bytes(sign(manifest, private_key))

    def stop(self) -> None:
        if self._exempt_sha256:
            withdraw_demo_exemption(self._exempt_sha256)
            self._exempt_sha256 = ""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
