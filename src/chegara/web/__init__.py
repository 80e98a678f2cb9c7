"""The server-rendered analyst interface, mounted on the API application."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def mount_web(app: FastAPI) -> None:
    from chegara.web.analysis_pages import router as analysis_router
    from chegara.web.pages import router
    from chegara.web.screening_pages import router as screening_router
    from chegara.web.targeting_pages import router as targeting_router
    from chegara.web.travel_pages import router as travel_router

    static_dir = resources.files("chegara.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    app.include_router(screening_router)
    app.include_router(targeting_router)
    app.include_router(travel_router)
    app.include_router(analysis_router)
    app.include_router(router)
