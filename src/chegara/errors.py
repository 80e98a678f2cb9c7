"""One exception hierarchy for the whole system.

Each error carries its HTTP status as a class variable, so the API turns any of them into the
same error body ``{"error": {"code", "message", "details"}}`` and the CLI into exit code 2 (bad
input) or 1 (anything else).
"""

from __future__ import annotations

from typing import Any, ClassVar


class ChegaraError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadInput(ChegaraError):
    status = 422
    code = "bad_input"


class NotAuthenticated(ChegaraError):
    status = 401
    code = "not_authenticated"


class Forbidden(ChegaraError):
    status = 403
    code = "forbidden"


class NotFound(ChegaraError):
    status = 404
    code = "not_found"


class Conflict(ChegaraError):
    status = 409
    code = "conflict"


class AdminLockout(Conflict):
    """A change to users or agencies that would leave nobody able to administer them."""

    code = "admin_lockout"


class PayloadTooLarge(ChegaraError):
    status = 413
    code = "payload_too_large"


class RateLimited(ChegaraError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LoginThrottled(RateLimited):
    code = "login_throttled"


class AuditChainBroken(ChegaraError):
    status = 500
    code = "audit_chain_broken"


class NotReady(ChegaraError):
    status = 503
    code = "not_ready"
