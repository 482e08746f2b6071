"""The roles of API keys, lowest first: each includes those before it.

Kept apart (no imports) so the CLI's options can name them without loading the store.
"""

from __future__ import annotations

ROLES = ("reader", "submitter", "reviewer", "admin")
