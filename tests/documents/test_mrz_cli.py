"""``chegara mrz check`` through Typer's test runner."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chegara.documents.cli import app

DATA = Path(os.environ["CHEGARA_SHARED_DATA"]) / "travel"
pytestmark = pytest.mark.shared_data
runner = CliRunner()


def test_check_writes_one_result_per_specimen(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["check", "--jsonl", str(DATA / "mrz_specimens.jsonl"),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    specimens = [json.loads(line) for line in (DATA / "mrz_specimens.jsonl").read_text()
                 .splitlines()]
    assert [r["id"] for r in rows] == [s["id"] for s in specimens]
    for row, spec in zip(rows, specimens, strict=True):
        assert row["valid"] is spec["expected"]["valid"]
        assert row["format"] == spec["expected"]["format"]
        assert set(row["fields"]) == {"document_number", "issuing_state", "nationality",
                                      "surname", "given_names", "birth_date", "expiry_date",
                                      "sex"}
        assert all(isinstance(e, str) for e in row["errors"] + row["warnings"])


def test_malformed_line_exits_2_and_leaves_no_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "mrz": "X"}\n{"id": "b"}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["check", "--jsonl", str(source), "--out", str(out)])
    assert result.exit_code == 2
    assert "line 2" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_not_json_keeps_an_existing_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("not json\n")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = runner.invoke(app, ["check", "--jsonl", str(source), "--out", str(out)])
    assert result.exit_code == 2
    assert "line 1" in result.output
    assert out.read_text() == "previous\n"


@pytest.mark.parametrize("text", ["", "\n  \n"])
def test_a_file_without_mrz_lines_is_refused(tmp_path: Path, text: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(text)
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = runner.invoke(app, ["check", "--jsonl", str(source), "--out", str(out)])
    assert result.exit_code == 2
    assert "holds no MRZ lines" in result.output
    assert out.read_text() == "previous\n"
