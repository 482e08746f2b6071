"""The four real feeds and their items' pages (pages_support.py) on loopback HTTP servers."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pages_support import ITEM, Story, build_page, e, layout_of, rewrite_feed


@dataclass(frozen=True, slots=True)
class Reply:
    """A canned answer: status, headers, body, and seconds to wait before it."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


class Site:
    """The four real feeds and their items' pages on one loopback server (``serve``).

    Item ``i`` of feed ``NAME.xml`` links to ``/articles/NAME-i`` (a tracking parameter added),
    whose page wraps story ``i`` of the feed's stories in ``layout_of`` its key. ``replies``
    overrides any path; ``robots`` is /robots.txt; ``requests`` logs each request's path, headers
    and monotonic time.
    """

    def __init__(self, feeds_dir: Path, stories: list[Story], *, robots: str = "") -> None:
        self.feeds_dir, self.stories, self.robots = feeds_dir, stories, robots
        self.replies: dict[str, Reply] = {}
        self.requests: list[tuple[str, dict[str, str], float]] = []
        self.base = ""
        self.full_text: set[str] = set()  # feeds whose items carry content:encoded

    def page_keys(self, feed: str) -> list[str]:
        """The article keys of a feed's items, in feed order."""
        xml = (self.feeds_dir / feed).read_text(encoding="utf-8")
        return [f"{feed.removesuffix('.xml')}-{i}" for i in range(len(ITEM.findall(xml)))]

    def story(self, key: str) -> Story:
        """The story a page key shows (feeds' items take consecutive stories)."""
        feed, _, index = key.rpartition("-")
        offset = sum(len(self.page_keys(f.name)) for f in sorted(self.feeds_dir.glob("*.xml"))
                     if f.name < f"{feed}.xml")  # fmt: skip
        return self.stories[(offset + int(index)) % len(self.stories)]

    def feed(self, name: str) -> bytes:
        """The feed with its items' links on this site (and full text when asked)."""
        keys = self.page_keys(name)
        links = {i: f"{self.base}/articles/{k}?utm_source=rss&utm_medium=feed"
                 for i, k in enumerate(keys)}  # fmt: skip
        xml = rewrite_feed((self.feeds_dir / name).read_text(encoding="utf-8"), link_for=links)
        if name in self.full_text:
            xml = add_full_text(xml, [self.story(k) for k in keys])
        return xml.encode()

    def answer(self, path: str) -> Reply:
        """The reply to a GET of ``path``."""
        bare = path.split("?")[0]
        if bare in self.replies:
            return self.replies[bare]
        kind, _, arg = bare.strip("/").partition("/")
        if bare == "/robots.txt":
            return Reply(body=self.robots.encode(), headers=(("Content-Type", "text/plain"),))
        if kind == "feeds" and (self.feeds_dir / arg).is_file():
            return Reply(body=self.feed(arg), headers=(("Content-Type", "application/rss+xml"),))
        if kind == "articles":
            page = build_page(self.story(arg), layout=layout_of(arg),
                              canonical=f"{self.base}/articles/{arg}")  # fmt: skip
            return Reply(body=page.encode(), headers=(("Content-Type", "text/html"),))
        return Reply(404, b"not found")


CONTENT_NS = 'xmlns:content="http://purl.org/rss/1.0/modules/content/"'


def add_full_text(xml: str, stories: list[Story]) -> str:
    """Each item with its story as content:encoded (the namespace declared on <rss>)."""
    texts = iter(stories)

    def item(match: re.Match[str]) -> str:
        story = next(texts)
        html_text = "".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
        cleared = re.sub(r"<content:encoded\s*/>|<content:encoded>.*?</content:encoded>", "",
                         match.group(0), flags=re.S)  # fmt: skip
        encoded = f"<content:encoded><![CDATA[{html_text}]]></content:encoded></item>"
        return cleared.removesuffix("</item>") + encoded

    xml = ITEM.sub(item, xml)
    if CONTENT_NS not in xml:
        xml = re.sub(r"<rss\b", f"<rss {CONTENT_NS}", xml, count=1)
    return xml


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    """A request handler answering from ``site``."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers.items()), time.monotonic()))
            reply = site.answer(self.path)
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(reply.body)

    return Handler


@contextlib.contextmanager
def serve(site: Site, host: str = "127.0.0.1") -> Iterator[str]:
    """``site`` over HTTP on ``host`` (any 127.0.0.x); yields its base URL."""
    httpd = ThreadingHTTPServer((host, 0), handler_for(site))
    httpd.daemon_threads = True
    site.base = f"http://{host}:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield site.base
    finally:
        httpd.shutdown()
        httpd.server_close()
