"""Small HTML builders for the workshop widgets (inline styles: they render in any front-end)."""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from decide.colours import PALETTE  # noqa: E402  the report's colours, in tree order

OK_COLOUR = "#2e7d32"
BAD_COLOUR = "#c62828"
WARN_COLOUR = "#b26a00"
MUTED = "#666"

_TABLE = "border-collapse:collapse;margin:0.3em 0;font-size:0.92em"
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;vertical-align:middle"


def esc(x: Any) -> str:
    """Escape a value for HTML."""
    return html.escape(str(x), quote=True)


def colour(k: int) -> str:
    """The ``k``-th colour of :data:`PALETTE` (cycling)."""
    return PALETTE[k % len(PALETTE)]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str] | None = None) -> str:
    """An HTML table; ``headers`` are plain text, ``rows`` hold HTML (escape beforehand)."""
    align = list(align) if align is not None else ["left"] * len(headers)
    head = "".join(f"<th style='{_CELL};text-align:{a};border-bottom:2px solid #999'>{esc(h)}</th>"
                   for h, a in zip(headers, align))
    body = "".join("<tr>" + "".join(f"<td style='{_CELL};text-align:{a}'>{c}</td>" for c, a in zip(row, align))
                   + "</tr>" for row in rows)
    return f"<table style='{_TABLE}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bar(fraction: float, colour: str = PALETTE[0], width: str = "8em") -> str:
    """A horizontal bar filled to ``fraction`` (0..1) of ``width``."""
    f = 0.0 if fraction != fraction else max(0.0, min(1.0, float(fraction)))
    return (f"<div style='display:inline-block;width:{width};height:0.8em;background:#eee;vertical-align:middle'>"
            f"<div style='width:{100 * f:.1f}%;height:100%;background:{colour}'></div></div>")


def badge(text: str, colour: str) -> str:
    """Coloured bold text (a status)."""
    return f"<b style='color:{colour}'>{esc(text)}</b>"


def heading(text: str, level: int = 4) -> str:
    return f"<h{level} style='margin:0.6em 0 0.2em 0'>{esc(text)}</h{level}>"


def para(text: str, colour: str | None = None) -> str:
    style = f" style='color:{colour}'" if colour else ""
    return f"<p{style}>{esc(text)}</p>"


def items(texts: Sequence[str], colour: str | None = None) -> str:
    """A bullet list of plain texts."""
    if not texts:
        return ""
    style = f" style='color:{colour}'" if colour else ""
    return f"<ul{style}>" + "".join(f"<li>{esc(x)}</li>" for x in texts) + "</ul>"


def legend(names: Sequence[str], colours: Sequence[str]) -> str:
    """Colour squares with names, on one wrapping line."""
    parts = [f"<span style='white-space:nowrap;margin-right:1em'><span style='display:inline-block;width:0.8em;"
             f"height:0.8em;background:{c};margin-right:0.3em'></span>{esc(n)}</span>"
             for n, c in zip(names, colours)]
    return "<div style='line-height:1.6em;font-size:0.9em'>" + "".join(parts) + "</div>"


#: CSS for the workshop's widgets: labels, tab titles and buttons are never cut off. ipywidgets
#: gives a tab a fixed 144 px and a label or button one line with an ellipsis; these classes let
#: them take the width of their text and wrap instead (tab titles onto a second row).
STYLE = """<style>
.decide-tabs > .lm-TabBar, .decide-tabs > .p-TabBar {height: auto !important; max-height: none !important}
.decide-tabs .lm-TabBar-content, .decide-tabs .p-TabBar-content {flex-wrap: wrap !important}
.decide-tabs .lm-TabBar-tab, .decide-tabs .p-TabBar-tab {flex: 0 0 auto !important; max-width: none !important}
.decide-tabs .lm-TabBar-tabLabel, .decide-tabs .p-TabBar-tabLabel {overflow: visible !important; text-overflow: clip !important}
.decide-wrap .widget-label, .decide-wrap .widget-label-basic, .decide-wrap .widget-inline-hbox label,
.decide-wrap .widget-checkbox label, .decide-wrap .widget-checkbox span
  {white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
   height: auto !important; line-height: 1.3 !important}
.decide-wrap .widget-checkbox {height: auto !important; min-height: var(--jp-widgets-inline-height)}
.decide-wrap button.jupyter-button, .decide-wrap button.widget-button
  {width: auto; max-width: 100%; height: auto !important; min-height: var(--jp-widgets-inline-height);
   white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
   line-height: 1.3 !important; padding: 0.25em 0.9em !important}
.decide-wrap select {text-overflow: clip !important}
.decide-wrap .widget-image {align-self: flex-start; width: auto; max-width: 100%; height: auto}
</style>"""


def styled(widget: Any) -> Any:
    """``widget`` (or a panel's ``.widget``) with the workshop's CSS (:data:`STYLE`) and its
    ``decide-wrap`` class, in a VBox: what a notebook or a served page shows."""
    import ipywidgets as W

    widget = getattr(widget, "widget", widget)
    widget.add_class("decide-wrap")
    return W.VBox([W.HTML(STYLE), widget])


class Shown:
    """Shown in a notebook as its ``widget``, with the workshop's CSS (:func:`styled`)."""

    widget: Any

    def _repr_mimebundle_(self, **kwargs):
        return styled(self.widget)._repr_mimebundle_(**kwargs)


class HTMLView:
    """A piece of HTML that a notebook shows (``_repr_html_``) and a test can read (``.html``)."""

    def __init__(self, html_text: str, data: Any = None):
        self.html = html_text
        self.data = data

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self.html)} characters of HTML>"
