"""One colour scheme for every face: the report's charts, the workshop widgets and charts.

The series colours are the Okabe-Ito palette (distinguishable with the common forms of
colour blindness); ``MAIN`` marks the decide blue of headings and interval bands, ``ACCENT``
the current value, ``MUTED`` secondary ink.
"""
from __future__ import annotations

#: Series colours (criteria, suppliers, options), in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
MAIN = "#1f5f8b"
ACCENT = "#E69F00"
MUTED = "#9aa5b1"
#: The weight interval in which the winner stays first is drawn wide and light (MAIN at this
#: opacity); the interval in which the whole ranking stays the same narrow and dark (MAIN).
TOP_BAND_ALPHA = 0.35
