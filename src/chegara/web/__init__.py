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

    _read_place_names_from_the_database(app)
    static_dir = resources.files("chegara.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    app.include_router(screening_router)
    app.include_router(targeting_router)
    app.include_router(travel_router)
    app.include_router(analysis_router)
    app.include_router(router)


def _read_place_names_from_the_database(app: FastAPI) -> None:
    """Russian pages name a crossing point in a stored sentence as the database names it."""
    from chegara.analysis.service import russian_place_names
    from chegara.db.session import Database
    from chegara.web.sentences import read_place_names_from

    database: Database = app.state.db

    def read() -> dict[str, str]:
        with database.reader() as session:
            return russian_place_names(session)

    read_place_names_from(read)
