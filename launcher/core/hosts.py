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


# What DNS filters answer for a blocked name (Pi-hole's default "NULL" blocking: 0.0.0.0 and ::; hosts-file
# blockers: 0.0.0.0 or 127.0.0.1; some resolvers: any 127.x, 0.x or ::1, also as IPv4-mapped IPv6).
_FILTER_NETS = tuple(ipaddress.ip_network(n) for n in ("0.0.0.0/8", "127.0.0.0/8", "::/128", "::1/128"))


def is_filter_answer(address: str) -> bool:
    """True for an address no public server has: unspecified, loopback ("this host"), also IPv4-mapped."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0].strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in _FILTER_NETS if net.version == ip.version)


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip().strip("[]"))
    except ValueError:
        return False
    return True
