"""numbers.py: one row per way of writing a number (find_amounts, parse_amount, parse_number)."""

from __future__ import annotations

import pytest

from extractor.numbers import BARE, Amount, find_amounts, parse_amount, parse_number

# text, value, unit, low, high, approx, bound
ROWS = [
    ("19.2%", 19.2, "percent", None, None, False, None),
    ("19.2 percent", 19.2, "percent", None, None, False, None),
    ("19.2 per cent", 19.2, "percent", None, None, False, None),
    ("five percent", 5.0, "percent", None, None, False, None),
    ("0.6 percentage point", 0.6, "pp", None, None, False, None),
    ("2 percentage points", 2.0, "pp", None, None, False, None),
    ("0.6 ppts", 0.6, "pp", None, None, False, None),
    ("0.042 p.p.", 0.042, "pp", None, None, False, None),
    ("a quarter point", 0.25, "pp", None, None, False, None),
    ("quarter-point", 0.25, "pp", None, None, False, None),
    ("a quarter of a percentage point", 0.25, "pp", None, None, False, None),
    ("half a percentage point", 0.5, "pp", None, None, False, None),
    ("nearly a percentage point", 1.0, "pp", None, None, True, None),
    ("$714 million", 714e6, "usd", None, None, False, None),
    ("€3bn", 3e9, "eur", None, None, False, None),
    ("£2.5 billion", 2.5e9, "gbp", None, None, False, None),
    ("¥500 billion", 5e11, "jpy", None, None, False, None),
    ("US$12 million", 12e6, "usd", None, None, False, None),
    ("C$40", 40.0, "cad", None, None, False, None),
    ("HK$82.40", 82.4, "hkd", None, None, False, None),
    ("$3.3 billion", 3.3e9, "usd", None, None, False, None),
    ("$1.2 trillion", 1.2e12, "usd", None, None, False, None),
    ("$97.4bn", 97.4e9, "usd", None, None, False, None),
    ("$50k", 50e3, "usd", None, None, False, None),
    ("$31b", 31e9, "usd", None, None, False, None),
    ("$13.1 bln", 13.1e9, "usd", None, None, False, None),
    ("$50 mln", 50e6, "usd", None, None, False, None),
    ("$162.5 m", 162.5e6, "usd", None, None, False, None),
    ("100.5 million euros", 100.5e6, "eur", None, None, False, None),
    ("33 cents", 0.33, "usd", None, None, False, None),
    ("69-cent", 0.69, "usd", None, None, False, None),
    ("6,066.44 points", 6066.44, "points", None, None, False, None),
    ("1,000-point", 1000.0, "points", None, None, False, None),
    ("25 basis points", 25.0, "bp", None, None, False, None),
    ("five basis points", 5.0, "bp", None, None, False, None),
    ("25bp", 25.0, "bp", None, None, False, None),
    ("25 bps", 25.0, "bp", None, None, False, None),
    ("2x", 2.0, "multiple", None, None, False, None),
    ("25 times forward earnings", 25.0, "multiple", None, None, False, None),
    ("5-to-1", 5.0, "multiple", None, None, False, None),
    ("1.3-to-one", 1.3, "multiple", None, None, False, None),
    ("6-to-5", 1.2, "multiple", None, None, False, None),
    ("3-2 ratio", 1.5, "multiple", None, None, False, None),
    ("9-8 ratio", 1.125, "multiple", None, None, False, None),
    ("more than twice as many", 2.0, "multiple", None, None, False, "at_least"),
    ("16.1 billion shares", 16.1e9, "shares", None, None, False, None),
    ("30.3-million-share", 30.3e6, "shares", None, None, False, None),
    ("10-20%", None, "percent", 10.0, 20.0, False, None),
    ("40%-60%", None, "percent", 40.0, 60.0, False, None),
    ("10% to 20%", None, "percent", 10.0, 20.0, False, None),
    ("between 10% and 20%", None, "percent", 10.0, 20.0, False, None),
    ("roughly 1% to 2%", None, "percent", 1.0, 2.0, True, None),
    ("$4.60-$4.80", None, "usd", 4.6, 4.8, False, None),
    ("$28.2 billion to $28.6 billion", None, "usd", 28.2e9, 28.6e9, False, None),
    ("between $155 to $170 million", None, "usd", 155e6, 170e6, False, None),
    ("about 2%", 2.0, "percent", None, None, True, None),
    ("around $5.9 billion", 5.9e9, "usd", None, None, True, None),
    ("roughly 2%", 2.0, "percent", None, None, True, None),
    ("approximately $714 million", 714e6, "usd", None, None, True, None),
    ("nearly 5%", 5.0, "percent", None, None, True, None),
    ("almost 40%", 40.0, "percent", None, None, True, None),
    ("close to 3%", 3.0, "percent", None, None, True, None),
    ("some $2 billion", 2e9, "usd", None, None, True, None),
    ("~2.7%", 2.7, "percent", None, None, True, None),
    ("more than 4%", 4.0, "percent", None, None, False, "at_least"),
    ("over 20%", 20.0, "percent", None, None, False, "at_least"),
    ("above $2,900", 2900.0, "usd", None, None, False, "at_least"),
    ("at least 10%", 10.0, "percent", None, None, False, "at_least"),
    ("upwards of 5%", 5.0, "percent", None, None, False, "at_least"),
    ("just over 3%", 3.0, "percent", None, None, False, "at_least"),
    ("2%-plus", 2.0, "percent", None, None, False, "at_least"),
    ("more than a $13 billion", 13e9, "usd", None, None, False, "at_least"),
    ("less than 10%", 10.0, "percent", None, None, False, "at_most"),
    ("under 1%", 1.0, "percent", None, None, False, "at_most"),
    ("below 3%", 3.0, "percent", None, None, False, "at_most"),
    ("up to 15%", 15.0, "percent", None, None, False, "at_most"),
    ("at most 2%", 2.0, "percent", None, None, False, "at_most"),
    ("just under 4%", 4.0, "percent", None, None, False, "at_most"),
    ("-3%", -3.0, "percent", None, None, False, None),
    ("\u22123%", -3.0, "percent", None, None, False, None),
    ("+0.3%", 0.3, "percent", None, None, False, None),
    ("-$1.2 billion", -1.2e9, "usd", None, None, False, None),
    ("nearly one-quarter of", 25.0, "percent", None, None, True, None),
    ("one-fifth to financials", 20.0, "percent", None, None, False, None),
    ("half of the stocks", 50.0, "percent", None, None, False, None),
    ("a third of sales", 33.33, "percent", None, None, False, None),
    ("two-thirds of activity", 66.67, "percent", None, None, False, None),
    ("three-quarters of companies", 75.0, "percent", None, None, False, None),
]


@pytest.mark.parametrize(("text", "value", "unit", "low", "high", "approx", "bound"), ROWS)
def test_parse_amount_reads_value_unit_and_hedge(
    text: str,
    value: float | None,
    unit: str,
    low: float | None,
    high: float | None,
    approx: bool,
    bound: str | None,
) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert (amount.unit, amount.low, amount.high, amount.approx, amount.bound) == (
        unit,
        pytest.approx(low) if low is not None else None,
        pytest.approx(high) if high is not None else None,
        approx,
        bound,
    )
    assert amount.value == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("more than 4% each", "more than 4%"),
        ("Alcoa rose about 2%.", "about 2%"),
        ("closed at 6,066.44 points.", "6,066.44 points"),
        ("between $22.6 billion to $23 billion in", "between $22.6 billion to $23 billion"),
    ],
)
def test_find_amounts_offsets_cover_the_figure_with_its_hedge(text: str, expected: str) -> None:
    amount = next(a for a in find_amounts(text) if a.unit != BARE)
    assert text[amount.start : amount.end] == amount.text == expected


@pytest.mark.parametrize(
    "text",
    [
        "the fourth quarter of 2024",
        "the first half of the year",
        "the upper half of the day's range",
        "the second straight quarter of declines",
        "COVID-19 and the 10-K for Q4",
        "twice-yearly injection",
        "US10Y and 5G networks",
        "up " + "9" * 400 + "%",  # beyond a double: inf, no figure
        "$1" + "0" * 320 + " billion",
    ],
)
def test_find_amounts_skips_words_that_are_not_quantities(text: str) -> None:
    assert [a for a in find_amounts(text) if a.unit != BARE] == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("rose 2% to 5%", [2.0, 5.0]),
        ("from 4.290% to 4.366%", [4.29, 4.366]),
        ("$37.00 - $0.38", [37.0, 0.38]),
        ("the 33,000-to-34,000 jump", [33000.0, 34000.0]),
    ],
)
def test_find_amounts_keeps_changes_and_levels_apart(text: str, values: list[float]) -> None:
    assert [a.value for a in find_amounts(text)] == values


@pytest.mark.parametrize(
    ("text", "value"),
    [("6,066.44", 6066.44), (".256", 0.256), ("five", 5.0), ("12", 12.0), ("abc", None)],
)
def test_parse_number_reads_digits_and_words(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_parse_amount_is_none_for_no_or_many_amounts() -> None:
    assert parse_amount("no numbers here") is None
    assert parse_amount("2% and 3%") is None


def test_amount_keeps_its_contract_fields() -> None:
    amount = Amount("1%", 0, 2, 1.0, "percent")
    assert (amount.low, amount.high, amount.approx, amount.bound) == (None, None, False, None)


@pytest.mark.parametrize(
    "text", ["", "%", "$", "-", "\u2212", "1e9", "ſ half", "\u212a", "１２%", "$.", "0 to", "1-"]
)
def test_find_amounts_never_raises_on_odd_text(text: str) -> None:
    find_amounts(text)
