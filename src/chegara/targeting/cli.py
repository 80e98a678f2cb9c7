"""`chegara targeting`: train the learned risk model and score declarations from files.

Heavy libraries (pandas, LightGBM, scikit-learn) are imported inside the commands so that
`chegara --help` stays instant on a border-post server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from chegara.files import write_bytes_atomically

if TYPE_CHECKING:
    import pandas as pd

    from chegara.targeting.model import RiskModel

app = typer.Typer(help="Customs and SPS targeting: learned risk model, profiles, selection.",
                  no_args_is_help=True)
stderr = Console(stderr=True)

# Declarations scored per step of the reasons loop (so the progress bar moves).
REASON_CHUNK = 2000
# Native trees are compiled for files at least this long (or reused once compiled), kept in
# this folder of the model directory.
COMPILE_FROM_ROWS = 1_000_000
COMPILED_DIR = "compiled"


def _fail(message: str) -> typer.Exit:
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


@contextmanager
def _progress() -> Iterator[Progress]:
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=stderr, transient=True) as bar:
        yield bar


def _load(path: Path, map_path: Path, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    from chegara.targeting.declarations import (
        DeclarationImportError,
        FieldMapError,
        load_declarations,
        load_field_map,
    )

    for given in (path, map_path):
        if not given.is_file():
            raise _fail(f"{given}: " + ("a directory, not a file" if given.is_dir()
                                         else "no such file"))
    try:
        field_map = load_field_map(map_path)
        return load_declarations(path, field_map, keep_columns=keep)
    except FieldMapError as exc:
        raise _fail(f"{map_path}: {exc}") from exc
    except DeclarationImportError as exc:
        raise _fail(f"{path}: {exc}") from exc


@app.command()
def train(
    declarations: Annotated[Path, typer.Argument(help="CSV / JSON of inspected declarations")],
    map_path: Annotated[Path, typer.Option("--map", help="YAML map: canonical -> column")],
    label: Annotated[str, typer.Option("--label", help="column with the 0/1 inspection result")],
    model_out: Annotated[Path, typer.Option("--model-out", help="directory to write")],
    seed: Annotated[int, typer.Option(help="random seed of the booster")] = 0,
) -> None:
    """Train the calibrated LightGBM risk model on inspected declarations."""
    from chegara.targeting.declarations import DeclarationImportError, label_values
    from chegara.targeting.model import train_model

    if model_out.exists() and not model_out.is_dir():
        raise _fail(f"{model_out} is a file; --model-out names a directory")

    with _progress() as bar:
        task = bar.add_task("reading declarations", total=4)
        frame = _load(declarations, map_path, keep=(label,))
        try:
            labels = label_values(frame, label).astype(float)
        except DeclarationImportError as exc:
            raise _fail(f"{declarations}: {exc}") from exc
        bar.advance(task)

        def step(text: str) -> None:
            bar.update(task, description=text)
            bar.advance(task)

        try:
            model = train_model(frame, labels, seed=seed, progress=step)
        except ValueError as exc:
            raise _fail(str(exc)) from exc
    model.save(model_out)
    metrics = model.metadata["holdout_metrics"]
    window = model.metadata["data_window"]
    stderr.print(
        f"model {model.metadata['version']} trained on {model.metadata['inspected']} inspected "
        f"declarations ({window['from']} .. {window['to']}); held-out last days: "
        f"precision@5% {metrics['precision_at_5']:.3f}, precision@10% "
        f"{metrics['precision_at_10']:.3f}, AUC {metrics['auc']:.3f}; written to {model_out}",
        highlight=False, soft_wrap=True)


@app.command()
def score(
    declarations: Annotated[Path, typer.Argument(help="CSV / JSON of declarations to score")],
    map_path: Annotated[Path, typer.Option("--map", help="YAML map: canonical -> column")],
    model_dir: Annotated[Path, typer.Option("--model", help="directory written by train")],
    out: Annotated[Path, typer.Option("--out", help="SCORES.csv to write")],
    profiles: Annotated[Path | None, typer.Option(help="YAML risk profiles / watch-lists")] = None,
    red_rate: Annotated[float, typer.Option(help="share sent red per office-day")] = 0.05,
    yellow_rate: Annotated[float, typer.Option(help="share sent yellow per office-day")] = 0.05,
    random_percent: Annotated[float, typer.Option(help="random compliance sample, %")] = 1.0,
    reasons: Annotated[str, typer.Option(help="'all' or 'selected' (skip green)")] = "all",
    seed: Annotated[int, typer.Option(help="seed of the random sample")] = 0,
) -> None:
    """Score declarations: declaration_id,score,channel,reasons (higher score = riskier)."""
    import numpy as np

    from chegara.errors import BadInput
    from chegara.files import check_output_path
    from chegara.targeting.model import RiskModel
    from chegara.targeting.rules import ProfileError, evaluate, load_profiles
    from chegara.targeting.selection import SelectionPolicy, select

    if reasons not in ("all", "selected"):
        raise _fail("--reasons must be 'all' or 'selected'")
    try:
        check_output_path(out)
    except BadInput as exc:
        raise _fail(exc.message) from exc
    try:
        # No capacities are known from the command line, so the rates apply per day over all
        # offices: per office-day, small offices would be rounded to chance.
        policy = SelectionPolicy(red_rate=red_rate, yellow_rate=yellow_rate,
                                 random_percent=random_percent, seed=seed, per_office=False)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    try:
        model = RiskModel.load(model_dir)
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise _fail(f"{model_dir}: cannot load the model: {exc}") from exc
    profile_set = None
    if profiles is not None:
        try:
            profile_set = load_profiles(profiles)
        except (ProfileError, OSError) as exc:
            raise _fail(f"{profiles}: {exc}") from exc
    with _progress() as bar:
        task = bar.add_task("reading declarations", total=None)
        frame = _load(declarations, map_path)
        _compile_for(model, model_dir, len(frame))
        bar.update(task, description="scoring")
        scores = model.score(frame)
        hits = None
        if profile_set is not None:
            try:
                hits = evaluate(profile_set, frame, prices=model.prices, seed=seed)
            except ProfileError as exc:
                raise _fail(f"{profiles}: {exc}") from exc
        chosen = select(frame, scores, policy=policy, rule_hits=hits)
        bar.remove_task(task)
        wanted = np.arange(len(frame)) if reasons == "all" else np.flatnonzero(
            chosen.channel != "green")
        texts = np.full(len(frame), "", dtype=object)
        task = bar.add_task("explaining", total=len(wanted))
        for start in range(0, len(wanted), REASON_CHUNK):
            rows = wanted[start:start + REASON_CHUNK]
            for row, found in zip(rows, model.reasons(frame.iloc[rows]), strict=True):
                texts[row] = "; ".join(r.text for r in found)
            bar.advance(task, len(rows))
    reason_column = [
        "; ".join([*chosen.reasons(i), texts[i]] if texts[i] else chosen.reasons(i))
        for i in range(len(frame))
    ]
    _write_atomically(out, frame["declaration_id"].to_numpy(), scores, chosen.channel,
                      reason_column)
    counts = {c: int((chosen.channel == c).sum()) for c in ("red", "yellow", "blue", "green")}
    stderr.print(f"{len(frame)} declarations scored -> {out}: {counts}", highlight=False)


def _compile_for(model: RiskModel, model_dir: Path, rows: int) -> None:
    """Native trees (lleaves) for a large file, or whenever they were compiled before: the
    compilation takes seconds and pays for itself from about a million declarations. The
    library is kept in the model directory; a read-only one keeps LightGBM's predictor."""
    cache = model_dir / COMPILED_DIR
    known = model.compiled_path(cache)
    if known is None or (rows < COMPILE_FROM_ROWS and not known.exists()):
        return
    try:
        model.compile(cache)
    except OSError:
        return


def _write_atomically(out: Path, ids: object, scores: object, channel: object,
                      reasons: list[str]) -> None:
    """Write beside the target and rename, so a failure never leaves a partial SCORES.csv."""
    import pandas as pd

    table = pd.DataFrame({"declaration_id": ids, "score": scores, "channel": channel,
                          "reasons": reasons})
    rows = 100_000

    def chunks() -> Iterator[bytes]:
        # Nine decimals: coarser rounding would create ties at the selection cut.
        for start in range(0, max(len(table), 1), rows):
            yield table.iloc[start:start + rows].to_csv(
                header=start == 0, index=False, float_format="%.9f").encode("utf-8")

    write_bytes_atomically(out, chunks())
