"""The API on PostgreSQL: filters, the discrepancy ranking with its cursor, a correction."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import auth, fresh_postgres, make_client, seed


@pytest.mark.postgres
def test_postgres_claims_discrepancies_and_reviews(tmp_path: Path) -> None:
    with fresh_postgres() as url:
        client, engine, keys = make_client(tmp_path, url=url, metrics=True)
        with client:  # the lifespan opens the PostgreSQL pool of GET /v1/claims
            _, ids = seed(engine)
            reader = auth(keys["reader"])
            found = client.get(
                "/v1/claims?symbol=SPY&q=ROSE&from=2025-01-01", headers=reader
            ).json()
            assert [c["id"] for c in found["items"]] == ids[:2]
            first = client.get("/v1/discrepancies?limit=1", headers=reader).json()
            second = client.get(first["next"], headers=reader).json()
            assert [first["items"][0]["excess"], second["items"][0]["excess"]] == [10.0, 2.0]
            body = {
                "decision": "correct", "reason": "wrong_period",
                "correction": {"value": 5.0, "end": "2025-10-08"},
            }  # fmt: skip
            made = client.post(
                f"/v1/discrepancies/{ids[0]}/review", json=body, headers=auth(keys["reviewer"])
            )
            assert made.json()["verdict_after"] == "supported"
            client.post("/v1/articles", json={"text": "SPY fell."}, headers=auth(keys["submitter"]))
            assert client.get("/readyz").status_code == 200
            assert "newsclaims_queue_depth" in client.get("/metrics").text
        engine.dispose()
        client.app.state.services.reader.dispose()
