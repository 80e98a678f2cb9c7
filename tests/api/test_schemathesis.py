"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis).

Every operation is called with generated valid and invalid input, once as border.admin and once
as border.supervisor (between them they hold most permissions). Checked on every response: no
5xx, the body of a documented status matches its schema, the content type is the documented
one, and every error uses the project's one error body ``{"error": {"code", "message",
"details"}}``. All operations run against one app on one demo database.

Status codes are not yet checked against the document: the API documents only its success
status and 422, while it also answers 400, 401, 403, 404 and 409 (see
``test_every_operation_documents_its_error_responses``). Once that test passes, add
``status_code_conformance`` to ``CHECKS``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select
from sqlalchemy.exc import DataError

from chegara.app import create_app
from chegara.db.session import Database, open_database
from chegara.demo.load import load_demo
from chegara.security import audit, service
from chegara.security.models import User
from chegara.settings import Settings

FUZZED_USERS = {"border.admin": ("admin",), "border.supervisor": ("supervisor",)}
# Examples per operation; CI or a developer hunting a bug may raise it.
MAX_EXAMPLES = int(os.environ.get("CHEGARA_FUZZ_EXAMPLES", "10"))
ERROR_STATUSES_EVERY_SIGNED_IN_ROUTE_MAY_ANSWER = {"401", "403"}


def _schema_of_an_unused_app() -> Any:
    """The OpenAPI document does not depend on the data, so it is read once, at collection,
    from an app on an in-memory database that is never queried; each test then calls its own
    app on its own demo database. (``schemathesis.pytest.from_fixture`` would read it per test,
    but relies on a pytest internal that pytest 9 removed.)"""
    with tempfile.TemporaryDirectory() as home:
        app = create_app(Settings(home=Path(home), database_url="sqlite://"))  # type: ignore[arg-type]
        return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


schema = _schema_of_an_unused_app()


@schemathesis.check
def one_error_body(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx answer has the documented error body, whatever went wrong."""
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} without a JSON error body") from exc
    error = body.get("error") if isinstance(body, dict) else None
    if not (isinstance(error, dict) and isinstance(error.get("code"), str)
            and isinstance(error.get("message"), str) and error["message"]
            and isinstance(error.get("details"), list)):
        raise AssertionError(f"{response.status_code} body is not the one error body: {body}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, one_error_body]


@pytest.fixture(scope="module")
def fuzzed_database(tmp_path_factory: pytest.TempPathFactory, db_template: Any
                    ) -> Iterator[Database]:
    """One demo database for the whole module: a fresh one per operation cost several seconds
    each (on PostgreSQL) for over a hundred operations. What one operation changes stays for
    the next; ``bearer`` puts the fuzzing users back before each operation."""
    home = tmp_path_factory.mktemp("fuzz")
    url = db_template.new_url(home)
    # As the suite's own settings: cheap argon2id parameters, no rate limit in the way.
    settings = Settings(home=home, database_url=url,  # type: ignore[arg-type]
                        argon2_time_cost=1, argon2_memory_kib=8192,
                        rate_limit_per_minute=100_000)
    database = open_database(settings)
    load_demo(database=database, migrate=False)
    yield database
    database.engine.dispose()
    db_template.drop(url)


@pytest.fixture(scope="module")
def api_app(fuzzed_database: Database) -> Any:
    return create_app(fuzzed_database.settings, fuzzed_database)


@pytest.fixture
def bearer(fuzzed_database: Database) -> dict[str, dict[str, str]]:
    """Fresh tokens for the fuzzing users, after undoing what earlier operations may have done
    to them (deactivated, roles changed, agency deactivated, tokens revoked)."""
    headers = {}
    with fuzzed_database.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("tests:fuzz"))
        for username, roles in FUZZED_USERS.items():
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None
            user.active, user.roles, user.agency.active = True, list(roles), True
            principal = service.principal_for(session, user)
            _token, secret = service.create_token(session, fuzzed_database.settings, principal,
                                                  name="fuzz", days=1)
            headers[username] = {"Authorization": f"Bearer {secret}"}
    return headers


# Found by this fuzzing on 2026-11-23 and reported to the lead: an integer id beyond the
# database's integer range, in the path (GET /api/v1/agencies/9223372036854775808) or in a body
# (POST /api/v1/sharing-groups {"member_agency_ids": [2**100]}), reaches the query unchecked
# and answers 500 (SQLite: OverflowError; PostgreSQL: integer out of range). Once the API bounds its ids, empty this set:
# test_out_of_range_ids_get_a_4xx fails (strict xfail) for any bodiless operation listed here
# that no longer has the bug.
OUT_OF_RANGE_ID_BUG: frozenset[str] = frozenset()
OUT_OF_RANGE_ID = 2**63
ON_SQLITE = not os.environ.get("CHEGARA_TEST_DATABASE_URL")


def _out_of_range(exc: Exception) -> bool:
    """SQLite: OverflowError; PostgreSQL: 'integer out of range' (NumericValueOutOfRange)."""
    return isinstance(exc, OverflowError) or "out of range" in str(exc)


def _nul_in_text(exc: Exception) -> bool:
    """Reported to the lead: on PostgreSQL a NUL character in any text field (e.g. POST
    /api/v1/tokens {"name": "a\\u0000b"}) answers 500; the schemas should refuse it (422)."""
    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc)


def _integer_path_parameters(operation: Any) -> list[str]:
    parameters = operation.definition.raw.get("parameters", [])
    return [p["name"] for p in parameters
            if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"]


def _operations() -> list[Any]:
    return [pytest.param(result.ok(), id=result.ok().label)
            for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", _operations())
def test_the_api_keeps_to_its_schema(operation: Any, api_app: Any,
                                     bearer: dict[str, dict[str, str]]) -> None:
    # One pytest test per operation, with hypothesis inside: schemathesis' own
    # ``schema.parametrize()`` gives every operation the same node id under pytest 9.
    # Shrinking is off: it multiplies the time of a failing run and the report already has
    # the request to reproduce.
    known_bug_hits: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        for username in FUZZED_USERS:
            try:
                case.call_and_validate(app=api_app, headers=bearer[username], checks=CHECKS)
            except (OverflowError, DataError) as exc:
                # Only the two reported bugs are excused; out-of-range ids only where seen.
                if _nul_in_text(exc) or (operation.label in OUT_OF_RANGE_ID_BUG
                                         and _out_of_range(exc)):
                    known_bug_hits.append(str(exc).splitlines()[0])
                else:
                    raise

    call()
    if known_bug_hits:
        pytest.xfail(f"known bug, reported: {known_bug_hits[0]}")


def _bodiless_operations_with_integer_ids() -> list[Any]:
    cases = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if _integer_path_parameters(operation) and "requestBody" not in operation.definition.raw:
            marks = [pytest.mark.xfail(strict=True, reason="out-of-range integer path ids "
                                       "answer 500 (reported to the lead)")
                     ] if operation.label in OUT_OF_RANGE_ID_BUG else []
            cases.append(pytest.param(operation, marks=marks, id=operation.label))
    return cases


@pytest.mark.parametrize("operation", _bodiless_operations_with_integer_ids())
def test_out_of_range_ids_get_a_4xx(operation: Any, api_app: Any,
                                    bearer: dict[str, dict[str, str]]) -> None:
    path = operation.path
    for name in _integer_path_parameters(operation):
        path = path.replace("{" + name + "}", str(OUT_OF_RANGE_ID))
    with TestClient(api_app, raise_server_exceptions=False) as client:
        for username in FUZZED_USERS:
            response = client.request(operation.method.upper(), path, headers=bearer[username])
            assert 400 <= response.status_code < 500, (username, path, response.status_code,
                                                       response.text)


def _operations_missing_error_responses() -> list[str]:
    document = schema.raw_schema
    missing = []
    for path, operations in document["paths"].items():
        if path in ("/healthz", "/readyz", "/api/v1/openapi.json"):
            continue
        for method, operation in operations.items():
            documented = set(operation.get("responses", {}))
            absent = ERROR_STATUSES_EVERY_SIGNED_IN_ROUTE_MAY_ANSWER - documented
            if absent:
                missing.append(f"{method.upper()} {path}: {sorted(absent)}")
    return missing


def test_every_operation_documents_its_error_responses() -> None:
    missing = _operations_missing_error_responses()
    assert not missing, "undocumented error responses:\n" + "\n".join(missing)


def test_a_nul_character_in_a_text_field_gets_a_4xx_or_is_stored(
        api_app: Any, bearer: dict[str, dict[str, str]]) -> None:
    with TestClient(api_app, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/tokens", json={"name": "field\u0000office"},
                               headers=bearer["border.supervisor"])
    assert response.status_code < 500, response.text
