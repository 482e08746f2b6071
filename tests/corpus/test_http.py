"""The outbound client against a real local server: redirects, size cap, address guard, timeouts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from corpus.errors import BadUrl, BlockedAddress, FetchError, TooLarge, TooManyRedirects
from corpus.http import HttpClient, HttpOptions, check_addresses, refusal
from runtime.settings import Settings

CAP = 10_000


class Handler(BaseHTTPRequestHandler):
    """Routes: /ua, /redirect?to=URL, /loop, /big, /stream-big, /drip, /slow, else 404."""

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/ua":
            self.reply(200, self.headers.get("User-Agent", "").encode())
        elif parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/big":
            self.reply(200, b"x" * (CAP + 1))
        elif parts.path == "/stream-big":  # no Content-Length: the cap must stop the read
            self.send_response(200)
            self.end_headers()
            for _ in range(5):
                self.wfile.write(b"y" * CAP)
        elif parts.path == "/drip":  # a byte every 50 ms for 3 s: no read ever times out
            self.send_response(200)
            self.end_headers()
            for _ in range(60):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.05)
        elif parts.path == "/slow":
            time.sleep(1.0)
            self.reply(200, b"late")
        else:
            self.reply(404, b"not here")

    def reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client hanging up mid-body (size cap) is expected here


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(HttpOptions(allow_loopback=True, max_bytes=CAP, timeout=0.3)) as http:
        yield http


REFUSALS = [
    # address, allow_loopback, allow_private, reason
    ("127.0.0.1", False, False, "loopback"),
    ("::1", False, False, "loopback"),
    ("10.0.0.1", False, False, "private"),
    ("172.16.5.4", False, False, "private"),
    ("192.168.1.1", False, False, "private"),
    ("169.254.169.254", False, False, "link-local"),
    ("fe80::1", False, False, "link-local"),
    ("fe80::1%eth0", False, False, "link-local"),
    ("fc00::1", False, False, "private"),
    ("::ffff:192.168.1.1", False, False, "private"),
    ("0.0.0.0", False, False, "unspecified"),
    ("224.0.0.1", False, False, "multicast"),
    ("100.64.0.1", False, False, "non-global"),
    ("93.184.216.34", False, False, None),
    ("2606:4700:4700::1111", False, False, None),
    ("127.0.0.1", True, False, None),
    ("10.0.0.1", True, False, "private"),
    ("169.254.169.254", True, False, "link-local"),
    ("10.0.0.1", False, True, None),
    # IPv6 addresses carrying an IPv4 one: 6to4, Teredo (client 10.0.0.1, obfuscated), NAT64
    ("2002:a00:1::1", False, False, "private (as 10.0.0.1)"),
    ("2002:7f00:1::1", True, False, None),
    ("2002:a9fe:a9fe::1", False, False, "link-local (as 169.254.169.254)"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False, False, "private (as 10.0.0.1)"),
    ("64:ff9b::a00:1", False, False, "private (as 10.0.0.1)"),
    ("64:ff9b::7f00:1", False, False, "loopback (as 127.0.0.1)"),
    ("64:ff9b:1::c0a8:101", False, False, "private (as 192.168.1.1)"),
    ("2002:a00:1::1", False, True, None),
]


@pytest.mark.parametrize(("address", "loopback", "private", "reason"), REFUSALS)
def test_refusal_names_non_global_addresses(
    address: str, loopback: bool, private: bool, reason: str | None
) -> None:
    assert refusal(address, allow_loopback=loopback, allow_private=private) == reason


def test_check_addresses_refuses_if_any_address_is_blocked() -> None:
    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.7"):
        check_addresses(
            "mixed.example",
            ["93.184.216.34", "10.0.0.7"],
            allow_loopback=False,
            allow_private=False,
        )


def test_client_default_refuses_loopback(base_url: str) -> None:
    with HttpClient() as http, pytest.raises(BlockedAddress) as caught:
        http.get(f"{base_url}/ua")
    assert caught.value.code == "blocked_address"


def test_client_checks_every_resolved_address(base_url: str) -> None:
    port = int(base_url.rsplit(":", 1)[1])
    options = HttpOptions(allow_loopback=True)

    def resolve(host: str, _port: int) -> list[str]:
        return {"good.example": ["127.0.0.1"], "mixed.example": ["127.0.0.1", "10.1.1.1"]}[host]

    with HttpClient(options, resolve=resolve) as http:
        # The guard connects to the address it checked, whatever the host name.
        assert http.get(f"http://good.example:{port}/ua").status == 200
        with pytest.raises(BlockedAddress, match=r"10\.1\.1\.1"):
            http.get(f"http://mixed.example:{port}/ua")


def test_client_sends_user_agent(client: HttpClient, base_url: str) -> None:
    fetched = client.get(f"{base_url}/ua")
    assert fetched.status == 200
    assert fetched.content.decode().startswith("newsclaims/")


def test_client_returns_error_statuses(client: HttpClient, base_url: str) -> None:
    assert client.get(f"{base_url}/missing").status == 404


def test_client_follows_redirects_hop_by_hop(client: HttpClient, base_url: str) -> None:
    fetched = client.get(f"{base_url}/redirect?to=/ua")
    assert (fetched.status, fetched.url) == (200, f"{base_url}/ua")
    assert fetched.redirects == (f"{base_url}/redirect?to=/ua",)


REFUSED_FETCHES = [
    ("/redirect?to=http://10.1.2.3/feed", BlockedAddress),
    ("/redirect?to=http://169.254.169.254/latest/meta-data", BlockedAddress),
    ("/redirect?to=http://[::ffff:192.168.0.1]/", BlockedAddress),
    ("/redirect?to=file:///etc/passwd", BadUrl),
    ("/loop", TooManyRedirects),
    ("/big", TooLarge),
    ("/stream-big", TooLarge),
    ("/slow", FetchError),
]


@pytest.mark.parametrize(("path", "error"), REFUSED_FETCHES)
def test_client_refuses_with_clear_errors(
    client: HttpClient, base_url: str, path: str, error: type[FetchError]
) -> None:
    with pytest.raises(error) as caught:
        client.get(f"{base_url}{path}")
    assert isinstance(caught.value, FetchError)
    assert caught.value.code == error.code


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "/relative"])
def test_client_refuses_non_http_urls(client: HttpClient, url: str) -> None:
    with pytest.raises(BadUrl):
        client.get(url)


def test_client_holds_a_fetch_to_its_deadline(base_url: str) -> None:
    options = HttpOptions(allow_loopback=True, timeout=0.3, deadline=0.5)
    began = time.monotonic()
    with HttpClient(options) as http, pytest.raises(FetchError, match="deadline"):
        http.get(f"{base_url}/redirect?to=/drip")
    assert time.monotonic() - began < 1.5


def test_client_deadline_default_is_the_settings() -> None:
    assert HttpOptions().deadline == Settings().http_deadline
