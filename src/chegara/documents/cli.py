"""``chegara mrz``: check machine readable zones in bulk from the command line.

Heavy work is imported inside the command so that ``chegara --help`` stays fast. The output file
is written to a temporary file beside it and renamed at the end, so a failed run never leaves a
half-written file that a later step could mistake for a complete one.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Check machine readable zones (ICAO Doc 9303).", no_args_is_help=True)


@app.callback()
def mrz_group() -> None:
    """Check machine readable zones (ICAO Doc 9303)."""


class InputLineError(ValueError):
    """A line of the input JSONL that is not a usable {"id", "mrz"} object."""


def _parse_input_line(number: int, line: str) -> tuple[str | int | float, str]:
    import json

    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputLineError(f"line {number}: not valid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise InputLineError(f"line {number}: expected a JSON object")
    ident, mrz_text = item.get("id"), item.get("mrz")
    # The id is echoed as given (string or number) so callers can join results to inputs.
    if not isinstance(ident, (str, int, float)) or isinstance(ident, bool):
        raise InputLineError(f"line {number}: missing or unusable 'id'")
    if not isinstance(mrz_text, str):
        raise InputLineError(f"line {number}: missing 'mrz' text")
    return ident, mrz_text


@app.command("check")
def check(
    jsonl: Path = typer.Option(..., "--jsonl", help='Input: one {"id", "mrz"} object a line.'),
    out: Path = typer.Option(..., "--out", help="Output JSONL, one result per input line."),
) -> None:
    """Validate every MRZ of a JSONL file; write valid/format/fields/errors/warnings per line."""
    import json
    import os
    import tempfile
    from datetime import date

    from chegara.documents.mrz import check_mrz

    today = date.today()
    try:
        text = jsonl.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: cannot read {jsonl}: {exc}", err=True)
        raise typer.Exit(2) from None
    results: list[str] = []
    valid = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ident, mrz_text = _parse_input_line(number, line)
        except InputLineError as exc:
            typer.echo(f"error: {jsonl}: {exc}", err=True)
            raise typer.Exit(2) from None
        record: dict[str, object] = {"id": ident}
        outcome = check_mrz(mrz_text, today=today)
        valid += outcome.valid
        record.update(outcome.to_json())
        results.append(json.dumps(record, ensure_ascii=False))
    target = out.resolve()
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            for row in results:
                stream.write(row + "\n")
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    typer.echo(f"{len(results)} MRZ checked, {valid} valid -> {out}", err=True)
