"""Imports every capability's models so ``Base.metadata`` knows all tables (migrations, tests)."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "chegara.security.models",
    "chegara.exchange.models",
    "chegara.screening.models",
    "chegara.documents.models",
    "chegara.passengers.models",
    "chegara.targeting.models",
    "chegara.analysis.models",
    "chegara.governance.models",
)


def load_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
