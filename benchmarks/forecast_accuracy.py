"""Rolling-origin backtest, horizon 12, on the public series in ../shared/data/strategic.

Chegara's forecast (chegara.analysis.forecast.forecast_counts) side by side with statsmodels'
ETS (ETSModel: additive damped trend, additive seasonality once there are two full years, fitted
on log1p counts, with its own analytical 80% prediction intervals), and with Nixtla's
statsforecast automatic models (AutoETS, AutoARIMA, AutoTheta, season 12, on log1p counts, their
own 80% intervals) and the median of those three, the usual strong statistical benchmark, all on
the same origins.

Reported per file and forecaster: MASE (absolute errors scaled by the in-sample seasonal naive
error of the months seen), the seasonal naive forecast's own MASE on the same forecasts, their
ratio pooled over all forecasts, the geometric mean over series of the per-series ratio, and the
share of actual counts inside the 80% interval. One JSON line on stdout.

    .venv/bin/python benchmarks/forecast_accuracy.py [--step 3] [--min-train 24] [--no-peer]
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from chegara.analysis.backtest import BacktestScore, Forecaster, rolling_origin_backtest
from chegara.analysis.forecast import METHOD_COMBINED, Forecast, forecast_counts, seasonal_naive

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "strategic"
FILES = ("cbp_sw_border_counts.csv", "frontex_ibc_routes.csv")


def load(path: Path) -> dict[str, np.ndarray]:
    series: dict[str, list[float]] = defaultdict(list)
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            series[f"{row['section']}|{row['indicator']}"].append(float(row["count"]))
    return {key: np.array(values) for key, values in series.items()}


def statsmodels_ets(history: np.ndarray, horizon: int) -> Forecast:
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    z = pd.Series(
        np.log1p(history), index=pd.date_range("2000-01-01", periods=history.size, freq="MS")
    )
    seasonal = "add" if z.size >= 24 else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(
            z,
            error="add",
            trend="add",
            damped_trend=True,
            seasonal=seasonal,
            seasonal_periods=12 if seasonal else None,
        )
        fit = model.fit(disp=False)
        frame = fit.get_prediction(start=z.size, end=z.size + horizon - 1).summary_frame(alpha=0.2)
    mean = np.expm1(frame["mean"].to_numpy())
    lower = np.maximum(np.expm1(frame["pi_lower"].to_numpy()), 0.0)
    upper = np.expm1(frame["pi_upper"].to_numpy())
    return Forecast(mean, lower, upper, "statsmodels ETSModel AAdA/AAdN on log1p")


_AUTO_MODELS = ("AutoETS", "AutoARIMA", "AutoTheta")
AUTO_PEERS = (*_AUTO_MODELS, "median")
FAILED_FITS: Counter[str] = Counter()


@functools.cache
def _statsforecast_fit(name: str, history: bytes, horizon: int) -> Forecast:
    """One automatic model fitted at one origin; kept, so the median peer, run after the
    three, reuses their fits (its time is then only the taking of medians)."""
    import statsforecast.models as auto

    y = np.frombuffer(history, dtype=np.float64)
    z = np.log1p(y)
    model = getattr(auto, name)(season_length=12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = model.forecast(y=z, h=horizon, level=[80])
            mean, lower, upper = fit["mean"], fit["lo-80"], fit["hi-80"]
        except Exception:  # scored as seasonal naive, and counted in the output
            FAILED_FITS[name] += 1
            mean = lower = upper = np.log1p(seasonal_naive(y, horizon))
    # On the log scale a diverged fit overflows expm1; hold it to 3 (x20) above the record.
    ceiling = z.max() + 3.0
    return Forecast(np.expm1(np.clip(mean, 0.0, ceiling)), np.expm1(np.clip(lower, 0.0, ceiling)),
                    np.expm1(np.clip(upper, 0.0, ceiling)), f"statsforecast {name}")


def statsforecast_model(name: str) -> Forecaster:
    def forecaster(history: np.ndarray, horizon: int) -> Forecast:
        key = np.ascontiguousarray(history, dtype=np.float64).tobytes()
        if name != "median":
            return _statsforecast_fit(name, key, horizon)
        fits = [_statsforecast_fit(model, key, horizon) for model in _AUTO_MODELS]

        def middle(part: str) -> np.ndarray:
            return np.asarray(np.median(np.vstack([getattr(f, part) for f in fits]), axis=0))

        # The interval of the median peer is the median of the three bounds: crude, and
        # reported only for completeness.
        return Forecast(middle("forecast"), middle("lower80"), middle("upper80"),
                        "statsforecast median(AutoETS, AutoARIMA, AutoTheta)")

    return forecaster


def summarise(per_series: dict[str, BacktestScore], seconds: float) -> dict[str, object]:
    pooled = BacktestScore.pooled(list(per_series.values()))
    ratios = [s.relative_mase for s in per_series.values() if s.scaled_errors]
    summary: dict[str, object] = dict(pooled.as_dict())
    summary["relative_mase_geomean_over_series"] = round(float(np.exp(np.mean(np.log(ratios)))), 4)
    summary["series_beating_seasonal_naive"] = sum(r < 1.0 for r in ratios)
    summary["series"] = len(ratios)
    # How much one series weighs in the pooled ratio: a series whose in-sample scale is tiny
    # (long runs of zeros) can hold a large share of all scaled errors.
    naive_error = {key: float(np.sum(s.naive_scaled_errors)) for key, s in per_series.items()}
    largest = max(naive_error, key=lambda key: naive_error[key])
    rest = BacktestScore.pooled([s for key, s in per_series.items() if key != largest])
    summary["largest_series_by_naive_error"] = largest.split("|")[0]
    summary["largest_series_share_of_naive_error"] = round(
        naive_error[largest] / sum(naive_error.values()), 3)
    summary["relative_mase_without_largest_series"] = round(rest.relative_mase, 4)
    summary["note"] = "runaway_forecasts: forecasts above 10x the largest count seen"
    summary["seconds"] = round(seconds, 1)
    return summary


def _auto_peers(text: str) -> tuple[str, ...]:
    chosen = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in chosen if name not in AUTO_PEERS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(AUTO_PEERS)}")
    return chosen


def backtest_arguments() -> argparse.ArgumentParser:
    """The rolling-origin protocol's options, shared by the forecast benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--step", type=int, default=3, help="months between origins (ETS fits are slow)"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip every peer")
    parser.add_argument("--no-statsforecast", action="store_true",
                        help="skip statsforecast's automatic models (minutes per file)")
    parser.add_argument("--statsforecast", type=_auto_peers, default=AUTO_PEERS,
                        metavar="MODELS", help="which of them, comma-separated: "
                        f"{','.join(AUTO_PEERS)} (default all; AutoARIMA is the slow one)")
    parser.add_argument("--min-train", type=int, default=24)
    parser.add_argument("--horizon", type=int, default=12)
    return parser


def main() -> None:
    args = backtest_arguments().parse_args()
    result: dict[str, object] = {
        "benchmark": "forecast_accuracy",
        "horizon": args.horizon,
        "origin_step": args.step,
        "min_train": args.min_train,
        "chegara_method": METHOD_COMBINED,
        "peer": "statsmodels ETSModel (damped additive trend, additive season) on log1p; "
        "statsforecast AutoETS, AutoARIMA, AutoTheta (season 12) on log1p and their median",
        "targets": {"relative_mase_max": 0.9, "coverage80": [0.75, 0.85]},
    }
    for name in FILES:
        data = load(DATA / name)
        entry: dict[str, object] = {}
        forecasters: list[tuple[str, Forecaster]] = [("chegara", forecast_counts)]
        if not args.no_peer:
            forecasters.append(("statsmodels_ets", statsmodels_ets))
        if not (args.no_peer or args.no_statsforecast):
            forecasters += [(f"statsforecast_{name.lower()}", statsforecast_model(name))
                            for name in args.statsforecast]
        for label, forecaster in forecasters:
            started = time.perf_counter()
            per_series = {
                key: rolling_origin_backtest(
                    {key: values},
                    horizon=args.horizon,
                    min_train=args.min_train,
                    step=args.step,
                    forecaster=forecaster,
                )
                for key, values in data.items()
            }
            entry[label] = summarise(per_series, time.perf_counter() - started)
        result[name.removesuffix(".csv")] = entry
    result["statsforecast_failed_fits_scored_as_seasonal_naive"] = dict(FAILED_FITS)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
