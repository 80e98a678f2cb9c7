"""Shared fixtures for the targeting tests: a slice of the Korea Customs Service data."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chegara.targeting.declarations import (
    FieldMap,
    label_values,
    load_declarations,
    load_field_map,
)
from chegara.targeting.model import RiskModel, train_model

DATA = Path(os.environ["CHEGARA_SHARED_DATA"]) / "customs"
TRAIN_ROWS = 6000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the Korea customs data need the shared samples (see tests/conftest.py)."""
    for item in items:
        if {"korea_map", "korea_slice"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.shared_data)


@pytest.fixture(scope="session")
def korea_map() -> FieldMap:
    return load_field_map(DATA / "map.yaml")


@pytest.fixture(scope="session")
def korea_slice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The first 6000 training rows and 1500 validation rows, as CSV files."""
    folder = tmp_path_factory.mktemp("korea")
    train = pd.read_csv(DATA / "korea_train.csv", dtype=str, keep_default_na=False,
                        nrows=TRAIN_ROWS)
    valid = pd.read_csv(DATA / "korea_valid.csv", dtype=str, keep_default_na=False, nrows=1500)
    train.to_csv(folder / "train.csv", index=False)
    valid.to_csv(folder / "valid.csv", index=False)
    return folder / "train.csv", folder / "valid.csv"


@pytest.fixture(scope="session")
def korea_train(korea_slice: tuple[Path, Path], korea_map: FieldMap) -> pd.DataFrame:
    return load_declarations(korea_slice[0], korea_map, keep_columns=("Fraud",))


@pytest.fixture(scope="session")
def korea_valid(korea_slice: tuple[Path, Path], korea_map: FieldMap) -> pd.DataFrame:
    return load_declarations(korea_slice[1], korea_map, keep_columns=("Fraud",))


@pytest.fixture(scope="session")
def trained_model(korea_train: pd.DataFrame) -> RiskModel:
    labels = label_values(korea_train, "Fraud").astype(float)
    return train_model(korea_train, labels)


def _make_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A canonical declarations frame from a few hand-written rows (unset fields blank)."""
    from chegara.targeting.declarations import ALL_FIELDS

    columns: dict[str, list[object]] = {}
    for spec in ALL_FIELDS:
        default: object = np.nan if spec.kind == "number" else ""
        columns[spec.name] = [row.get(spec.name, default) for row in rows]
    frame = pd.DataFrame(columns)
    frame["date"] = pd.to_datetime(frame["date"])
    for spec in ALL_FIELDS:
        if spec.kind == "number":
            frame[spec.name] = frame[spec.name].astype(float)
    return frame


@pytest.fixture(scope="session")
def make_frame() -> Callable[[list[dict[str, object]]], pd.DataFrame]:
    return _make_frame
