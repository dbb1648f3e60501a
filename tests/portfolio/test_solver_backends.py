"""Solving: status from the solver itself, quiet stdout, time limits, duals, model reuse."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import highspy
import numpy as np
import pytest
from portfolio_cases import california, stockco, synthetic

from decide.errors import InputError, SolveError
from decide.loader import load_model
from decide.portfolio import Status, cbc_available, frontier, optimise
from decide.portfolio_model import from_model
from decide.portfolio.backends import Backend, RawSolution, highs_status, to_pulp
from decide.portfolio.formulation import Formulation

ROOT = Path(__file__).resolve().parents[2]

SOLVERS = ["highs"] + (["cbc"] if cbc_available() else [])


class _FakeHighs:
    def __init__(self, status):
        self.status = status

    def getModelStatus(self):
        return self.status


@pytest.mark.parametrize(
    "model_status, status",
    [
        ("kOptimal", Status.optimal),
        ("kInfeasible", Status.infeasible),
        ("kUnboundedOrInfeasible", Status.infeasible),
        ("kUnbounded", Status.unbounded),
        ("kTimeLimit", Status.time_limit),
        ("kIterationLimit", Status.time_limit),
        ("kInterrupt", Status.time_limit),
        ("kSolveError", Status.error),
        ("kModelError", Status.error),
        ("kNotset", Status.error),
    ],
)
def test_status_is_read_from_highs(model_status, status):
    assert highs_status(_FakeHighs(getattr(highspy.HighsModelStatus, model_status))) is status
    assert status.is_ok == (status is Status.optimal)


_SCRIPT = """
import json, sys
sys.path.insert(0, {here!r})
from portfolio_cases import california
from decide.portfolio import optimise
a = optimise(california(), solver={solver!r})
r = optimise(california(), relax=True, solver={solver!r})
print(json.dumps(a.to_dict()))
"""


@pytest.mark.parametrize("solver", SOLVERS)
def test_stdout_holds_only_what_the_caller_prints(solver):
    """In a fresh process (highspy prints its banner once, at the first Highs()), stdout is
    exactly the JSON line: nothing from HiGHS or CBC."""
    here = str(Path(__file__).parent)
    res = subprocess.run([sys.executable, "-c", _SCRIPT.format(here=here, solver=solver)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["status"] == "optimal"
    assert res.stdout.count("\n") == 1


def test_highspy_banner_would_reach_stdout_without_the_redirection():
    """The control for the test above: a bare Highs() in a fresh process prints on fd 1."""
    res = subprocess.run([sys.executable, "-c", "import highspy; highspy.Highs()"],
                         capture_output=True, text=True, timeout=60)
    assert "HiGHS" in res.stdout


def test_in_process_solves_print_nothing(capfd):
    capfd.readouterr()
    optimise(california())
    optimise(stockco(), relax=True)
    assert capfd.readouterr().out == ""


def test_time_limit_is_reported_as_such_not_optimal():
    """pulp.HiGHS itself would call this Optimal; decide reads HiGHS' own status."""
    p = synthetic(150, 3000, 150, seed=3)
    a = optimise(p, time_limit=0.05, price_rules=False, explain_infeasible=False)
    assert a.status is Status.time_limit
    assert not a.status.is_ok and not a.proven_optimal
    if a.has_solution:  # an incumbent: usable, flagged as not proven optimal
        assert a.gap is None or a.gap >= 0
        assert a.to_dict()["proven_optimal"] is False
    else:
        assert a.explanation[0].code == "time_limit_no_solution"
        assert a.to_dict()["status"] == "time_limit"


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("maximise", [True, False])
def test_dual_sign_convention_is_one_whatever_the_solver(solver, maximise):
    """California's LP relaxation (Hillier & Lieberman, Sec. 12.1), hand-solved: one more unit
    of capital is worth 1.5 (x1 = 5/6 is basic in the capital row, 9/6 per unit). As a max it
    is value gained; as the equivalent min (minimise -value) it is cost saved: both come out of
    the back-end as +1.5 improvement per unit of budget."""
    form = Formulation(california())
    npv = california().arrays.value
    form.set_objective(form.option_objective(npv if maximise else -npv), maximise)
    out = form.solve(Backend(solver), relax=True)
    assert out.status is Status.optimal
    assert out.pi["budget"] == pytest.approx(1.5, abs=1e-6)
    assert optimise(california(), solver=solver).budget_dual == pytest.approx(1.5, abs=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_reused_model_equals_fresh_model(solver):
    backend = Backend(solver)
    p = stockco()
    form = Formulation(p)
    for budget in (5, 9, 12, 14, 20):
        form.configure(budget=budget)
        reused = form.solve(backend)
        fresh = Formulation(p.replace(budget=budget)).solve(backend)
        assert reused.status is fresh.status is Status.optimal
        assert np.array_equal(reused.x > 0.5, fresh.x > 0.5)
    form.configure(budget=14)
    assert form.solve(backend, relax=True).objective == pytest.approx(44)
    assert form.solve(backend).objective == pytest.approx(42)


def test_switching_a_rule_off_and_on():
    p = stockco(max_lots_per_supplier=2)
    form = Formulation(p)
    backend = Backend()
    assert form.solve(backend).objective == pytest.approx(38)
    form.configure(disabled={"max_lots_per_supplier"})
    assert form.solve(backend).objective == pytest.approx(42)
    form.configure(disabled=())
    assert form.solve(backend).objective == pytest.approx(38)


def test_unknown_solver_and_bad_limits():
    with pytest.raises(InputError, match="solver"):
        optimise(stockco(), solver="gurobi")
    with pytest.raises(InputError, match="time_limit"):
        optimise(stockco(), time_limit=0)
    with pytest.raises(InputError, match="gap"):
        optimise(stockco(), gap=2)


def test_solver_is_named():
    assert optimise(stockco()).solver.startswith("HiGHS 1.")
    if cbc_available():
        assert optimise(stockco(), solver="cbc").solver.startswith("CBC")


def test_model_is_arrays_with_named_row_groups():
    """The formulation is arrays: one cover row per module (no pairwise rows), a rule's rows
    found by its group name, and PuLP's public API rebuilds the same model from them."""
    p = synthetic(20, 120, 10, seed=1)
    form = Formulation(p)
    lm = form.model(scaled=False)
    assert lm.matrix.shape == (len(lm.row_names), len(lm.col_names))
    assert lm.groups["cover"].size + lm.groups.get("cover_optional", np.zeros(0)).size == 20
    assert not any(n.startswith("excl") and "pair" in n for n in lm.row_names)
    assert len(form.x_cols) == 120 and lm.integrality[form.x_cols].all()
    for k, r in enumerate(form.rows_of("max_supplier_share")):
        assert lm.row_names[r].startswith("share_")
    prob, variables, constraints = to_pulp(lm)
    assert prob.numVariables() == len(lm.col_names)
    assert prob.numConstraints() == len(lm.row_names)


def test_money_rows_are_scaled_inside_the_solver_model_only():
    p = synthetic(20, 120, 10, seed=1)
    a = p.arrays
    q = p.replace(options=p.options.drop(columns=["spend"]).assign(
                      tco=p.options["tco"] * 1e4, integration=p.options["integration"] * 1e4),
                  budget=None if p.budget is None else p.budget * 1e4)
    form = Formulation(q)
    assert form.money_scale == 10.0 ** np.floor(np.log10(q.arrays.tco.max()))
    raw, scaled = form.model(scaled=False), form.model()
    b = form.row("budget").position
    assert raw.matrix[b, form.x_cols].toarray().ravel() == pytest.approx(q.arrays.tco)
    assert scaled.matrix[b, form.x_cols].toarray().ravel() == pytest.approx(
        q.arrays.tco / form.money_scale)
    cover = form.rows_of("cover")[0]  # a row in counts stays as it is
    assert (scaled.matrix[cover].toarray() == raw.matrix[cover].toarray()).all()
    # the same optimum as the problem in small money
    small = optimise(p, price_rules=False)
    big = optimise(q, price_rules=False)
    assert big.chosen == small.chosen
    assert big.total_cost == pytest.approx(a.tco[[a.ids.index(i) for i in small.chosen]].sum() * 1e4)


def test_a_plan_that_misses_a_budget_by_the_solver_tolerance_is_solved_again():
    """Budget one euro below the optimum's TCO of about 1.5 million: in millions HiGHS' MIP
    feasibility tolerance (1e-6) would let the old optimum through; the check against the
    unscaled budget row catches it and the repair solve respects the budget exactly."""
    problem = from_model(load_model(ROOT / "models" / "zaaksysteem.yaml"))
    full = optimise(problem)
    low = problem.replace(budget=full.total_cost - 1.0)
    form = Formulation(low)
    assert form.money_scale == 1e6
    out = form.solve(Backend())
    assert out.status is Status.optimal and out.violated == ()
    assert low.arrays.tco @ (out.x > 0.5) <= low.budget
    tight = optimise(low)
    assert tight.status.is_ok and tight.total_cost <= low.budget


class _Lying:
    """A back-end engine whose plan takes every option (violates the budget)."""

    def __init__(self, backend):
        pass

    def solve(self, lm, *, warm=None, gap=None, tolerance=None):
        return RawSolution(Status.optimal, True, np.ones(lm.matrix.shape[1]), 0.0, 0.0, 0.0)


def test_a_violated_row_is_reported_not_hidden(monkeypatch):
    monkeypatch.setattr(Backend, "engine", lambda self: _Lying(self))
    p = stockco()
    form = Formulation(p)
    out = form.solve(Backend())
    assert "budget" in out.violated
    a = optimise(p, price_rules=False, explain_infeasible=False)
    assert a.status is Status.error and "budget" in a.explanation[0].params["detail"]
    f = frontier(p, budgets=[5.0, 9.0])
    assert set(f.frame["status"]) == {"error"} and all("budget" in v for v in f.frame["violated"])


def test_one_highs_model_serves_every_re_solve():
    """passModel once; budgets, switched-off rules, bans, objective changes, cuts and changed
    coefficients are pushed into the same highspy model, each giving a fresh model's answer."""
    backend = Backend()
    p = stockco(max_lots_per_supplier=2)
    form = Formulation(p)
    form.solve(backend)
    engine = form._engines[backend]
    for budget in (5, 9, 14):
        form.configure(budget=budget)
        assert np.array_equal(form.solve(backend).x > 0.5,
                              Formulation(p.replace(budget=budget)).solve(backend).x > 0.5)
    form.configure(budget=14, disabled={"max_lots_per_supplier"}, ban=[0])
    form.solve(backend)
    doubled = p.replace(options=p.options.drop(columns=["spend"]).assign(
        tco=p.options["tco"] * 2, integration=p.options["integration"] * 2))
    form.retarget(doubled)
    assert form.solve(backend).objective == pytest.approx(Formulation(doubled).solve(backend).objective)
    assert engine.passes == 1


def test_an_incumbent_is_flagged_not_proven_optimal(monkeypatch):
    """Deterministic stand-in for a time limit: HiGHS stops at its first improving solution
    (kSolutionLimit, mapped like a time limit). The incumbent is attached, flagged."""
    from decide.portfolio import backends

    original = backends.HighsEngine._configure

    def first_solution_only(self, h, gap, tolerance=None):
        original(self, h, gap, tolerance)
        h.setOptionValue("mip_max_improving_sols", 1)

    monkeypatch.setattr(backends.HighsEngine, "_configure", first_solution_only)
    p = synthetic(40, 400, 30, seed=5)
    a = optimise(p, price_rules=False)
    assert a.status is Status.time_limit
    assert a.has_solution and not a.proven_optimal
    assert a.gap is not None and a.gap > 0
    d = a.to_dict()
    assert d["status"] == "time_limit" and d["proven_optimal"] is False and d["chosen"]
    with pytest.raises(SolveError):
        a.raise_for_status()
    assert a.raise_for_status(allow_incumbent=True) is a
    monkeypatch.undo()
    best = optimise(p, price_rules=False)
    assert best.objective >= a.objective - 1e-9
