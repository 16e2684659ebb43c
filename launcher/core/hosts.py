"""Host names: the one loopback rule (http:// is allowed for loopback alone). No network imports here,
so the config check can use it before anything heavy is loaded."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 (with or without brackets) and localhost."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
