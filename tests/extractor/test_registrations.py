"""Our spaCy factories are registered under stable names and the pipeline runs them in order."""

from __future__ import annotations

from spacy.language import Language

from extractor.pipeline import COMPONENTS

EXPECTED = [
    "newsclaims_tickers",
    "newsclaims_figures",
    "newsclaims_periods",
    "newsclaims_quotes",
    "newsclaims_claims",
]


def test_registrations_factories_exist() -> None:
    assert all(Language.has_factory(name) for name in [*EXPECTED, "newsclaims_lines"])


def test_registrations_pipeline_order(nlp: Language) -> None:
    assert list(COMPONENTS) == EXPECTED
    assert nlp.pipe_names[-len(EXPECTED) :] == EXPECTED
    assert nlp.pipe_names.index("newsclaims_lines") < nlp.pipe_names.index("parser")
    assert {"parser", "ner"} <= set(nlp.pipe_names)  # the trained pipeline, not a blank model
