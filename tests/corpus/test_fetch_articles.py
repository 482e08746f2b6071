"""Feed items become whole articles: the four real feeds served on loopback with their items'
links pointing at generated pages (tests/corpus/pages_support.py), then the real commands:
`newsclaims feeds add`, `feeds poll` and `worker --drain`, each a process of its own. On SQLite
and PostgreSQL."""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pages_support import MARKERS, Story, layout_of, load_stories, token_f1
from site_support import Site, serve
from sqlalchemy import Engine
from sqlmodel import Session, select
from store_support import REPO, STORES, start_worker, store_engine, worker_env

from corpus.http import user_agent
from store.tables import Article

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


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with store_engine(request.param, tmp_path) as upgraded:
        yield upgraded


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for the module: the lexicon and calendar caches are built once."""
    return tmp_path_factory.mktemp("data")


# The commands' NEWSCLAIMS_* settings besides the store's: loopback allowed, pages followed.
SETTINGS: dict[str, object] = {
    "http_allow_loopback": "true", "fetch_articles": "true", "fetch_host_interval": 0.005,
    "fetch_contact_url": CONTACT, "online_prices": "false", "extract_processes": 0,
    "poll_seconds": 0.01, "retry_seconds": 0, "batch_size": 32,
}  # fmt: skip


def newsclaims(env: dict[str, str], *args: str) -> str:
    """`newsclaims ARGS` in a process of its own; its stdout (it must succeed)."""
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def poll_and_drain(
    engine: Engine, site: Site, feeds: list[str], data_dir: Path, tmp_path: Path
) -> list[Article]:
    """`newsclaims feeds add` each feed, `feeds poll`, `worker --drain`; every stored article."""
    env = worker_env(engine.url.render_as_string(hide_password=False), data_dir, **SETTINGS)
    for name in feeds:
        newsclaims(env, "feeds", "add", f"{site.base}/feeds/{name}")
    polled = newsclaims(env, "feeds", "poll")
    assert f"{len(feeds)} feeds polled" in polled
    worker = start_worker(env, "--drain", log=tmp_path / "worker.log")
    try:
        assert worker.wait(timeout=300) == 0, (tmp_path / "worker.log").read_text()
    except subprocess.TimeoutExpired:
        worker.kill()
        raise
    with Session(engine) as session:
        return list(session.exec(select(Article).order_by(Article.id)).all())


def page_key(article: Article) -> str:
    assert article.url is not None
    return article.url.split("/articles/")[1].split("?")[0]


def test_fetch_articles_four_feeds_end_to_end(
    engine: Engine, site: Site, data_dir: Path, tmp_path: Path
) -> None:
    articles = poll_and_drain(engine, site, FEEDS, data_dir, tmp_path)
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
    engine: Engine, site: Site, data_dir: Path, tmp_path: Path
) -> None:
    articles = poll_and_drain(engine, site, FEEDS[:2], data_dir, tmp_path)
    stored = "\n".join(f"{a.title}\n{a.text}" for a in articles)
    assert [kind for kind, phrase in MARKERS.items() if phrase in stored] == []
    agents = {headers.get("User-Agent") for _, headers, _ in site.requests}
    assert agents == {user_agent(CONTACT)}
    assert CONTACT in user_agent(CONTACT)


def test_fetch_articles_full_content_encoded_is_not_fetched(
    engine: Engine, site: Site, data_dir: Path, tmp_path: Path
) -> None:
    wsj = "wsj_markets_2023-02-04.xml"
    site.full_text.add(wsj)
    articles = poll_and_drain(engine, site, [wsj], data_dir, tmp_path)
    assert len(articles) == 20
    assert [path for path, _, _ in site.requests if not path.startswith("/feeds/")] == []
    for article in articles:
        assert article.fetched_at is None
        assert not article.partial
        assert token_f1(article.text, site.story(page_key(article)).text) >= 0.9
