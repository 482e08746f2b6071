"""Server-rendered review pages (Jinja2, autoescape on; article text is untrusted)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
