"""The reviewer's desk over HTTP: the queue by claim group, one decision per group, the chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from api_support import TEXT, auth, make_client, seed

from store.clock import utc_now

SVG = "{http://www.w3.org/2000/svg}"


def test_groups_fold_wire_copies_and_one_decision_covers_them(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, first = seed(engine, source="Reuters")
    _, copy = seed(engine, text=TEXT + " (Updated.)", source="Yahoo Finance")
    reader, reviewer = auth(keys["reader"]), auth(keys["reviewer"])
    groups = client.get("/v1/discrepancies/groups", headers=reader).json()["items"]
    # Each article's SPY 4.5% and SPY 10% claims: two groups of two, furthest off first.
    assert [(g["first"]["claim"]["id"], g["members"], g["size"]) for g in groups] == [
        (first[1], [first[1], copy[1]], 2),
        (first[0], [first[0], copy[0]], 2),
    ]
    assert groups[0]["outlets"] == ["Reuters", "Yahoo Finance"]
    made = client.post(
        f"/v1/discrepancies/groups/{copy[1]}/review",
        json={"decision": "dismiss", "reason": "wrong_period", "note": "checked"},
        headers=reviewer,
    )
    assert made.status_code == 201
    assert [r["claim_id"] for r in made.json()] == [copy[1], first[1]]
    still_open = client.get("/v1/discrepancies", headers=reader).json()["items"]
    assert sorted(d["claim"]["id"] for d in still_open) == sorted([first[0], copy[0]])
    for claim_id in (first[1], copy[1]):
        history = client.get(f"/v1/claims/{claim_id}/reviews", headers=reader).json()
        assert [(r["decision"], r["reason"]) for r in history] == [("dismissed", "wrong_period")]
    stats = client.get("/v1/reviews/stats", headers=reader).json()
    week = utc_now().isocalendar()
    assert stats == {  # counted once per claim
        "total": 2,
        "by_decision": {"dismissed": 2},
        "by_reason": {"wrong_period": 2},
        "by_outlet": {"Reuters": 1, "Yahoo Finance": 1},
        "by_week": {f"{week.year}-W{week.week:02d}": 2},
    }


def test_group_review_needs_a_reviewer(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    denied = client.post(
        f"/v1/discrepancies/groups/{ids[0]}/review",
        json={"decision": "confirm"},
        headers=auth(keys["reader"]),
    )
    assert denied.status_code == 403


def test_claim_chart_is_an_svg_with_marks_and_caption(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    got = client.get(f"/v1/claims/{ids[0]}/chart.svg", headers=auth(keys["reader"]))
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("image/svg+xml")
    assert got.headers["content-security-policy"] == "default-src 'none'"
    root = ET.fromstring(got.text)
    assert {"mark-start", "mark-end"} <= {g.get("class") for g in root.iter(f"{SVG}g")}
    caption = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert caption == (
        "SPY price return from 2024-12-31 to 2025-10-08: claimed 10%, computed 5.00% "
        "(close 100.00 to 105.00)."
    )
    assert client.get("/v1/claims/999/chart.svg", headers=auth(keys["reader"])).status_code == 404


def test_discrepancies_group_view_is_the_groups_list(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    seed(engine, source="Reuters")
    seed(engine, text=TEXT + " (Updated.)", source="AP")
    reader = auth(keys["reader"])
    grouped = client.get("/v1/discrepancies", params={"view": "group", "limit": 1}, headers=reader)
    listed = client.get("/v1/discrepancies/groups", params={"limit": 1}, headers=reader).json()
    assert grouped.json()["items"] == listed["items"]
    assert grouped.json()["next"].startswith("/v1/discrepancies?")
    assert "view=group" in grouped.json()["next"]
    following = client.get(grouped.json()["next"], headers=reader).json()["items"]
    assert [g["size"] for g in following] == [2]
    per_claim = client.get("/v1/discrepancies", headers=reader).json()["items"]
    assert len(per_claim) == 4  # the per-claim view stays the default
