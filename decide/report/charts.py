"""The report's charts (matplotlib, no display needed).

Each function takes an :class:`~decide.facade.Analysis` and a language and returns a
:class:`matplotlib.figure.Figure`, or None when the chart does not apply (no AHP, no
portfolio, ...). Figures are built with :class:`~matplotlib.figure.Figure` directly, never
through ``pyplot``: no global state, no GUI backend, nothing to close. :func:`render` turns a
figure into PNG or SVG bytes (SVG with text kept as text and without a date, so the same
analysis gives the same file).

Charts: ``weights`` (bars, with each AHP participant's weights as markers and their
spread), ``ranking`` (options in rank order, stacked per-criterion contributions),
``smaa`` (rank acceptability heat map), ``stability`` (weight intervals in which the
winner stays first), ``frontier`` (value against budget) and ``spend`` (spend per supplier).
"""
from __future__ import annotations

import io
import textwrap
from typing import Any, Callable, Optional

import numpy as np

from decide import i18n
from decide.report.tables import _Labels, method_name, participant_leaf_weights, tr

__all__ = ["CHARTS", "build_charts", "render", "weights_chart", "ranking_chart", "smaa_chart", "stability_chart",
           "frontier_chart", "value_for_money_chart", "spend_chart"]

#: Okabe-Ito colours (readable for colour-blind readers), then matplotlib's tab20.
from decide import colours as _colours  # noqa: E402  (one scheme for report and workshop)

PALETTE = list(_colours.PALETTE)
MAIN = _colours.MAIN
ACCENT = _colours.ACCENT
MUTED = _colours.MUTED
WIDTH = 8.0  # inches: fits an A4 page with margins
#: Charts show at most this many options (bars, heat-map rows and rank columns) or suppliers.
MAX_ITEMS = 25
#: The SMAA heat map shows the first ranks only.
MAX_RANK_COLUMNS = 20

_RC = {
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "decide-report",
}


def _colors(n: int) -> list[str]:
    if n <= len(PALETTE):
        return PALETTE[:n]
    from matplotlib import colormaps

    cmap = colormaps["tab20"]
    return [cmap(k % 20) for k in range(n)]


#: A label in a chart takes at most this many lines; longer labels end in "…" (tables keep them whole).
MAX_LABEL_LINES = 3


def _wrap(text: str, width: int = 34) -> str:
    """``text`` wrapped at ``width`` and cut to :data:`MAX_LABEL_LINES` lines (a chart only).

    A 200 000-character label otherwise becomes thousands of tick-label lines and the chart
    layout runs for minutes.
    """
    text = str(text)
    limit = width * MAX_LABEL_LINES
    if len(text) > limit:
        text = text[: limit + 1]
    return textwrap.fill(text, width=width, max_lines=MAX_LABEL_LINES, placeholder=" …") or text[:limit]


def _figure(height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


def _pct_formatter(lang: str, decimals: int = 0):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: i18n.fmt_pct(x, lang, decimals))


def _num_formatter(lang: str, decimals: int = 2):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: i18n.fmt_number(x, lang, decimals))


def money_short(x: float, lang: str, currency: str = "EUR") -> str:
    """A compact amount for an axis: ``€ 1,4 mln`` (nl) or ``€1.4M`` (en); whole amounts below a million."""
    if abs(x) >= 1e6:
        body = i18n.fmt_number(x / 1e6, lang, 2).rstrip("0").rstrip(",.")
        return tr("millions", lang, amount=i18n.fmt_money(0, lang, currency).replace("0", body))
    return i18n.fmt_money(x, lang, currency)


def _money_formatter(lang: str, currency: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: money_short(x, lang, currency))


def _title(title: str, shown: int, total: int, lang: str) -> str:
    """The title, with "(the first 25 of 300)" when a chart shows only part of the items."""
    return f"{title}\n({tr('chart.first_n', lang, n=shown, m=total)})" if total > shown else title


def _with_rc(fn: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(_RC):
            return fn(*args, **kwargs)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


# =========================================================================== weights
@_with_rc
def weights_chart(analysis: Any, lang: str) -> Optional[Any]:
    """Leaf weights as bars (largest on top); AHP participants' weights as markers with their spread."""
    w = analysis.weights
    if w is None:
        return None
    lab = _Labels(analysis, lang)
    g = w.weights.sort_values(ascending=True)
    parts = participant_leaf_weights(analysis)
    n = len(g)
    fig = _figure(max(2.6, 0.42 * n + 1.4))
    ax = fig.subplots()
    y = np.arange(n)
    ax.barh(y, g.to_numpy(), color=MAIN, alpha=0.85, height=0.6, label=tr("chart.group_weight", lang), zorder=2)
    ax.set_yticks(y, [_wrap(lab.criterion(c), 40) for c in g.index])
    top = float(g.max())
    if parts is not None and parts.shape[1] > 0:
        parts = parts.reindex(g.index)
        lo, hi = parts.min(axis=1).to_numpy(), parts.max(axis=1).to_numpy()
        ax.hlines(y, lo, hi, color="#333333", lw=1.2, zorder=3, label=tr("chart.spread", lang))
        markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
        cols = _colors(parts.shape[1] + 1)[1:]
        for k, p in enumerate(parts.columns):
            ax.scatter(parts[p].to_numpy(), y, marker=markers[k % len(markers)], s=28, color=cols[k],
                       edgecolor="white", linewidth=0.6, zorder=4, label=str(p))
        top = max(top, float(np.nanmax(hi)))
    spread = parts is not None and parts.shape[1] > 0
    for yi, v in zip(y, g.to_numpy()):  # above the bar's end when markers sit on the bar
        ax.text(v + top * 0.01, yi + (0.32 if spread else 0.0), i18n.fmt_pct(v, lang, 1), va="center", ha="left",
                fontsize=8, color="#333333", zorder=5)
    ax.set_xlim(0, top * 1.15)
    ax.xaxis.set_major_formatter(_pct_formatter(lang))
    ax.set_xlabel(tr("chart.weight_axis", lang))
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.set_title(tr("chart.weights_title", lang))
    if parts is not None and parts.shape[1] > 0:
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=min(5, parts.shape[1] + 2),
                   fontsize=8)
    return fig


# =========================================================================== ranking
@_with_rc
def ranking_chart(analysis: Any, lang: str) -> Optional[Any]:
    """The ranked options (best on top) as stacked bars of per-criterion contributions, with the method's score."""
    r = analysis.ranking
    if r is None:
        return None
    lab = _Labels(analysis, lang)
    full = r.to_frame(lang)
    df = full.iloc[:MAX_ITEMS]
    # Bar length = the method's score on 0..1 (1 best), split over the criteria by weight x
    # normalised score: the explanation's shares, which the workshop's bars draw as well.
    con = analysis.explanation.shares.reindex(df.index).fillna(0.0)
    n, k = con.shape
    fig = _figure(max(3.0, 0.5 * n + 1.9 + 0.22 * ((k + 2) // 3)))
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    for j, (c, color) in enumerate(zip(con.columns, _colors(k))):
        vals = con[c].to_numpy()
        ax.barh(y, vals, left=left, color=color, height=0.62, label=_wrap(lab.criterion(c), 28),
                edgecolor="white", linewidth=0.5, zorder=2)
        left += vals
    labels = [_wrap(f"{int(rk)}. {lab.option(i)}", 38) for i, rk in zip(df.index, df["rank"])]
    ax.set_yticks(y, labels)
    xmax = max(float(left.max()), 1e-9)
    for yi, total, score in zip(y, left, df["score"].to_numpy()):
        ax.text(total + xmax * 0.01, yi, i18n.fmt_number(float(score), lang, 3), va="center", ha="left", fontsize=8,
                color="#333333")
    ax.set_xlim(0, xmax * 1.12)
    ax.xaxis.set_major_formatter(_num_formatter(lang, 2))
    ax.set_xlabel(textwrap.fill(i18n.t("ranking.contrib_shares", lang), 70))
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.set_title(_title(tr("chart.ranking_title", lang, method=method_name(r.method, lang)), n, len(full), lang))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=min(3, k), fontsize=8,
               title=tr("chart.score_note", lang, method=method_name(r.method, lang)), title_fontsize=8)
    return fig


# =========================================================================== SMAA
@_with_rc
def smaa_chart(analysis: Any, lang: str) -> Optional[Any]:
    """SMAA-2 rank acceptability: share of samples giving each option each rank (heat map)."""
    s = analysis.sensitivity
    if s is None or s.smaa is None or analysis.ranking is None:
        return None
    lab = _Labels(analysis, lang)
    acc = s.smaa.acceptability
    order = [i for i in analysis.ranking.to_frame(lang).index if i in acc.index]
    total = len(order)
    order = order[:MAX_ITEMS]
    acc = acc[list(acc.columns)[:MAX_RANK_COLUMNS]]
    A = acc.loc[order].to_numpy(dtype=float)
    n, m = A.shape
    fig = _figure(max(2.8, 0.42 * n + 1.5))
    ax = fig.subplots()
    im = ax.imshow(A, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(np.arange(m), [str(c) for c in acc.columns])
    ax.set_yticks(np.arange(n), [_wrap(lab.option(i), 40) for i in order])
    ax.set_xlabel(tr("chart.rank_axis", lang))
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    dense = m > 10  # many ranks: bare numbers (the colour bar carries the %), larger cells only
    for i in range(n):
        for j in range(m):
            v = A[i, j]
            if v >= (0.015 if dense else 0.005):
                text = i18n.fmt_number(100 * v, lang, 0) if dense else i18n.fmt_pct(v, lang, 0).replace(" ", "\u2009")
                ax.text(j, i, text, ha="center", va="center", fontsize=6 if dense else 7,
                        color="white" if v > 0.55 else "#1b1b1b")
    cb = fig.colorbar(im, ax=ax, shrink=0.85, pad=0.02)
    cb.ax.yaxis.set_major_formatter(_pct_formatter(lang))
    cb.set_label(tr("chart.share_of_samples", lang))
    ax.set_title(_title(tr("chart.smaa_title", lang, samples=i18n.fmt_number(s.smaa.samples, lang, 0)), n, total,
                        lang))
    return fig


# =========================================================================== stability
@_with_rc
def stability_chart(analysis: Any, lang: str) -> Optional[Any]:
    """Per criterion: the weight range in which the winner stays first, the range in which the
    whole ranking stays the same, and the current weight."""
    s = analysis.sensitivity
    if s is None or s.stability is None:
        return None
    lab = _Labels(analysis, lang)
    crits = list(s.stability.criteria)[::-1]
    n = len(crits)
    fig = _figure(max(2.8, 0.45 * n + 1.7))
    ax = fig.subplots()
    y = np.arange(n)
    ax.barh(y, [1.0] * n, color="#eef1f4", height=0.7, zorder=1)
    ax.barh(y, [c.top_high - c.top_low for c in crits], left=[c.top_low for c in crits], color=MAIN, alpha=_colours.TOP_BAND_ALPHA,
            height=0.7, zorder=2, label=tr("chart.top_interval", lang))
    ax.barh(y, [c.rank_high - c.rank_low for c in crits], left=[c.rank_low for c in crits], color=MAIN, height=0.28,
            zorder=3, label=tr("chart.rank_interval", lang))
    ax.scatter([c.weight for c in crits], y, marker="D", s=30, color=ACCENT, edgecolor="black", linewidth=0.5,
               zorder=4, label=tr("chart.current_weight", lang))
    ax.set_yticks(y, [_wrap(lab.criterion(c.criterion), 40) for c in crits])
    ax.set_xlim(0, 1.005)
    ax.xaxis.set_major_formatter(_pct_formatter(lang))
    ax.set_xlabel(tr("chart.weight_axis", lang))
    ax.grid(axis="x", alpha=0.3, zorder=0)
    winner = ", ".join(lab.option(x) for x in s.stability.top)
    ax.set_title(_wrap(tr("chart.stability_title", lang, winner=winner), 64))
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: [tr("chart.top_interval", lang), tr("chart.rank_interval", lang),
                                                      tr("chart.current_weight", lang)].index(labels[i]))
    fig.legend([handles[i] for i in order], [labels[i] for i in order], loc="outside lower center", ncol=3,
               fontsize=8)
    return fig


# =========================================================================== portfolio
@_with_rc
def frontier_chart(analysis: Any, lang: str) -> Optional[Any]:
    """Value against budget (the efficient frontier), with the model's budget and its portfolio."""
    f = analysis.frontier
    if f is None or f.frame.empty:
        return None
    cur = analysis.model.currency
    pts = f.frame[f.frame["status"] == "optimal"]
    if pts.empty:
        return None
    eff = f.efficient()
    fig = _figure(3.8)
    ax = fig.subplots()
    ax.step(pts["budget"], pts["value"], where="post", color=MAIN, lw=1.6, zorder=2,
            label=tr("chart.frontier_line", lang))
    ax.plot(pts["budget"], pts["value"], "o", color=MAIN, ms=3.5, zorder=3)
    for _, row in eff.iterrows():
        ax.annotate(tr("chart.n_options", lang, n=int(row["n_chosen"])), (row["budget"], row["value"]),
                    textcoords="offset points", xytext=(4, -12), fontsize=8, color="#333333")
    a = analysis.allocation
    budget = a.problem.budget if a is not None else None
    if budget is not None:
        ax.axvline(budget, color=MUTED, ls="--", lw=1.2, zorder=1,
                   label=tr("chart.budget_line", lang, budget=i18n.fmt_money(budget, lang, cur)))
    if a is not None and a.has_solution:
        ax.plot([a.total_cost], [a.total_value], marker="*", ms=14, color=ACCENT, markeredgecolor="black",
                markeredgewidth=0.6, ls="none", zorder=4, label=tr("chart.chosen_portfolio", lang))
    lo = float(pts["budget"].min())
    hi = max(float(pts["budget"].max()), float(budget or 0))
    pad = max((hi - lo) * 0.08, hi * 0.02, 1.0)
    ax.set_xlim(lo - pad, hi + pad)
    # beyond the last point the value no longer grows: carry the step to the edge
    last = pts.iloc[-1]
    ax.hlines(float(last["value"]), float(last["budget"]), hi + pad, color=MAIN, lw=1.6, zorder=2)
    # below the cheapest portfolio that meets every rule there is none
    ax.axvspan(lo - pad, lo, color="#eef1f4", zorder=0, label=tr("chart.no_portfolio", lang))
    vmax = float(pts["value"].max())
    ax.set_ylim(0, vmax * 1.15 if vmax > 0 else 1)
    ax.xaxis.set_major_formatter(_money_formatter(lang, cur))
    ax.yaxis.set_major_formatter(_num_formatter(lang, 2))
    ax.set_xlabel(tr("chart.budget_axis", lang, years=analysis.model.horizon.years))
    ax.set_ylabel(tr("chart.value_axis", lang))
    ax.grid(alpha=0.3, zorder=0)
    ax.set_title(tr("chart.frontier_title", lang))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=4, fontsize=8)
    return fig


@_with_rc
def value_for_money_chart(analysis: Any, lang: str) -> Optional[Any]:
    """Each option's contribution to the portfolio value against its TCO: efficient options
    (no other option has at least its value for at most its TCO) marked, the recommended
    portfolio's options highlighted."""
    a = analysis.allocation
    if a is None:
        return None
    p = a.problem
    opts = p.options
    if len(opts) == 0:
        return None
    lab = _Labels(analysis, lang)
    cur = analysis.model.currency
    x = opts["tco"].to_numpy(dtype=float)
    base = {m.id: m.importance * m.baseline for m in analysis.model.allocation.modules if not m.required}
    y = np.array([float(v) + sum(base.get(m, 0.0) for m in cov) for v, cov in zip(opts["value"], opts["covers"])])
    n = len(x)
    efficient = np.array([not any((x[j] <= x[i] and y[j] >= y[i] and (x[j] < x[i] or y[j] > y[i]))
                                  for j in range(n)) for i in range(n)])
    chosen = np.array([i in set(a.chosen) for i in opts.index]) if a.has_solution else np.zeros(n, dtype=bool)
    fig = _figure(4.0)
    ax = fig.subplots()
    ax.scatter(x[~efficient], y[~efficient], s=28, color="#b8c2cc", zorder=2, label=tr("chart.vfm_dominated", lang))
    ax.scatter(x[efficient], y[efficient], s=40, facecolor="white", edgecolor=MAIN, linewidth=1.6, zorder=3,
               label=tr("chart.vfm_efficient", lang))
    if chosen.any():
        ax.scatter(x[chosen], y[chosen], s=90, marker="*", color=ACCENT, edgecolor="black", linewidth=0.5,
                   zorder=4, label=tr("chart.vfm_chosen", lang))
    order = [i for i in np.argsort(-y) if efficient[i] or chosen[i]][:MAX_ITEMS]
    for i in order:
        ax.annotate(_wrap(lab.option(opts.index[i]), 28), (x[i], y[i]), textcoords="offset points", xytext=(5, 3),
                    fontsize=7, color="#333333")
    ax.xaxis.set_major_formatter(_money_formatter(lang, cur))
    ax.yaxis.set_major_formatter(_num_formatter(lang, 2))
    ax.set_xlabel(tr("chart.tco_axis", lang, years=analysis.model.horizon.years))
    ax.set_ylabel(tr("chart.vfm_axis", lang))
    ax.set_xlim(0, float(x.max()) * 1.25 if n else 1)
    ax.set_ylim(0, max(float(y.max()) * 1.2, 1e-9))
    ax.grid(alpha=0.3, zorder=0)
    ax.set_title(tr("chart.vfm_title", lang))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3, fontsize=8)
    return fig


@_with_rc
def spend_chart(analysis: Any, lang: str) -> Optional[Any]:
    """Spend per supplier in the chosen portfolio (SME in another colour), with the share cap."""
    a = analysis.allocation
    if a is None or not a.has_solution:
        return None
    s = a.spend_by_supplier
    if s.empty:
        return None
    lab = _Labels(analysis, lang)
    cur = analysis.model.currency
    total = float(a.share_base_spend) or float(s.sum())  # shares of the stated base (rules.share_base)
    count = len(s)
    s = s.sort_values(ascending=False).iloc[:MAX_ITEMS].sort_values(ascending=True)
    sme = a.problem.suppliers["sme"] if a.problem.suppliers is not None else None
    is_sme = [bool(sme.get(k, False)) if sme is not None else False for k in s.index]
    n = len(s)
    fig = _figure(max(2.4, 0.45 * n + 1.5))
    ax = fig.subplots()
    y = np.arange(n)
    colors = [ACCENT if x else MAIN for x in is_sme]
    ax.barh(y, s.to_numpy(), color=colors, height=0.6, zorder=2)
    ax.set_yticks(y, [_wrap(lab.supplier(k), 36) for k in s.index])
    xmax = float(s.max())
    cap = a.problem.rules.max_supplier_share if a.problem.rules is not None else None
    if cap is not None:
        xmax = max(xmax, cap * total)
    for yi, v in zip(y, s.to_numpy()):
        ax.text(v + xmax * 0.01, yi, f"{i18n.fmt_money(v, lang, cur)} ({i18n.fmt_pct(v / total, lang, 0)})",
                va="center", ha="left", fontsize=8, color="#333333", zorder=4,
                bbox=dict(facecolor="white", edgecolor="none", pad=1.0))
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    handles = []
    if any(is_sme):
        handles.append(Patch(color=ACCENT, label=tr("chart.sme", lang)))
    if not all(is_sme):
        handles.append(Patch(color=MAIN, label=tr("chart.not_sme", lang)))
    if cap is not None:
        line = ax.axvline(cap * total, color="#b22222", ls="--", lw=1.2, zorder=3,
                          label=tr("chart.share_cap", lang, share=i18n.fmt_pct(cap, lang, 0)))
        handles.append(line)
    ax.set_xlim(0, xmax * 1.3)
    ax.xaxis.set_major_formatter(_money_formatter(lang, cur))
    ax.set_xlabel(tr("chart.spend_axis", lang, years=analysis.model.horizon.years))
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_title(_title(tr("chart.spend_title", lang), n, count, lang))
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8)
    return fig


# =========================================================================== all
CHARTS: dict[str, Callable[[Any, str], Optional[Any]]] = {
    "weights": weights_chart,
    "ranking": ranking_chart,
    "stability": stability_chart,
    "smaa": smaa_chart,
    "frontier": frontier_chart,
    "value_for_money": value_for_money_chart,
    "spend": spend_chart,
}


def build_charts(analysis: Any, lang: str) -> dict[str, Any]:
    """Every chart that applies, keyed by name (``weights``, ``ranking``, ...)."""
    out = {}
    for name, fn in CHARTS.items():
        fig = fn(analysis, lang)
        if fig is not None:
            out[name] = fig
    return out


def render(fig: Any, fmt: str = "png", dpi: int = 150) -> bytes:
    """The figure as PNG or SVG bytes (no timestamps: the same figure gives the same bytes)."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        elif fmt == "png":
            fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
        else:
            raise ValueError(f"fmt: expected 'png' or 'svg', got {fmt!r}")
    return buf.getvalue()
