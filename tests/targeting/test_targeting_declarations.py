"""Loading declarations: field maps, typed validation, bad rows by line, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chegara.targeting.declarations import (
    DeclarationImportError,
    FieldMapError,
    declarations_from_frame,
    label_values,
    load_declarations,
    load_field_map,
    parse_field_map,
)

HEADER = "ID,Day,HS,Mass,Value,Importer,Fraud\n"
MAP = {"declaration_id": "ID", "date": "Day", "hs_code": "HS", "net_mass_kg": "Mass",
       "value": "Value", "importer_id": "Importer"}


def write(tmp_path: Path, text: str, name: str = "decl.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_csv_is_typed_and_keeps_the_label(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A1,2021-01-02,10190,12.5,\"1,000\",IMP,1\n"
                                    "A2,2021-01-03,440890,3,50,IMP,0\n")
    frame = load_declarations(path, parse_field_map(MAP), keep_columns=("Fraud",))
    assert list(frame["declaration_id"]) == ["A1", "A2"]
    assert frame["hs_code"].tolist() == ["010190", "440890"]  # leading zero restored
    assert frame["value"].tolist() == [1000.0, 50.0]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert frame["source_line"].tolist() == [2, 3]
    assert np.isnan(frame["tax_rate"]).all()  # unmapped optional field: present, empty
    assert label_values(frame, "Fraud").tolist() == [1, 0]


def test_bad_rows_are_reported_by_line_field_and_reason(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A1,2021-01-02,440890,12,100,IMP,0\n"
                                    "A2,2021-13-02,440890,12,100,IMP,0\n"
                                    "A3,2021-01-02,44AB,-1,x,IMP,0\n"
                                    "A1,2021-01-02,440890,1,1,IMP,0\n")
    with pytest.raises(DeclarationImportError) as caught:
        load_declarations(path, parse_field_map(MAP))
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(3, "date"), (4, "hs_code"), (4, "net_mass_kg"), (4, "value"),
                     (5, "declaration_id")}
    text = str(caught.value)
    assert "line 3, column 'Day' (date): not a date" in text
    assert "line 4, column 'Mass' (net_mass_kg): must not be negative" in text
    assert "duplicate declaration id" in text
    assert "nothing imported" in text


def test_the_problem_list_is_capped_but_counts_everything(tmp_path: Path) -> None:
    rows = "".join(f"A{i},not-a-date,440890,1,1,IMP,0\n" for i in range(120))
    with pytest.raises(DeclarationImportError) as caught:
        load_declarations(write(tmp_path, HEADER + rows), parse_field_map(MAP), max_reported=10)
    assert len(caught.value.problems) == 10
    assert caught.value.total == 120
    assert "and 110 more" in str(caught.value)


def test_missing_required_value_and_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ",2021-01-02,440890,1,1,IMP,0\n")
    with pytest.raises(DeclarationImportError, match=r"line 2.*required value is empty"):
        load_declarations(path, parse_field_map(MAP))
    path = write(tmp_path, "ID,Day\nA1,2021-01-02\n")
    with pytest.raises(DeclarationImportError, match=r"line 1, column 'HS'.*missing"):
        load_declarations(path, parse_field_map(MAP))


def test_field_map_errors(tmp_path: Path) -> None:
    with pytest.raises(FieldMapError, match="unknown canonical field 'colour'"):
        parse_field_map({"colour": "Colour"})
    with pytest.raises(FieldMapError, match="must be a mapping"):
        parse_field_map(["declaration_id"])
    bad = write(tmp_path, "declaration_id: [unclosed\n", "map.yaml")
    with pytest.raises(FieldMapError, match="not valid YAML"):
        load_field_map(bad)


def test_json_array_and_json_lines(tmp_path: Path) -> None:
    records = [{"ID": "J1", "Day": "2021-02-01", "HS": "8471", "Mass": 2, "Value": 10,
                "Importer": "X"},
               {"ID": "J2", "Day": "2021-02-01", "HS": "8471", "Mass": None, "Value": 3,
                "Importer": "Y"}]
    array = write(tmp_path, json.dumps(records), "decl.json")
    frame = load_declarations(array, parse_field_map(MAP))
    assert frame["declaration_id"].tolist() == ["J1", "J2"]
    assert np.isnan(frame["net_mass_kg"].iloc[1])
    records[1]["Value"] = "lots"
    lines = write(tmp_path, "\n".join(json.dumps(r) for r in records), "decl.jsonl")
    with pytest.raises(DeclarationImportError, match="line 2, column 'Value'"):
        load_declarations(lines, parse_field_map(MAP))


def test_label_must_be_a_zero_one_result(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A1,2021-01-02,440890,1,1,IMP,maybe\n")
    frame = load_declarations(path, parse_field_map(MAP), keep_columns=("Fraud",))
    with pytest.raises(DeclarationImportError, match=r"line 2.*not a 0/1"):
        label_values(frame, "Fraud")


def test_korea_files_load_whole(korea_slice: tuple[Path, Path], korea_map) -> None:
    frame = load_declarations(korea_slice[0], korea_map, keep_columns=("Fraud", "Critical Fraud"))
    assert len(frame) == 6000
    assert frame["hs_code"].str.len().eq(6).all()
    assert "Critical Fraud" in frame.columns  # carried, never mapped to a feature


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                          st.text(max_size=6)), min_size=1, max_size=8))
def test_any_value_column_is_either_parsed_or_refused_by_line(values: list[object]) -> None:
    import pandas as pd

    source = pd.DataFrame({"ID": [f"D{i}" for i in range(len(values))],
                           "Day": ["2021-01-01"] * len(values),
                           "Value": [str(v) for v in values]})
    field_map = parse_field_map({"declaration_id": "ID", "date": "Day", "value": "Value"})
    try:
        frame = declarations_from_frame(source, field_map)
    except DeclarationImportError as exc:
        assert all(p.field == "value" and 2 <= p.line <= len(values) + 1 for p in exc.problems)
        return
    parsed = frame["value"].to_numpy()
    assert ((parsed >= 0) | np.isnan(parsed)).all()


def test_a_yaml_boolean_is_not_taken_for_a_column_name() -> None:
    import pytest
    import yaml

    from chegara.targeting.declarations import FieldMapError, parse_field_map

    with pytest.raises(FieldMapError, match="quote the column name"):
        parse_field_map(yaml.safe_load("declaration_id: id\ndate: Date\nimporter_id: No\n"))


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("decl.csv", HEADER.encode() + b"D1,2026-10-01,850110,1,\x82\xff,I1,0\n", "not UTF-8 text"),
    ("decl.csv", (HEADER + "D1,2026-10-01,850110,1,2,I1,0\n").encode("utf-16"),
     "not UTF-8 text"),
    ("decl.jsonl", b'{"ID": "\x82"}\n', "not UTF-8 text"),
    ("decl.csv", (HEADER + "=cmd|' /C calc'!A0,2026-10-01,850110,1,2,I1,0\n").encode(),
     "starts like a spreadsheet formula"),
    ("decl.csv", (HEADER + "@SUM(A1),2026-10-01,850110,1,2,I1,0\n").encode(),
     "starts like a spreadsheet formula"),
])
def test_undecodable_files_and_formula_ids_are_refused(tmp_path: Path, name: str,
                                                       content: bytes, needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DeclarationImportError, match=needle):
        load_declarations(path, parse_field_map(MAP))


@pytest.mark.parametrize(("content", "needle"), [
    (None, "cannot read"),
    (b"declaration_id: \x82\xff\n", "not UTF-8 text"),
])
def test_an_unreadable_field_map_is_named(tmp_path: Path, content: bytes | None,
                                          needle: str) -> None:
    path = tmp_path / "map.yaml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(FieldMapError, match=needle):
        load_field_map(path)
