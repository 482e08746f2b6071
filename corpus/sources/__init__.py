"""Where articles come from: files (files.py); later HTTP submit and feeds. All yield ArticleIn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

# The market's clock: a naive published time is New York time (as the extractor reads it), and a
# published time's date is its New York date.
NEW_YORK = ZoneInfo("America/New_York")


@dataclass(frozen=True, slots=True)
class ArticleIn:
    """An article as it arrives, before it is stored: text plus what we know about it."""

    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None  # with its offset, when the source gives a time

    @property
    def dated(self) -> date | None:
        """What the extractor is given: the published time when known, else the date."""
        return self.published_at or self.published


def aware(moment: datetime | None) -> datetime | None:
    """``moment`` with a time zone: a naive one is taken as New York time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=NEW_YORK)


def published_fields(value: date | None) -> tuple[date | None, datetime | None]:
    """(published, published_at) of a date or a time: a time's date is its New York date."""
    if not isinstance(value, datetime):
        return value, None
    moment = aware(value)
    assert moment is not None
    return moment.astimezone(NEW_YORK).date(), moment


def parse_published(value: Any) -> date | None:
    """A published date or time from an ISO string (dates and times pass through); ValueError
    when it is neither, or a time whose New York date is out of range."""
    if value is None or isinstance(value, date):
        return value
    text = value if isinstance(value, str) else ""
    try:
        day = date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text)
        published_fields(day)
    except (ValueError, OverflowError) as err:
        raise ValueError(
            "expected an ISO date or datetime, e.g. 2025-02-12T11:26:00-05:00"
        ) from err
    return day
