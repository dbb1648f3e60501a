"""Views that follow the facilitator's inputs: no cell to re-run after moving a slider.

A view is a ``build(source) -> (html, data)`` function over a source of inputs: the weight
sliders of :class:`decide.workshop.WeightPanel` (notebook 2) or the budget and rule controls
of :class:`decide.workshop.PortfolioPanel` (notebook 3). :func:`follow` shows the view as an
``ipywidgets.HTML`` that is rebuilt whenever one of the source's inputs changes.

A rebuild that takes long (SMAA, a set of scenario solves) is debounced when it runs inside a
Jupyter kernel: a burst of changes (a slider dragged) is followed by one rebuild for the last
value, ``delay`` seconds after the burst, so the screen never lags behind a queue of stale
rebuilds. Outside a running event loop (a script, a test) every change rebuilds at once.
"""
from __future__ import annotations

import asyncio
from typing import Any, Callable, Optional

from decide.errors import DecideError
from decide.workshop import _html as H

__all__ = ["Debounced", "LiveView", "follow", "inputs_of", "live_review", "live_scenario_view", "on_change"]


def inputs_of(source: Any) -> list:
    """The widgets whose changes alter what ``source`` computes (empty for a plain model or weights)."""
    own = getattr(source, "inputs", None)
    if own is not None:
        return list(own() if callable(own) else own)
    rules = getattr(source, "rules", None)
    budget = getattr(source, "budget", None)
    if isinstance(rules, dict) and budget is not None and hasattr(budget, "observe"):  # a PortfolioPanel
        return [budget, source.use_budget] + [w for pair in rules.values() for w in pair]
    return []


def on_change(source: Any, callback: Callable[[], None]) -> bool:
    """Call ``callback()`` after every change of ``source``'s inputs; False when it has none.

    A source with its own ``on_change`` (a WeightPanel: once per move, after it re-ranked) is
    asked directly; otherwise each input widget is observed.
    """
    register = getattr(source, "on_change", None)
    if callable(register):
        register(callback)
        return True
    widgets = inputs_of(source)
    for w in widgets:
        w.observe(lambda _change: callback(), names="value")
    return bool(widgets)


class Debounced:
    """Run ``fn()`` after a burst of calls: at once outside an event loop, else ``delay`` s after the last call."""

    def __init__(self, fn: Callable[[], None], delay: float = 0.0):
        self.fn, self.delay = fn, float(delay)
        self._handle: Optional[asyncio.TimerHandle] = None

    def __call__(self) -> None:
        if self.delay <= 0:
            self.fn()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no kernel loop: a script or a test
            self.fn()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self.fn()

    @property
    def pending(self) -> bool:
        """True while a rebuild waits for the end of a burst."""
        return self._handle is not None

    def flush(self) -> None:
        """Run a waiting rebuild now."""
        if self._handle is not None:
            self._handle.cancel()
            self._fire()


class LiveView(H.HTMLView):
    """An :class:`HTMLView` rebuilt whenever its source's inputs change.

    Shown in a notebook it is an ``ipywidgets.HTML``; ``.html`` and ``.data`` always hold the
    current view (after :meth:`flush` when a rebuild is waiting).
    """

    def __init__(self, build: Callable[[Any], tuple[str, Any]], source: Any, *, delay: float = 0.0):
        import ipywidgets as W

        html_text, data = build(source)
        super().__init__(html_text, data)
        self._build, self._source = build, source
        self.widget = W.HTML(html_text)
        self.refresh = Debounced(self._refresh, delay)
        on_change(source, self.refresh)

    def _refresh(self) -> None:
        try:
            self.html, self.data = self._build(self._source)
        except DecideError as exc:  # e.g. every weight moved to zero: say so, keep the view
            self.html = H.para(str(exc), H.BAD_COLOUR)
        self.widget.value = self.html

    def flush(self) -> None:
        self.refresh.flush()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle or {})
        bundle["text/html"] = self.html  # front-ends without widgets (and tests) read the HTML
        return bundle


def follow(build: Callable[[Any], tuple[str, Any]], source: Any, *, delay: float = 0.0) -> H.HTMLView:
    """A :class:`LiveView` of ``build`` when ``source`` has inputs to follow, else the view built once."""
    if inputs_of(source) or callable(getattr(source, "on_change", None)):
        return LiveView(build, source, delay=delay)
    html_text, data = build(source)
    return H.HTMLView(html_text, data)


def live_scenario_view(source: Any, *, lang: Optional[str] = None, solver: str = "highs",
                       delay: float = 0.3) -> H.HTMLView:
    """:func:`decide.workshop.scenario_view` that follows a PortfolioPanel's budget and rules.

    Every change of the budget or a rule solves the scenarios again (debounced in a kernel).
    """
    from decide.workshop.portfolio import scenario_view

    def build(src: Any) -> tuple[str, Any]:
        v = scenario_view(src, lang=lang, solver=solver)
        return v.html, v.data

    return follow(build, source, delay=delay)


def live_review(source: Any, *, lang: Optional[str] = None, delay: float = 0.5) -> H.HTMLView:
    """The strategy review (:func:`decide.review.review`) of a PortfolioPanel's current settings, following them.

    ``source`` may also be a model (reviewed once).
    """
    from decide.analysis import Analysis

    def build(src: Any) -> tuple[str, Any]:
        model = src.model_with_settings() if hasattr(src, "model_with_settings") else src
        r = Analysis(model, lang=lang).review
        return r._repr_html_(lang), r

    return follow(build, source, delay=delay)
