"""How robust the recommended portfolio is: re-solve it for sampled weights, scores and costs.

Robust portfolio modelling (Liesiö, Mild & Salo 2007, "Preference programming for robust
portfolio modeling and project selection", European Journal of Operational Research 181(3),
1488-1505) asks which options belong to the optimal portfolio whatever the admissible weights
and scores are. Their *core index* of an option is the share of the non-dominated portfolios
that contain it: an option in every one is a *core* option (choose it with confidence), one in
none is *exterior* (drop it), the rest are borderline. Here the admissible set is sampled:

- weights from the model's ``sensitivity.weights``: ``uniform`` on the simplex (Dirichlet with
  all parameters 1) or ``around`` the derived weights (Dirichlet with parameters concentration x
  weight);
- every uncertain score from its range (uniform) or ``{low, mode, high}`` (triangular), through
  the fixed value functions of :mod:`decide.value`;
- every uncertain cost component from its range, which moves each option's TCO (and so the
  budget row) and the supplier spend.

Each sample is solved to optimality (the same MILP as :func:`decide.portfolio.optimise`) on one
kept solver model: sampled values change only its objective, sampled costs only the changed
coefficients and bounds. The result gives the
inclusion probability of each option (the sampled core index: 1 = core, 0 = exterior), the
distinct optimal portfolios with their shares, the share of samples in which the recommended
portfolio is optimal, and the probability that the recommended portfolio's TCO exceeds the
budget under cost uncertainty.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from decide.errors import DecideError
from decide.i18n import fmt_pct, t

__all__ = ["PortfolioRobustness", "portfolio_robustness"]


@dataclass(frozen=True)
class PortfolioRobustness:
    """Sampled robustness of the recommended portfolio (see the module docstring).

    Attributes
    ----------
    samples, seed : int
    inclusion : Series
        Option id -> share of the solved samples whose optimum includes it.
    portfolios : tuple of (tuple of ids, float)
        Distinct optimal portfolios and their shares, most frequent first.
    recommended : tuple of ids
    recommended_share : float
        Share of the solved samples in which the recommended portfolio is optimal.
    budget_overrun : float or None
        Probability that the recommended portfolio's TCO exceeds the budget (None without a
        budget; 0 when no cost is uncertain).
    unsolved : int
        Samples without an optimum (no portfolio meets the rules with those costs).
    weights : str
        How the weights were sampled.
    seconds : float
    """

    samples: int
    seed: int
    inclusion: pd.Series
    portfolios: tuple
    recommended: tuple
    recommended_share: float
    budget_overrun: Optional[float]
    unsolved: int = 0
    weights: str = "around"
    seconds: float = 0.0
    #: option labels per language: {"nl": {id: label}, "en": {...}}
    labels: dict = field(default_factory=dict, repr=False)

    @property
    def core(self) -> tuple:
        """Options in every sampled optimum."""
        return tuple(i for i, p in self.inclusion.items() if p >= 1.0)

    @property
    def exterior(self) -> tuple:
        """Options in no sampled optimum."""
        return tuple(i for i, p in self.inclusion.items() if p <= 0.0)

    @property
    def samples_per_second(self) -> float:
        return self.samples / self.seconds if self.seconds > 0 else float("nan")

    def text(self, lang: str = "en") -> str:
        out = t("portfolio.robust_summary", lang, share=fmt_pct(self.recommended_share, lang),
                samples=self.samples, n=len(self.portfolios))
        names = self.labels.get(lang, {})
        core = [names.get(i, i) for i in self.core]
        if core:
            out += " " + t("portfolio.robust_core", lang, options=", ".join(core))
        if self.budget_overrun is not None and self.budget_overrun > 0:
            out += " " + t("portfolio.robust_overrun", lang, p=fmt_pct(self.budget_overrun, lang))
        return out

    def to_dict(self) -> dict:
        return {
            "samples": int(self.samples),
            "seed": int(self.seed),
            "weights": self.weights,
            "inclusion": {str(k): float(v) for k, v in self.inclusion.items()},
            "core": list(self.core),
            "portfolios": [{"chosen": list(c), "share": float(s)} for c, s in self.portfolios],
            "recommended": list(self.recommended),
            "recommended_share": float(self.recommended_share),
            "budget_overrun": None if self.budget_overrun is None else float(self.budget_overrun),
            "unsolved": int(self.unsolved),
            "seconds": float(self.seconds),
        }

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        names = self.labels.get(lang, {})
        return pd.DataFrame({"label": [names.get(i, i) for i in self.inclusion.index],
                             "inclusion": self.inclusion.to_numpy()}, index=self.inclusion.index)


def _sample_cells(rng, low: np.ndarray, mode: np.ndarray, high: np.ndarray, kind: np.ndarray) -> np.ndarray:
    out = low.copy()
    uni = kind == "uniform"
    if uni.any():
        out[uni] = rng.uniform(low[uni], high[uni])
    tri = (kind == "triangular") & (high > low)
    if tri.any():
        out[tri] = rng.triangular(low[tri], mode[tri], high[tri])
    return out


def portfolio_robustness(model: Any, *, samples: Optional[int] = None, seed: Optional[int] = None,
                         weights: Optional[pd.Series] = None, recommended: Optional[tuple] = None,
                         solver: str = "highs", time_limit: float = 60, problem: Any = None,
                         values: Any = None, tco: Optional[pd.DataFrame] = None) -> PortfolioRobustness:
    """Re-solve the model's portfolio for sampled weights, uncertain scores and uncertain costs.

    Parameters
    ----------
    model : DecisionModel
        With an ``allocation`` section.
    samples, seed : int, optional
        Default: the model's ``sensitivity`` section (samples >= 1).
    weights : Series, optional
        The derived global leaf weights (default: derived from the model).
    recommended : tuple of ids, optional
        The recommended portfolio (default: solved here).
    problem, values, tco : optional
        The model's portfolio problem, its additive value model (:class:`decide.value.ValueModel`)
        and its TCO table, when the caller has them (an :class:`decide.analysis.Analysis` passes
        its stages, so nothing is computed twice); default: computed here from the model.
    """
    from decide.portfolio import optimise
    from decide.portfolio_model import baselines, from_model
    from decide.portfolio.backends import Backend
    from decide.portfolio.evaluate import measure
    from decide.portfolio.formulation import Formulation
    from decide.portfolio.status import Status
    from decide.tco import discount_factors, tco_table
    from decide.value import needs_value_model, value_model

    t0 = time.perf_counter()
    sec = model.sensitivity
    samples = sec.samples if samples is None else samples
    seed = sec.seed if seed is None else seed
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise DecideError.keyed("portfolio.robustness_samples_invalid", "samples", value=repr(samples))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DecideError.keyed("portfolio.robustness_seed_invalid", "seed", value=repr(seed))
    problem = from_model(model) if problem is None else problem
    if recommended is None:
        rec = optimise(problem, solver=solver, price_rules=False, explain_infeasible=False)
        recommended = rec.chosen if rec.has_solution else ()
    recommended = tuple(recommended)
    ids = list(problem.options.index)
    n = len(ids)
    rng = np.random.default_rng(seed)
    alloc = model.allocation
    importance = {m.id: m.importance for m in alloc.modules}
    base = baselines(model)
    alts = {a.id: a for a in model.alternatives}
    imp = np.array([sum(importance.get(m, 0.0) for m in alts[i].covers) if importance else 1.0 for i in ids])
    less = np.array([sum(base.get(m, 0.0) for m in alts[i].covers) for i in ids])
    explicit = np.array([alts[i].value is not None for i in ids])
    fixed = problem.options["value"].to_numpy(dtype=float)

    # values: weights x partial values of (sampled) scores
    vm = None
    if needs_value_model(model):
        vm = value_model(model, weights) if values is None else values
        crit = [c.id for c in vm.criteria]
        w0 = vm.weights.reindex(crit).to_numpy()
        low, mode, high, kind = model.score_bounds()
        rows = [model.alternative_ids.index(i) for i in ids]
        low, mode, high = (x[crit].to_numpy()[rows] for x in (low, mode, high))
        kind = pd.DataFrame(kind, columns=model.score_bounds()[0].columns)[crit].to_numpy()[rows]
        uncertain_scores = bool((kind != "fixed").any())
        if sec.weights == "uniform":
            alpha, described = np.ones(len(crit)), "uniform"
        else:
            alpha = np.maximum(sec.concentration * w0, 1e-9)
            described = f"around (Dirichlet, concentration {sec.concentration:g})"
    else:
        described = "fixed (explicit values)"

    # costs: TCO per sample from the uncertain components (linear in each component)
    T, r = model.horizon.years, model.horizon.discount_rate
    d = discount_factors(T, r)
    factor = {"once": 1.0, "integration": 1.0, "yearly": float(d[1:].sum()), "exit": float(d[T])}
    tco0 = (tco_table(model) if tco is None else tco)["total"].reindex(ids).to_numpy()
    integ0 = problem.options["integration"].to_numpy(dtype=float)
    cost_cells = []  # (option position, component, [low, (mode,) high], mean)
    for k, i in enumerate(ids):
        c = alts[i].costs
        if c is None:
            continue
        for comp, rng_ in c.ranges.items():
            cost_cells.append((k, comp, rng_, sum(rng_) / len(rng_)))
    uncertain_costs = bool(cost_cells)

    backend = Backend(solver, time_limit, None, None)
    # one solver model for every sample: sampled values change its objective, sampled costs
    # its coefficients and bounds (pushed to HiGHS in place, see Formulation.retarget). Samples
    # with uncertain costs leave out the yearly caps (the cash flows are not sampled).
    base_problem = problem.replace(cashflows=None, yearly_budget=None) \
        if (uncertain_costs and problem.yearly_budget is not None) else problem
    form = Formulation(base_problem)
    chosen_sets: dict[tuple, int] = {}
    counts = np.zeros(n)
    solved = 0
    overrun = 0
    rec_mask = np.array([i in set(recommended) for i in ids])
    budget = problem.budget
    for _ in range(samples):
        if vm is not None:
            w = rng.dirichlet(alpha)
            table = (_sample_cells(rng, low, mode, high, kind) if uncertain_scores
                     else low)
            partial = np.column_stack([c.value(table[:, j]) for j, c in enumerate(vm.criteria)])
            V = partial @ w
            values = np.where(explicit, fixed, V * imp - less)
        else:
            values = fixed
        tco = tco0
        if uncertain_costs:
            tco = tco0.copy()
            integ = integ0.copy()
            for k, comp, rr, mean in cost_cells:
                x = rng.uniform(rr[0], rr[1]) if len(rr) == 2 else (
                    rng.triangular(rr[0], rr[1], rr[2]) if rr[2] > rr[0] else rr[0])
                delta = (x - mean) * factor[comp]
                tco[k] += delta
                if comp == "integration":
                    integ[k] += delta
            if budget is not None and float(tco[rec_mask].sum()) > budget * (1 + 1e-12):
                overrun += 1
            form.retarget(value=values, tco=tco, integration=integ)
        else:
            form.set_objective(form.option_objective(values), form.maximise)
        out = form.solve(backend)
        if out.status is not Status.optimal:
            continue
        x = out.x > 0.5
        solved += 1
        counts += x
        key = tuple(i for i, b in zip(ids, x) if b)
        chosen_sets[key] = chosen_sets.get(key, 0) + 1
    if solved == 0:
        inclusion = pd.Series(np.nan, index=ids, name="inclusion")
    else:
        inclusion = pd.Series(counts / solved, index=ids, name="inclusion")
    ports = tuple(sorted(((k, v / solved) for k, v in chosen_sets.items()), key=lambda kv: (-kv[1], kv[0])))
    rec_key = tuple(i for i in ids if i in set(recommended))
    rec_share = chosen_sets.get(rec_key, 0) / solved if solved else 0.0
    over = None if budget is None else overrun / samples
    labels = {code: {a.id: a.name(code) for a in model.alternatives} for code in ("nl", "en")}
    return PortfolioRobustness(samples, int(seed), inclusion, ports, rec_key, rec_share, over,
                               samples - solved, described, time.perf_counter() - t0, labels)
