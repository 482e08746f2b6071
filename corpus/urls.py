"""An article's URL as its identity: tracking parameters, fragments and case noise removed.

``clean_url`` is what two links to one story share: ``utm_*`` campaign tags, click ids (fbclid,
gclid ...), feed-reader and mailing-list tags, a fragment, a default port, upper-case scheme and
host are all dropped; the remaining query keeps its order. It never raises: an unparseable URL is
returned as it came.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say where a click came from, never which page it is (the lists of
# Firefox's query stripping, ClearURLs and feedburner's own tags, cut to those seen on news links).
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs", "vero_", "oly_")
TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mkt_tok", "ocid", "cmpid", "ncid", "smid", "ref", "ref_src", "src", "spm", "feedtype",
        "feedname", "ito", "at_medium", "at_campaign", "taid", "tpcc", "srnd", "guccounter",
        "guce_referrer", "guce_referrer_sig", "cid", "sr_share", "__twitter_impression",
    }
)  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking(name: str) -> bool:
    """Whether a query parameter only tracks the click."""
    lowered = name.lower()
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """The URL without tracking parameters, fragment, default port or case noise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if not scheme or not host:
        return url
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(kept), ""))


def host_of(url: str) -> str:
    """The URL's host and port as one politeness key ("example.com", "127.0.0.5:8000")."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    return host if port in (None, DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"
