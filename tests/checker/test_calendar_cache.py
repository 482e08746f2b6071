"""The NYSE calendar's session cache (checker.calendar.cached_calendar): the same days as
exchange_calendars, read back without it, rebuilt when broken, best effort when unwritable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker import calendar as calendar_module
from checker.calendar import NyseCalendar, cached_calendar


def test_calendar_cache_holds_the_same_sessions(tmp_path: Path, calendar: NyseCalendar) -> None:
    first = cached_calendar(tmp_path)
    span = (date(2024, 12, 20), date(2025, 1, 10))
    assert first.sessions(*span) == calendar.sessions(*span)
    assert not first.is_session(date(2025, 1, 9))  # the national day of mourning for Carter
    assert len(list(tmp_path.glob("xnys-*.json"))) == 1


def test_calendar_cache_is_read_without_exchange_calendars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_calendar(tmp_path)

    def refuse(*_: object) -> list[date]:
        raise AssertionError("the cache should have been read")

    monkeypatch.setattr(calendar_module, "xnys_sessions", refuse)
    again = cached_calendar(tmp_path)
    assert again.session_on_or_before(date(2025, 2, 17)) == date(2025, 2, 14)  # Presidents Day


def test_calendar_cache_rebuilds_a_broken_file(tmp_path: Path) -> None:
    cached_calendar(tmp_path)
    (path,) = tmp_path.glob("xnys-*.json")
    path.write_text('["not a date"', encoding="utf-8")
    rebuilt = cached_calendar(tmp_path)
    assert rebuilt.is_session(date(2025, 2, 14))
    assert path.read_text(encoding="utf-8").startswith('["1995-01-03"')


def test_calendar_cache_in_an_unwritable_place_still_gives_a_calendar(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")  # a file where the cache folder should be
    assert cached_calendar(blocked / "cache").is_session(date(2025, 2, 14))
