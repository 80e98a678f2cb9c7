"""One typed settings object, read from the environment (prefix ``CHEGARA_``).

Secrets never appear in ``repr`` or logs: the database URL may carry a password, so it is held
as a ``SecretStr`` and shown with the password masked.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url


def _default_home() -> Path:
    return Path.home() / ".chegara"


class Settings(BaseSettings):
    """Everything an operator can set. Each field is documented in the README."""

    model_config = SettingsConfigDict(env_prefix="CHEGARA_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="data directory")
    database_url: SecretStr | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file under home"
    )
    session_minutes: int = Field(default=480, ge=5, le=24 * 60)
    token_max_days: int = Field(default=90, ge=1, le=366)
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=256 * 1024 * 1024, ge=1024,
                                  description="file uploads (watchlists, manifests)")
    retention_hit_days: int = Field(default=3 * 365, ge=1,
                                    description="closed screening hits are purged after this")
    governance_at_risk_days: int = Field(default=60, ge=1, le=730,
                                         description="an open action plan task due within "
                                                     "this many days is at risk")
    rate_limit_per_minute: int = Field(default=600, ge=1)
    page_size_max: int = Field(default=200, ge=10, le=1000)
    login_backoff_after: int = Field(default=3, ge=1, description="failures before back-off")
    login_backoff_max_seconds: int = Field(default=900, ge=1)
    secure_cookies: bool = Field(default=False, description="set on HTTPS deployments")
    default_language: str = Field(default="ru", pattern="^(ru|en)$")
    sqlite_busy_timeout_ms: int = Field(default=10_000, ge=100)
    query_timeout_seconds: float = Field(default=30.0, gt=0)
    # argon2id cost; the defaults follow RFC 9106's second recommended option (64 MiB, t=3).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=1024)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.home / 'chegara.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    def redacted_database_url(self) -> str:
        return make_url(self.resolved_database_url).render_as_string(hide_password=True)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
