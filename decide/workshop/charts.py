"""Charts for the workshop notebooks, drawn with matplotlib (no pyplot state).

Each function returns a :class:`Chart`: a notebook shows it as a PNG (``_repr_png_``), a
widget puts :meth:`Chart.png` into an ``ipywidgets.Image``, and the figure stays available as
``chart.figure``. Figures are built with :class:`matplotlib.figure.Figure` directly, so nothing
is shown twice and nothing leaks between cells.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Optional

import numpy as np
import pandas as pd

from decide import colours, i18n
from decide.i18n import fmt_pct
from decide.workshop._html import PALETTE

__all__ = ["Chart", "acceptability_chart", "frontier_chart", "stability_chart"]


def _t(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"workshop.{key}", lang, **kw)


def _wrap(text: str, width: int = 30) -> str:
    """A label on as many lines as it needs (never cut off)."""
    import textwrap

    return textwrap.fill(str(text), width=width, break_long_words=False) or str(text)


def _lines(labels: list[str]) -> int:
    return sum(label.count("\n") + 1 for label in labels)


class Chart:
    """A matplotlib figure that a notebook shows as an image."""

    def __init__(self, figure: Any):
        self.figure = figure

    def png(self, dpi: int = 100) -> bytes:
        """The chart as PNG bytes."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
        return buf.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()

    def image(self):
        """The chart as an ``ipywidgets.Image``."""
        import ipywidgets as W

        return W.Image(value=self.png(), format="png")

    def __repr__(self) -> str:
        return f"<Chart: {self.figure.axes[0].get_title() if self.figure.axes else ''}>"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def stability_chart(stability: Any, labels: Optional[Mapping[str, str]] = None, lang: str = "nl") -> Chart:
    """Per criterion: the weight interval in which the winner stays first, and the current weight.

    Parameters
    ----------
    stability : decide.sensitivity.Stability or decide.analysis.ModelSensitivity
    labels : mapping, optional
        Criterion (and option) id -> display name.
    """
    stab = getattr(stability, "stability", stability)
    labels = dict(labels or {})
    crits = list(stab.criteria)
    names = [_wrap(labels.get(str(c.criterion), str(c.criterion))) for c in crits]
    winner = ", ".join(labels.get(str(w), str(w)) for w in stab.top)
    title = _wrap(_t("stability_title", lang, winner=winner), 80)
    fig = _figure(7.5, 0.3 * _lines(names) + 0.15 * len(crits) + 1.2 + 0.2 * title.count("\n"))
    ax = fig.add_subplot()
    y = np.arange(len(crits))[::-1]
    for k, (yy, c) in enumerate(zip(y, crits)):
        # the report's scheme: the winner's interval wide and light, the ranking's narrow and
        # dark, the current weight an accent diamond
        ax.plot([c.top_low, c.top_high], [yy, yy], color=colours.MAIN, lw=11, alpha=colours.TOP_BAND_ALPHA,
                solid_capstyle="butt", label=_t("stability_top_band", lang) if k == 0 else None)
        ax.plot([c.rank_low, c.rank_high], [yy, yy], color=colours.MAIN, lw=4, solid_capstyle="butt",
                label=_t("stability_rank_band", lang) if k == 0 else None)
        ax.plot([c.weight], [yy], "D", color=colours.ACCENT, mec="black", mew=0.5, ms=6,
                label=_t("stability_current", lang) if k == 0 else None)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _pos: fmt_pct(x, lang, 0))  # weights as percentages
    ax.set_xlabel(_t("weight", lang))
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return Chart(fig)


def acceptability_chart(smaa: Any, labels: Optional[Mapping[str, str]] = None, lang: str = "nl") -> Chart:
    """SMAA-2 rank acceptability as a heat map: options (best first) x rank positions.

    Parameters
    ----------
    smaa : decide.sensitivity.SMAA or decide.analysis.ModelSensitivity
    labels : mapping, optional
        Option id -> display name.
    """
    res = getattr(smaa, "smaa", smaa)
    labels = dict(labels or {})
    acc = res.acceptability
    m = acc.shape[0]
    order = np.argsort(-res.holistic().reindex(acc.index).to_numpy(), kind="stable")
    acc = acc.iloc[order]
    names = [_wrap(labels.get(str(i), str(i)), 34) for i in acc.index]
    fig = _figure(min(1.0 + 0.62 * acc.shape[1] + 3.2, 14), 0.25 * _lines(names) + 0.2 * m + 1.4)
    ax = fig.add_subplot()
    data = acc.to_numpy()
    im = ax.imshow(data, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            if v >= 0.005:
                ax.text(j, i, f"{100 * v:.0f}", ha="center", va="center", fontsize=8,
                        color="white" if v > 0.55 else "#222")
    ax.set_xticks(range(data.shape[1]))
    ax.set_xticklabels([str(c) for c in acc.columns])
    ax.set_yticks(range(m))
    ax.set_yticklabels(names)
    ax.set_xlabel(_t("rank", lang))
    ax.set_title(_t("smaa_title", lang, samples=i18n.fmt_number(res.samples, lang, 0)), fontsize=10)
    cb = fig.colorbar(im, ax=ax, fraction=0.04)
    cb.set_label(_t("share_of_samples", lang))
    cb.ax.yaxis.set_major_formatter(lambda x, _pos: fmt_pct(x, lang, 0))  # as the cells: percentages
    return Chart(fig)


def frontier_chart(frontier: Any, *, budget: Optional[float] = None, allocation: Any = None, lang: str = "nl",
                   currency: str = "EUR") -> Chart:
    """Best portfolio value against the budget, with the chosen budget and portfolio marked.

    Parameters
    ----------
    frontier : decide.portfolio.Frontier
    budget : float, optional
        The budget in use (a vertical line).
    allocation : decide.portfolio.Allocation, optional
        The chosen portfolio (a point at its TCO and value).
    """
    fig = _figure(7.5, 3.8)
    ax = fig.add_subplot()
    f = frontier.frame
    ok = f[f["status"] == "optimal"] if len(f) else f
    if len(ok):
        ax.step(ok["budget"], ok["value"], where="post", color=PALETTE[0], label=_t("frontier_line", lang))
        ax.plot(ok["budget"], ok["value"], "o", color=PALETTE[0], ms=4)
    bad = f[f["status"] != "optimal"] if len(f) else f
    if len(bad):
        y0 = float(ok["value"].min()) if len(ok) else 0.0
        ax.plot(bad["budget"], [y0] * len(bad), "x", color="#c62828", ms=6, label=_t("frontier_infeasible", lang))
    if not len(ok):
        ax.text(0.5, 0.5, _t("frontier_none", lang), transform=ax.transAxes, ha="center", va="center",
                color="#c62828")
    if budget is not None:
        ax.axvline(budget, color=PALETTE[1], ls="--", lw=1.2, label=_t("frontier_budget", lang))
    if allocation is not None and getattr(allocation, "has_solution", False):
        ax.plot([allocation.total_cost], [allocation.total_value], "*", color=PALETTE[1], ms=14,
                label=_t("frontier_chosen", lang))
    ax.xaxis.set_major_formatter(lambda x, _pos: i18n.fmt_money(x, lang, currency))
    for lab in ax.get_xticklabels():
        lab.set_fontsize(8)
    ax.set_xlabel(_t("frontier_x", lang))
    ax.set_ylabel(_t("frontier_y", lang))
    ax.set_title(_t("frontier_title", lang), fontsize=10)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        fig.legend(loc="outside lower center", ncols=4, fontsize=8, frameon=False)
    return Chart(fig)


def spend_frame(allocation: Any, suppliers: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """Spend per supplier of an allocation with its share and SME flag."""
    s = allocation.spend_by_supplier
    total = float(s.sum()) or 1.0
    sme = [bool(suppliers.at[i, "sme"]) if suppliers is not None and i in suppliers.index else False for i in s.index]
    label = [str(suppliers.at[i, "label"]) if suppliers is not None and i in suppliers.index else str(i)
             for i in s.index]
    return pd.DataFrame({"label": label, "spend": s.to_numpy(), "share": s.to_numpy() / total, "sme": sme},
                        index=s.index)
