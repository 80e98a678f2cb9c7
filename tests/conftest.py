"""Fixtures: a fresh, migrated database per test (SQLite by default; PostgreSQL when
CHEGARA_TEST_DATABASE_URL points at a server), the app on it, and signed-in clients.

Each test copies a template database that was migrated once per session, so every test starts
from exactly what ``chegara db upgrade`` produces, at the cost of a file copy (SQLite) or a
``CREATE DATABASE ... TEMPLATE`` (PostgreSQL).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from chegara.db.migrate import upgrade
from chegara.db.session import Database, open_database
from chegara.settings import Settings

REPO = Path(__file__).resolve().parents[1]
# Real-world samples (../shared/data, or where CHEGARA_SHARED_DATA points) live outside the
# repository. Tests marked ``shared_data`` skip without them, unless CHEGARA_REQUIRE_SHARED_DATA=1
# (CI), where their absence fails the run. Test modules read the folder from the environment.
SHARED_DATA = Path(os.environ.get("CHEGARA_SHARED_DATA") or REPO.parent / "shared" / "data")
os.environ["CHEGARA_SHARED_DATA"] = str(SHARED_DATA)
PG_URL = os.environ.get("CHEGARA_TEST_DATABASE_URL", "")
DEMO_PASSWORD = "Chegara-demo-2026"
_counter = itertools.count()


def _worker() -> str:
    """A name unique to this test process: two runs at once on one server must not share
    PostgreSQL databases."""
    return f'{os.environ.get("PYTEST_XDIST_WORKER", "gw0")}_{os.getpid()}'


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("shared_data") is None or SHARED_DATA.is_dir():
        return
    message = f"shared test data not found at {SHARED_DATA} (set CHEGARA_SHARED_DATA)"
    if os.environ.get("CHEGARA_REQUIRE_SHARED_DATA") == "1":
        pytest.fail(message + " and CHEGARA_REQUIRE_SHARED_DATA=1")
    pytest.skip(message)


def make_settings(home: Path, url: str) -> Settings:
    # Cheaper argon2id parameters keep the suite fast; the algorithm is the same.
    return Settings(home=home, database_url=url, argon2_time_cost=1,  # type: ignore[arg-type]
                    argon2_memory_kib=8192, rate_limit_per_minute=100_000)


class SqliteTemplate:
    def __init__(self, root: Path) -> None:
        self.path = root / "template.db"
        upgrade(f"sqlite:///{self.path}")

    def new_url(self, target_dir: Path) -> str:
        target = target_dir / "chegara.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        """Nothing to do: the file lives in the test's temporary directory."""


class PostgresTemplate:
    def __init__(self) -> None:
        self.base = make_url(PG_URL)
        self.admin = create_engine(self.base.set(database="postgres"),
                                   isolation_level="AUTOCOMMIT")
        self.template = f"chegara_tpl_{_worker()}"
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.template}"'))
            conn.execute(text(f'CREATE DATABASE "{self.template}"'))
        upgrade(self.base.set(database=self.template).render_as_string(hide_password=False))

    def new_url(self, target_dir: Path) -> str:
        name = f"chegara_t_{_worker()}_{next(_counter)}"
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        self._drop(str(make_url(url).database))

    def close(self) -> None:
        self._drop(self.template)
        self.admin.dispose()

    def _drop(self, name: str) -> None:
        # FORCE ends our own leftover connections, but not an autovacuum worker busy in the
        # database (a superuser's process): then wait for it to finish and try again.
        for attempt in range(40):
            try:
                with self.admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except ProgrammingError:
                if attempt == 39:
                    raise
                time.sleep(0.25)


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[SqliteTemplate | PostgresTemplate]:
    if not PG_URL:
        yield SqliteTemplate(tmp_path_factory.mktemp("template"))
        return
    template = PostgresTemplate()
    yield template
    template.close()


@pytest.fixture
def settings(tmp_path: Path, db_template: SqliteTemplate | PostgresTemplate
             ) -> Iterator[Settings]:
    url = db_template.new_url(tmp_path)
    yield make_settings(tmp_path, url)
    db_template.drop(url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_database(settings)
    yield database
    database.engine.dispose()


@pytest.fixture
def demo(db: Database) -> Database:
    """The Kyrgyz demo agencies, users, alerts and one pending approval."""
    from chegara.demo.load import load_demo

    load_demo(database=db, migrate=False, capabilities=False)
    return db


@pytest.fixture
def app(db: Database) -> Any:
    from chegara.app import create_app

    return create_app(db.settings, db)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


def token_headers(client: Any, username: str, password: str = DEMO_PASSWORD,
                  **extra: Any) -> dict[str, str]:
    response = client.post("/api/v1/auth/token",
                           json={"username": username, "password": password, **extra})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def as_user(client: Any, demo: Database) -> Any:
    """``as_user("border.analyst")`` -> bearer headers for that demo user."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            cache[username] = token_headers(client, username)
        return cache[username]

    return headers


@pytest.fixture
def sign_in() -> Any:
    """``sign_in(client, "border.officer")`` -> bearer headers, for clients built in a test."""
    return token_headers


# --- the browser, shared by every browser test of the run ------------------------------------
# One Playwright driver per process: a second sync_playwright() in the same worker fails, so
# every browser test uses this session fixture.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def check_browser(executable: Path, required: bool) -> None:
    """Skip when the browser is absent; fail instead when the run requires it (CI)."""
    if executable.exists():
        return
    message = f"{executable} is not installed"
    if required:
        pytest.fail(message + " and CHEGARA_REQUIRE_BROWSER=1")
    pytest.skip(message)


@pytest.fixture
def browser_gate() -> Callable[[Path, bool], None]:
    """``check_browser`` for the tests of the gate itself."""
    return check_browser


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium shared by the browser tests of the session."""
    check_browser(CHROMIUM, os.environ.get("CHEGARA_REQUIRE_BROWSER") == "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- the app served on 127.0.0.1 for browser tests --------------------------------------------
@pytest.fixture
def serve() -> Iterator[Callable[[Database], str]]:
    """``serve(database)`` -> base URL of the app on that database, served by uvicorn in a
    background thread until the test ends."""
    import uvicorn

    from chegara.app import create_app

    running: list[tuple[Any, threading.Thread]] = []

    def start(database: Database) -> str:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(
            create_app(database.settings, database), host="127.0.0.1", port=port,
            log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, name="chegara-live-server", daemon=True)
        thread.start()
        running.append((server, thread))
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the live server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)
