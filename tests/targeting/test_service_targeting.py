"""The targeting services on the demo data: a month of trade, the model trained on the first
three weeks, dashboards, audit records, and the database commands."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chegara.analysis import service as analysis
from chegara.db.session import Database
from chegara.demo.targeting import DAYS, SPS_WEEK, generate_trade, load_targeting_demo
from chegara.errors import BadInput, Forbidden
from chegara.security import audit
from chegara.security import service as security
from chegara.security.models import AuditEvent
from chegara.targeting import service
from chegara.targeting.models import (
    InspectionResult,
    RiskModelVersion,
    SpsCheck,
    StoredDeclaration,
    TargetingDecision,
)

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def trade_demo(demo: Database) -> Database:
    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("cli:demo"))
        # The crossing points name the offices that are posts (Torugart, Kordai ...).
        analysis.seed_geography(session)
        load_targeting_demo(session, demo.settings, scale=0.8, today=TODAY)
    return demo


def _principal(session: object, username: str) -> object:
    return security.principal_for(session, security.find_user(session, username))  # type: ignore[arg-type]


def test_demo_month_gives_decisions_results_model_and_dashboard(trade_demo: Database) -> None:
    with trade_demo.reader() as session:
        model = session.scalar(select(RiskModelVersion).where(
            RiskModelVersion.status == "active"))
        assert model is not None and Path(model.path, "model.json").is_file()
        # Trained only on what was inspected before it: the first three weeks.
        assert model.data_to is not None and model.data_to < TODAY - dt.timedelta(days=8)
        assert 0.0 <= model.metrics["auc"] <= 1.0 and model.reference_scores
        undecided = session.scalar(select(func.count()).select_from(StoredDeclaration).where(
            ~StoredDeclaration.id.in_(select(TargetingDecision.declaration_pk))))
        assert undecided == 0
        by_model = session.scalars(select(TargetingDecision).where(
            TargetingDecision.model_version == model.version,
            TargetingDecision.basis == "score")).all()
        assert by_model and all(d.model_reasons for d in by_model)
        _scores_read_as_probabilities_with_their_place(session, model, by_model)
        assert all(d.inspector.endswith(("inspector1", "inspector2", "inspector3"))
                   for d in by_model if d.channel == "red")
        analyst = _principal(session, "customs.analyst")
        board = service.dashboard(session, analyst)  # type: ignore[arg-type]
        selectors = {r.selector for r in board.rates}
        assert {"profile CIG-UNDERVALUED", "random sample"} <= selectors
        assert board.non_compliance is not None
        assert 0 <= board.non_compliance.low <= board.non_compliance.hit_rate
        assert board.inspected == session.scalar(select(func.count()).select_from(
            InspectionResult).where(InspectionResult.owner_agency_id == analyst.agency_id))  # type: ignore[attr-defined]
        assert board.weekly and board.score_level in ("stable", "watch", "alert", "unknown")
        assert {name for name, _, _ in board.input_drift} >= {"office", "origin_country"}
        cig = next(p for p in service.list_profiles(session, analyst)  # type: ignore[arg-type]
                   if p.code == "CIG-UNDERVALUED")
        effect = service.profile_effectiveness(session, analyst, cig)  # type: ignore[arg-type]
        board_row = next(r for r in board.rates if r.selector == "profile CIG-UNDERVALUED")
        assert effect.rate is not None and effect.rate.inspected == board_row.inspected
        assert effect.rate.found == board_row.found and effect.fired >= board_row.inspected
        # The selection runs were audited once each, not row by row.
        runs = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "targeting_decision.run"))
        sps_weeks = -(-DAYS // SPS_WEEK)
        assert runs == 2 + sps_weeks  # history, with the model, then SPS week by week
        _sps_history_shows(session)


def _scores_read_as_probabilities_with_their_place(
        session: Session, model: RiskModelVersion, by_model: Sequence[TargetingDecision]
) -> None:
    """The demo model's scores are calibrated probabilities, not 1e-40 and 1.0, and the reason
    of a declaration chosen by score says its percentage, its place that day and the office by
    its crossing point's name (its code where it is no crossing point)."""
    assert min(model.reference_scores) > 1e-6 and max(model.reference_scores) < 1 - 1e-6
    rate = model.metrics["fraud_rate"]
    assert model.metrics["brier"] < rate * (1 - rate)  # better than forecasting the rate
    points = {p.code: p.name for p in analysis.list_crossing_points(session)}
    offices = dict(session.execute(select(StoredDeclaration.id, StoredDeclaration.office).where(
        StoredDeclaration.id.in_([d.declaration_pk for d in by_model]))).tuples().all())
    for decision in by_model:
        found = re.fullmatch(r"risk score (\d+\.\d)%(?:, reduced to \S+ for an authorised "
                             r"economic operator)?, ranked (\d+) of (\d+) declarations at "
                             r"(.+?) that day(?: by the reduced score)?", decision.reasons[0])
        assert found, decision.reasons
        assert abs(float(found[1]) - 100 * decision.score) <= 0.05 + 1e-9
        assert 1 <= int(found[2]) <= int(found[3])
        office = offices[decision.declaration_pk]
        assert found[4] == points.get(office, office)
    named = {offices[d.declaration_pk] for d in by_model} & set(points)
    assert named and {"Torugart", "Kordai"} & {points[o] for o in named}


def _sps_history_shows(session: Session) -> None:
    """The demo's SPS consignments got their checks from the categories, and history moved the
    frequencies three ways: a problem origin, careless establishments, clean ones."""
    checks = session.execute(select(SpsCheck, StoredDeclaration).join(
        TargetingDecision, TargetingDecision.id == SpsCheck.decision_id).join(
        StoredDeclaration, StoredDeclaration.id == TargetingDecision.declaration_pk)
    ).tuples().all()
    consignments = session.scalar(select(func.count()).select_from(StoredDeclaration).where(
        StoredDeclaration.kind == "consignment"))
    assert len(checks) == consignments and all(c.documentary for c, _ in checks)
    assert {c.category_code for c, _ in checks} >= {"MEAT", "FRUIT-VEG", "GRAIN", "FRUIT-CN"}
    adjustments = [(c, d) for c, d in checks if c.adjustments]
    assert any(a.startswith("origin UZ") for c, _ in adjustments for a in c.adjustments)
    reinforced = [(c, d) for c, d in adjustments if "reinforced" in c.adjustments[-1]]
    assert reinforced and all(c.physical and c.laboratory for c, _ in reinforced)
    reduced = [c for c, _ in adjustments if "reduced to" in c.adjustments[-1]]
    assert reduced and all(c.frequencies["physical"] < c.base_frequencies["physical"]
                           for c in reduced)
    # The first week had no history to learn from.
    first_day = min(d.date for _, d in checks)
    assert not any(d.date < first_day + dt.timedelta(days=SPS_WEEK) for _, d in adjustments)
    # The SPS part of the joint decision is the one these checks gave.
    sps_inspector = _principal(session, "sps.inspector")
    stored = reinforced[0][1]
    joint = service.joint_decision(session, sps_inspector, stored.declaration_id)  # type: ignore[arg-type]
    part = next(p for p in joint.parts if p.kind == "consignment")
    assert part.sps_checks == ("documentary", "identity", "physical", "laboratory")
    assert joint.channel == "red"


def test_a_supervisor_of_another_agency_cannot_activate(demo: Database) -> None:
    with demo.unit_of_work() as session:
        analyst = _principal(session, "customs.analyst")
        audit.set_actor(session, security.actor_of(analyst))  # type: ignore[arg-type]
        profile = service.create_profile(session, analyst, service.ProfileDraft(  # type: ignore[arg-type]
            code="CARS", name="Cars", criteria={"hs": ["8703"]}, channel="yellow"))
        approval = service.request_profile_activation(session, analyst, profile.id)  # type: ignore[arg-type]
        from chegara.security import approvals

        stranger = _principal(session, "sps.supervisor")
        with pytest.raises(Forbidden):
            approvals.decide(session, stranger, approval.id, approve=True, reason="")  # type: ignore[arg-type]
        with pytest.raises(BadInput):
            service.create_profile(session, analyst, service.ProfileDraft(  # type: ignore[arg-type]
                code="X", name="x", criteria={"field": "no_such_field", "in": ["1"]},
                channel="red"))


def test_cli_imports_decides_and_lists_models(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from chegara.cli import app
    from chegara.settings import get_settings

    monkeypatch.setenv("CHEGARA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHEGARA_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    trade = generate_trade(dt.date(2026, 10, 1), days=2, scale=0.1)
    source = tmp_path / "decl.csv"
    names = sorted({k for r in trade.declarations for k in r} - {"declaration_id"})
    rows = [["DeclNo", *names]] + [[r["declaration_id"], *(r.get(n, "") for n in names)]
                                   for r in trade.declarations]
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    lines = source.read_text(encoding="utf-8").splitlines()
    mapping = tmp_path / "map.yaml"
    mapping.write_text("declaration_id: DeclNo\n" + "".join(f"{n}: {n}\n" for n in names),
                       encoding="utf-8")
    try:
        imported = runner.invoke(app, ["targeting", "import", str(source), "--map",
                                       str(mapping)])
        assert imported.exit_code == 0, imported.output
        assert f"{len(trade.declarations)} declarations imported" in imported.output
        bad = tmp_path / "bad.csv"
        bad.write_text(lines[0] + "\n" + lines[1].replace(",2026-10-01,", ",01.10.2026,")
                       + "\n", encoding="utf-8")
        refused = runner.invoke(app, ["targeting", "import", str(bad), "--map", str(mapping)])
        assert isinstance(refused.exception, BadInput)
        assert "line 2" in refused.exception.message
        decided = runner.invoke(app, ["targeting", "decide"])
        assert decided.exit_code == 0, decided.output
        assert (f"{len(trade.declarations)} declarations channelled (no active model"
                in decided.output)
        assert runner.invoke(app, ["targeting", "models"]).exit_code == 0
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("rates", [{"red_rate": float("nan")}, {"yellow_rate": -0.1},
                                   {"random_percent": 101.0}, {"blue_rate": float("inf")}])
def test_selection_rates_outside_their_range_are_bad_input(rates: dict[str, float]) -> None:
    with pytest.raises(BadInput, match=next(iter(rates))):
        service.SelectionRates(**rates)


def test_a_blank_field_map_is_bad_input() -> None:
    with pytest.raises(BadInput, match="the map is empty"):
        service.parse_map_text(" \n")
