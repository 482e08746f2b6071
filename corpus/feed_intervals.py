"""How often feeds are polled: the default interval and the shortest one allowed.

Kept apart (no imports) so the CLI's options can name them without loading the store.
"""

from __future__ import annotations

from datetime import timedelta

# Publishers' own guidance (e.g. RSS <ttl> values of 5-60 min) and the feeds' update rate of a
# few items an hour: 15 minutes misses nothing a feed keeps (20-30 items) without hammering it.
DEFAULT_INTERVAL = timedelta(minutes=15)
DEFAULT_SECONDS = int(DEFAULT_INTERVAL.total_seconds())
# Publishers ask for 5-60 minutes (RSS <ttl>); more often than once a minute only hammers them.
MIN_INTERVAL_SECONDS = 60
