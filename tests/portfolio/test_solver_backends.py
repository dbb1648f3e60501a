"""Solving: status from the solver itself, quiet stdout, time limits, duals, model reuse."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import highspy
import numpy as np
import pulp
import pytest
from portfolio_cases import california, stockco, synthetic

from decide.errors import InputError, SolveError
from decide.portfolio import Status, cbc_available, optimise
from decide.portfolio.backends import Backend, highs_status
from decide.portfolio.formulation import Formulation

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


def _hand_lp(sense):
    """California's LP relaxation written directly in PuLP, as max or as the equivalent min."""
    p = pulp.LpProblem("hand", sense)
    x = p.add_variable_dict("x", [1, 2, 3, 4], 0, 1)
    npv, cap = {1: 9, 2: 5, 3: 6, 4: 4}, {1: 6, 2: 3, 3: 5, 4: 2}
    sign = 1 if sense == pulp.LpMaximize else -1
    p += pulp.lpSum(sign * npv[i] * x[i] for i in x)
    p += pulp.lpSum(cap[i] * x[i] for i in x) <= 10, "budget"
    p += x[3] + x[4] <= 1, "one_warehouse"
    p += x[3] - x[1] <= 0, "wh_la"
    p += x[4] - x[2] <= 0, "wh_sf"
    return p


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("sense", [pulp.LpMaximize, pulp.LpMinimize])
def test_dual_sign_convention_is_one_whatever_the_solver(solver, sense):
    """Hand-solved: one more unit of capital is worth 1.5 (x1 = 5/6 is basic in the capital
    row, 9/6 per unit). As a max it is value gained; as the equivalent min (minimise -value)
    it is cost saved: both normalise to +1.5."""
    backend = Backend(solver)
    p = _hand_lp(sense)
    p.solve(backend.make(mip=False))
    pi = p.get_constraint_by_name("budget").pi
    assert backend.improvement_per_unit(pi, sense) == pytest.approx(1.5, abs=1e-6)


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


def test_pulp_model_is_inspectable():
    """The formulation is a plain PuLP model: one cover row per module, no pairwise rows."""
    p = synthetic(20, 120, 10, seed=1)
    form = Formulation(p)
    names = [c.name for c in form.prob.constraints()]
    assert sum(n.startswith("cover_") for n in names) == 20
    assert not any(n.startswith("excl") and "pair" in n for n in names)
    assert form.prob.numVariables() >= 120


def test_an_incumbent_is_flagged_not_proven_optimal(monkeypatch):
    """Deterministic stand-in for a time limit: HiGHS stops at its first improving solution
    (kSolutionLimit, mapped like a time limit). The incumbent is attached, flagged."""
    from decide.portfolio import backends

    original = backends.HighsSolver._configure

    def first_solution_only(self, h):
        original(self, h)
        h.setOptionValue("mip_max_improving_sols", 1)

    monkeypatch.setattr(backends.HighsSolver, "_configure", first_solution_only)
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
