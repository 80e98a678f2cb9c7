"""Streamed bulk scoring for e-commerce parcels.

Express and postal hubs receive millions of low-value parcels a day, usually as a feed of
manifest lines. Ranking a whole day is impossible before the first parcel must be released, and
holding it in memory is unnecessary: each chunk is scored with the model and the profiles,
channelled by fixed score cut-offs (set from a reference batch with
`selection.score_thresholds`), and handed on. Memory is bounded by the chunk size, whatever the
length of the stream.

Reasons (TreeSHAP contributions) are not computed in the stream because they cost about a
thousand times the score; call `RiskModel.reasons` on the parcels that were selected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chegara.targeting.model import RiskModel
from chegara.targeting.rules import ProfileSet, evaluate
from chegara.targeting.selection import channel_by_threshold


@dataclass(frozen=True)
class StreamSettings:
    red_cut: float
    yellow_cut: float
    seed: int = 0


def score_chunks(
    chunks: Iterable[pd.DataFrame],
    model: RiskModel,
    settings: StreamSettings,
    *,
    profiles: ProfileSet | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield, per chunk of canonical declarations: declaration_id, score, channel, profiles."""
    for chunk in chunks:
        yield score_chunk(chunk, model, settings, profiles=profiles)


def score_chunk(
    chunk: pd.DataFrame,
    model: RiskModel,
    settings: StreamSettings,
    *,
    profiles: ProfileSet | None = None,
) -> pd.DataFrame:
    score = model.score(chunk)
    rule_rank = None
    fired_count = np.zeros(len(chunk), dtype=np.int64)
    if profiles is not None and profiles.profiles:
        hits = evaluate(profiles, chunk, prices=model.prices, seed=settings.seed)
        rule_rank = hits.channel_rank()
        fired_count = hits.fired.sum(axis=1)
    channel = channel_by_threshold(score, (settings.red_cut, settings.yellow_cut), rule_rank)
    return pd.DataFrame({"declaration_id": chunk["declaration_id"].to_numpy(),
                         "score": score, "channel": channel, "profiles_fired": fired_count})
