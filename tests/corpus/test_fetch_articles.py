"""Feed items become whole articles: the four real feeds served on loopback with their items'
links pointing at generated pages (tests/corpus/pages_support.py), polled, fetched and drained."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pages_support import MARKERS, Story, layout_of, load_stories, token_f1
from site_support import Site, serve
from spacy.language import Language
from sqlalchemy import Engine
from sqlmodel import Session, select
from store_support import upgraded

from corpus import feed_store, worker
from corpus.feed_polling import poll_due_feeds
from corpus.fetching import ArticleFetching, FetchOptions
from corpus.http import HttpClient, HttpOptions, user_agent
from corpus.worker import WorkerOptions
from store.tables import Article

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
FEEDS = [
    "cnbc_finance_2019-07-29.xml",
    "reuters_business_2019-01-19.xml",
    "seekingalpha_msft_2017-10-26.xml",
    "wsj_markets_2023-02-04.xml",
]
CONTACT = "https://newsclaims.test/contact"


@pytest.fixture(scope="module")
def stories(shared_dir: Path) -> list[Story]:
    return load_stories(shared_dir / "corpus" / "wild")


@pytest.fixture
def site(shared_dir: Path, stories: list[Story]) -> Iterator[Site]:
    served = Site(shared_dir / "feeds", stories, robots="User-agent: *\nAllow: /\n")
    with serve(served):
        yield served


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return upgraded(f"sqlite:///{tmp_path / 'fetch.db'}")


@pytest.fixture
def client() -> Iterator[HttpClient]:
    options = HttpOptions(allow_loopback=True, deadline=5.0, user_agent=user_agent(CONTACT))
    with HttpClient(options) as http:
        yield http


def stage(client: HttpClient, engine: Engine, *, interval: float = 0.005) -> ArticleFetching:
    return ArticleFetching.build(
        client, engine, interval=interval, options=FetchOptions(retry_seconds=0.0, per_host=200)
    )


def poll_and_drain(
    engine: Engine, client: HttpClient, nlp: Language, site: Site, feeds: list[str]
) -> list[Article]:
    """`feeds add` each feed, `feeds poll`, `worker --drain`; every stored article."""
    with Session(engine) as session, session.begin():
        for name in feeds:
            feed_store.add_feed(session, f"{site.base}/feeds/{name}", now=NOW)
    report = poll_due_feeds(engine, client, NOW, follow_links=True)
    assert report.failed == 0
    options = WorkerOptions(drain=True, poll_seconds=0.01, batch_size=32)
    worker.run(engine, nlp, options=options, fetching=stage(client, engine))
    with Session(engine) as session:
        return list(session.exec(select(Article).order_by(Article.id)).all())


def page_key(article: Article) -> str:
    assert article.url is not None
    return article.url.split("/articles/")[1].split("?")[0]


def test_fetch_articles_four_feeds_end_to_end(
    engine: Engine, client: HttpClient, nlp: Language, site: Site, stories: list[Story]
) -> None:
    articles = poll_and_drain(engine, client, nlp, site, FEEDS)
    # 100 items, each linking to a page of its own; two Seeking Alpha items share title and text
    # ("Stocks to watch next week"): the feed reader takes them for one.
    assert len(articles) == 99
    assert {a.status for a in articles} == {"done"}
    full = [a for a in articles if layout_of(page_key(a)) != "paywall" and a.similarity != 100.0]
    scores = [token_f1(a.text, site.story(page_key(a)).text) for a in full]
    assert len(full) >= 50
    assert min(scores) >= 0.9, scores
    assert statistics.mean(scores) >= 0.95
    assert not any(a.partial for a in full)
    paywalled = [a for a in articles if layout_of(page_key(a)) == "paywall"]
    assert paywalled
    assert all(a.partial for a in paywalled)
    for article in articles:
        story = site.story(page_key(article))
        assert article.canonical_url == f"{site.base}/articles/{page_key(article)}"
        if story.published and "T" in story.published:  # the page's time, zone and all
            assert article.published_at == datetime.fromisoformat(story.published)


def test_fetch_articles_store_no_furniture(
    engine: Engine, client: HttpClient, nlp: Language, site: Site
) -> None:
    articles = poll_and_drain(engine, client, nlp, site, FEEDS[:2])
    stored = "\n".join(f"{a.title}\n{a.text}" for a in articles)
    assert [kind for kind, phrase in MARKERS.items() if phrase in stored] == []
    agents = {headers.get("User-Agent") for _, headers, _ in site.requests}
    assert agents == {user_agent(CONTACT)}
    assert CONTACT in user_agent(CONTACT)


def test_fetch_articles_full_content_encoded_is_not_fetched(
    engine: Engine, client: HttpClient, nlp: Language, site: Site
) -> None:
    wsj = "wsj_markets_2023-02-04.xml"
    site.full_text.add(wsj)
    articles = poll_and_drain(engine, client, nlp, site, [wsj])
    assert len(articles) == 20
    assert [path for path, _, _ in site.requests if not path.startswith("/feeds/")] == []
    for article in articles:
        assert article.fetched_at is None
        assert not article.partial
        assert token_f1(article.text, site.story(page_key(article)).text) >= 0.9
