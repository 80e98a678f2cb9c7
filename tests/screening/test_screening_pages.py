"""The screening pages as an officer and an analyst use them in the browser (no JavaScript)."""

from __future__ import annotations

import re
from typing import Any

from web_helpers import sign_in_form

WANTED = ("id,name,aliases,birth_date,nationality,gender,document_number\n"
          "w1,Юсупов Рустам Алишерович,,1980-05-12,UZ,M,\n")




def test_officer_screens_and_analyst_reviews(client: Any, demo: Any, as_user: Any) -> None:
    created = client.post("/api/v1/watchlists", headers=as_user("border.analyst"), json={
        "name": "wanted", "title": "National wanted list", "kind": "wanted"})
    assert created.status_code == 201
    csrf = sign_in_form(client, "border.analyst")
    uploaded = client.post("/watchlists/wanted/versions", data={"csrf_token": csrf,
                                                                "format": "csv"},
                           files={"file": ("wanted.csv", WANTED.encode(), "text/csv")},
                           follow_redirects=False)
    assert uploaded.status_code == 303 and uploaded.headers["location"].endswith("/versions/1")
    diff_page = client.get("/watchlists/wanted/versions/1")
    assert "Юсупов Рустам Алишерович" in diff_page.text
    client.cookies.clear()
    csrf = sign_in_form(client, "border.officer")
    page = client.post("/screening", data={"csrf_token": csrf, "name": "JUSUPOV RUSTAM",
                                           "birth_date": "1980-05-12", "lists": "wanted"})
    assert page.status_code == 200 and "Юсупов Рустам Алишерович" in page.text
    assert "JUSUPOV" in page.text  # the alignment shows the traveller's parts
    hit_id = int(re.search(r"/screening/hits/(\d+)", page.text).group(1))  # type: ignore[union-attr]
    refused = client.post("/screening", data={"name": "Ivanov"})
    assert refused.status_code == 403  # no CSRF token
    client.cookies.clear()
    csrf = sign_in_form(client, "border.analyst")
    queue = client.get("/screening/hits")
    assert f"/screening/hits/{hit_id}" in queue.text
    detail = client.get(f"/screening/hits/{hit_id}")
    assert "Юсупов" in detail.text and "JUSUPOV RUSTAM" in detail.text
    decided = client.post(f"/screening/hits/{hit_id}/decision", data={
        "csrf_token": csrf, "status": "FALSE_POSITIVE", "reason": "other person"},
        follow_redirects=False)
    assert decided.status_code == 303
    assert client.get("/screening/hits?status=FALSE_POSITIVE").text.count(
        f"/screening/hits/{hit_id}") >= 1


def test_a_junk_watchlist_upload_is_refused_naming_the_problem(client: Any, demo: Any,
                                                                as_user: Any) -> None:
    created = client.post("/api/v1/watchlists", headers=as_user("border.analyst"), json={
        "name": "wanted", "title": "National wanted list", "kind": "wanted"})
    assert created.status_code == 201
    csrf = sign_in_form(client, "border.analyst")
    junk = bytes(range(256)) * 8
    for filename, data, fmt, problem in (
            ("junk.bin", junk, "auto", "format"),
            ("junk.csv", junk, "csv", "UTF-8"),
            ("people.csv", b"surname,passport\nIvanov,AB123\n", "csv", "header"),
    ):
        refused = client.post("/watchlists/wanted/versions",
                              data={"csrf_token": csrf, "format": fmt},
                              files={"file": (filename, data, "text/csv")},
                              follow_redirects=False)
        assert refused.status_code == 422, (filename, refused.status_code)
        alert = re.search(r'<p class="error" role="alert">(.*?)</p>', refused.text, re.DOTALL)
        assert alert is not None and problem in alert.group(1) and filename in alert.group(1)
    versions = client.get("/api/v1/watchlists/wanted/versions",
                          headers=as_user("border.analyst"))
    assert versions.status_code == 200 and versions.json() == []
