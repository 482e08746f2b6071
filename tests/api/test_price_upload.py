"""POST /v1/prices replaces only the days the file has and counts the rows it refused."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from api_support import auth, make_client
from sqlalchemy import func, select

from marketdata.table import TABLE

YEAR = [date(2024, 1, 1) + timedelta(days=i) for i in range(366)]


def upload(client: object, rows: list[str], key: str) -> dict[str, int]:
    text = "Date,Close,Volume\n" + "\n".join(rows) + "\n"
    files = {"file": ("SPY.csv", text, "text/csv")}
    response = client.post("/v1/prices", files=files, headers=auth(key))  # type: ignore[attr-defined]
    assert response.status_code == 200, response.text
    result: dict[str, int] = response.json()
    return result


def test_prices_upload_replaces_only_its_days_and_counts_bad_rows(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    assert upload(client, [f"{d},100,1" for d in YEAR], keys["admin"])["rows"] == 366
    rows = ["2024-01-01,1,1", "2024-06-01,inf,1", "2024-07-01,-4,1", "2024-12-31,2,1"]
    result = upload(client, rows, keys["admin"])
    assert (result["rows"], result["bad_rows"]) == (2, 2)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(TABLE)).scalar() == 366
