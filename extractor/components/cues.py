"""Word cues the claim linker reads around a figure: movement, direction, level, modality.

Whose number it is (the instrument a figure's move belongs to) is ``subjects.py``.

Word lists are data: add a word to a set, not a branch to the code. Every function takes the
figure's span and looks only inside its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Span, Token

from extractor.extensions import text_of
from extractor.numbers import Amount
from extractor.types import Kind, Metric

UP = frozenset(
    "+ above add added adding adds advance advanced advances advancing boosted bounced climb "
    "climbed climbing climbs edged firmed gain gained gaining gains grew higher increase "
    "increased increases jaunt jump jumped jumping jumps leaped leaps leapt more outperformed "
    "popped pops rallied rallies rally rallying rebound rebounded rebounds recovered rise "
    "risen rises rising rocketed rockets romp rose run-up runup shot soar soared soaring "
    "soars spiked spikes surge surged surges surging tacked ticked up upside winning won".split()
)
DOWN = frozenset(
    "correction crash crashed cratered decline declined declines declining decrease "
    "decreased dip dipped dips down downside drawdown drop dropped dropping drops eased eases "
    "erased fall fallen falling falls fell lose loses losing loss losses lost lower off "
    "plummeted plummets plunge plunged plunges plunging retreat retreated retreats sagged "
    "sank sell-off selloff shed shedding sheds sink sinking sinks skidded slid slide slides "
    "sliding slip slipped slipping slips slump slumped slumps tanked tumble tumbled tumbles "
    "tumbling weaker".split()
)
# Words that make a percent a price move even without a direction ("closed -0.95%", "ended 2%").
MOVE = (
    UP
    | DOWN
    | frozenset(
        "change changed closed ended ending finish finished flat move moved moves performance "
        "posted return returned returns swing swung traded trading unchanged worth year-to-date "
        "ytd".split()
    )
)
# Nouns whose percentages are not price moves ("25% tariffs", "earnings growth of 14.8%").
NOT_MOVES = frozenset(
    "allocation asp atr capacity cash chance chances consumers cost costs coupon cpi credit cut "
    "cuts debt discount dividend dividends earnings efficiency eps expenses exposure fee "
    "fees gdp growth guidance hike hikes households income inflation interest investors jobs "
    "majority margin margins midpoint odds orders ownership pay payout pce percent portion premium "
    "probability profit profits rate rates respondents revenue revenues salaries salary "
    "sales share shipments spending stake stakes tariff tariffs tax taxes turnover "
    "unemployment utilization volume wage wages weight weighting yield yields".split()
)
# "from 38,000" is where a move started, at an unstated date: not a level claim.
LEVEL_WORDS = frozenset(
    "above around at below near of over past to under reach reached reaches reaching hit hits "
    "top topped tops cross crossed crosses surpass surpassed breach breached exceed "
    "exceeded".split()
)
LEVEL_SKIP = frozenset("a all-time an close fresh high level low new record the".split())
TARGET_WORDS = frozenset(
    "expecting expects fair forecast forecasting forecasts objective predicted predicting "
    "predicts projected projects sees target targets upside valuation will worth".split()
)
FORECAST_WORDS = TARGET_WORDS | frozenset(
    "expect expected forecasted outlook estimate estimates predict project projecting see "
    "seeing".split()
)
HYPOTHETICAL_WORDS = frozenset(
    "case could if may might possibly potentially should unless whether would "
    "imply implied implies implying".split()  # "options imply a 3.5% swing"
)
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# Heads climbed from a figure (parse trees of prose are under 20 deep; a hostile one-sentence
# document can be thousands deep, and every figure climbs it).
MAX_CHAIN = 50
# Objects whose move a figure states when the verb moves them ("dragged the sector 1.7% lower").
SECTOR_WORDS = frozenset("sector sectors industry industries group".split())
# Nouns a price is compared with that are chart levels, not quotes ("past a 76.40 buy point").
NOT_LEVELS = frozenset("base buy entry pivot point resistance support".split())
# Money above this is a deal size, market value or revenue, never a share price or index level.
MAX_PRICE = 1_000_000.0


@dataclass(frozen=True, slots=True)
class Reading:
    """How one figure reads before it is tied to a subject."""

    metric: Metric
    kind: Kind
    sign: int


def governor(figure: Span) -> Token:
    """The verb that governs the figure (or the sentence root when none does)."""
    token = figure.root
    for _ in range(MAX_CHAIN):
        if token.head.i == token.i or token.pos_ in ("VERB", "AUX"):
            break
        token = token.head
    return token


def head_chain(figure: Span) -> list[Token]:
    """The figure's root and its ancestors, nearest first (at most MAX_CHAIN of them)."""
    return [figure.root, *islice(figure.root.ancestors, MAX_CHAIN)]


def chain_words(figure: Span) -> list[str]:
    """Words on the head chain and their function-word children, nearest first."""
    words: list[str] = []
    for token in head_chain(figure):
        words.append(token.lower_)
        words.extend(c.lower_ for c in token.children if c.dep_ in ("aux", "advmod", "mark", "neg"))
    return words


def window(figure: Span, before: int, after: int) -> list[Token]:
    """Tokens around the figure inside its sentence, nearest first on the left."""
    sent = figure.sent
    left = [
        figure.doc[i]
        for i in range(figure.start - 1, max(sent.start, figure.start - before) - 1, -1)
    ]
    right = [figure.doc[i] for i in range(figure.end, min(sent.end, figure.end + after))]
    return left + right


def direction(figure: Span) -> int:
    """-1 for a fall, +1 otherwise; the nearest direction word on the head chain or nearby wins."""
    amount: Amount = figure._.amount
    if amount.value is not None and amount.value < 0:
        return -1
    words = chain_words(figure)[1:] + [t.lower_ for t in window(figure, 6, 2)]
    for word in words:
        if word in DOWN:
            return -1
        if word in UP:
            return 1
    return 1


def kind_of(figure: Span) -> Kind:
    """forecast, hypothetical or historical, from the words governing the figure."""
    words = set(chain_words(figure))
    if words & FORECAST_WORDS:
        return "forecast"
    if words & HYPOTHETICAL_WORDS:
        return "hypothetical"
    return "historical"


def _level_before(figure: Span) -> bool:
    if figure[0].lower_ in LEVEL_WORDS:  # the figure's own hedge: "above 39,000"
        return True
    before = [t.lower_ for t in figure.doc[max(figure.start - 3, 0) : figure.start]]
    if len(before) == 3 and before[0] == before[2] == "as" and before[1] in ("high", "low"):
        return True  # "traded as low as $155.33", "jumped nearly 10% to as high as $76.76"
    for token in window(figure, 4, 0):
        if token.lower_ in LEVEL_SKIP:
            continue
        return token.lower_ in LEVEL_WORDS
    return False


def _portion(figure: Span) -> bool:
    """ "32% of the total": a percentage that is a share of something, not a move."""
    after = figure.doc[figure.end] if figure.end < figure.sent.end else None
    return after is not None and after.lower_ == "of"


def _chart_level(figure: Span) -> bool:
    """A price that names a chart level ("a 95.92 double-bottom entry"), not where a price stood."""
    head = figure.root.head
    return head.i != figure.root.i and head.lower_ in NOT_LEVELS


def _two_after(figure: Span) -> list[str]:
    """The (at most two) words after the figure in its sentence, lower case."""
    return [t.lower_ for t in figure.doc[figure.end : min(figure.end + 2, figure.sent.end)]]


def _per_share(figure: Span) -> bool:
    """ "$1.56 per share" of earnings (a price target per share was caught before this)."""
    return _two_after(figure) in (["per", "share"], ["a", "share"])


def _prices_other(figure: Span) -> bool:
    """Money that prices something else: "$1,300 ASP target", "$11.17 per test", "$2,366.55 per
    metric ton", "$75 a barrel": a selling price or a commodity's, not the instrument's."""
    after = _two_after(figure)
    if after[:1] and after[0] in NOT_MOVES:
        return True
    return len(after) == 2 and after[0] in ("per", "a", "an") and after[1] not in ("share", "unit")


def _about_other(figure: Span) -> bool:
    """ "a 10% increase in digital sales", "50% above a flat base's entry": not a price move."""
    after = figure.doc[figure.end] if figure.end < figure.sent.end else None
    if after is not None and after.lower_ in ("above", "below"):
        return True
    for token in head_chain(figure)[1:]:
        if token.pos_ in ("VERB", "AUX"):
            return False
        objects = [
            g
            for c in token.children
            if c.dep_ == "prep" and c.lower_ in ("in", "of")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if any(o.lower_ in NOT_MOVES for o in objects):
            return True
    return False


def _measures_other(figure: Span) -> bool:
    """The verb's subject or object is a quantity that is no price: "saw its revenue surge 44%",
    "grew EPS by 7%", "earnings were on track to have climbed 12.7%"."""
    verb = governor(figure)
    args = [c for c in verb.children if c.dep_ == "dobj"]
    # A head below the verb with a subject of its own: "saw its revenue surge 44%" (surge, a noun
    # to the tagger, has the subject "revenue").
    chain = head_chain(figure)
    below = chain[: chain.index(verb)] if verb in chain else []
    args += [c for t in below for c in t.children if c.dep_ in SUBJECT_DEPS]
    for token in [verb, *islice(verb.ancestors, MAX_CHAIN)]:  # up to the first verb with a subject
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            args += subjects
            break
    objects = {c.lower_ for c in verb.children if c.dep_ == "dobj"}
    # "The stock dragged the information technology sector 1.7% lower": the sector's move.
    return any(a.lower_ in NOT_MOVES for a in args) or bool(objects & SECTOR_WORDS)


def _is_move(figure: Span) -> bool:
    if _measures_other(figure):
        return False
    head = figure.root.head
    if head.dep_ == "prep" and head.head.i != head.i:
        head = head.head
    if head.lower_ in NOT_MOVES and head not in figure:
        return False
    after = figure.doc[figure.end] if figure.end < figure.sent.end else None
    if after is not None and after.lower_ in NOT_MOVES:
        return False
    words = set(chain_words(figure)) | {t.lower_ for t in window(figure, 6, 3)}
    text = text_of(figure.doc)
    signed = figure.start_char > 0 and text[figure.start_char - 1] in "+-−"
    return bool(words & MOVE) or signed or figure.text[:1] in "+-−"


def metric_of(figure: Span) -> Metric | None:
    """Which metric a figure states, or None when it is not about a price."""
    amount: Amount = figure._.amount
    unit = amount.unit
    if unit == "percent":
        moved = _is_move(figure) and not _portion(figure) and not _about_other(figure)
        return "price_return" if moved else None
    if _chart_level(figure):
        return None
    if unit == "points":
        after = figure.doc[figure.end] if figure.end < len(figure.doc) else None
        says_points = "point" in amount.text.lower() or (
            after is not None and after.lower_ in {"points", "pts"}
        )
        if _level_before(figure):
            return "price_level"
        return "price_change" if says_points and _is_move(figure) else None
    if len(unit) == 3 and unit.isalpha():  # a currency
        magnitude = max(abs(x) for x in (amount.value, amount.low, amount.high) if x is not None)
        if magnitude >= MAX_PRICE or _prices_other(figure):
            return None
        if set(chain_words(figure)) & (NOT_MOVES | {"loss", "losses"}):
            return None  # "expects earnings of $2.15 to $2.25, below the $2.46 analysts saw"
        if set(chain_words(figure)) & TARGET_WORDS or {t.lower_ for t in window(figure, 6, 2)} & {
            "target"
        }:
            return "target_level"
        if _per_share(figure):
            return None
        if _level_before(figure):
            return "price_level"
        return "price_change" if _is_move(figure) else None
    return None


def read_figure(figure: Span) -> Reading | None:
    """The figure's metric, kind and sign, or None when it is no price claim."""
    if figure._.amount is None:
        return None
    metric = metric_of(figure)
    if metric is None:
        return None
    kind: Kind = "forecast" if metric == "target_level" else kind_of(figure)
    if kind == "forecast" and metric == "price_level":
        metric = "target_level"  # "forecasting the index to reach 7,750"
    return Reading(metric=metric, kind=kind, sign=direction(figure))
