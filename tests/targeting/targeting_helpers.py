"""Helpers of the targeting API and page tests: declarations as an upload, approvals."""

from __future__ import annotations

import csv
import io
from typing import Any


def as_csv(rows: list[dict[str, str]]) -> bytes:
    """Rows as a CSV file (columns in name order)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sorted({k for row in rows for k in row}))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client: Any, headers: dict[str, str], data: bytes, **form: str) -> Any:
    return client.post("/api/v1/targeting/declarations", headers=headers,
                       files={"file": ("decl.csv", data, "text/csv")}, data=form)


def approve(client: Any, as_user: Any, supervisor: str, approval_id: int) -> None:
    done = client.post(f"/api/v1/approvals/{approval_id}/approve", headers=as_user(supervisor),
                       json={"reason": "checked"})
    assert done.status_code == 200, done.text
