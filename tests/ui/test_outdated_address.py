"""APP-OUTDATED on the error page says where the current launcher is ("address below"), also when the signed
manifest names no `launcher_url` (tests/e2e/test_cli_outdated_address.py: the same at the command line)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLabel

from launcher.core.errors import LauncherError
from launcher.core.manifest import parse_manifest
from launcher.core.terms import CONTACT_PAGE


def test_the_error_page_shows_the_vendors_page_when_the_manifest_names_no_launcher_url(window):
    with pytest.raises(LauncherError) as err:
        parse_manifest(json.dumps({"schema": 2, "new_field": 1}).encode())  # a later launcher's manifest
    window.controller._fail(err.value)
    assert window.findChild(QLabel, "errorCode").text() == "APP-OUTDATED"
    message = window.findChild(QLabel, "errorMessage").text()
    assert "(adres poniżej)" in message and message.endswith(f"\n\n{CONTACT_PAGE}")
