"""Price CSV upload (admin): the format of `newsclaims prices import`, one file per symbol."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from api.deps import Admin, ServicesDep
from api.errors import BadInput, PayloadTooLarge
from api.guard import GuardedRoute
from api.routes import ERRORS
from api.schemas import PriceImportPublic
from marketdata.price_import import import_prices
from marketdata.table import DbPrices

router = APIRouter(prefix="/v1/prices", tags=["prices"], responses=ERRORS, route_class=GuardedRoute)
SYMBOL = re.compile(r"\^?[A-Za-z0-9][A-Za-z0-9.\-=]{0,31}")


@router.post("")
def upload_prices(
    file: Annotated[UploadFile, File(description="Date,Open,High,Low,Close,Adj Close,Volume")],
    services: ServicesDep,
    _: Admin,
    symbol: Annotated[str | None, Form(description="Default: the file name's stem.")] = None,
) -> PriceImportPublic:
    """Import one symbol's daily prices, replacing its rows on the days the file has
    (other days are kept); rows with a bad date or value are skipped and counted."""
    name = symbol or Path(file.filename or "").stem
    if not SYMBOL.fullmatch(name):
        raise BadInput(f"not a symbol: {name!r} (name the file SYMBOL.csv or pass symbol)")
    limit = services.settings.max_submit_bytes
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(f"the file is over the {limit}-byte limit")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.csv"
        path.write_bytes(content)
        report = import_prices(services.engine, [path])
    prices = services.checking().prices
    if isinstance(prices, DbPrices):
        prices.forget([name])
    return PriceImportPublic(
        rows=report.rows, symbols=report.symbols, files=report.files,
        bad_rows=sum(n for _, n in report.bad_rows), conflicts=len(report.conflicts),
    )  # fmt: skip
