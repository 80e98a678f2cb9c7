"""Customs declarations and SPS consignments: the canonical field set and its import.

Every agency and every customs system names its columns differently (ASYCUDA, a national
single window, the Korea Customs Service research extract ...). Targeting, valuation and the
learned model only ever see the canonical names (``fields.py``); a small YAML map says which
source column feeds which canonical field. Import is all-or-nothing: a file with bad rows
raises one error that lists the bad rows by line number, field and reason, so an analyst never
trains or selects on a half-imported batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from chegara.files import FORMULA_STARTS, not_utf8
from chegara.targeting.fields import ALL_FIELDS as ALL_FIELDS  # re-exported for callers
from chegara.targeting.fields import FIELDS_BY_NAME as FIELDS_BY_NAME  # re-exported for callers
from chegara.targeting.fields import NUMBER_FIELDS as NUMBER_FIELDS  # re-exported for callers
from chegara.targeting.fields import FieldSpec

# Beyond this many bad rows the report stops listing: an analyst fixing a broken export needs
# the pattern, not fifty thousand lines.
DEFAULT_MAX_REPORTED = 50


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or the header, line 1) cannot be imported."""

    line: int
    field: str
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column!r} ({self.field}): {self.reason}"


class DeclarationImportError(ValueError):
    """The file was refused as a whole; `problems` lists the first bad rows."""

    def __init__(self, problems: Sequence[RowProblem], total: int | None = None) -> None:
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        shown = "\n".join(f"  {p}" for p in self.problems)
        more = self.total - len(self.problems)
        tail = f"\n  ... and {more} more problem(s)" if more > 0 else ""
        super().__init__(f"{self.total} problem(s), nothing imported:\n{shown}{tail}")


class FieldMapError(ValueError):
    """The YAML field map itself is wrong (unknown canonical name, missing required field)."""


@dataclass(frozen=True)
class FieldMap:
    """Canonical field name -> source column, as read from the YAML map."""

    columns: dict[str, str] = field(default_factory=dict)

    def source_of(self, canonical: str) -> str:
        return self.columns.get(canonical, canonical)


def parse_field_map(raw: object) -> FieldMap:
    """Check a decoded YAML map: known canonical names, string columns, required fields."""
    if not isinstance(raw, Mapping):
        raise FieldMapError("the field map must be a mapping of canonical name -> source column")
    columns: dict[str, str] = {}
    for key, value in raw.items():
        if key not in FIELDS_BY_NAME:
            known = ", ".join(sorted(FIELDS_BY_NAME))
            raise FieldMapError(f"unknown canonical field {key!r}; known fields: {known}")
        if isinstance(value, bool):
            # YAML reads an unquoted No / Yes / On / Off as a boolean, not as a column name.
            raise FieldMapError(f"field {key!r} maps to {value!r}, which YAML read as a yes/no "
                                "value: quote the column name")
        if not isinstance(value, str | int) or str(value) == "":
            raise FieldMapError(f"field {key!r} must map to a column name, got {value!r}")
        columns[str(key)] = str(value)
    for spec in ALL_FIELDS:
        if spec.required and spec.name not in columns:
            columns[spec.name] = spec.name  # an unmapped required field is read by its own name
    return FieldMap(columns)


def load_field_map(path: Path | str) -> FieldMap:
    """Read a YAML map file (canonical name -> source column)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FieldMapError(f"{path}: not valid YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise FieldMapError(f"{path}: {not_utf8(exc)}") from exc
    except OSError as exc:
        raise FieldMapError(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_field_map(raw or {})


def _read_source(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a CSV, JSON array or JSON-lines file as text columns, with each record's line."""
    try:
        return _read_text_source(path)
    except UnicodeDecodeError as exc:
        raise DeclarationImportError([RowProblem(1, "-", "-", not_utf8(exc))]) from exc


def _read_text_source(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        return _read_json(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as exc:
        raise DeclarationImportError([RowProblem(1, "-", "-", f"unreadable CSV: {exc}")]) from exc
    except pd.errors.EmptyDataError as exc:
        raise DeclarationImportError([RowProblem(1, "-", "-", "the file is empty")]) from exc
    # Line 1 is the header; records are one physical line each in customs exports.
    lines = np.arange(2, len(frame) + 2, dtype=np.int64)
    return frame, lines


def _read_json(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    text = path.read_text(encoding="utf-8")
    records: list[object]
    lines: list[int]
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DeclarationImportError(
                [RowProblem(exc.lineno, "-", "-", f"invalid JSON: {exc.msg}")]
            ) from exc
        lines = list(range(1, len(records) + 1))  # record number within the array
    else:
        records, lines = [], []
        problems: list[RowProblem] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
                lines.append(number)
            except json.JSONDecodeError as exc:
                problems.append(RowProblem(number, "-", "-", f"invalid JSON: {exc.msg}"))
        if problems:
            raise DeclarationImportError(problems[:DEFAULT_MAX_REPORTED], len(problems))
    bad = [RowProblem(n, "-", "-", "record is not an object")
           for n, r in zip(lines, records, strict=True) if not isinstance(r, dict)]
    if bad:
        raise DeclarationImportError(bad[:DEFAULT_MAX_REPORTED], len(bad))
    frame = pd.DataFrame.from_records(records).astype(object)
    frame = frame.where(frame.notna(), "").astype(str)
    return frame, np.asarray(lines, dtype=np.int64)


def _problems_where(
    bad: np.ndarray, lines: np.ndarray, spec: FieldSpec, column: str,
    raw: pd.Series, reason: str,
) -> list[tuple[int, str, RowProblem]]:
    idx = np.flatnonzero(bad)
    values = raw.to_numpy()
    return [
        (int(lines[i]), spec.name, RowProblem(int(lines[i]), spec.name, column,
                                              f"{reason}: {str(values[i])[:40]!r}"))
        for i in idx
    ]


def _parse_column(
    spec: FieldSpec, column: str, raw: pd.Series, lines: np.ndarray,
) -> tuple[pd.Series, list[tuple[int, str, RowProblem]]]:
    text = raw.astype(str).str.strip()
    empty = (text == "").to_numpy()
    problems: list[tuple[int, str, RowProblem]] = []
    if spec.required:
        problems += _problems_where(empty, lines, spec, column, raw, "required value is empty")
    if spec.kind == "number":
        # Thousands separators are common in spreadsheet exports; they never mean a decimal.
        numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
        unparsable = numbers.isna().to_numpy() & ~empty
        problems += _problems_where(unparsable, lines, spec, column, raw, "not a number")
        if spec.non_negative:
            negative = (numbers < 0).to_numpy()
            problems += _problems_where(negative, lines, spec, column, raw, "must not be negative")
        infinite = np.isinf(numbers.to_numpy(dtype=float, na_value=np.nan))
        problems += _problems_where(infinite, lines, spec, column, raw, "not a finite number")
        return numbers.astype(float), problems
    if spec.kind == "date":
        dates = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        unparsable = dates.isna().to_numpy() & ~empty
        problems += _problems_where(unparsable, lines, spec, column, raw,
                                    "not a date (YYYY-MM-DD)")
        return dates, problems
    if spec.kind == "hs":
        # HS codes lose their leading zero in spreadsheets ("10190" for 010190): restore it
        # when the length is odd, since HS codes always have an even number of digits.
        digits = text.str.replace(r"[.\s]", "", regex=True)
        odd = digits.str.len() % 2 == 1
        digits = digits.where(~odd, "0" + digits)
        wrong = ~digits.str.fullmatch(r"\d{2,10}").to_numpy() & ~empty
        problems += _problems_where(wrong, lines, spec, column, raw,
                                    "not an HS code (2 to 10 digits)")
        return digits, problems
    return text, problems


def declarations_from_frame(
    source: pd.DataFrame,
    field_map: FieldMap,
    *,
    lines: np.ndarray | None = None,
    keep_columns: Iterable[str] = (),
    max_reported: int = DEFAULT_MAX_REPORTED,
) -> pd.DataFrame:
    """Map, parse and validate a text frame; return canonical typed columns or raise.

    `keep_columns` are source columns carried through unchanged (a label, an outcome).
    Absent optional fields become empty text / NaN so every batch has the same shape.
    """
    if lines is None:
        lines = np.arange(2, len(source) + 2, dtype=np.int64)
    header_problems = [
        RowProblem(1, spec.name, field_map.columns[spec.name], "column missing from the file")
        for spec in ALL_FIELDS
        if spec.name in field_map.columns and field_map.columns[spec.name] not in source.columns
    ]
    header_problems += [RowProblem(1, "-", name, "column missing from the file")
                        for name in keep_columns if name not in source.columns]
    if header_problems:
        raise DeclarationImportError(header_problems)
    out: dict[str, pd.Series] = {}
    found: list[tuple[int, str, RowProblem]] = []
    for spec in ALL_FIELDS:
        column = field_map.columns.get(spec.name)
        if column is None:
            out[spec.name] = _empty_column(spec, len(source))
            continue
        values, problems = _parse_column(spec, column, source[column], lines)
        out[spec.name] = values.reset_index(drop=True)
        found += problems
    ids = out["declaration_id"]
    duplicated = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
    found += _problems_where(duplicated, lines, FIELDS_BY_NAME["declaration_id"],
                             field_map.columns["declaration_id"], ids, "duplicate declaration id")
    # The id is written again to SCORES.csv, where a spreadsheet would run it as a formula.
    formula = ids.astype(str).str.startswith(FORMULA_STARTS).to_numpy()
    found += _problems_where(formula, lines, FIELDS_BY_NAME["declaration_id"],
                             field_map.columns["declaration_id"], ids,
                             "starts like a spreadsheet formula")
    if found:
        found.sort(key=lambda item: (item[0], item[1]))
        raise DeclarationImportError([p for _, _, p in found[:max_reported]], len(found))
    frame = pd.DataFrame(out)
    for name in keep_columns:
        frame[name] = source[name].reset_index(drop=True)
    frame["source_line"] = lines
    return frame


def _empty_column(spec: FieldSpec, n: int) -> pd.Series:
    if spec.kind == "number":
        return pd.Series(np.full(n, np.nan), dtype=float)
    if spec.kind == "date":
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    return pd.Series([""] * n, dtype=object)


def load_declarations(
    path: Path | str,
    field_map: FieldMap,
    *,
    keep_columns: Iterable[str] = (),
    max_reported: int = DEFAULT_MAX_REPORTED,
) -> pd.DataFrame:
    """Load a CSV / JSON / JSON-lines file of declarations into canonical typed columns.

    Raises DeclarationImportError listing (up to `max_reported`) bad rows by line number;
    nothing is returned unless every row is valid.
    """
    source, lines = _read_source(Path(path))
    return declarations_from_frame(source, field_map, lines=lines,
                                   keep_columns=keep_columns, max_reported=max_reported)


def label_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Read an inspection-result column as 0/1; anything else is refused by line."""
    raw = frame[column].astype(str).str.strip().str.lower()
    truth = {"1": 1, "0": 0, "1.0": 1, "0.0": 0, "true": 1, "false": 0, "yes": 1, "no": 0}
    mapped = raw.map(truth)
    bad = mapped.isna().to_numpy()
    if bad.any():
        lines = frame["source_line"].to_numpy()
        problems = [RowProblem(int(lines[i]), "label", column,
                               f"not a 0/1 inspection result: {raw.iloc[i][:20]!r}")
                    for i in np.flatnonzero(bad)[:DEFAULT_MAX_REPORTED]]
        raise DeclarationImportError(problems, int(bad.sum()))
    return np.asarray(mapped.to_numpy(dtype=np.int8))
