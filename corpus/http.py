"""The one outbound HTTP client: timeouts, a body size cap, a User-Agent and an address guard.

Every hop is checked where the connection is made: the guarded network backend resolves the host,
refuses it if ANY resolved address is non-global (loopback, private, link-local, reserved, ...),
and connects to the checked address itself, so a DNS answer cannot change between check and
connect. Redirects are followed here, one hop at a time, so each new host passes the same guard.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpcore
import httpx

from corpus.errors import BadUrl, BlockedAddress, FetchError, TooLarge, TooManyRedirects

log = logging.getLogger(__name__)

USER_AGENT = "newsclaims/0.1 (market-commentary claim checker; feed reader)"


def user_agent(contact_url: str = "") -> str:
    """The User-Agent naming the service, with the operator's contact URL when one is set."""
    return (
        f"newsclaims/0.1 (+{contact_url}; market-commentary claim checker)"
        if contact_url
        else (USER_AGENT)
    )


REDIRECTS = frozenset({301, 302, 303, 307, 308})

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """How the client behaves; defaults suit polling feeds and fetching article pages."""

    timeout: float = 10.0  # seconds, for connect, each read, each write and the pool
    # Seconds one get() may take in all, redirects and body included: a server dripping a byte
    # per read never times out a read. Settings.http_deadline; a feed is a few hundred kB.
    deadline: float = 60.0
    max_bytes: int = 5_000_000  # decoded body; a feed or article page is far below this
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_loopback: bool = False  # 127.0.0.0/8 and ::1 (tests serve from 127.0.0.1)
    allow_private: bool = False  # every non-global address, loopback included


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response read in full: final URL, status, headers (lower-case names) and body."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    redirects: tuple[str, ...] = ()  # the URLs that redirected here, in order


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise FetchError(f"cannot resolve {host}: {err.strerror}") from err
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refusal(address: str, *, allow_loopback: bool, allow_private: bool) -> str | None:
    """Why an address is refused ("private", "loopback", ...), or None when it may be used."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if allow_private or (allow_loopback and ip.is_loopback):
        return None
    embedded = embedded_ipv4(ip)
    if embedded is not None:
        reason = refusal(str(embedded), allow_loopback=allow_loopback, allow_private=False)
        if reason is not None:
            return f"{reason} (as {embedded})"
    kinds = [
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ]
    reason = next((kind for kind, matched in kinds if matched), None)
    if reason is None and not ip.is_global:
        reason = "non-global"  # e.g. 100.64.0.0/10, shared address space
    return reason


# IPv6 prefixes whose last 32 bits are an IPv4 address a gateway forwards to: NAT64's
# well-known prefix (RFC 6052) and its local-use one (RFC 8215).
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address a 6to4 (2002::/16), Teredo (2001::/32, the client's) or NAT64 address
    carries: reaching it may reach that IPv4 address, so it must pass the same guard."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in network for network in NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_addresses(
    host: str, addresses: Iterable[str], *, allow_loopback: bool, allow_private: bool
) -> list[str]:
    """The addresses, or BlockedAddress if any one of them is refused (or there are none)."""
    checked = list(addresses)
    if not checked:
        raise FetchError(f"cannot resolve {host}: no addresses")
    for address in checked:
        reason = refusal(address, allow_loopback=allow_loopback, allow_private=allow_private)
        if reason is not None:
            raise BlockedAddress(f"{host} resolves to {address}, a {reason} address: refused")
    return checked


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, resolving and checking the host before each TCP connect."""

    def __init__(self, options: HttpOptions, resolve: Resolver) -> None:
        self._options = options
        self._resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first reachable checked address of host."""
        addresses = check_addresses(
            host,
            self._resolve(host, port),
            allow_loopback=self._options.allow_loopback,
            allow_private=self._options.allow_private,
        )
        error: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address, port, timeout, local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                error = err
        assert error is not None  # check_addresses never returns an empty list
        raise error


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the guarded backend; never uses proxies from the environment."""

    def __init__(self, options: HttpOptions, resolve: Resolver) -> None:
        super().__init__(trust_env=False)
        # httpx builds its httpcore pool without a way to pass a network backend, so the pool is
        # rebuilt with ours (tests/corpus/test_http.py fails if a httpx upgrade bypasses it).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=GuardedBackend(options, resolve),
        )


class HttpClient:
    """The one outbound client: `get(url)` follows redirects itself and reads a capped body;
    `post(url, content)` sends a webhook."""

    def __init__(
        self,
        options: HttpOptions | None = None,
        *,
        resolve: Resolver = system_resolve,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.options = options or HttpOptions()
        self._client = httpx.Client(
            transport=transport or GuardedTransport(self.options, resolve),
            timeout=self.options.timeout,
            headers={"User-Agent": self.options.user_agent},
            follow_redirects=False,
            trust_env=False,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET url, following up to max_redirects redirects; any final status is returned."""
        redirects: list[str] = []
        current = checked_url(url)
        deadline = time.monotonic() + self.options.deadline
        while True:
            fetched = self._get_once(current, headers or {}, deadline=deadline)
            location = fetched.headers.get("location")
            if fetched.status not in REDIRECTS or location is None:
                return Fetched(
                    fetched.url, fetched.status, fetched.headers, fetched.content, tuple(redirects)
                )
            if len(redirects) >= self.options.max_redirects:
                raise TooManyRedirects(
                    f"{url}: more than {self.options.max_redirects} redirects (last to {location})"
                )
            redirects.append(str(current))
            current = checked_url(str(current.join(location)))
            log.debug("redirect %s -> %s", redirects[-1], current)

    def post(self, url: str, content: bytes, *, headers: Mapping[str, str]) -> Fetched:
        """POST ``content`` to url (webhooks); a redirect is not followed but returned, as any
        status is; the same guard, deadline and body cap as ``get``."""
        deadline = time.monotonic() + self.options.deadline
        return self._get_once(
            checked_url(url), headers, deadline=deadline, method="POST", content=content
        )

    def _get_once(
        self,
        url: httpx.URL,
        headers: Mapping[str, str],
        *,
        deadline: float,
        method: str = "GET",
        content: bytes | None = None,
    ) -> Fetched:
        """One request, no redirects; the body is streamed and cut past max_bytes or the
        deadline (a monotonic time; each timeout is also held to what is left of it)."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"{url}: over the {self.options.deadline:g} s deadline")
        timeout = min(self.options.timeout, left)
        try:
            with self._client.stream(
                method, url, headers=dict(headers), timeout=timeout, content=content
            ) as response:
                content = read_capped(response, max_bytes=self.options.max_bytes, deadline=deadline)
        except httpx.TimeoutException as err:
            raise FetchError(f"{url}: timed out ({type(err).__name__})") from err
        except httpx.HTTPError as err:
            raise FetchError(f"{url}: {type(err).__name__}: {err}") from err
        names = {name.lower(): value for name, value in response.headers.items()}
        return Fetched(str(url), response.status_code, names, content)


def checked_url(url: str) -> httpx.URL:
    """An absolute http(s) URL, or BadUrl."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as err:
        raise BadUrl(f"{url!r}: not a URL ({err})") from err
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise BadUrl(f"{url!r}: only absolute http and https URLs are fetched")
    return parsed


def read_capped(response: httpx.Response, *, max_bytes: int, deadline: float = math.inf) -> bytes:
    """The decoded body, refusing early on Content-Length and stopping once past max_bytes or
    past ``deadline`` (a ``time.monotonic()`` time)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"{response.url}: Content-Length {declared} is over {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"{response.url}: body is over {max_bytes} bytes (stopped reading)")
        if time.monotonic() > deadline:
            raise FetchError(f"{response.url}: the body is still coming at the deadline")
        chunks.append(chunk)
    return b"".join(chunks)
