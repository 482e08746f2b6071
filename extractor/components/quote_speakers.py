"""Who is quoted: the people and organisations an article names, and how a mention resolves.

``Cast`` indexes a parsed Doc once: the PERSON and ORG entities in order, every person's full
name as first given (so a later "Lopez" or "she" resolves to "Maria Lopez"), and the role and
organisation written next to a name ("Maria Lopez, chief economist at Acme Capital", "Acme
analyst Maria Lopez", "Acme Capital's Maria Lopez").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extractor.extensions import text_of

# Words that make a phrase next to a name a job title.
ROLE_WORDS = frozenset(
    """analyst analysts strategist strategists economist economists manager managers officer chief
    head president vice founder co-founder cofounder director ceo cfo coo cio cto chair chairman
    chairwoman chairperson partner leader executive trader adviser advisor researcher professor
    secretary governor minister spokesperson spokesman spokeswoman specialist principal strategy
    investment portfolio fund senior managing general global deputy lead investing group
    md""".split()
)
_POSSESSIVE = re.compile(r"['\u2019]s?$")
# A full stop after a capital letter is an abbreviation ("U.S. Head of ..."), not the phrase's end.
_AFTER_NAME = re.compile(
    r",\s+(?:(?:an?|the)\s+)?((?:[^,.;\"\u201c\u201d()]|(?<=[A-Z])\.){3,90}?)\s*(?=[,;(]|(?<![A-Z])\.|$)"
)
_ORG_AFTER = re.compile(r",\s+((?:The\s+)?[A-Z][^,.;\"\u201c\u201d()]{1,60}?)\s*(?=[,.;(]|$)")
_SPLIT_ORG = re.compile(r"\s+(?:at|of|with|from)\s+(?=[A-Z])")
# Organisations (by first word, in order of appearance) counted when choosing the main one: each
# count reads the whole text. No article of the shared corpora names half as many.
MAX_ORG_CANDIDATES = 100


@dataclass(frozen=True, slots=True)
class Source:
    """A resolved source: a person (with role and organisation when written) or an organisation."""

    speaker: str | None
    role: str | None = None
    org: str | None = None


def clean_name(text: str) -> str:
    text = text.strip().strip(",")
    return _POSSESSIVE.sub("", text).strip()


def _is_role(phrase: str) -> bool:
    return any(w.lower().strip(".") in ROLE_WORDS for w in phrase.split())


def split_role(phrase: str) -> tuple[str | None, str | None]:
    """ "chief investment strategist at Acme Research" -> (role, org)."""
    parts = _SPLIT_ORG.split(phrase, maxsplit=1)
    if len(parts) == 2 and _is_role(parts[0]):
        role, org = parts
        if " at " in org:  # "Head of Rates and Credit at Acme"
            extra, org = org.rsplit(" at ", 1)
            role = f"{role} of {extra}"
        return role.strip(), clean_name(org)
    return (phrase.strip(), None) if _is_role(phrase) else (None, None)


class Cast:
    """The people and organisations one Doc names."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.people = [e for e in doc.ents if e.label_ == "PERSON" and _looks_like_name(e)]
        self.orgs = [e for e in doc.ents if e.label_ == "ORG"]
        self.full_names: dict[str, str] = {}
        self.first_named: dict[str, Span] = {}  # clean name -> its first PERSON entity
        for ent in self.people:
            name = clean_name(ent.text)
            self.first_named.setdefault(name, ent)
            words = name.split()
            if len(words) >= 2:
                self.full_names.setdefault(words[-1].lower(), name)
        for ent in self.people:  # a family name written first: "Seo Sang-young" ... "Seo said"
            words = clean_name(ent.text).split()
            if len(words) >= 2:
                self.full_names.setdefault(words[0].lower(), clean_name(ent.text))
        self.people_starts = [e.start for e in self.people]
        self.people_ends = [e.end_char for e in self.people]
        self.org_starts = [e.start for e in self.orgs]
        self.main_org = self._main_org()

    def _main_org(self) -> str | None:
        """The organisation the article is about: the ORG whose first word the text repeats most."""
        counts: Counter[str] = Counter()
        first: dict[str, str] = {}
        for ent in self.orgs:
            name = clean_name(ent.text)
            key = name.split()[0] if name.split() else ""
            if key and key not in first and len(first) < MAX_ORG_CANDIDATES:
                first[key] = name
                counts[key] = len(re.findall(rf"\b{re.escape(key)}\b", text_of(self.doc)))
        if not counts:
            return None
        best = max(counts.values())
        return next(first[k] for k in first if counts[k] == best)

    def full_name(self, name: str) -> str:
        words = clean_name(name).split()
        if not words:
            return name
        return self.full_names.get(words[-1].lower(), " ".join(words))

    def is_known_surname(self, token: Token) -> bool:
        return token.text.lower() in self.full_names

    def by_surname(self, token: Token) -> Source:
        """A bare surname ("Lopez said") as the person first named in full."""
        name = self.full_name(token.text)
        first = self.first_named.get(name)
        return self.person(first) if first is not None else Source(name)

    def person(self, ent: Span) -> Source:
        """A PERSON entity with the role and organisation written around its first full mention."""
        name = self.full_name(ent.text)
        first = self.first_named.get(name, ent)
        role, org = self._described_after(first)
        if role is None and org is None:
            role, org = self._described_before(first)
        return Source(name, role, org)

    def _described_after(self, ent: Span) -> tuple[str | None, str | None]:
        after = text_of(self.doc)[ent.end_char : ent.end_char + 160]
        match = _AFTER_NAME.match(after)
        if not match:
            return None, None
        role, org = split_role(match.group(1))
        if role is not None and org is None:
            rest = _ORG_AFTER.match(after, match.end())
            if rest and not _is_role(rest.group(1)):
                org = clean_name(rest.group(1))
        return role, org

    def _described_before(self, ent: Span) -> tuple[str | None, str | None]:
        """ "Acme analyst Maria Lopez", "Acme Chief Executive John Carter"."""
        start = ent.start
        while start > 0 and start > ent.start - 8:
            tok = self.doc[start - 1]
            if tok.is_punct and tok.text not in ("'s", "\u2019s", "'", "\u2019"):
                break
            if not (tok.text[:1].isupper() or tok.lower_ in ROLE_WORDS or tok.tag_ == "POS"):
                break
            start -= 1
        words = [t for t in self.doc[start : ent.start] if t.tag_ != "POS"]
        at = bisect_left(self.org_starts, start)
        org_ent = self.orgs[at] if at < len(self.orgs) and self.orgs[at].start < ent.start else None
        org = clean_name(org_ent.text) if org_ent is not None else None
        role_words = [
            t.text for t in words if org_ent is None or not (org_ent.start <= t.i < org_ent.end)
        ]
        role = " ".join(role_words) if role_words and _is_role(" ".join(role_words)) else None
        return role, org

    def last_person_before(self, char: int) -> Source | None:
        before = bisect_right(self.people_ends, char)
        return self.person(self.people[before - 1]) if before else None

    def person_at(self, token: Token) -> Span | None:
        return _entity_at(self.people, self.people_starts, token)

    def org_at(self, token: Token) -> Span | None:
        return _entity_at(self.orgs, self.org_starts, token)


def _entity_at(ents: list[Span], starts: list[int], token: Token) -> Span | None:
    """The entity covering ``token``: entities are in order and never overlap."""
    n = bisect_right(starts, token.i) - 1
    return ents[n] if n >= 0 and token.i < ents[n].end else None


def _looks_like_name(ent: Span) -> bool:
    return any(t.text[:1].isupper() for t in ent) and not any(t.like_num for t in ent)
