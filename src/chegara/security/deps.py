"""FastAPI dependencies: the database, the signed-in principal, permissions, rate limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from chegara.db.session import Database
from chegara.errors import Forbidden, NotAuthenticated
from chegara.http import RateLimiter
from chegara.security import service
from chegara.security.audit import set_actor
from chegara.security.credentials import csrf_matches
from chegara.security.policy import Principal, can

SESSION_COOKIE = "chegara_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _load_principal(request: Request, db: Database) -> Principal:
    bearer = _bearer(request)
    with db.reader() as session:
        if bearer is not None:
            user, token = service.token_owner(session, bearer)
            principal = service.principal_for(session, user, token.scopes)
            limiter_key = f"token:{token.id}"
        else:
            secret = request.cookies.get(SESSION_COOKIE)
            if not secret:
                raise NotAuthenticated("sign in or send an API token (Authorization: Bearer)")
            user = service.user_for_web_session(session, secret)
            principal = service.principal_for(session, user)
            limiter_key = f"user:{user.id}"
            if request.method not in SAFE_METHODS:
                presented = request.headers.get(CSRF_HEADER) or getattr(
                    request.state, "form_csrf", "")
                if not presented or not csrf_matches(secret, presented):
                    raise Forbidden("missing or wrong CSRF token; reload the page")
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit(limiter_key)
    return principal


def current_principal(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    principal = _load_principal(request, get_database(request))
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def requires(action: str) -> Callable[[Request], Principal]:
    """Route dependency: the principal, if their roles (and token scopes) grant ``action``."""

    def dependency(request: Request) -> Principal:
        principal = current_principal(request)
        decision = can(principal, action)
        if not decision:
            raise Forbidden(f"not allowed to {action}: {decision.reason}")
        return principal

    dependency.__name__ = f"requires_{action.replace('.', '_')}"
    return dependency


@contextmanager
def writing(request: Request, principal: Principal) -> Iterator[Session]:
    """A write transaction with the principal as the audited actor.

    Used as a ``with`` block inside the route (not as a yield dependency) so the commit has
    happened, or failed into an error response, before anything is sent to the client.
    """
    with get_database(request).unit_of_work() as session:
        set_actor(session, service.actor_of(principal))
        yield session


@contextmanager
def reading(request: Request) -> Iterator[Session]:
    with get_database(request).reader() as session:
        yield session
