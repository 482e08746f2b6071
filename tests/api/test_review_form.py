"""The review page's correct form reads numbers as the API does: finite ones only."""

from __future__ import annotations

import pytest

from api.pages_data import parse_correction

VALUES = [("5", 5.0), (" 2.5 ", 2.5), ("-1e3", -1000.0)]
REFUSED = ["nan", "NaN", "inf", "-Infinity", "1e999", "five"]


@pytest.mark.parametrize(("text", "value"), VALUES)
def test_parse_correction_reads_numbers(text: str, value: float) -> None:
    assert parse_correction({"value": text}) == {"value": value}


@pytest.mark.parametrize("text", REFUSED)
def test_parse_correction_refuses_what_the_api_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="number"):
        parse_correction({"value": text})
