"""/v1/webhooks: admin only, URLs the outbound guard would refuse are refused at once (422), the
secret is shown once, and a webhook's deliveries list their attempts."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import auth, make_client, seed
from sqlmodel import Session

from store import alerts, outbox
from store.clock import utc_now

PUBLIC = "https://93.184.215.14/hooks"  # a global address: no DNS needed
BODY = {"url": PUBLIC, "events": ["discrepancy_group.created", "review.decided"]}


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("reader", 403), ("reviewer", 403)])
def test_webhooks_need_the_admin_role(tmp_path: Path, role: str | None, status: int) -> None:
    client, _, keys = make_client(tmp_path)
    headers = auth(keys[role]) if role else {}
    assert client.post("/v1/webhooks", json=BODY, headers=headers).status_code == status
    assert client.get("/v1/webhooks", headers=headers).status_code == status
    assert client.delete("/v1/webhooks/1", headers=headers).status_code == status


REFUSED = [
    ("javascript:alert(1)", "bad_url"),
    ("ftp://93.184.215.14/x", "bad_url"),
    ("/relative/hooks", "bad_url"),
    ("http://10.0.0.1/hooks", "blocked_address"),
    ("http://169.254.169.254/latest/meta-data", "blocked_address"),
    ("http://127.0.0.1:8000/hooks", "blocked_address"),
    ("http://localhost/hooks", "blocked_address"),
    ("http://[::ffff:192.168.0.1]/hooks", "blocked_address"),
]


@pytest.mark.parametrize(("url", "code"), REFUSED)
def test_webhooks_refuse_urls_the_guard_refuses(tmp_path: Path, url: str, code: str) -> None:
    client, _, keys = make_client(tmp_path)
    refused = client.post("/v1/webhooks", json=BODY | {"url": url}, headers=auth(keys["admin"]))
    assert (refused.status_code, refused.json()["type"]) == (422, f"/problems/{code}")


@pytest.mark.parametrize(
    "body",
    [BODY | {"events": []}, BODY | {"events": ["claim.liked"]}, BODY | {"secret": "short"}],
)
def test_webhooks_refuse_bad_fields(tmp_path: Path, body: dict[str, object]) -> None:
    client, _, keys = make_client(tmp_path)
    assert client.post("/v1/webhooks", json=body, headers=auth(keys["admin"])).status_code == 422


def test_webhooks_loopback_only_when_allowed(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path, http_allow_loopback=True)
    body = BODY | {"url": "http://127.0.0.1:8000/hooks"}
    assert client.post("/v1/webhooks", json=body, headers=auth(keys["admin"])).status_code == 201


def test_webhooks_show_the_secret_once(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    given = client.post("/v1/webhooks", json=BODY | {"secret": "s" * 20}, headers=admin)
    made = client.post("/v1/webhooks", json=BODY, headers=admin)
    assert (given.status_code, given.json()["secret"]) == (201, "s" * 20)
    assert made.json()["secret"].startswith("whsec_")
    assert made.headers["Location"] == f"/v1/webhooks/{made.json()['id']}"
    listed = client.get("/v1/webhooks", headers=admin).json()
    one = client.get(f"/v1/webhooks/{made.json()['id']}", headers=admin)
    assert [sorted(w) for w in listed] == [["created_at", "events", "id", "url"]] * 2
    assert "secret" not in one.json()
    assert "s" * 20 not in client.get("/v1/webhooks", headers=admin).text


def test_webhooks_deliveries_then_remove(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    admin = auth(keys["admin"])
    webhook = client.post("/v1/webhooks", json=BODY, headers=admin).json()["id"]
    _, claim_ids = seed(engine)
    with Session(engine) as session, session.begin():
        alerts.groups_opened(session, claim_ids, now=utc_now())
    with Session(engine) as session, session.begin():  # one attempt, answered 500
        [claimed] = outbox.claim_due(session, now=utc_now(), lease_seconds=60, limit=1)
        failed = outbox.Outcome(500, "HTTP 500", 0.25)
        outbox.settle(session, claimed, failed, now=utc_now(), max_attempts=8, retry_seconds=30)
    page = client.get(f"/v1/webhooks/{webhook}/deliveries?limit=1", headers=admin).json()
    [newest] = page["items"]
    assert (newest["status"], newest["attempts"], newest["attempt_log"]) == ("pending", 0, [])
    older = client.get(page["next"], headers=admin).json()["items"]
    assert [(d["id"], d["status"], d["last_status"]) for d in older] == [
        (claimed.delivery_id, "pending", 500)
    ]
    [attempt] = older[0]["attempt_log"]
    assert (attempt["attempt"], attempt["status_code"], attempt["error"]) == (1, 500, "HTTP 500")
    assert older[0]["event_type"] == "discrepancy_group.created"
    assert client.delete(f"/v1/webhooks/{webhook}", headers=admin).status_code == 204
    gone = client.get(f"/v1/webhooks/{webhook}/deliveries", headers=admin)
    assert (gone.status_code, gone.json()["detail"]) == (404, f"no webhook {webhook}")
    assert client.delete(f"/v1/webhooks/{webhook}", headers=admin).status_code == 404
