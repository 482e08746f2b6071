"""Where a webhook may point: ``check_target(url)`` refuses at registration what the
guarded client (corpus/http.py) would refuse at every delivery."""

from __future__ import annotations

import ipaddress

from corpus.errors import FetchError
from corpus.http import Resolver, check_addresses, checked_url, system_resolve


def check_target(
    url: str,
    *,
    allow_loopback: bool = False,
    allow_private: bool = False,
    resolve: Resolver = system_resolve,
) -> str:
    """The URL as it will be called; BadUrl when it is not absolute http(s), BlockedAddress when
    its host is (or resolves to) an address the guard refuses (NEWSCLAIMS_HTTP_ALLOW_* lift
    that). A host that does not resolve now is let through: the guard checks it again before
    each POST, and a failed one is recorded."""
    parsed = checked_url(url)
    host = parsed.host
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolve(host, parsed.port or (443 if parsed.scheme == "https" else 80))
        except FetchError:
            return str(parsed)
    check_addresses(host, addresses, allow_loopback=allow_loopback, allow_private=allow_private)
    return str(parsed)
