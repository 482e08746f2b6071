"""Errors of the corpus package.

CorpusError
 ├── BadArticle        an input that cannot become an article (empty, binary, too large, unparsable)
 ├── FetchError        an outbound HTTP request failed (connect, timeout, protocol): corpus/http.py
 │    ├── BadUrl            not an absolute http(s) URL (also a redirect's Location)
 │    ├── BlockedAddress    a resolved address is loopback, private, link-local or non-global
 │    ├── TooLarge          the body is over the size cap (by Content-Length or while streaming)
 │    ├── TooManyRedirects  more redirect hops than the client allows
 │    └── BadStatus         an error status (4xx/5xx) the caller cannot use; .status holds it
 ├── HostBusy          a host stays taken (another process's turn, a hold) past our patience
 └── BadFeed           not a well-formed RSS/Atom feed (feedparser's bozo): corpus/sources/feeds.py
"""

from __future__ import annotations


class CorpusError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "corpus_error"


class BadArticle(CorpusError):
    """The input cannot be read as an article; the message says why."""

    code = "bad_article"


# Why a link alone is refused while NEWSCLAIMS_FETCH_ARTICLES is off: nothing would fetch it.
LINKS_OFF = "links are not fetched here (NEWSCLAIMS_FETCH_ARTICLES=false): send the article's text"


class FetchError(CorpusError):
    """An outbound HTTP request failed; the message names the URL and the cause."""

    code = "fetch_error"


class BadUrl(FetchError):
    """The URL (or a redirect's Location) is not an absolute http(s) URL."""

    code = "bad_url"


class BlockedAddress(FetchError):
    """The host resolves to an address the client refuses (loopback, private, link-local, ...)."""

    code = "blocked_address"


class TooLarge(FetchError):
    """The response body is over the client's size cap."""

    code = "too_large"


class TooManyRedirects(FetchError):
    """The redirect chain is longer than the client allows."""

    code = "too_many_redirects"


class BadStatus(FetchError):
    """The server answered with an error status; `status` holds it."""

    code = "bad_status"

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class HostBusy(CorpusError):
    """The host is not free within the gate's patience; ``seconds`` until it is (about)."""

    code = "host_busy"

    def __init__(self, message: str, *, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class BadFeed(CorpusError):
    """The body is not a well-formed RSS/Atom feed."""

    code = "bad_feed"
