"""The learned risk model: LightGBM on inspected declarations, calibrated, with reasons.

Why this shape:
* LightGBM is the strongest published model on the Korea Customs Service data and is fast
  enough for bulk scoring; its per-feature contributions (`pred_contrib`, TreeSHAP) give each
  declaration its own reasons, so an examiner sees why a declaration was selected.
* Features come from `features.py`: history strictly from the past in training, frozen at the
  end of the training data when scoring (see that module for the no-leakage rule).
* Probabilities are calibrated by Platt scaling fitted on a time-ordered held-out slice (the
  last days of the training data, never a random split: the model is always used on the
  future). Platt is strictly monotone, so calibration never creates ties and never changes the
  ranking that selection relies on; isotonic would create ties at the selection cut.
* The slice is small where inspections are few (a crossing point's first weeks: dozens of
  results), and there the trees often separate found from not found perfectly. A plain
  logistic fit then has no finite optimum and scores of 1e-40 and 1.0 follow; so the slice is
  extended back until it holds enough results of each kind, and the fit uses Platt's own
  targets (see `fit_platt`). L2 shrinkage of the leaf values keeps the trees' margins
  bounded on small data, where a leaf holds a handful of inspections.
* After calibration the booster is refitted on all the data with the same settings so the most
  recent inspections, the most informative ones, are not left out of the final model.

Score = calibrated probability of fraud; higher is riskier.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chegara import messages
from chegara.messages import BLANK, CODE_WORDS, ENTITY_WORDS, NUMERIC_WORDS, RARE_VALUE
from chegara.targeting.coding import CodedBatch
from chegara.targeting.features import (
    CategoryCodes,
    HistoryStore,
    numeric_arrays,
    numeric_features,
    past_history_features,
)
from chegara.targeting.valuation import ReferencePriceBase

MODEL_FORMAT_VERSION = 1
MODEL_FILE = "booster.txt"
META_FILE = "model.json"
HISTORY_FILE = "history.json"
PRICES_FILE = "prices.json"

# Moderate size because the data is small (tens of thousands of inspections) and because
# scoring speed and per-declaration reasons both grow with tree count and depth: TreeSHAP
# costs O(leaves x depth^2) per tree, so unbounded depth made reasons ten times slower for no
# gain in ranking on the 2020 training data's own held-out slice.
DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.08,
    "n_estimators": 200,
    "num_leaves": 31,
    "max_depth": 6,
    "min_child_samples": 20,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    # Shrinks a leaf's value by its inspections' weight: without it, leaves of a few
    # inspections that all found nothing push the margin down by the same step in every tree,
    # and 200 trees on a few hundred results gave margins of -16 (a probability of 1e-7).
    "reg_lambda": 1.0,
    "verbose": -1,
    # One thread: on a small shared server OpenMP threads spin while waiting for a busy core,
    # which made training 5 to 40 times slower on our 2-core machine; the data is small anyway.
    "n_jobs": 1,
}

# Findings, and inspections that found nothing, the calibration slice should hold at least:
# fewer, and two parameters are fitted to a handful of cases.
MIN_CALIBRATION_RESULTS = 25
MAX_CALIBRATION_SHARE = 0.5
# Platt slope for trees that rank no better than chance: scores all but equal, order kept.
NO_RANKING_SLOPE = 1e-6

Progress = Callable[[str], None]
SCORE_BLOCK = 32_768


def _no_progress(_: str) -> None:
    return None


@dataclass(frozen=True)
class Reason:
    """One feature's push toward risk for one declaration, in examiner's words."""

    feature: str
    contribution: float
    text: str


@dataclass
class RiskModel:
    """A trained, calibrated model with everything needed to score later declarations."""

    booster: Any  # lightgbm.Booster; typed loosely so importing this module stays light
    codes: CategoryCodes
    history: HistoryStore
    prices: ReferencePriceBase
    feature_names: list[str]
    platt: tuple[float, float]
    metadata: dict[str, Any] = field(default_factory=dict)
    threads: int = 1  # LightGBM prediction threads; see DEFAULT_PARAMS on why one

    compiled: Any = None  # an lleaves.Model when `compile` succeeded

    def feature_matrix(self, frame: pd.DataFrame) -> np.ndarray:
        """Features in the booster's order, built on the batch's distinct values."""
        coded = CodedBatch(frame)
        arrays = self.codes.arrays(coded)
        arrays.update(numeric_arrays(frame, self.prices, coded))
        arrays.update(self.history.feature_arrays(coded))
        # Row-major, the layout both tree evaluators read: filling it column by column costs
        # a third of what filling column-major and converting for the evaluator did.
        matrix = np.empty((len(frame), len(self.feature_names)), dtype=np.float64)
        for j, name in enumerate(self.feature_names):
            matrix[:, j] = arrays[name]
        return matrix

    def features(self, frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(self.feature_matrix(frame), columns=self.feature_names,
                            index=frame.index)

    def raw_margin(self, features: pd.DataFrame | np.ndarray) -> np.ndarray:
        if self.compiled is not None:
            matrix = features.to_numpy(float) if isinstance(features, pd.DataFrame) else features
            matrix = np.ascontiguousarray(matrix, dtype=np.float64)
            return np.asarray(self.compiled.predict(matrix, n_jobs=self.threads))
        return np.asarray(self.booster.predict(features, raw_score=True,
                                               num_threads=self.threads), dtype=float)

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated fraud probability per declaration (higher = riskier)."""
        if len(frame) <= SCORE_BLOCK:
            return self.calibrate(self.raw_margin(self.feature_matrix(frame)))
        # Blocks keep the feature matrix small enough to stay in cache while the tree
        # evaluator re-reads it row by row; one big matrix was a third slower.
        return np.concatenate([
            self.calibrate(self.raw_margin(self.feature_matrix(frame.iloc[i:i + SCORE_BLOCK])))
            for i in range(0, len(frame), SCORE_BLOCK)])

    def compile(self, cache_dir: Path | str) -> bool:
        """Compile the trees to native code with lleaves (optional) for bulk scoring.

        LightGBM's own predictor walks each tree generically (about 0.1 us per tree and row);
        lleaves turns the model into machine code through LLVM and scores the same values
        (checked on a sample here) about five times faster. The compiled library is cached per
        model and CPU. Returns False, and keeps LightGBM, when lleaves is not installed.
        """
        text = self.booster.model_to_string()
        cache = self.compiled_path(cache_dir, text)
        if cache is None:
            return False
        import tempfile

        import lleaves

        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write(text)
        try:
            compiled = lleaves.Model(model_file=handle.name)
            # Raw margins, as calibrate() wants them: no sigmoid to undo per declaration.
            compiled.compile(cache=str(cache), raw_score=True)
        finally:
            Path(handle.name).unlink(missing_ok=True)
        probe = np.random.default_rng(0).normal(size=(64, len(self.feature_names)))
        expected = np.asarray(self.booster.predict(probe, raw_score=True))
        if not np.allclose(np.asarray(compiled.predict(probe, n_jobs=1)), expected, atol=1e-9):
            return False
        self.compiled = compiled
        return True

    def compiled_path(self, cache_dir: Path | str, text: str | None = None) -> Path | None:
        """Where `compile` keeps this model's library for this CPU; None without lleaves.

        ``text``: the booster already serialised, so a large model is not serialised twice."""
        try:
            import lleaves  # noqa: F401
            from llvmlite import binding
        except ImportError:
            return None
        import hashlib

        if text is None:
            text = self.booster.model_to_string()
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return Path(cache_dir) / f"booster-{digest}-{binding.get_host_cpu_name()}-raw.so"

    def calibrate(self, margin: np.ndarray) -> np.ndarray:
        a, b = self.platt
        return 1.0 / (1.0 + np.exp(-(a * margin + b)))

    def reasons(self, frame: pd.DataFrame, *, top: int = 3) -> list[list[Reason]]:
        """The `top` features pushing each declaration toward risk, with their values."""
        feats = self.features(frame)
        contrib = np.asarray(self.booster.predict(feats.to_numpy(), pred_contrib=True,
                                                  num_threads=self.threads), dtype=float)
        contrib = contrib[:, :-1]  # the last column is the bias term, the same for everyone
        values = feats.to_numpy(dtype=float)
        column = {name: j for j, name in enumerate(self.feature_names)}
        out: list[list[Reason]] = []
        # A few extra candidates: features of an entity already named are skipped below.
        order = np.argsort(-contrib, axis=1)[:, : top * 3]
        for i in range(len(feats)):
            row_values = values[i]

            def lookup(name: str, row_values: np.ndarray = row_values) -> float:
                j = column.get(name)
                return float(row_values[j]) if j is not None else float("nan")

            row: list[Reason] = []
            named: set[str] = set()
            for j in order[i]:
                if contrib[i, j] <= 0 or len(row) == top:
                    break
                name = self.feature_names[j]
                entity = _entity_of(name)
                if entity in named:  # "importer: 3 of 4" already says "4 past inspections"
                    continue
                named.add(entity)
                row.append(Reason(name, float(contrib[i, j]),
                                  describe_feature(name, float(row_values[j]), lookup, self)))
            out.append(row)
        return out

    def save(self, directory: Path | str) -> None:
        """Write the booster, the frozen history, the price base and JSON metadata."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(path / MODEL_FILE))
        (path / HISTORY_FILE).write_text(json.dumps(self.history.to_json()), encoding="utf-8")
        self.prices.save(path / PRICES_FILE)
        meta = dict(self.metadata)
        meta.update({
            "format_version": MODEL_FORMAT_VERSION,
            "feature_names": self.feature_names,
            "platt": list(self.platt),
            "category_codes": self.codes.codes,
        })
        (path / META_FILE).write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path | str) -> RiskModel:
        import lightgbm as lgb

        path = Path(directory)
        meta_path = path / META_FILE
        if not meta_path.exists():
            raise FileNotFoundError(f"{path}: not a model directory (no {META_FILE})")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format_version") != MODEL_FORMAT_VERSION:
            raise ValueError(f"{path}: model format {meta.get('format_version')} is not "
                             f"{MODEL_FORMAT_VERSION}; retrain the model")
        booster = lgb.Booster(model_file=str(path / MODEL_FILE))
        history = HistoryStore.from_json(
            json.loads((path / HISTORY_FILE).read_text(encoding="utf-8")))
        prices = ReferencePriceBase.load(path / PRICES_FILE)
        platt = (float(meta["platt"][0]), float(meta["platt"][1]))
        return cls(booster, CategoryCodes(meta["category_codes"]), history, prices,
                   list(meta["feature_names"]), platt, meta)


def assemble_features(frame: pd.DataFrame, codes: CategoryCodes, prices: ReferencePriceBase,
                      history: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([codes.transform(frame), numeric_features(frame, prices), history], axis=1)


def time_ordered_split(dates: pd.Series, holdout_share: float) -> np.ndarray:
    """True for the declarations of the last days making up about `holdout_share` of rows."""
    day = dates.to_numpy(dtype="datetime64[D]")
    cut = np.quantile(day.astype(np.int64), 1.0 - holdout_share)
    return np.asarray(day.astype(np.int64) > cut)


def calibration_slice(dates: pd.Series, labels: np.ndarray, holdout_share: float) -> np.ndarray:
    """True for the inspected declarations that calibrate the model: those of the last days.

    The last days making up `holdout_share` of rows, extended back, day by day, until they hold
    `MIN_CALIBRATION_RESULTS` findings and as many inspections that found nothing, but never
    beyond `MAX_CALIBRATION_SHARE` of the inspected declarations: the trees need the rest.
    """
    inspected = ~np.isnan(labels)
    held = time_ordered_split(dates, holdout_share)
    day = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    per_day = pd.DataFrame({"day": day[inspected], "found": labels[inspected]}).groupby(
        "day")["found"].agg(["size", "sum"]).sort_index(ascending=False)
    results = per_day["size"].cumsum().to_numpy()
    found = per_day["sum"].cumsum().to_numpy()
    allowed = results <= MAX_CALIBRATION_SHARE * inspected.sum()
    enough = (found >= MIN_CALIBRATION_RESULTS) & (results - found >= MIN_CALIBRATION_RESULTS)
    if allowed.any():
        last = int(np.flatnonzero(allowed)[-1])
        first_enough = np.flatnonzero(enough & allowed)
        reach = int(first_enough[0]) if len(first_enough) else last
        held |= day >= int(per_day.index[reach])
    return np.asarray(held & inspected)


def fit_platt(margin: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Platt scaling: a logistic fit of the result on the raw margin, with Platt's targets.

    Platt (1999) fits to (N+ + 1) / (N+ + 2) for a finding and 1 / (N- + 2) for an inspection
    that found nothing, not to 1 and 0: what N cases can tell under a uniform prior. When the
    trees separate the slice perfectly, 0/1 targets have no finite fit (the slope grows without
    bound and scores become 1e-40 and 1.0); with these a slice of 9 findings fits its clearest
    cases at about 10/11, not at 1. sklearn's logistic regression takes 0/1 labels only, so
    each declaration enters twice, as a finding weighted by its target and as a clean one
    weighted by the rest.
    """
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(labels, dtype=float)
    found = float(y.sum())
    target = np.where(y == 1, (found + 1) / (found + 2), 1 / (len(y) - found + 2))
    fit = LogisticRegression(C=100.0).fit(
        np.concatenate([margin, margin]).reshape(-1, 1),
        np.r_[np.ones(len(y)), np.zeros(len(y))], sample_weight=np.r_[target, 1 - target])
    a = float(fit.coef_[0, 0])
    if a <= 0:
        # The trees rank no better than chance on the slice: everyone gets the slice's rate,
        # and a vanishing slope keeps their order, which selection still needs.
        rate = float(target.mean())
        return NO_RANKING_SLOPE, math.log(rate / (1 - rate))
    return a, float(fit.intercept_[0])


def precision_recall_at(labels: np.ndarray, scores: np.ndarray,
                        share: float) -> tuple[float, float]:
    """Precision and recall when inspecting the top `share` (0-1); ties at the cut pro rata.

    k = round(N * share) declarations are inspected. Declarations whose score equals the score
    at the cut share the remaining places equally, so row order gives no advantage.
    """
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    n = len(s)
    k = round(n * share)
    total = float(y.sum())
    if k <= 0 or n == 0:
        return float("nan"), 0.0
    threshold = np.sort(s)[::-1][k - 1]
    above = s > threshold
    at = s == threshold
    places = k - int(above.sum())
    frauds = float(y[above].sum()) + places * float(y[at].sum()) / float(at.sum())
    return frauds / k, (frauds / total if total > 0 else float("nan"))


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if len(np.unique(labels)) < 2:
        return float("nan")
    return float(roc_auc_score(labels, scores))


def train_model(
    frame: pd.DataFrame,
    labels: np.ndarray,
    *,
    params: dict[str, Any] | None = None,
    holdout_share: float = 0.15,
    seed: int = 0,
    progress: Progress = _no_progress,
) -> RiskModel:
    """Train on inspected declarations (labels 0/1; NaN rows count only as activity)."""
    import lightgbm as lgb

    settings = dict(DEFAULT_PARAMS if params is None else params)
    settings.setdefault("random_state", seed)
    y = np.asarray(labels, dtype=float)
    progress("history features (strictly from the past)")
    history_features = past_history_features(frame, y)
    codes = CategoryCodes.fit(frame)
    prices = ReferencePriceBase.build(frame)
    feats = assemble_features(frame, codes, prices, history_features)
    inspected = ~np.isnan(y)
    held = calibration_slice(frame["date"], y, holdout_share)
    early = ~held & inspected
    if held.sum() < 20 or len(np.unique(y[held])) < 2 or len(np.unique(y[early])) < 2:
        raise ValueError("too few inspected declarations with both outcomes to train and "
                         "calibrate (need both fraud and no-fraud in the last days, which "
                         "calibrate the model, and in the days before)")
    progress("fitting the model on the earlier days")
    first = lgb.LGBMClassifier(**settings).fit(feats[early], y[early].astype(int))
    margin = np.asarray(first.predict(feats[held], raw_score=True), dtype=float)
    platt = fit_platt(margin, y[held].astype(int))
    calibrated = 1.0 / (1.0 + np.exp(-(platt[0] * margin + platt[1])))
    metrics = holdout_metrics(y[held].astype(int), calibrated)
    progress("refitting on all days")
    final = lgb.LGBMClassifier(**settings).fit(feats[inspected], y[inspected].astype(int))
    store = HistoryStore.from_history(frame, y)
    dates = frame["date"]
    metadata = {
        "version": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_window": {"from": str(dates.min())[:10], "to": str(dates.max())[:10]},
        "calibration_window": {"from": str(dates[held].min())[:10],
                               "to": str(dates[held].max())[:10]},
        "calibration": {"method": "Platt scaling with Platt's targets (numbers in platt)",
                        "inspected": int(held.sum()), "found": int(y[held].sum())},
        "rows": len(frame),
        "inspected": int(inspected.sum()),
        "frauds": int(np.nansum(y)),
        "params": settings,
        "holdout_metrics": metrics,
        "history_rule": "training: results strictly before each declaration's day; scoring: "
                        "history frozen at the end of the training window",
    }
    return RiskModel(final.booster_, codes, store, prices, list(feats.columns), platt, metadata)


def holdout_metrics(labels: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    out: dict[str, float] = {"auc": _auc(labels, probability),
                             "brier": float(np.mean((probability - labels) ** 2)),
                             "mean_probability": float(probability.mean()),
                             "fraud_rate": float(labels.mean())}
    for pct in (1, 5, 10):
        p, r = precision_recall_at(labels, probability, pct / 100)
        out[f"precision_at_{pct}"] = p
        out[f"recall_at_{pct}"] = r
    return {k: (v if math.isfinite(v) else -1.0) for k, v in out.items()}


def describe_feature(name: str, value: float, lookup: Callable[[str], float],
                     model: RiskModel) -> str:
    """A short phrase an examiner understands for one feature's value.

    `lookup` gives the declaration's other feature values (a rate is shown with its counts).
    The words are `chegara.messages`', so the web interface can show them translated.
    """
    if name.endswith("_code"):
        field_name = name[: -len("_code")]
        label = {v: k for k, v in model.codes.codes.get(field_name, {}).items()}
        shown = label.get(int(value), RARE_VALUE) if math.isfinite(value) else BLANK
        words = CODE_WORDS.get(field_name, field_name.replace("_", " "))
        return messages.CODED_VALUE.format(words=words, shown=shown or BLANK)
    for suffix in ("_fraud_rate", "_inspections", "_seen"):
        if not name.endswith(suffix):
            continue
        entity = name[: -len(suffix)]
        words = ENTITY_WORDS.get(entity, entity)
        if not math.isfinite(value):
            return messages.NOT_ON_DECLARATION.format(words=words)
        if suffix == "_seen":
            return _past_declarations(words, value)
        n = lookup(f"{entity}_inspections")
        # Undo the smoothing to show the examiner plain counts, not a shrunk rate.
        m = model.history.smoothing
        frauds = lookup(f"{entity}_fraud_rate") * (n + m) - m * lookup("prior_fraud_rate")
        if not math.isfinite(n) or n == 0:
            return messages.NEVER_INSPECTED.format(words=words)
        return messages.FRAUD_FOUND.format(words=words, frauds=max(frauds, 0), n=n)
    template = NUMERIC_WORDS.get(name)
    if template is None or not math.isfinite(value):
        return f"{name.replace('_', ' ')} {value:g}"
    # Clipped so an absurd declared amount reads as a huge number, not an overflow.
    clipped = min(value, 700.0)
    return template.format(v=value, e=math.expm1(clipped), r=math.exp(clipped))


def _past_declarations(words: str, n: float) -> str:
    if not math.isfinite(n) or n == 0:
        return messages.NO_PAST_DECLARATIONS.format(words=words)
    if n == 1:
        return messages.ONE_PAST_DECLARATION.format(words=words, n=n)
    return messages.PAST_DECLARATIONS.format(words=words, n=n)


def _entity_of(feature: str) -> str:
    for suffix in ("_fraud_rate", "_inspections", "_seen"):
        if feature.endswith(suffix):
            return feature[: -len(suffix)]
    return feature

