"""What download tests against a loopback server share: the artifact a body is served as, and a session
that may fetch from 127.0.0.1 only, without retries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from launcher.config import DownloadConfig
from launcher.core.http import make_session
from launcher.core.manifest import Artifact


def linux_artifact(url: str, body: bytes) -> Artifact:
    """The manifest's Linux QuickSupport tarball entry for `body` served at `url` (its size and sha256)."""
    return Artifact(platform="linux-x86_64", url=url, size=len(body), sha256=hashlib.sha256(body).hexdigest(),
                    version="15.61.3", kind="tar.gz", entry="teamviewerqs/teamviewer")


@contextmanager
def loopback_session() -> Iterator[requests.Session]:
    """make_session() allowed 127.0.0.1 alone, with no retries (a test's fault must show at once)."""
    with make_session(DownloadConfig(allowed_hosts=("127.0.0.1",)), retries=0) as s:
        yield s
