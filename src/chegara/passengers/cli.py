"""``chegara manifest``: read passenger lists (PAXLST, PNRGOV, bus and train CSV) from files.

For now the group only parses; storing and screening come with the passenger service. A
malformed message stops with exit code 2 and one line naming the segment, and never leaves a
half-written output file (the output is written beside the target and renamed).
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Import passenger manifests (PAXLST, PNRGOV, CSV).", no_args_is_help=True)


@app.callback()
def manifest_group() -> None:
    """Import passenger manifests (PAXLST, PNRGOV, bus and train CSV)."""


@app.command("import")
def import_manifest(
    file: Path = typer.Argument(..., help="PAXLST or PNRGOV interchange, or a CSV manifest."),
    out: Path = typer.Option(..., "--out", help="Output JSONL, one line per traveller."),
    strict: bool = typer.Option(False, "--strict", help="Refuse count and reference mismatches."),
) -> None:
    """Read one manifest file and write its travellers as JSON lines."""
    import json
    import os
    import tempfile

    from chegara.passengers.edifact import EdifactError
    from chegara.passengers.manifest_csv import CsvManifestError
    from chegara.passengers.reader import read_manifest_file

    try:
        manifest = read_manifest_file(file, strict=strict)
    except (EdifactError, CsvManifestError) as exc:
        typer.echo(f"error: {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    for warning in manifest.warnings:
        typer.echo(f"warning: {warning}", err=True)
    target = out.resolve()
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            for row in manifest.traveller_rows():
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    typer.echo(f"{manifest.message_type} {manifest.flight or '-'}: "
               f"{len(manifest.travellers)} traveller(s) -> {out}", err=True)  # fmt: skip
