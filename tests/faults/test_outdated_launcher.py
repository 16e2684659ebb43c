"""APP-OUTDATED through the real fetch over loopback: a signed manifest that demands a newer launcher, the
same, an older one, and a newer schema; nothing is downloaded for a retired launcher."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

import launcher
from launcher.core.errors import LauncherError
from launcher.core.fetch import fetch_quicksupport
from launcher.core.manifest_signing import build_manifest
from tests.faults.conftest import Supply

NEW_HOME = "https://www.ov.overmax.eu/pomoc-zdalna/"


def _bump(version: str, by: int) -> str:
    major, minor, patch = (int(x) for x in version.split("."))
    return f"{major}.{minor + by}.{patch}" if minor + by >= 0 else f"{major - 1}.99.0"


def _publish(supply: Supply, min_launcher: str) -> None:
    data = build_manifest({supply.platform: supply.entry()}, serial=supply.serial,
                          expires=datetime.now(UTC) + timedelta(days=30), min_launcher=min_launcher,
                          launcher_url=NEW_HOME)
    supply.publish(data)


@pytest.mark.parametrize(("offset", "outdated"), [(1, True), (0, False), (-1, False)],
                         ids=["newer-needed", "same", "older-needed"])
def test_min_launcher(supply: Supply, offset: int, outdated: bool) -> None:
    _publish(supply, _bump(launcher.__version__, offset))
    if not outdated:
        assert fetch_quicksupport(supply.config(), supply.paths, session=supply.session()).path.is_file()
        return
    with pytest.raises(LauncherError) as info:
        fetch_quicksupport(supply.config(), supply.paths, session=supply.session())
    assert info.value.code == "APP-OUTDATED" and info.value.url == NEW_HOME
    assert supply.leftovers() == []  # nothing downloaded for a launcher that may not go on


def test_newer_schema_is_app_outdated(supply: Supply) -> None:
    doc = json.loads(supply.manifest_bytes())
    doc.update(schema=2, launcher_url=NEW_HOME, new_field={"of": "a later launcher"})
    supply.publish(json.dumps(doc).encode())
    with pytest.raises(LauncherError) as info:
        fetch_quicksupport(supply.config(), supply.paths, session=supply.session())
    assert info.value.code == "APP-OUTDATED" and info.value.url == NEW_HOME
    assert supply.leftovers() == []
