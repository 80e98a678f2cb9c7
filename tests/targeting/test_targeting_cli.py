"""`chegara targeting train|score` on a slice of the Korea data, and bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chegara.targeting.cli import app

DATA = Path(os.environ["CHEGARA_SHARED_DATA"]) / "customs"
pytestmark = pytest.mark.shared_data

runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(korea_slice: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "model"
    result = runner.invoke(app, ["train", str(korea_slice[0]), "--map", str(DATA / "map.yaml"),
                                 "--label", "Fraud", "--model-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "precision@5%" in result.output
    return out


def test_train_then_score_writes_the_scores_file(
    model_dir: Path, korea_slice: tuple[Path, Path], tmp_path: Path,
) -> None:
    profiles = tmp_path / "profiles.yaml"
    profiles.write_text("profiles:\n  - id: TOYS\n    name: Toys\n    when: {hs: ['9503']}\n"
                        "    action: {channel: red, instructions: Check CE marking.}\n")
    out = tmp_path / "scores.csv"
    valid = korea_slice[1]
    result = runner.invoke(app, ["score", str(valid), "--map", str(DATA / "map.yaml"),
                                 "--model", str(model_dir), "--out", str(out),
                                 "--profiles", str(profiles), "--reasons", "selected"])
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(out, dtype={"declaration_id": str}, keep_default_na=False)
    source = pd.read_csv(valid, dtype=str)
    assert list(scores.columns) == ["declaration_id", "score", "channel", "reasons"]
    assert scores["declaration_id"].tolist() == source["Declaration ID"].tolist()
    assert scores["score"].between(0, 1).all()
    assert set(scores["channel"]) <= {"red", "yellow", "blue", "green"}
    toys = source["HS6 Code"].str.startswith("9503").to_numpy()
    assert (scores["channel"][toys] == "red").all()
    assert scores["reasons"][toys].str.contains("profile TOYS").all()
    red_by_score = scores[(scores["channel"] == "red") & ~toys]
    assert red_by_score["reasons"].str.contains("past").any()  # feature contributions in words
    # Each day, the 5 % riskiest declarations are never green (rates apply per day).
    scores["day"] = source["Date"].to_numpy()
    for _, day in scores.groupby("day"):
        riskiest = day.nlargest(int(len(day) * 0.05), "score")
        assert (riskiest["channel"] != "green").all()


def test_bad_input_names_line_and_column_and_writes_nothing(
    model_dir: Path, korea_slice: tuple[Path, Path], tmp_path: Path,
) -> None:
    frame = pd.read_csv(korea_slice[1], dtype=str, keep_default_na=False, nrows=50)
    frame.loc[6, "Net Mass"] = "heavy"
    broken = tmp_path / "broken.csv"
    frame.to_csv(broken, index=False)
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(broken), "--map", str(DATA / "map.yaml"),
                                 "--model", str(model_dir), "--out", str(out)])
    assert result.exit_code == 2
    assert "line 8" in result.output and "Net Mass" in result.output
    assert not out.exists()
    assert list(tmp_path.glob(".scores-*")) == []


def test_missing_label_column_and_missing_model(korea_slice: tuple[Path, Path],
                                                tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", str(korea_slice[0]), "--map", str(DATA / "map.yaml"),
                                 "--label", "Outcome", "--model-out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "Outcome" in result.output
    result = runner.invoke(app, ["score", str(korea_slice[1]), "--map", str(DATA / "map.yaml"),
                                 "--model", str(tmp_path / "none"),
                                 "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 2 and "cannot load the model" in result.output
    assert not (tmp_path / "s.csv").exists()


def test_large_files_get_native_trees_that_later_runs_reuse(
    model_dir: Path, korea_slice: tuple[Path, Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("lleaves")
    import numpy as np

    from chegara.targeting import cli
    from chegara.targeting.declarations import load_declarations, load_field_map
    from chegara.targeting.model import RiskModel

    copy = tmp_path / "model"
    copy.mkdir()
    for item in model_dir.iterdir():
        if item.is_file():
            (copy / item.name).write_bytes(item.read_bytes())
    frame = load_declarations(korea_slice[1], load_field_map(DATA / "map.yaml"))
    small = RiskModel.load(copy)
    cli._compile_for(small, copy, len(frame))
    assert small.compiled is None and not (copy / cli.COMPILED_DIR).exists()

    monkeypatch.setattr(cli, "COMPILE_FROM_ROWS", len(frame))
    large = RiskModel.load(copy)
    cli._compile_for(large, copy, len(frame))
    assert large.compiled is not None
    monkeypatch.undo()

    again = RiskModel.load(copy)
    cli._compile_for(again, copy, 10)  # compiled before: reused even for a short file
    assert again.compiled is not None
    plain = RiskModel.load(copy)
    assert np.allclose(again.score(frame), plain.score(frame), atol=1e-9)
