"""/v1/feeds over corpus/feed_store.py: re-adds, paging, refusals. (The add/list/remove round trip
is test_service.py's, roles test_auth.py's, the error body test_error_shape.py's.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import auth, make_client

URL = "https://example.com/feed.xml"
# FeedPublic, as it was when the routes used corpus/store.py's own feed functions.
FIELDS = [
    "id", "url", "title", "interval_seconds", "next_poll_at", "last_polled_at", "errors",
    "last_error", "created_at",
]  # fmt: skip


def test_feeds_readd_answers_the_existing_feed(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    body = {"url": URL, "title": "Wire", "interval_seconds": 600}
    made = client.post("/v1/feeds", json=body, headers=admin)
    again = client.post("/v1/feeds", json={"url": URL, "interval_seconds": 300}, headers=admin)
    assert (made.status_code, again.status_code) == (201, 200)
    assert made.headers["Location"] == again.headers["Location"] == f"/v1/feeds/{made.json()['id']}"
    assert again.json() == made.json()  # the existing feed, its title and interval unchanged
    feed = made.json()
    assert list(feed) == FIELDS
    assert (feed["title"], feed["interval_seconds"], feed["next_poll_at"]) == ("Wire", 600, None)


def test_feeds_list_pages_with_next(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    urls = [f"https://example.com/{i}.xml" for i in range(3)]
    for url in urls:
        assert client.post("/v1/feeds", json={"url": url}, headers=admin).status_code == 201
    seen, link = [], "/v1/feeds?limit=1"
    while link:
        body = client.get(link, headers=admin).json()
        assert len(body["items"]) == 1
        seen += [feed["url"] for feed in body["items"]]
        link = body["next"]
    assert seen == urls


def test_feeds_remove_then_not_found(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    feed_id = client.post("/v1/feeds", json={"url": URL}, headers=admin).json()["id"]
    assert client.delete(f"/v1/feeds/{feed_id}", headers=auth(keys["reader"])).status_code == 403
    assert client.delete(f"/v1/feeds/{feed_id}", headers=admin).status_code == 204
    gone = client.delete(f"/v1/feeds/{feed_id}", headers=admin)
    assert (gone.status_code, gone.json()["type"]) == (404, "/problems/not_found")
    assert gone.json()["detail"] == f"no feed {feed_id}"


# (body, the problem's type, what its detail names)
REFUSED = [
    ({"url": "ftp://example.com/feed.xml"}, "/problems/validation_error", "body.url"),
    ({"url": "http:///feed.xml"}, "/problems/bad_url", "only absolute http and https URLs"),
    ({"url": "http://[::1/feed.xml"}, "/problems/bad_url", "not a URL"),
    ({"url": URL, "interval_seconds": 59}, "/problems/validation_error", "body.interval_seconds"),
    ({"url": URL, "interval_seconds": 86_401}, "/problems/validation_error", "interval_seconds"),
]


@pytest.mark.parametrize(("body", "kind", "named"), REFUSED)
def test_feeds_add_refuses_bad_input(
    tmp_path: Path, body: dict[str, object], kind: str, named: str
) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    response = client.post("/v1/feeds", json=body, headers=admin)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == kind
    assert named in response.json()["detail"]
    assert client.get("/v1/feeds", headers=admin).json()["items"] == []
