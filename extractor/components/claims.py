"""The newsclaims_claims component: ties each figure to its instrument, metric, period and kind.

A claim is a figure that states how one instrument moved, where it stood, or where it will go.
For each figure in a sentence the linker decides
1. the metric, from the figure's unit and the words around it (``cues.py``);
2. the subject, from the parse (the subject of the verb that governs the figure, a possessor,
   a "for X"; ``subjects.py``), else the nearest instrument in the sentence, else the previous
   sentence's;
3. the sign, from direction words (fell, down, a decline of ...);
4. the kind, from modality (could, if -> hypothetical; target, expects -> forecast);
5. the period, from ``placement.period_for``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from operator import attrgetter

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from extractor.components import cues, lists, mentions, subjects
from extractor.components.cues import Reading
from extractor.components.periods import LATEST_KEY, PREMARKET_KEY
from extractor.components.placement import Placement, period_for
from extractor.dates import Period
from extractor.extensions import CLAIMS, FIGURES, TICKERS
from extractor.numbers import Amount
from extractor.types import Basis, Claim, SubjectBasis

FACTORY = "newsclaims_claims"
# Figures, and instruments, of one sentence linked into claims (each figure is weighed against each
# instrument, so an unpunctuated 1 MB line would be quadratic). Prose sentences have under 20.
MAX_PER_SENTENCE = 100
# Tokens either side of a figure searched for a nearest instrument when the parse gives none.
# Swept 6-20 on corpus/dev: 12 keeps list-style sentences ("S&P 500 0.67%, Nasdaq 0.98%") and
# does not reach into the next clause's instrument often.
NEAREST_WINDOW = 12
# An article "is about" one instrument when it has at least this many mentions and this share of
# all mentions; forecasts with no subject of their own ("a price target of $45") then go to it.
FOCUS_MIN_MENTIONS = 3
FOCUS_SHARE = 0.5


def _overlapping(spans: list[Span], ends: list[int], sent: Span) -> list[Span]:
    """The spans overlapping ``sent``; ``spans`` are in order, ``ends`` their token ends."""
    first = bisect_right(ends, sent.start)
    last = first
    while last < len(spans) and spans[last].start < sent.end:
        last += 1
    return spans[first:last]


class ClaimLinker:
    """Writes the CLAIMS span group from the FIGURES, TICKERS and PERIODS groups."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        tickers = list(doc.spans[TICKERS]) if TICKERS in doc.spans else []
        tickers = [t for t in tickers if not mentions.is_modifier(t)]
        figures = list(doc.spans[FIGURES]) if FIGURES in doc.spans else []
        previous: list[Span] = []
        main = focus(tickers)
        abroad = mentions.foreign_report(tickers)
        ticker_ends = [t.end for t in tickers]  # spans come in order and never overlap
        figure_starts = [f.start for f in figures]
        for sent in doc.sents:
            # A name may straddle a boundary the parser put after "Inc." ("Zoetis, Inc. Class A").
            in_sent = _overlapping(tickers, ticker_ends, sent)[:MAX_PER_SENTENCE]
            first = bisect_left(figure_starts, sent.start)
            last = min(bisect_left(figure_starts, sent.end), first + MAX_PER_SENTENCE)
            sent_figures = figures[first:last]
            context = previous or main
            spans.extend(self._claims_in(sent, sent_figures, in_sent, (context, main), abroad))
            if in_sent:
                previous = in_sent
        doc.spans[self.spans_key] = spans
        return doc

    def _claims_in(
        self,
        sent: Span,
        figures: list[Span],
        tickers: list[Span],
        context: tuple[list[Span], list[Span]],
        abroad: bool,
    ) -> Iterator[Span]:
        """The claims of one sentence; ``context`` is the previous sentence's instruments and the
        article's main one, ``abroad`` whether the piece reports a foreign market."""
        previous, main = context
        if abroad or mentions.foreign_listing(sent, figures):
            tickers = [t for t in tickers if mentions.is_index(t.label_)]
            previous, main = [], []
        readable = list(self._readings(figures, tickers))
        for figure, reading in readable:
            if mentions.in_headline(figure):
                continue
            same_metric = [f for f, r in readable if r.metric == reading.metric]
            subjects = choose_subjects(figure, tickers, previous, same_metric)
            basis: SubjectBasis = "sentence"
            owner = lists.list_owner(figure) if not subjects else None
            if owner is not None:
                subjects, basis = [owner], "antecedent"  # "- Down 7.73% month-to-date"
            elif not subjects and reading.kind == "forecast":
                subjects = main  # "analysts have a price target of $44.93": the article's stock
                basis = "article"
            claims = tuple(
                make_claim(figure, reading, s, subject_basis(s, figure, previous, basis))
                for s in subjects
            )
            if claims:
                # Extension values are keyed by offsets alone, so one span carries every claim
                # its figure makes ("A and B rose 4% each" is two claims on one figure).
                span = figure.doc[figure.start : figure.end]
                span._.claim = claims
                yield span

    @staticmethod
    def _readings(figures: list[Span], tickers: list[Span]) -> Iterator[tuple[Span, Reading]]:
        """Each figure's reading; a list item ("..., Nasdaq 0.98%") inherits the one before it."""
        last: Reading | None = None
        for figure in figures:
            reading = cues.read_figure(figure)
            listed = last is not None and subjects.tight_ticker(figure, tickers) is not None
            if reading is None and listed and figure._.amount.unit == "percent":
                reading = last
            if reading is not None:
                last = reading if figure._.amount.unit == "percent" else last
                yield figure, reading


def subject_basis(
    subject: Span, figure: Span, previous: list[Span], basis: SubjectBasis
) -> SubjectBasis:
    """Whether the subject was named in the figure's sentence, is the one instrument of the right
    kind that a description ("the stock", "the index") can mean, or that a pronoun ("it") follows
    as the last subject named; else a guess."""
    sent = figure.sent
    if basis in ("article", "antecedent") or sent.start <= subject.start < sent.end:
        return basis
    owner = lists.list_owner(figure)
    if owner is not None and owner.label_ == subject.label_:
        return "antecedent"  # "- ... when it fell 14.13%" under a line naming the stock
    head = subjects.referring_head(figure)
    if head is None:
        return "previous"
    named = subjects.last_subject(head)  # the subject a chain of "it" and "the stock" leads back to
    labels = {t.label_ for t in previous if named is not None and _within(named, t)}
    if labels == {subject.label_} and subjects.agrees(head, subject.label_):
        return "antecedent"
    if not subjects.definite(head):  # "it" may be anything: only its chain decides
        return "previous"
    before = figure.doc[sent.start - 1].sent if sent.start > 0 else None
    if before is None or not before.start <= subject.start < before.end:
        return "previous"  # an antecedent further back ("The stock" after a paragraph on a bank)
    pool = {t.label_ for t in previous if subjects.agrees(head, t.label_)}
    return "antecedent" if pool == {subject.label_} else "previous"


def _within(token: Token, mention: Span) -> bool:
    """Whether the mention lies inside the token's phrase ("Uber shares" holds "Uber")."""
    return token.left_edge.i <= mention.start and mention.end - 1 <= token.right_edge.i


def focus(tickers: list[Span]) -> list[Span]:
    """The instrument an article is about, when one clearly dominates its mentions."""
    counts = Counter(t.label_ for t in tickers)
    if not counts:
        return []
    symbol, count = counts.most_common(1)[0]
    if count < FOCUS_MIN_MENTIONS or count < FOCUS_SHARE * len(tickers):
        return []
    return [next(t for t in tickers if t.label_ == symbol)]


def choose_subjects(
    figure: Span, tickers: list[Span], previous: list[Span], same_metric: list[Span]
) -> list[Span]:
    """The instrument(s) a figure is about; several for "A and B rose 2% each"."""
    paired = _respectively(figure, tickers, same_metric)
    if paired is not None:
        return paired
    tight = subjects.tight_ticker(figure, tickers)
    if tight is not None:
        return [tight]
    own = subjects.clause_subject(figure, tickers)
    if own is not None:
        return [own]
    governed = subjects.subject_tickers(figure, tickers)
    if governed:
        return _share_out(figure, governed, same_metric)
    if subjects.foreign_subject(figure, tickers) or subjects.labelled_by_other(figure, tickers):
        return []
    near = _nearest(figure, tickers)
    head = subjects.referring_head(figure)
    if near is not None and (head is None or subjects.agrees(head, near.label_)):
        return [near]  # not the index named after "The stock has gained 31.2%"
    if head is not None and subjects.refers_back(figure):
        earlier = _distinct(t for t in tickers if t.end <= figure.start) or previous
        earlier = [t for t in earlier if subjects.agrees(head, t.label_)]
        return earlier[-2:] if subjects.says_both(figure) else earlier[-1:]
    return []


def _respectively(figure: Span, tickers: list[Span], same_metric: list[Span]) -> list[Span] | None:
    """ "A, B and C fell 5.9%, 5.3% and 5.2%, respectively": the i-th figure to the i-th name.

    None when the sentence is no such list; [] when the names cannot all be told apart.
    """
    if not any(t.lower_ == "respectively" for t in figure.sent):
        return None
    group = [
        f
        for f in same_metric
        if not any(
            f.end <= t.start < figure.start or figure.end <= t.start < f.start for t in tickers
        )
    ]
    if len(group) < 2 or figure not in group:
        return None
    names = _distinct(t for t in tickers if t.end <= group[0].start)
    if len(names) < len(group):
        return []
    return [names[-len(group) :][group.index(figure)]]


def _share_out(figure: Span, subjects: list[Span], same_metric: list[Span]) -> list[Span]:
    """Pair coordinated subjects with coordinated figures ("A and B rose 2% and 3%, resp.")."""
    distinct = _distinct(subjects)
    siblings = [f for f in same_metric if cues.governor(f) == cues.governor(figure)]
    if len(distinct) > 1 and len(siblings) == len(distinct):
        return [distinct[siblings.index(figure)]] if figure in siblings else []
    if len(distinct) > 1 and len(siblings) > 1:
        return [_nearest(figure, distinct) or distinct[0]]
    return distinct


def _distinct(spans: Iterable[Span]) -> list[Span]:
    seen: set[str] = set()
    out = []
    for span in sorted(spans, key=attrgetter("start")):
        if span.label_ not in seen:
            seen.add(span.label_)
            out.append(span)
    return out


def _nearest(figure: Span, tickers: list[Span]) -> Span | None:
    """The closest instrument mention within the window, preferring one before the figure."""
    best: tuple[int, Span] | None = None
    for ticker in tickers:
        if ticker.end <= figure.start:
            distance = figure.start - ticker.end
        elif ticker.start >= figure.end:
            distance = (
                ticker.start - figure.end + 3
            )  # an instrument after the figure is less likely
        else:
            continue
        if distance <= NEAREST_WINDOW and (best is None or distance < best[0]):
            best = (distance, ticker)
    return best[1] if best else None


def make_claim(
    figure: Span, reading: Reading, subject: Span, subject_basis: SubjectBasis = "sentence"
) -> Claim:
    """The claim one figure makes about one subject."""
    amount: Amount = figure._.amount
    level = reading.metric in ("price_level", "target_level")
    value, low, high = amount.value, amount.low, amount.high
    if not level and reading.sign < 0:
        value = -abs(value) if value is not None else None
        if low is not None and high is not None:
            low, high = -abs(high), -abs(low)
    placement = abroad_today(
        figure, subject, period_for(figure, level=level, forecast=reading.kind == "forecast")
    )
    period = placement.period
    if reading.kind != "historical" and period.label == "when":
        # "Would be its lowest close since Jan. 14, when it closed at $11.09": the clause a
        # date's "when" opens tells what happened on that day.
        metric = "price_level" if reading.metric == "target_level" else reading.metric
        reading = Reading(metric=metric, kind="historical", sign=reading.sign)
    published = figure.doc.user_data.get(LATEST_KEY) or figure.doc._.published
    if reading.kind == "historical" and published and period.end and period.end > published:
        # "to reach 7,750 by the end of 2026": a date after the article's is a forecast.
        reading = Reading(
            metric="target_level" if reading.metric == "price_level" else reading.metric,
            kind="forecast",
            sign=reading.sign,
        )
        level = reading.metric == "target_level"
    hypothetical = reading.kind == "hypothetical"
    sent = figure.sent
    return Claim(
        subject=subject.label_,
        metric=reading.metric,
        value=value,
        unit=amount.unit,
        kind=reading.kind,
        text=sent.text.strip(),
        offsets=(amount.start, amount.end),
        low=low,
        high=high,
        approx=amount.approx,
        bound=amount.bound,
        start=None if hypothetical or level else period.start,
        end=None if hypothetical else period.end,
        session=None if hypothetical else period.session,
        basis=Basis(subject_basis, placement.basis, placement.session_basis),
    )


def abroad_today(figure: Span, subject: Span, placement: Placement) -> Placement:
    """Before New York's open, Asia and Europe have traded today: a foreign index's move that
    the piece leaves undated ("Germany's DAX climbed 0.3%" at 4 a.m.) is today's session."""
    today: Period | None = figure.doc.user_data.get(PREMARKET_KEY)
    label = subject.label_
    if placement.basis != "default" or today is None or not mentions.is_index(label):
        return placement
    if label in mentions.US_INDICES:
        return placement
    start = None if placement.period.start is None else today.start
    period = Period(start, today.end, placement.period.session, "day")
    return Placement(period, "clock", placement.session_basis)


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": CLAIMS})
def make_claims(nlp: Language, name: str, spans_key: str) -> ClaimLinker:
    return ClaimLinker(nlp.vocab, spans_key=spans_key)
