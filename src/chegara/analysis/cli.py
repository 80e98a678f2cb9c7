"""`chegara analysis ...`: strategic analysis from the command line.

Heavy libraries (numpy, scipy, rich progress) are imported inside the commands so that
`chegara --help` stays fast on a small border-post server.
"""

from __future__ import annotations

from pathlib import Path

import typer

from chegara.files import check_output_path, write_bytes_atomically
from chegara.pdf import html_to_pdf

app = typer.Typer(
    name="analysis",
    help="Strategic risk analysis: forecasts of monthly indicators and analysis products.",
    no_args_is_help=True,
)

MAX_HORIZON = 120
_PROGRESS_FROM = 10


@app.callback()
def analysis() -> None:
    """Strategic risk analysis: forecasts of monthly indicators and analysis products."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


@app.command("forecast")
def forecast_command(
    counts: Path = typer.Argument(
        ..., help="COUNTS.csv with columns period (YYYY-MM),section,indicator,count."
    ),
    horizon: int = typer.Option(
        ..., "--horizon", help=f"Months to forecast after each series' last month, 1-{MAX_HORIZON}."
    ),
    out: Path = typer.Option(
        ..., "--out", help="FORECAST.csv: period,section,indicator,forecast,lower80,upper80."
    ),
) -> None:
    """Forecast every (section, indicator) series with an 80% prediction interval.

    A month missing inside a series counts as zero (reported on stderr). Bad input stops with
    exit code 2, a message naming the line, and no output file.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from chegara.analysis.countsfile import (
        CountsFileError,
        ForecastRow,
        period_label,
        read_counts,
        write_forecast,
    )
    from chegara.analysis.forecast import forecast_counts

    if not 1 <= horizon <= MAX_HORIZON:
        raise _fail(f"--horizon must be between 1 and {MAX_HORIZON} months, got {horizon}")
    try:
        all_series = read_counts(counts)
    except CountsFileError as error:
        raise _fail(f"{counts}: {error}") from None
    except FileNotFoundError:
        raise _fail(f"{counts}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(f"{counts}: cannot read ({error})") from None
    if not out.resolve().parent.is_dir():
        raise _fail(f"{out}: the directory does not exist")

    console = Console(stderr=True, soft_wrap=True)
    rows: list[ForecastRow] = []
    methods: dict[str, int] = {}
    with Progress(
        TextColumn("forecasting"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=len(all_series) < _PROGRESS_FROM,
    ) as progress:
        task = progress.add_task("forecast", total=len(all_series))
        for series in all_series:
            if series.filled_months:
                console.print(
                    f"note: {series.section} / {series.indicator}: "
                    f"{series.filled_months} missing month(s) counted as 0",
                    highlight=False,
                )
            result = forecast_counts(series.counts, horizon)
            methods[result.method] = methods.get(result.method, 0) + 1
            for step in range(horizon):
                rows.append(
                    ForecastRow(
                        period=period_label(series.last + 1 + step),
                        section=series.section,
                        indicator=series.indicator,
                        forecast=float(result.forecast[step]),
                        lower80=float(result.lower80[step]),
                        upper80=float(result.upper80[step]),
                    )
                )
            progress.advance(task)
    try:
        write_forecast(out, rows)
    except OSError as error:
        raise _fail(f"{out}: cannot write ({error})") from None
    for method, used in sorted(methods.items()):
        console.print(f"method: {method} ({used} series)", highlight=False)
    console.print(f"wrote {len(rows)} rows for {len(all_series)} series to {out}", highlight=False)


@app.command("product")
def product_command(
    kind: str = typer.Option(..., "--kind", help="bulletin, annual or section."),
    period: str = typer.Option(
        ..., "--period", help="YYYY-MM for a bulletin or section analysis, YYYY for annual."
    ),
    out: Path = typer.Option(..., "--out", help="FILE.html or FILE.pdf."),
    as_user: str = typer.Option(
        ..., "--as", help="The analyst generating it: the product holds what they may see."
    ),
    edition: str = typer.Option("restricted", "--edition", help="restricted or public."),
    section: str | None = typer.Option(None, "--section", help="Section code (section kind)."),
    language: str | None = typer.Option(
        None, "--language", help="ru or en; the user's own language when left out."
    ),
) -> None:
    """Generate a bulletin, annual analysis or section analysis, store it and write it out.

    Stored and audited as from the web page; a failure leaves neither product nor file.
    """
    from chegara.analysis import products
    from chegara.db.registry import load_all_models
    from chegara.db.schema import ensure_schema
    from chegara.db.session import open_database
    from chegara.errors import BadInput
    from chegara.security import audit
    from chegara.security import service as security

    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise BadInput(f"{out}: --out must end in .html or .pdf")
    check_output_path(out)
    load_all_models()
    db = open_database()
    ensure_schema(db)
    with db.unit_of_work() as session:
        principal = security.principal_for(session, security.find_user(session, as_user))
        audit.set_actor(session, security.actor_of(principal))
        product = products.generate(session, principal, kind=kind, period=period,
                                    edition=edition, section=section, language=language)
        content = (html_to_pdf(product.html) if suffix == ".pdf"
                   else product.html.encode("utf-8"))
        write_bytes_atomically(out, [content])
        typer.echo(f"product {product.id}: {product.title} -> {out}")

