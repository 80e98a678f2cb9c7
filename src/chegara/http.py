"""What every HTTP route shares: one error body, size and rate limits, bounded pages."""

from __future__ import annotations

import logging
import threading
import time
from typing import Annotated, Any, Generic, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DataError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chegara.errors import ChegaraError, NotAuthenticated, PayloadTooLarge, RateLimited

log = logging.getLogger("chegara.http")
T = TypeVar("T")
PAGE_SIZE_MAX = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class PageParams(BaseModel):
    offset: int
    limit: int


def page_params(
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE_SIZE_MAX)] = 50,
) -> PageParams:
    return PageParams(offset=offset, limit=limit)


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None
               ) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", "")


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        details.append({"field": where, "problem": err.get("msg", "invalid")})
    return details


def _unstorable_value(exc: BaseException) -> str | None:
    cause = exc.orig if isinstance(exc, StatementError) else exc
    if "NUL" in str(cause) and "0x00" in str(cause):
        return "text in the request contains a NUL character"
    if isinstance(exc, OverflowError | DataError) or isinstance(cause, OverflowError):
        return "a number in the request is out of range"
    return None


# Documented on every /api/v1 route so that clients (and the schema fuzzing) know them.
# Given as explicit JSON content: with a "model", FastAPI would document errors of HTML and
# PDF routes under the route's own media type, while every error body is JSON.
_ERROR_CONTENT = {"application/json": {"schema": {
    "type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object"}}}}}}}}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"content": _ERROR_CONTENT, "description": description}
    for status, description in (
        (400, "malformed request"), (401, "not signed in, or the token is unknown or expired"),
        (403, "not allowed; the message says why"), (404, "no such record, or not shared "
                                                          "with your agency"),
        (409, "conflicts with the current state"), (413, "request body too large"),
        (422, "bad input; details name the fields"), (429, "rate limit; see Retry-After"))}


def install_error_handlers(app: FastAPI) -> None:
    async def on_chegara_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ChegaraError)
        if isinstance(exc, NotAuthenticated) and _wants_html(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        headers = {}
        if isinstance(exc, RateLimited):
            headers["Retry-After"] = str(exc.retry_after)
        if _wants_html(request):
            from chegara.web.render import render_error

            return render_error(request, exc.status, exc.message)
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = _validation_details(exc)
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details[:5])
        return JSONResponse(error_body("bad_input", f"invalid request: {summary}", details),
                            status_code=422)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if _wants_html(request):
            from chegara.web.render import render_error

            return render_error(request, exc.status_code, str(exc.detail))
        return JSONResponse(error_body(f"http_{exc.status_code}", str(exc.detail)),
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    async def on_database_error(request: Request, exc: Exception) -> Response:
        problem = _unstorable_value(exc)
        if problem:
            # A value the database cannot hold (an id of 2**70, a NUL character in text on
            # PostgreSQL) is bad input, not a fault; the transaction was rolled back.
            return JSONResponse(error_body("bad_input", problem), status_code=422)
        raise exc

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "internal error; nothing was changed"),
                            status_code=500)

    app.add_exception_handler(ChegaraError, on_chegara_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(OverflowError, on_database_error)
    app.add_exception_handler(StatementError, on_database_error)
    app.add_exception_handler(Exception, on_unexpected)


class BodySizeLimit:
    """Refuses bodies over the limit, by Content-Length or while streaming (chunked uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        # Multipart uploads (list files, manifests) may be larger than JSON bodies.
        upload = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit = self.max_upload_bytes if upload else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise PayloadTooLarge(f"request body is over {limit} bytes")
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        body = error_body("payload_too_large",
                          f"request body is over the limit of {limit} bytes")
        await JSONResponse(body, status_code=413)(scope, receive, send)


class RateLimiter:
    """Token bucket per credential (API token, browser session or client address)."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                retry = int((1.0 - tokens) / self.rate) + 1
                self._buckets[key] = (tokens, now)
                raise RateLimited(f"rate limit of {int(self.capacity)} requests a minute "
                                  "reached", retry_after=retry)
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:
                self._buckets.clear()


# Only this server's own scripts run: no inline script, no eval, nothing from elsewhere, so
# text an attacker slips into a record cannot run even where escaping were missed. Styles
# may be inline (bar widths are style attributes; htmx and Swagger UI add style elements);
# images may be data: URLs (Swagger UI's icons). Pages may be framed only by this server
# (a product's document is shown in a sandboxed frame of its page).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)


class SecurityHeaders:
    """Adds the security headers to every response, and ``Cache-Control: no-store`` to all
    but the static files: pages and API answers carry personal data, which must not stay in
    a shared computer's browser cache or a proxy. A header the route set itself is kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(SECURITY_HEADERS)
        if not str(scope.get("path", "")).startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
