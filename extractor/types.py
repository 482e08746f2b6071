"""The extraction contract: frozen dataclasses whose ``to_dict()`` is the JSON the scorer reads.

Field names follow ``design.md`` ("The extraction contract"). Offsets are half-open character
offsets into the article text. Nothing here knows about spaCy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Metric = Literal[
    "price_return", "price_change", "price_level", "target_level", "market_cap", "share", "other"
]
Kind = Literal["historical", "forecast", "hypothetical"]
Bound = Literal["at_least", "at_most"]
Session = Literal["intraday", "premarket", "afterhours"]
# Units: "percent", "pp", "points", "shares", "count", "bp", "multiple", or a currency code
# in lower case ("usd").
Unit = str

METRICS: tuple[Metric, ...] = (
    "price_return",
    "price_change",
    "price_level",
    "target_level",
    "market_cap",
    "share",
    "other",
)
KINDS: tuple[Kind, ...] = ("historical", "forecast", "hypothetical")
# How a claim's reading was decided (design: "a discrepancy only when the reading is certain").
#   subject: "sentence" (named in the figure's sentence), "antecedent" (a referring subject,
#            "the stock" or "it", whose only possible antecedent of that kind is the one
#            instrument of the sentence before), "previous" (taken from before it, among others),
#            "article" (the instrument the whole article is about)
#   period:  "sentence" (a time expression in the sentence), "heading" (a list intro or section
#            heading above it), "story" (the previous sentence's or the lead's day), "clock" (the
#            published time fixes the session), "published" (the published date alone),
#            "default" (nothing dates it), "unresolved" (the sentence has a time phrase that was
#            not understood, so the period taken is a guess)
#   session: "sentence" (a cue in the sentence), "paragraph" (a clock time in the paragraph),
#            "lead" (the lead was written during the session), "clock" (the published time),
#            "default" (a close-to-close move)
SubjectBasis = Literal["sentence", "antecedent", "previous", "article"]
PeriodBasis = Literal[
    "sentence", "heading", "story", "event", "clock", "published", "default", "unresolved"
]
SessionBasis = Literal["sentence", "paragraph", "lead", "clock", "default"]
# Period bases that are guesses: a claim read this way is never an open discrepancy.
UNCERTAIN_PERIODS: frozenset[str] = frozenset({"default", "unresolved"})
CERTAIN_SUBJECTS: frozenset[str] = frozenset({"sentence", "antecedent"})


@dataclass(frozen=True, slots=True)
class Ticker:
    """An instrument the article discusses, with every place it is mentioned."""

    symbol: str
    name: str | None
    mentions: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "name": self.name,
            "mentions": [list(m) for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class Figure:
    """A number that states a quantity, with its unit; ranges set low/high and leave value None."""

    text: str
    start: int
    end: int
    value: float | None
    unit: Unit
    low: float | None = None
    high: float | None = None
    approx: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation (without its marks) and who said it."""

    text: str
    start: int
    end: int
    speaker: str | None
    role: str | None
    org: str | None
    cue: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Basis:
    """How a claim's subject, period and session were decided (see ``SubjectBasis`` ...)."""

    subject: SubjectBasis = "sentence"
    period: PeriodBasis = "sentence"
    session: SessionBasis = "default"

    @property
    def certain(self) -> bool:
        """Whether the reading is stated or fixed by the article, not guessed: the subject is named
        in the sentence ("it rose 3%" may be any instrument named before) and the period is no
        default."""
        return self.period not in UNCERTAIN_PERIODS and self.subject in CERTAIN_SUBJECTS

    def to_dict(self) -> dict[str, str]:
        return {"subject": self.subject, "period": self.period, "session": self.session}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Basis:
        """The inverse of to_dict(); a claim without one (gold) reads as stated."""
        if not data:
            return cls()
        return cls(
            subject=data.get("subject", "sentence"),
            period=data.get("period", "sentence"),
            session=data.get("session", "default"),
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """An assertion that one instrument moved by, stood at, or will reach a number."""

    subject: str
    metric: Metric
    value: float | None
    unit: Unit
    kind: Kind
    text: str
    offsets: tuple[int, int]  # the figure's characters in the article text
    low: float | None = None
    high: float | None = None
    approx: bool = False
    bound: Bound | None = None
    start: date | None = None
    end: date | None = None
    session: Session | None = None
    basis: Basis = field(default_factory=Basis)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "metric": self.metric,
            "value": self.value,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "approx": self.approx,
            "bound": self.bound,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "session": self.session,
            "kind": self.kind,
            "text": self.text,
            "offsets": list(self.offsets),
            "basis": self.basis.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        """The inverse of to_dict(); also reads gold annotations (no unit or offsets there)."""

        def day(text: str | None) -> date | None:
            return date.fromisoformat(text) if text else None

        return cls(
            subject=data["subject"],
            metric=data["metric"],
            value=data.get("value"),
            unit=data.get("unit") or "",
            kind=data["kind"],
            text=data.get("text") or "",
            offsets=tuple(data.get("offsets") or (0, 0)),
            low=data.get("low"),
            high=data.get("high"),
            approx=bool(data.get("approx")),
            bound=data.get("bound"),
            start=day(data.get("start")),
            end=day(data.get("end")),
            session=data.get("session"),
            basis=Basis.from_dict(data.get("basis")),
        )


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything one article asserts."""

    tickers: tuple[Ticker, ...] = field(default_factory=tuple)
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    quotes: tuple[Quote, ...] = field(default_factory=tuple)
    claims: tuple[Claim, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tickers": [t.to_dict() for t in self.tickers],
            "figures": [f.to_dict() for f in self.figures],
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
        }
