"""Screening through the API and the command line, as officers and the evaluation use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

WANTED = ("id,name,aliases,birth_date,nationality,gender,document_number\n"
          "w1,Юсупов Рустам Алишерович,,1980-05-12,UZ,M,\n"
          "w2,Жумабеков Алихан Серикович,,1985-03-12,KZ,M,N0123456\n")


def _upload(client: Any, headers: dict[str, str], name: str = "wanted") -> dict[str, Any]:
    created = client.post("/api/v1/watchlists", headers=headers, json={
        "name": name, "title": "Wanted persons", "kind": "wanted"})
    assert created.status_code == 201, created.text
    uploaded = client.post(f"/api/v1/watchlists/{name}/versions", headers=headers,
                           files={"file": ("wanted.csv", WANTED.encode(), "text/csv")})
    assert uploaded.status_code == 201, uploaded.text
    return dict(uploaded.json())


def test_screen_review_and_scoping(client: Any, as_user: Any) -> None:
    analyst = as_user("mvd.analyst")
    imported = _upload(client, analyst)
    assert imported["version"]["added"] == 2 and imported["approval_id"] is None
    officer = as_user("border.officer")
    screened = client.post("/api/v1/screening/screen", headers=officer, json={
        "name": "IOUSSOUPOV ROUSTAM", "birth_date": "1980-05-12", "nationality": "UZB"})
    assert screened.status_code == 200, screened.text
    (hit,) = screened.json()["hits"]
    assert hit["entry_id"] == "w1" and 0.5 <= hit["score"] < 1.0
    assert hit["explanation"]["alignment"] and "birth" in hit["explanation_text"].lower()
    queue = client.get("/api/v1/screening/hits?status=NEW", headers=officer).json()
    assert [h["id"] for h in queue["items"]] == [hit["hit_id"]]
    other = as_user("customs.officer")
    assert client.get(f"/api/v1/screening/hits/{hit['hit_id']}", headers=other
                      ).status_code == 404
    decided = client.post(f"/api/v1/screening/hits/{hit['hit_id']}/decision",
                          headers=as_user("border.supervisor"),
                          json={"status": "CONFIRMED", "reason": "fingerprints match"})
    assert decided.status_code == 200 and decided.json()["status"] == "CONFIRMED"
    final = client.post(f"/api/v1/screening/hits/{hit['hit_id']}/decision",
                        headers=as_user("border.supervisor"),
                        json={"status": "FALSE_POSITIVE", "reason": "changed my mind"})
    assert final.status_code == 422


def test_bad_queries_get_clear_errors(client: Any, as_user: Any) -> None:
    officer = as_user("border.officer")
    for body, field in [({"name": "12345"}, "name"), ({"name": ""}, "name"),
                        ({"name": "A" * 301}, "name"),
                        ({"name": "Ivanov", "threshold": 2}, "threshold"),
                        ({"name": "Ivanov", "secret": 1}, "secret"),
                        ({"name": "Ivanov", "lists": ["nope"]}, "")]:
        response = client.post("/api/v1/screening/screen", headers=officer, json=body)
        assert response.status_code == 422, (body, response.text)
        assert field in response.text
    too_many = {"persons": [{"name": "Ivanov Ivan"}] * 501}
    assert client.post("/api/v1/screening/batch", headers=officer,
                       json=too_many).status_code == 422


def test_cli_import_and_screen_keep_order(tmp_path: Path) -> None:
    env = dict(os.environ, CHEGARA_HOME=str(tmp_path / "home"))
    env.pop("CHEGARA_DATABASE_URL", None)
    wanted = tmp_path / "wanted.csv"
    wanted.write_text(WANTED, encoding="utf-8")
    queries = tmp_path / "q.csv"
    queries.write_text("id,name,birth_date,nationality,gender,document_number\n"
                       "q1,Zhumabekov Alikhan,1985-03-12,KAZ,,\n"
                       "q2,Smith John,,,,\n"
                       "q3,ЮСУПОВ РУСТАМ,,,,\n", encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "chegara", *args], env=env, text=True,
                              capture_output=True, timeout=120, check=False)

    imported = run("watchlist", "import", str(wanted), "--list", "dev", "--format", "csv")
    assert imported.returncode == 0, imported.stderr
    assert "+2 added" in imported.stdout
    out = tmp_path / "out.jsonl"
    screened = run("screen", str(queries), "--list", "dev", "--out", str(out))
    assert screened.returncode == 0, screened.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2", "q3"]
    assert [h["entry_id"] for h in rows[0]["hits"]] == ["w2"] and rows[1]["hits"] == []
    assert rows[0]["hits"][0]["list"] == "dev" and rows[0]["hits"][0]["explanation"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nq1,Ivanov\nq2,???\n", encoding="utf-8")
    refused = run("screen", str(bad), "--out", str(tmp_path / "bad.jsonl"))
    assert refused.returncode == 2 and "line 3" in refused.stderr
    assert not (tmp_path / "bad.jsonl").exists()
    broken = tmp_path / "broken.csv"
    broken.write_text(WANTED + "w3,,,,,,\n", encoding="utf-8")
    rejected = run("watchlist", "import", str(broken), "--list", "dev")
    assert rejected.returncode == 2 and "line 4" in rejected.stderr
    listed = run("watchlist", "list")
    assert "v1" in listed.stdout  # the previous version is still the active one
