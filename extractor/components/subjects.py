"""Whose number it is: the instrument mentions a figure's move belongs to, read off the parse.

The claim linker (``claims.py``) asks these in order: a ticker in the subject of what governs the
figure, one tight beside it in a list ("Dow up 7.5%"), or a word that refers back ("it", "the
stock", "the gauge") to an earlier subject of the right kind. Word cues for what the number
measures are in ``cues.py``.
"""

from __future__ import annotations

from operator import attrgetter

from spacy.tokens import Span, Token

from extractor.components.cues import NOT_MOVES, SUBJECT_DEPS, governor, head_chain

PRONOUN_REACH = 6  # sentences a chain of "it", "the stock" may be followed back
# Verbs whose subject is their head's: "A rose 2% and B fell 1%" (conj), "earnings were on track
# to have climbed 12.7%" (xcomp).
CONTROLLED = frozenset({"conj", "xcomp"})
REFERS = frozenset(
    "average averages benchmark benchmarks both companies company etf firm fund gauge index "
    "indexes indices it price prices shares stock stocks they".split()
)
# What a referring word can point back to: "the stock" is a company's, "the gauge" an index's.
STOCK_REFERS = frozenset("companies company firm shares stock stocks".split())
INDEX_REFERS = frozenset(
    "average averages benchmark benchmarks gauge index indexes indices".split()
)
# Tokens that may stand between an instrument and its figure in a list ("Dow up 7.5%").
TIGHT = frozenset("( ) : , - – was were is are up down higher lower + −".split())


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
    last = max(before, key=attrgetter("end"))
    between = figure.doc[last.end : figure.start]
    if all(t.lower_ in TIGHT or t.is_space for t in between):
        return last
    return None
