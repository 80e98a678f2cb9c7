"""Bus and train CSV manifests, and ``chegara manifest import``."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chegara.passengers.cli import app
from chegara.passengers.manifest_csv import CsvManifestError, parse_csv_manifest, read_csv_manifest

DATA = Path(os.environ["CHEGARA_SHARED_DATA"]) / "travel"
pytestmark = pytest.mark.shared_data
runner = CliRunner()

BUS = "\n".join([
    "voyage;carrier;transport_mode;origin;destination;departure;surname;given_names;birth_date;"
    "sex;nationality;document_number;document_issuing_state;role",
    "OSH-ANDIJAN 14;Osh Avto;bus;Osh;Andijan;2026-11-23T07:30;Исаков;Бакыт;12.05.1981;M;KGZ;"
    "ID1234567;KGZ;driver",
    "OSH-ANDIJAN 14;Osh Avto;bus;Osh;Andijan;2026-11-23T07:30;Karimova;Dilnoza;1995-03-08;F;UZB;"
    "FA7654321;UZB;passenger",
    "",
])


def test_bus_manifest_with_semicolons_and_cyrillic(tmp_path: Path) -> None:
    path = tmp_path / "bus.csv"
    path.write_bytes(BUS.encode("cp1251"))
    manifest = read_csv_manifest(path)
    assert manifest.transport_mode == "bus"
    assert manifest.flight == "OSH-ANDIJAN 14"
    driver, passenger = manifest.travellers
    assert (driver.surname, driver.role, driver.birth_date) == ("Исаков", "crew", date(1981, 5, 12))
    assert passenger.document_number == "FA7654321"
    assert manifest.voyage is not None and manifest.voyage.departure is not None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("surname,given_names\nA,B\n", "missing column"),
        ("surname,given_names,birth_date,nationality,document_number\nA,B,1990-13-01,KGZ,1\n",
         "row 2, column birth_date"),
        ("surname,given_names,birth_date,nationality,document_number\n,B,1990-01-01,KGZ,1\n",
         "row 2, column surname"),
        ("voyage,surname,given_names,birth_date,nationality,document_number\n"
         "T1,A,B,1990-01-01,KGZ,1\nT2,C,D,1990-01-01,KGZ,2\n", "row 3, column voyage"),
        ("surname,given_names,birth_date,nationality,document_number\n", "no traveller"),
    ],
)
def test_bad_csv_is_refused_naming_row_and_column(text: str, needle: str) -> None:
    with pytest.raises(CsvManifestError, match=needle):
        parse_csv_manifest(text)


@pytest.mark.parametrize("name", ["paxlst/gtas-loader_Test3.txt", "pnrgov/gtas-loader_infant.edi"])
def test_import_writes_one_line_per_traveller(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["import", str(DATA / name), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows
    assert set(rows[0]) == {"message_type", "flight", "surname", "given_names", "birth_date",
                            "nationality", "document_number"}
    assert rows[0]["message_type"] == name.split("/")[0].upper()


def test_import_csv(tmp_path: Path) -> None:
    source = tmp_path / "train.csv"
    source.write_text(BUS.replace("bus", "train"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 2


def test_malformed_message_exits_2_naming_the_segment(tmp_path: Path) -> None:
    text = (DATA / "paxlst/gtas-loader_multiple_flight_leg_apis.txt").read_text()
    source = tmp_path / "cut.txt"
    source.write_text(text[: text.index("CNT+")])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "segment UNH" in errors[0]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.txt"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.text(alphabet="AB1.-,;\n\"\x00 Д", max_size=200).map(
    lambda rows: "surname,given_names,birth_date,nationality,document_number,voyage,sex\n" + rows))
)
def test_any_text_is_a_manifest_or_a_csv_error(text: str) -> None:
    try:
        manifest = parse_csv_manifest(text)
    except CsvManifestError as exc:
        assert str(exc)
    else:
        assert manifest.travellers
