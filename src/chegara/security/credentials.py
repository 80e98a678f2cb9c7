"""Password hashing (argon2id) and random secrets whose SHA-256 alone is stored."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from chegara.settings import Settings

TOKEN_PREFIX = "chg_"  # noqa: S105 - a label, not a secret
MIN_PASSWORD_LENGTH = 10


@functools.lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1,
                          type=Type.ID)


def hash_password(password: str, settings: Settings) -> str:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib).hash(password)


def verify_password(stored_hash: str, password: str, settings: Settings) -> bool:
    try:
        return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib).verify(
            stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A valid argon2id hash to verify against when the user name is unknown, so that the response
# time does not reveal which user names exist.
def dummy_hash(settings: Settings) -> str:
    return _dummy_hash(settings.argon2_time_cost, settings.argon2_memory_kib)


@functools.lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return _hasher(time_cost, memory_kib).hash(secrets.token_hex(16))


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must have at least {MIN_PASSWORD_LENGTH} characters"
    if password.isdigit() or password.isalpha():
        return "password must mix letters with digits or symbols"
    return None


def new_secret(prefix: str = TOKEN_PREFIX) -> str:
    return prefix + secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def csrf_token_for(session_secret: str) -> str:
    """CSRF token bound to the browser session: derived, so nothing more is stored."""
    return hmac.new(session_secret.encode(), b"chegara-csrf", hashlib.sha256).hexdigest()


def csrf_matches(session_secret: str, presented: str) -> bool:
    return hmac.compare_digest(csrf_token_for(session_secret), presented)
