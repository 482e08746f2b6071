"""API keys (admin): create (the key is shown once), list, revoke."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Admin, ReadSessionDep, ServicesDep, SessionDep
from api.errors import NotFound
from api.guard import GuardedRoute
from api.routes import ERRORS, Id
from api.schemas import KeyCreate, KeyCreated, KeyPublic
from store import keys
from store.clock import utc_now

router = APIRouter(prefix="/v1/keys", tags=["keys"], responses=ERRORS, route_class=GuardedRoute)


@router.get("")
def list_keys(session: ReadSessionDep, _: Admin) -> list[KeyPublic]:
    """Every key by prefix and role (the keys themselves are not kept)."""
    return [KeyPublic.model_validate(k) for k in keys.list_keys(session)]


@router.post("", status_code=201)
def create_key(body: KeyCreate, session: SessionDep, _: Admin) -> KeyCreated:
    """A new key; the response is the only time it is shown."""
    with session.begin():
        key, row = keys.create_key(session, role=body.role, name=body.name, now=utc_now())
        return KeyCreated.model_validate(KeyPublic.model_validate(row).model_dump() | {"key": key})


@router.delete("/{key_id}", status_code=204)
def revoke_key(key_id: Id, session: SessionDep, services: ServicesDep, _: Admin) -> None:
    """Revoke a key: at once here, within KEY_CACHE_SECONDS in other API processes."""
    with session.begin():
        if not keys.revoke(session, key_id, now=utc_now()):
            raise NotFound(f"no key {key_id}")
    services.known_keys.clear()
