"""The roles of API keys, lowest first: each includes those before it.

Kept apart (no imports but typing) so the CLI's options can name them without loading the store.
"""

from __future__ import annotations

from typing import Literal, get_args

# What a key may do; each role includes those before it.
Role = Literal["reader", "submitter", "reviewer", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
