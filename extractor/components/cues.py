"""Word cues the claim linker reads around a figure: movement, direction, level, modality.

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
    "allocation atr capacity cash chance chances consumers cost costs coupon cpi credit cut "
    "cuts debt discount dividend dividends earnings efficiency eps expenses exposure fee "
    "fees gdp growth hike hikes households income inflation interest investors jobs "
    "majority margin margins odds orders ownership pay payout pce percent portion premium "
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
PRONOUN_REACH = 6  # sentences a chain of "it", "the stock" may be followed back
# Verbs whose subject is their head's: "A rose 2% and B fell 1%" (conj), "earnings were on track
# to have climbed 12.7%" (xcomp).
# Heads climbed from a figure (parse trees of prose are under 20 deep; a hostile one-sentence
# document can be thousands deep, and every figure climbs it).
MAX_CHAIN = 50
CONTROLLED = frozenset({"conj", "xcomp"})
REFERS = frozenset(
    "average averages benchmark benchmarks both companies company etf firm fund gauge index "
    "indexes indices it price prices shares stock stocks they".split()
)
# Objects whose move a figure states when the verb moves them ("dragged the sector 1.7% lower").
SECTOR_WORDS = frozenset("sector sectors industry industries group".split())
# What a referring word can point back to: "the stock" is a company's, "the gauge" an index's.
STOCK_REFERS = frozenset("companies company firm shares stock stocks".split())
INDEX_REFERS = frozenset(
    "average averages benchmark benchmarks gauge index indexes indices".split()
)
# Nouns a price is compared with that are chart levels, not quotes ("past a 76.40 buy point").
NOT_LEVELS = frozenset("base buy entry pivot point resistance support".split())
# Tokens that may stand between an instrument and its figure in a list ("Dow up 7.5%").
TIGHT = frozenset("( ) : , - – was were is are up down higher lower + −".split())
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


def _per_share(figure: Span) -> bool:
    """ "$1.56 per share" of earnings (a price target per share was caught before this)."""
    after = [t.lower_ for t in figure.doc[figure.end : min(figure.end + 2, figure.sent.end)]]
    return after in (["per", "share"], ["a", "share"])


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
        if magnitude >= MAX_PRICE:
            return None
        if set(chain_words(figure)) & TARGET_WORDS or {t.lower_ for t in window(figure, 6, 2)} & {
            "target"
        }:
            return "target_level"
        if _per_share(figure) or set(chain_words(figure)) & (NOT_MOVES | {"loss", "losses"}):
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


def subject_tickers(figure: Span, tickers: list[Span]) -> list[Span]:
    """Instrument mentions in the subject (or possessor, or "for X") of what governs the figure."""
    verb = governor(figure)
    holders = [h for h in _subject_heads(figure) if instrument_head(h, tickers)]
    for token in head_chain(figure):
        if token.i == verb.i:
            break
        holders += [c for c in token.children if c.dep_ == "poss"]
        holders += [
            g
            for c in token.children
            if c.dep_ == "prep" and c.lower_ in ("for", "of")
            for g in c.children
        ]
    found: list[Span] = []
    for holder in holders:
        lo, hi = holder.left_edge.i, holder.right_edge.i
        found += [t for t in tickers if lo <= t.start <= hi]
    return found


def clause_subject(figure: Span, tickers: list[Span]) -> Span | None:
    """The instrument named just before a coordinated verb that the parse left without a subject.

    In "the S&P 500 lost 57.58 points ... and the Nasdaq Composite lost 268.59 points" the parser
    may attach "the Nasdaq Composite" to the number before it, so the second "lost" borrows the
    first one's subject; the instrument standing between the two verbs is this clause's own.
    """
    verb = governor(figure)
    if verb.dep_ != "conj" or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    between = [t for t in tickers if verb.head.i < t.start and t.end <= verb.i]
    return between[-1] if between else None


def _subject_heads(figure: Span) -> list[Token]:
    verb = governor(figure)
    while not any(c.dep_ in SUBJECT_DEPS for c in verb.children) and verb.dep_ in CONTROLLED:
        verb = verb.head
    return [c for c in verb.children if c.dep_ in SUBJECT_DEPS]


def _inside(token: Token, tickers: list[Span]) -> bool:
    return any(t.start <= token.i < t.end for t in tickers)


def instrument_head(head: Token, tickers: list[Span]) -> bool:
    """Whether a subject's head names an instrument: a mention, "shares", "the index" ...

    A generic head with a name that is no instrument ("the PCE price index", "oil prices") does
    not count; nor does a head whose numbers are not prices ("Kroger's earnings").
    """
    if _inside(head, tickers):
        return True
    if head.lower_ in NOT_MOVES:
        return False
    appositions = [c for c in head.children if c.dep_ == "appos"]
    if any(_inside(t, tickers) for a in appositions for t in a.subtree):
        return True  # "The fear gauge CBOE Volatility Index (VIX)"
    if head.lower_ in REFERS:
        names = [c for c in head.children if c.dep_ == "compound" and c.lower_ not in REFERS]
        return all(_inside(c, tickers) for c in names)
    owners = {t.i for c in head.subtree if c.dep_ == "poss" for t in c.subtree}
    return any(_inside(t, tickers) for t in head.subtree if t.i not in owners)


def foreign_subject(figure: Span, tickers: list[Span]) -> bool:
    """Whether the figure's clause is about something that is no instrument ("revenue rose 19%")."""
    return any(not instrument_head(h, tickers) for h in _subject_heads(figure))


def referring_head(figure: Span) -> Token | None:
    """The figure's subject head when it points back ("its shares", "the index", "it").

    Not "an index" (any index) nor "9.4 billion shares" (a volume).
    """
    for head in _subject_heads(figure):
        generic = any(
            (c.dep_ == "det" and c.lower_ in ("a", "an", "any")) or c.dep_ == "nummod"
            for c in head.children
        )
        if head.lower_ in REFERS and not generic:
            return head
    return None


def refers_back(figure: Span) -> bool:
    """Whether the figure's subject points back to an instrument named before ("its shares").

    Not when a name that is no instrument owns it ("Orora's stock", "Armistice's main fund"): the
    number is that company's or fund's, whatever the sentence before named.
    """
    head = referring_head(figure)
    return head is not None and bare_reference(head)


def bare_reference(head: Token) -> bool:
    """A referring word that names nothing itself: "the stock", "it", not "Orora's stock" nor
    "the producer price index"."""
    owners = [c for c in head.children if c.dep_ == "poss"]
    named = [c for c in head.children if c.dep_ == "compound"]
    return head.lower_ in REFERS and not any(o.pos_ == "PROPN" for o in owners) and not named


def definite(head: Token) -> bool:
    """A description that names its kind ("the stock", "its shares", "the index"), not a bare
    pronoun ("it" may be the company, its sales or the economy)."""
    return head.lower_ in STOCK_REFERS | INDEX_REFERS


def last_subject(head: Token) -> Token | None:
    """The subject a referring word follows: the last one named before it, other pronouns
    skipped ("Uber shares rose 6%. It surged 224% in 2023"). A chain of referring subjects is
    followed back to the one that names ("Uber shares fell. That puts them near a record. The
    stock has been on a wild ride. It surged 149% in 2023"), at most PRONOUN_REACH sentences."""
    reach = head.sent.start
    for _ in range(PRONOUN_REACH):
        reach = head.doc[reach - 1].sent.start if reach > 0 else 0
    token = _subject_before(head, reach)
    while token is not None and bare_reference(token):
        token = _subject_before(token, reach)
    return token


def _subject_before(head: Token, first: int) -> Token | None:
    """The last subject between ``first`` and the referring word, skipping other pronouns."""
    for token in reversed(head.doc[first : head.i]):
        if token.dep_ in SUBJECT_DEPS and not (
            token.pos_ == "PRON" and token.lower_ != head.lower_
        ):
            return token
    return None


def agrees(head: Token, symbol: str) -> bool:
    """Whether a referring word can point at the instrument: "the stock" at a company, "the
    index" or "both benchmarks" at an index ("^GSPC"), "it" and "prices" at either."""
    if head.lower_ in INDEX_REFERS:
        return symbol.startswith("^")
    if head.lower_ in STOCK_REFERS:
        return not symbol.startswith("^")
    return True


def says_both(figure: Span) -> bool:
    """ "both companies were down 4%": the claim is about the last two instruments named."""
    return any(t.lower_ in ("both", "each") for h in _subject_heads(figure) for t in h.subtree)


def labelled_by_other(figure: Span, tickers: list[Span]) -> bool:
    """A name that is no instrument stands right before the figure ("Consumer Staples -2.5%")."""
    i = figure.start - 1
    while i >= figure.sent.start and (figure.doc[i].lower_ in TIGHT or figure.doc[i].is_space):
        i -= 1
    if i < figure.sent.start:
        return False
    token = figure.doc[i]
    return token.pos_ == "PROPN" and not _inside(token, tickers)


def tight_ticker(figure: Span, tickers: list[Span]) -> Span | None:
    """An instrument printed right before the figure in a list ("the Dow up 7.5%")."""
    before = [t for t in tickers if t.end <= figure.start]
    if not before:
        return None
    last = max(before, key=lambda t: t.end)
    between = figure.doc[last.end : figure.start]
    if all(t.lower_ in TIGHT or t.is_space for t in between):
        return last
    return None
