"""Streamed bulk scoring gives the same scores as one batch, chunk by chunk."""

from __future__ import annotations

import numpy as np
import pandas as pd

from chegara.targeting.bulk import StreamSettings, score_chunks
from chegara.targeting.model import RiskModel
from chegara.targeting.rules import parse_profile_set


def test_chunks_match_the_whole_batch(trained_model: RiskModel, korea_valid: pd.DataFrame) -> None:
    whole = trained_model.score(korea_valid)
    chunks = (korea_valid.iloc[i:i + 256] for i in range(0, len(korea_valid), 256))
    profiles = parse_profile_set({"profiles": [
        {"id": "TOYS", "when": {"hs": ["9503"]}, "action": {"channel": "red"}}]})
    settings = StreamSettings(red_cut=float(np.quantile(whole, 0.95)),
                              yellow_cut=float(np.quantile(whole, 0.90)))
    parts = list(score_chunks(chunks, trained_model, settings, profiles=profiles))
    assert len(parts) == int(np.ceil(len(korea_valid) / 256))
    joined = pd.concat(parts, ignore_index=True)
    assert np.allclose(joined["score"].to_numpy(), whole)
    toys = korea_valid["hs_code"].str.startswith("9503").to_numpy()
    assert toys.any()
    assert (joined["channel"].to_numpy()[toys] == "red").all()
    assert (joined["channel"].to_numpy()[whole >= settings.red_cut] == "red").all()
