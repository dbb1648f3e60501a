"""Budget and supplier rules in a workshop: the portfolio, the frontier, scenarios, the report.

:class:`PortfolioPanel` puts the model's budget and each supplier rule on a control (a
checkbox switches a rule on or off, a slider sets its limit), solves the portfolio
(:func:`decide.portfolio.optimise`) whenever a control is released, and shows the chosen
options, the spend per supplier, the binding rules and their price -- or, when no portfolio
fits, why not, in procurement terms. The frontier chart (best value per budget) follows the
rules and marks the budget in use.

:func:`scenario_view` compares forced scenarios (only monolithic, only modular, only open
source, ...); :func:`export_report` writes the report of the model with the workshop's
settings (:meth:`PortfolioPanel.model_with_settings`).
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import pandas as pd

from decide import i18n
from decide.errors import DecideError
from decide.model import DecisionModel
from decide.workshop import _html as H
from decide.workshop.charts import frontier_chart, spend_frame

if TYPE_CHECKING:
    from decide.analysis import Analysis

__all__ = ["ExportResult", "PortfolioPanel", "export_report", "portfolio_panel", "portfolio_problem",
           "scenario_view"]


def _t(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"workshop.{key}", lang, **kw)


def _nice_step(x: float) -> float:
    """A round step near ``x`` (1, 2 or 5 times a power of ten)."""
    if not (x > 0 and math.isfinite(x)):
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if x <= m * e:
            return float(m * e)
    return float(10 * e)


def _analysis(source: Any, **settings: Any) -> "Analysis":
    """``source`` if it is an analysis, else a new one of the model ``source``."""
    from decide.analysis import Analysis

    return source if isinstance(source, Analysis) else Analysis(source, **settings)


def portfolio_problem(model: "DecisionModel | Analysis"):
    """The model's portfolio problem: the ``problem`` stage of its analysis (as :func:`decide.analyse` has it).

    Returns
    -------
    decide.portfolio.Problem
    """
    return _analysis(model).need("problem")


#: Slider settings per rule: (integer?, minimum, maximum or None = from the problem, step).
_RULE_RANGES = {
    "max_supplier_share": (False, 0.1, 1.0, 0.05),
    "min_suppliers": (True, 0, None, 1),
    "min_sme_share": (False, 0.0, 1.0, 0.05),
    "max_lots_per_supplier": (True, 1, None, 1),
    "max_exit_cost": (False, 0.0, None, None),
}


class PortfolioPanel:
    """Budget and rule controls with the live portfolio and the frontier chart.

    Parameters
    ----------
    model : DecisionModel or decide.analysis.Analysis
        Needs an ``allocation`` section. With an analysis, the panel starts from its problem and
        allocation (the report's, the command line's) and solves only what the controls change.
    lang : {'nl', 'en'}, optional
    solver : {'highs', 'cbc'}
    frontier_points : int
        Budget points on the frontier chart (0: no chart).

    Attributes
    ----------
    budget : ipywidgets.FloatSlider
    use_budget : ipywidgets.Checkbox
    rules : dict rule -> (ipywidgets.Checkbox, slider)
        Switch a rule on/off and set its limit.
    summary, chosen, spend : ipywidgets.HTML
        Status and totals; the chosen options; spend per supplier (or why there is no portfolio).
    frontier_image : ipywidgets.Image
    allocation : decide.portfolio.Allocation
        The last solve.
    frontier : decide.portfolio.Frontier or None
    """

    def __init__(self, model: "DecisionModel | Analysis", *, lang: Optional[str] = None, solver: str = "highs",
                 frontier_points: int = 12):
        import ipywidgets as W

        from decide.portfolio import RULE_NAMES, optimise

        self.analysis = _analysis(model, solver=solver)
        model = self.analysis.model
        self.model = model
        self.lang = lang or model.language
        self.solver = solver
        self.frontier_points = int(frontier_points)
        self.problem = self.analysis.need("problem")  # the located "no allocation section" error
        self.currency = model.currency
        lang_ = self.lang
        a = self.problem.arrays
        ref = self.problem.budget
        if ref is None:
            free = optimise(self.problem, solver=solver, price_rules=False, explain_infeasible=False)
            ref = free.total_cost if free.has_solution else float(a.tco.sum())
        step = _nice_step(ref / 200)
        lo = math.floor(0.5 * ref / step) * step
        hi = math.ceil(1.5 * ref / step) * step
        self.budget = W.FloatSlider(value=float(ref), min=lo, max=hi, step=step, readout=False,
                                    continuous_update=False, layout=W.Layout(width="28em"))
        self.use_budget = W.Checkbox(value=self.problem.budget is not None, description=_t("budget", lang_),
                                     indent=False, layout=W.Layout(width="14em"))
        self.budget_text = W.HTML()
        self.rules: dict[str, tuple[Any, Any]] = {}
        self.rule_texts: dict[str, Any] = {}
        current = self.problem.rules
        rows = [W.HBox([self.use_budget, self.budget, self.budget_text])]
        n_sup = len(self.problem.suppliers) if self.problem.suppliers is not None else 0
        n_lots = len(self.problem.modules) if self.problem.has_modules else a.n
        exit_total = float(np.sum(a.exit_cost))
        for name in RULE_NAMES:
            integer, rmin, rmax, rstep = _RULE_RANGES[name]
            value = getattr(current, name)
            if name == "min_suppliers":
                rmax = max(n_sup, 1)
            elif name == "max_lots_per_supplier":
                rmax = max(n_lots, 1)
            elif name == "max_exit_cost":
                rmax = max(exit_total, float(value or 0.0))
                rstep = _nice_step(rmax / 100) if rmax > 0 else 1.0
                rmax = math.ceil(rmax / rstep) * rstep if rmax > 0 else 1.0
            if integer:
                slider = W.IntSlider(value=int(value if value is not None else rmin), min=rmin, max=rmax, step=1,
                                     continuous_update=False, readout=False, layout=W.Layout(width="28em"))
            else:
                start = float(value) if value is not None else (rmax if name.startswith("max") else rmin)
                slider = W.FloatSlider(value=start, min=rmin, max=rmax, step=rstep, continuous_update=False,
                                       readout=False, layout=W.Layout(width="28em"))
            box = W.Checkbox(value=value is not None, description=i18n.t(f"portfolio.rule_{name}", lang_),
                             indent=False, layout=W.Layout(width="14em"))
            slider.disabled = value is None
            self.rules[name] = (box, slider)
            self.rule_texts[name] = W.HTML()
            rows.append(W.HBox([box, slider, self.rule_texts[name]]))
        self.summary = W.HTML()
        self.chosen = W.HTML()
        self.spend = W.HTML()
        self.frontier_image = W.Image(format="png")
        self.allocation = None
        self.frontier = None
        self._frontier_key = None
        self.robust = None
        self.robust_out = W.HTML()
        self.robust_button = W.Button(description=_t("robust_button", lang_), layout=W.Layout(width="22em"))
        self.robust_button.on_click(lambda _b: self.robustness())
        self.widget = W.VBox([W.HTML(f"<p style='color:{H.MUTED}'>{H.esc(_t('portfolio_intro', lang_))}</p>"),
                              W.VBox(rows), self.summary, self.chosen, self.spend, self.frontier_image,
                              self.robust_button, self.robust_out])
        for w in [self.budget, self.use_budget] + [x for pair in self.rules.values() for x in pair]:
            w.observe(lambda _ch: self.update(), names="value")
        self.update()

    # ------------------------------------------------------------------ settings
    def current_rules(self) -> dict[str, Any]:
        """The rules as set on the controls (``{name: limit}``, only those switched on)."""
        out = {}
        for name, (box, slider) in self.rules.items():
            if box.value:
                out[name] = int(slider.value) if name in ("min_suppliers", "max_lots_per_supplier") else float(slider.value)
        return out

    def current_budget(self) -> Optional[float]:
        """The budget as set (None when switched off)."""
        return float(self.budget.value) if self.use_budget.value else None

    def current_problem(self):
        """The portfolio problem with the controls' budget and rules."""
        from decide.portfolio import Rules

        return self.problem.replace(budget=self.current_budget(),
                                    rules=Rules(share_base=self.problem.rules.share_base, **self.current_rules()))

    def model_with_settings(self) -> DecisionModel:
        """The model with the controls' budget and rules in its allocation section (re-validated)."""
        alloc = self.model.allocation.model_dump(mode="python", exclude_none=True)
        budget = self.current_budget()
        if budget is None:
            alloc.pop("budget", None)
        else:
            alloc["budget"] = budget
        alloc["rules"] = {"share_base": self.model.allocation.rules.share_base, **self.current_rules()}
        return self.model.replace(allocation=alloc)

    def robustness(self, samples: int = 200, seed: Optional[int] = None):
        """Re-solve the portfolio with the controls' settings for sampled weights, scores and costs
        (:func:`decide.portfolio_robustness.portfolio_robustness`) and show the result."""
        from decide.portfolio_robustness import portfolio_robustness

        lang = self.lang
        model = self.model_with_settings()
        chosen = self.allocation.chosen if self.allocation is not None and self.allocation.has_solution else None
        self.robust = portfolio_robustness(model, samples=samples, seed=seed, recommended=chosen, solver=self.solver)
        rb = self.robust
        rows = [[H.esc(rb.labels.get(i, i)), H.esc(i18n.fmt_pct(p, lang, 0))]
                for i, p in rb.inclusion.sort_values(ascending=False).items()]
        self.robust_out.value = (H.heading(_t("robust_heading", lang)) + H.para(rb.text(lang))
                                 + H.table([_t("robust_option", lang), _t("robust_inclusion", lang)], rows,
                                           ["left", "right"]))
        return rb

    # ------------------------------------------------------------------ solving
    def update(self):
        """Solve with the current settings and redraw everything."""
        from decide.portfolio import optimise

        lang, cur = self.lang, self.currency
        for name, (box, slider) in self.rules.items():
            slider.disabled = not box.value
            self.rule_texts[name].value = H.esc(self._fmt_rule(name, slider.value)) if box.value else ""
        self.budget.disabled = not self.use_budget.value
        self.budget_text.value = H.esc(i18n.fmt_money(self.budget.value, lang, cur)) if self.use_budget.value else ""
        problem = self.current_problem()
        try:
            if (problem.budget == self.problem.budget and problem.rules == self.problem.rules
                    and self.solver == self.analysis.settings.solver and not self.analysis.settings.relax):
                self.allocation = self.analysis.need("allocation")  # the model's own settings: solved once
            else:
                self.allocation = optimise(problem, solver=self.solver)
        except DecideError as exc:
            self.allocation = None
            self.summary.value = H.para(str(exc), H.BAD_COLOUR)
            self.chosen.value = self.spend.value = ""
            return None
        self._render()
        if self.frontier_points > 0:
            key = tuple(sorted(self.current_rules().items()))
            if key != self._frontier_key:
                self.frontier = self._frontier(problem)
                self._frontier_key = key
            chart = frontier_chart(self.frontier, budget=self.current_budget(), allocation=self.allocation,
                                   lang=lang, currency=cur)
            self.frontier_image.value = chart.png()
        return self.allocation

    def _frontier(self, problem):
        """The frontier over the budget slider's range, plus its own points from the cheapest
        feasible portfolio up (so the curve starts exactly where a portfolio becomes possible)."""
        import dataclasses

        from decide.portfolio import frontier

        sweep = frontier(problem, budgets=np.linspace(self.budget.min, self.budget.max, self.frontier_points),
                         solver=self.solver)
        own = frontier(problem, points=max(2, self.frontier_points // 3), solver=self.solver)
        frames = [f for f in (sweep.frame, own.frame) if len(f)]
        if not frames:
            return sweep
        merged = pd.concat(frames, ignore_index=True).sort_values("budget", kind="stable")
        merged = merged.drop_duplicates("budget").reset_index(drop=True)
        return dataclasses.replace(sweep, frame=merged)

    def _fmt_rule(self, name: str, value: float) -> str:
        lang = self.lang
        if name in ("max_supplier_share", "min_sme_share"):
            return i18n.fmt_pct(value, lang, 0)
        if name == "max_exit_cost":
            return i18n.fmt_money(value, lang, self.currency)
        return str(int(value))

    def _render(self) -> None:
        lang, cur = self.lang, self.currency
        al = self.allocation
        status = i18n.t(f"portfolio.status_{al.status.value}", lang)
        if not al.has_solution:
            self.summary.value = (H.heading(_t("portfolio_heading", lang)) + H.badge(status, H.BAD_COLOUR)
                                  + H.para(_t("no_portfolio", lang)))
            self.chosen.value = f"<div style='white-space:pre-wrap'>{H.esc(al.explanation_text(lang))}</div>"
            self.spend.value = ""
            return
        sme = "–" if math.isnan(al.sme_share) else i18n.fmt_pct(al.sme_share, lang, 1)
        rows = [
            [H.esc(i18n.t("portfolio.label_total_value", lang)), H.esc(i18n.fmt_number(al.total_value, lang, 3))],
            [H.esc(i18n.t("portfolio.label_total_cost", lang)), H.esc(i18n.fmt_money(al.total_cost, lang, cur))],
            [H.esc(i18n.t("portfolio.label_exit_cost", lang)), H.esc(i18n.fmt_money(al.exit_cost, lang, cur))],
            [H.esc(i18n.t("portfolio.label_suppliers", lang)), H.esc(str(al.suppliers_used))],
            [H.esc(i18n.t("portfolio.label_sme_share", lang)), H.esc(sme)],
        ]
        rows.insert(5, [H.esc(i18n.t("report.item.share_base", lang)),
                        H.esc(i18n.t(f"portfolio.share_base_{self.problem.rules.share_base}", lang))])
        # one verdict per rule, the same sentence the command line, report and review print
        verdicts = [v.text(lang) for v in al.verdicts]
        self.summary.value = (H.heading(_t("portfolio_heading", lang)) + H.badge(status, H.OK_COLOUR)
                              + H.table(["", ""], rows, ["left", "right"])
                              + (H.para(_t("rule_verdicts", lang), H.MUTED) + H.items(verdicts, H.MUTED)
                                 if verdicts else ""))
        df = al.to_frame()
        mods = self.problem.modules
        sup = self.problem.suppliers
        rows = []
        for oid, r in df.iterrows():
            covers = ", ".join(str(mods.at[m, "label"]) if mods is not None and m in mods.index else str(m)
                               for m in r["covers"])
            supplier = _t("in_house", lang) if r["supplier"] is None else (
                str(sup.at[r["supplier"], "label"]) if r["supplier"] in sup.index else str(r["supplier"]))
            rows.append([H.esc(r["label"]), H.esc(supplier), H.esc(covers), H.esc(i18n.fmt_money(r["tco"], lang, cur)),
                         H.esc(i18n.fmt_number(r["value"], lang, 3))])
        self.chosen.value = H.heading(_t("chosen_heading", lang), 5) + H.table(
            [_t("option", lang), _t("supplier", lang), _t("covers", lang), _t("tco", lang), _t("value", lang)],
            rows, ["left", "left", "left", "right", "right"])
        sp = spend_frame(al, sup)
        top = float(sp["share"].max()) if len(sp) else 1.0
        limit = self.current_rules().get("max_supplier_share")
        rows = []
        for k, (sid, r) in enumerate(sp.iterrows()):
            over = limit is not None and r["share"] > limit + 1e-9
            rows.append([H.esc(r["label"]), _t("sme_yes", lang) if r["sme"] else "", H.esc(i18n.fmt_money(r["spend"], lang, cur)),
                         H.esc(i18n.fmt_pct(r["share"], lang, 1)),
                         H.bar(r["share"] / (top or 1.0), H.BAD_COLOUR if over else H.colour(k))])
        self.spend.value = H.heading(_t("spend_heading", lang), 5) + H.table(
            [_t("supplier", lang), _t("sme", lang), _t("spend", lang), _t("share", lang), ""], rows,
            ["left", "center", "right", "right", "left"]) + H.para(_t("spend_note", lang), H.MUTED)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def portfolio_panel(model: DecisionModel, **kwargs: Any) -> PortfolioPanel:
    """Budget and rule controls with the live portfolio (see :class:`PortfolioPanel`)."""
    return PortfolioPanel(model, **kwargs)


def scenario_view(source: Any, *, lang: Optional[str] = None, solver: str = "highs") -> H.HTMLView:
    """Forced scenarios side by side: free, only monolithic, only modular, only open source, ...

    Parameters
    ----------
    source : PortfolioPanel, DecisionModel or decide.analysis.Analysis
        A panel's current budget and rules, or the model's own (its analysis's ``scenarios``).

    Returns
    -------
    HTMLView
        ``.data`` is the scenarios DataFrame of :func:`decide.portfolio.scenarios`.
    """
    from decide.portfolio import scenarios

    if isinstance(source, PortfolioPanel):
        model, problem = source.model, source.current_problem()
        lang = lang or source.lang
        df = scenarios(problem, solver=solver, lang=lang)
    else:
        analysis = _analysis(source, lang=lang, solver=solver)
        model = analysis.model
        lang = lang or model.language
        df = analysis.need("scenarios")
    cur = model.currency
    labels = {a.id: a.name(lang) for a in model.alternatives}
    free_value = float(df.at["free", "value"]) if "free" in df.index else float("nan")
    rows = []
    for name, r in df.iterrows():
        if name == "free":
            title = _t("scenario_free", lang)
        else:
            tag = name[len("only_"):]
            title = _t("scenario_only", lang, tag=_t(f"tag_{tag}", lang) if f"tag_{tag}" in i18n.catalogue("workshop") else tag)
        ok = r["status"] == "optimal"
        if ok:
            loss = ""
            if name != "free" and free_value == free_value and free_value:
                loss = f" ({i18n.fmt_pct((r['value'] - free_value) / free_value, lang, 0)})"
            cells = [H.esc(i18n.fmt_number(r["value"], lang, 3) + loss), H.esc(i18n.fmt_money(r["tco"], lang, cur)),
                     H.esc(str(int(r["suppliers"]))),
                     H.esc("–" if r["sme_share"] != r["sme_share"] else i18n.fmt_pct(r["sme_share"], lang, 0)),
                     H.esc(i18n.fmt_money(r["exit_cost"], lang, cur)),
                     H.esc(", ".join(labels.get(str(o), str(o)) for o in r["chosen"]))]
        else:
            status = i18n.t(f"portfolio.status_{r['status']}", lang) if r["status"] else "–"
            cells = [H.badge(status, H.BAD_COLOUR), "", "", "", "", H.esc(r.get("note", "") or "")]
        rows.append([H.esc(title)] + cells)
    headers = [_t("scenario", lang), _t("value", lang), _t("tco", lang), _t("suppliers", lang), _t("sme_share", lang),
               _t("exit_cost", lang), _t("chosen_or_why", lang)]
    html = H.heading(_t("scenarios_heading", lang)) + H.table(
        headers, rows, ["left", "right", "right", "right", "right", "right", "left"]) + H.para(
        _t("scenarios_note", lang), H.MUTED)
    return H.HTMLView(html, df)


@dataclass(frozen=True)
class ExportResult:
    """The files :func:`export_report` wrote."""

    out_dir: Path
    files: tuple = ()
    lang: str = "nl"

    def _repr_html_(self) -> str:
        return H.para(_t("exported", self.lang, out=str(self.out_dir), n=len(self.files)), H.OK_COLOUR) + H.items(
            [str(f) for f in self.files])


def export_report(model: DecisionModel, out_dir: str | os.PathLike, *, formats: Optional[Sequence[str]] = None,
                  lang: Optional[str] = None, samples: Optional[int] = None, force: bool = False) -> ExportResult:
    """Run the whole analysis (:func:`decide.facade.analyse`) and write the report (:func:`decide.report.write_report`).

    Parameters
    ----------
    model : DecisionModel
        E.g. :meth:`PortfolioPanel.model_with_settings` to report the workshop's budget and rules.
    out_dir : path-like
    formats : sequence of str, optional
        Report formats (default: the report writer's).
    lang : {'nl', 'en'}, optional
        Default: the model's language.
    samples : int, optional
        SMAA samples (default: the model's).
    force : bool
        Replace the files of an earlier report.

    Returns
    -------
    ExportResult
        The files written.
    """
    from decide.facade import analyse
    from decide.report import write_report

    lang = lang or model.language
    kwargs: dict[str, Any] = {"lang": lang, "force": force}
    if formats is not None:
        kwargs["formats"] = list(formats)
    written = write_report(analyse(model, samples=samples), Path(out_dir), **kwargs)
    return ExportResult(Path(out_dir), tuple(Path(p) for p in written), lang)
