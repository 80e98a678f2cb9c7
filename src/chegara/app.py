"""``create_app()``: the FastAPI application factory. Nothing happens at import time."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import text

from chegara import __version__
from chegara.db.migrate import current_revisions, head_revisions
from chegara.db.registry import load_all_models
from chegara.db.session import Database, open_database
from chegara.errors import NotReady
from chegara.http import (
    ERROR_RESPONSES,
    BodySizeLimit,
    RateLimiter,
    SecurityHeaders,
    install_error_handlers,
)
from chegara.settings import Settings, get_settings

API_DESCRIPTION = """Chegara: the national risk management system for border security.

Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`.
Every error has the body `{"error": {"code", "message", "details"}}`.
Lists are paginated with `offset` and `limit` (at most 200)."""


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    load_all_models()
    db = database or open_database(settings)
    app = FastAPI(title="Chegara", version=__version__, description=API_DESCRIPTION,
                  openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None)
    app.state.db = db
    app.state.settings = settings
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       max_upload_bytes=settings.max_upload_bytes)
    # Added last, so outermost: its headers are on every answer, refusals included.
    app.add_middleware(SecurityHeaders)
    _add_health_routes(app)
    _add_api_docs(app)
    _add_routers(app)
    return app


def _add_routers(app: FastAPI) -> None:
    from chegara.analysis.api import router as analysis_router
    from chegara.documents.api import router as documents_router
    from chegara.exchange.api import router as alerts_router
    from chegara.governance.api import router as governance_router
    from chegara.passengers.api import router as voyages_router
    from chegara.screening.api import router as screening_router
    from chegara.screening.service import IndexCache
    from chegara.security.api import router as security_router
    from chegara.targeting.api import router as targeting_router
    from chegara.web import mount_web
    from chegara.web.governance_pages import router as governance_pages

    app.state.index_cache = IndexCache(app.state.settings.home / "index")
    app.include_router(security_router, responses=ERROR_RESPONSES)
    app.include_router(alerts_router, responses=ERROR_RESPONSES)
    app.include_router(screening_router, responses=ERROR_RESPONSES)
    app.include_router(documents_router, responses=ERROR_RESPONSES)
    app.include_router(voyages_router, responses=ERROR_RESPONSES)
    app.include_router(targeting_router, responses=ERROR_RESPONSES)
    app.include_router(analysis_router, responses=ERROR_RESPONSES)
    app.include_router(governance_router, responses=ERROR_RESPONSES)
    app.include_router(governance_pages)
    mount_web(app)


_API_DOCS = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chegara API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def _add_api_docs(app: FastAPI) -> None:
    @app.get("/api/v1/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """The OpenAPI schema, browsable. FastAPI's own page loads Swagger UI from a CDN and
        starts it with an inline script: blank on a border network without internet, and
        refused by the content security policy. This one is served from here."""
        return HTMLResponse(_API_DOCS)


def _add_health_routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, Any]:
        """Liveness: the process answers."""
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["health"], responses={503: {"description": "not ready"}})
    def readyz(request: Request) -> JSONResponse:
        """Readiness: the database answers and its schema is at the current migration."""
        db: Database = request.app.state.db
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            current = current_revisions(db.engine)
        except Exception as exc:  # any database failure means not ready
            raise NotReady(f"database unavailable: {type(exc).__name__}") from exc
        heads = head_revisions(db.settings.resolved_database_url)
        if current != heads:
            raise NotReady(f"database schema is at {', '.join(current) or 'nothing'}, "
                           f"expected {', '.join(heads)}: "
                           "run `chegara db upgrade`")
        return JSONResponse({"status": "ready", "schema": list(current)})
