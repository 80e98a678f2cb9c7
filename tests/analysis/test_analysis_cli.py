"""`chegara analysis forecast`: the CSV contract and its bad-input cases."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from chegara.analysis.cli import app

runner = CliRunner()
HEADER = "period,section,indicator,count\n"


def write(tmp_path: Path, text: str, name: str = "counts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def monthly_rows(section: str, indicator: str, start_year: int, values: list[int]) -> str:
    lines = []
    for i, value in enumerate(values):
        year, month = start_year + i // 12, i % 12 + 1
        lines.append(f"{year:04d}-{month:02d},{section},{indicator},{value}\n")
    return "".join(lines)


def run(counts: Path, out: Path, horizon: str = "3") -> Result:
    return runner.invoke(app, ["forecast", str(counts), "--horizon", horizon, "--out", str(out)])


def test_forecast_writes_one_block_per_series(tmp_path: Path) -> None:
    text = HEADER + monthly_rows(
        "Osh", "illegal_border_crossing", 2021, [10 + i % 5 for i in range(40)]
    )
    text += monthly_rows("Batken", "refusals_of_entry", 2022, [3, 4, 5, 6, 7])
    counts = write(tmp_path, text)
    out = tmp_path / "forecast.csv"
    result = run(counts, out)
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["period", "section", "indicator", "forecast", "lower80", "upper80"]
    batken = [r for r in rows if r["section"] == "Batken"]
    osh = [r for r in rows if r["section"] == "Osh"]
    # Each series is forecast from its own last month: Batken ends 2022-05, Osh 2024-04.
    assert [r["period"] for r in batken] == ["2022-06", "2022-07", "2022-08"]
    assert [r["period"] for r in osh] == ["2024-05", "2024-06", "2024-07"]
    for row in rows:
        assert float(row["lower80"]) <= float(row["forecast"]) <= float(row["upper80"])


def test_missing_month_is_counted_as_zero_and_reported(tmp_path: Path) -> None:
    text = HEADER + "2024-01,Osh,returns,5\n2024-03,Osh,returns,7\n"
    out = tmp_path / "f.csv"
    result = run(write(tmp_path, text), out, "1")
    assert result.exit_code == 0
    assert "1 missing month(s) counted as 0" in result.output
    assert out.read_text().splitlines()[1].startswith("2024-04,Osh,returns,")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("period,section,count\n2024-01,Osh,5\n", 1, "header"),
        ("", 1, "empty"),
        (HEADER, 1, "no data rows"),
        (HEADER + "2024-13,Osh,returns,5\n", 2, "YYYY-MM"),
        (HEADER + "2024-1,Osh,returns,5\n", 2, "YYYY-MM"),
        (HEADER + "2024-01,Osh,returns,-5\n", 2, "non-negative"),
        (HEADER + "2024-01,Osh,returns,five\n", 2, "number"),
        (HEADER + "2024-01,Osh,returns,nan\n", 2, "non-negative finite"),
        (
            HEADER + "2024-01,Osh,returns,5\n2024-02,Osh,returns,6\n2024-01,Osh,returns,7\n",
            4,
            "twice",
        ),
        (HEADER + "2024-01,Osh,returns\n", 2, "4 fields"),
        (HEADER + "2024-01,,returns,4\n", 2, "section is empty"),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    out = tmp_path / "f.csv"
    result = run(write(tmp_path, text), out)
    assert result.exit_code == 2
    message = result.stderr
    assert f"line {line}:" in message
    assert fragment in message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "counts.csv"]


@pytest.mark.parametrize("horizon", ["0", "-3", "121", "100000"])
def test_absurd_horizon(tmp_path: Path, horizon: str) -> None:
    out = tmp_path / "f.csv"
    result = run(write(tmp_path, HEADER + "2024-01,Osh,returns,5\n"), out, horizon)
    assert result.exit_code == 2
    assert "--horizon" in result.stderr
    assert not out.exists()


def test_missing_input_file(tmp_path: Path) -> None:
    result = run(tmp_path / "absent.csv", tmp_path / "f.csv")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_failed_run_keeps_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    out.write_text("previous\n")
    result = run(write(tmp_path, HEADER + "2024-01,Osh,returns,-1\n"), out)
    assert result.exit_code == 2
    assert out.read_text() == "previous\n"


def test_many_series_run_with_progress(tmp_path: Path) -> None:
    text = HEADER + "".join(
        monthly_rows(f"S{i:02d}", "returns", 2023, [i + j % 3 for j in range(14)])
        for i in range(12)
    )
    out = tmp_path / "f.csv"
    result = run(write(tmp_path, text), out, "2")
    assert result.exit_code == 0
    assert len(out.read_text().splitlines()) == 1 + 12 * 2


def test_works_as_a_group_under_the_root_cli(tmp_path: Path) -> None:
    import typer

    root = typer.Typer()

    @root.command()
    def version() -> None:
        """Another root command, as in chegara.cli."""

    root.add_typer(app, name="analysis")
    out = tmp_path / "f.csv"
    counts = write(tmp_path, HEADER + "2024-01,Osh,returns,5\n2024-02,Osh,returns,6\n")
    result = runner.invoke(
        root, ["analysis", "forecast", str(counts), "--horizon", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[1].startswith("2024-03,Osh,returns,")
