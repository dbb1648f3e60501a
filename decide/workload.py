"""How long a run will take, before it starts: the SMAA work estimate and the default cap.

SMAA's work grows with options x samples x criteria; with uncertain scores every sample also
draws its own score matrix and the confidence factors score every candidate's central weights
under every sample, which grows with the square of the options. A default run (the model and
the command line leave ``samples`` at its default) whose estimate exceeds
:data:`TARGET_SECONDS` is capped to fewer samples, never below :data:`MIN_SAMPLES`; the cap is
reported (the CLI writes it on stderr) and the provenance records the samples used. A run that
asks for its samples gets them: it only sees the estimate when the run is long.

The cost constants are measured on the reference machine of ``bench/`` (2 shared cores): SMAA
with fixed scores about 4e-9 s per option x criterion x sample (``bench/smaa.py`` on a quiet
machine: 100 000 samples x 100 options x 5 criteria in 0.08 s, i.e. 1.6e-9; while other jobs
ran, 5.5e-9 for 100 x 5 and for 2 000 x 30 alike; the constant sits between the two, since a
report often runs beside other work), with uncertain scores about 2e-7 s per option x
criterion x sample plus 6e-10 s per candidate x option x criterion x sample for the confidence
factors, where the candidates (options that are ever ranked first) are taken as at most
:data:`CANDIDATES` (``bench/large_report.py``, 2 000 options x 30 criteria: about 15 ms per
sample).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

#: Seconds of SMAA a default run may be estimated at before its samples are capped.
TARGET_SECONDS = 30.0
#: A capped run keeps at least this many samples (acceptabilities to about +-1.5 points).
MIN_SAMPLES = 1_000
#: Estimated SMAA seconds above which a run that chose its samples is told the estimate.
LONG_SECONDS = 60.0
_FIXED = 4e-9
_SAMPLED = 2e-7
_CONFIDENCE = 6e-10
#: Options that are ever ranked first, for the confidence factors' cost (a catalogue has many
#: options but few that ever win).
CANDIDATES = 100


@dataclass(frozen=True)
class SmaaPlan:
    """The SMAA samples a run will use, and why."""

    options: int
    criteria: int
    uncertain: bool
    asked: int
    samples: int
    explicit: bool

    @property
    def capped(self) -> bool:
        return self.samples < self.asked

    @property
    def seconds(self) -> float:
        """Estimated SMAA seconds at :attr:`samples`."""
        return self.samples * per_sample_seconds(self.options, self.criteria, self.uncertain)

    @property
    def long(self) -> bool:
        return self.seconds > LONG_SECONDS

    def estimate_text(self, lang: str = "en") -> str:
        """``about 2 minutes`` / ``ongeveer 2 minuten`` for the samples asked."""
        secs = self.asked * per_sample_seconds(self.options, self.criteria, self.uncertain)
        if secs < 90:
            n, unit = max(1, round(secs)), ("seconden" if lang == "nl" else "seconds")
        elif secs < 5400:
            n, unit = round(secs / 60), ("minuten" if lang == "nl" else "minutes")
        else:
            n, unit = round(secs / 3600), ("uur" if lang == "nl" else "hours")
        return f"{n:,} {unit}".replace(",", "." if lang == "nl" else ",")


def per_sample_seconds(options: int, criteria: int, uncertain: bool) -> float:
    """Estimated SMAA seconds per sample on the reference machine."""
    cells = options * max(criteria, 1)
    if not uncertain:
        return cells * _FIXED
    return cells * _SAMPLED + min(options, CANDIDATES) * cells * _CONFIDENCE


def smaa_plan(model: Any, samples: Optional[int] = None) -> SmaaPlan:
    """The samples for a run of ``model``: ``samples`` (the command line's), the model's, or capped.

    Parameters
    ----------
    model : DecisionModel
    samples : int, optional
        What the command line asked for (None: the model's ``sensitivity.samples``).
    """
    sec = model.sensitivity
    explicit = samples is not None or "samples" in sec.model_fields_set
    asked = int(sec.samples if samples is None else samples)
    options = len(model.alternatives)
    criteria = len(model.leaves()) if model.criteria else 0
    uncertain = bool(model.criteria) and _any_uncertain(model)
    chosen = asked
    if not explicit and asked > 0 and criteria:
        per = per_sample_seconds(options, criteria, uncertain)
        if asked * per > TARGET_SECONDS:
            chosen = max(min(asked, MIN_SAMPLES), int(TARGET_SECONDS / per) // 100 * 100)
    return SmaaPlan(options, criteria, uncertain, asked, chosen, explicit)


def _any_uncertain(model: Any) -> bool:
    """Whether any score is a range (cheap: no score table is built)."""
    for a in model.alternatives:
        for v in a.scores.values():
            if isinstance(v, (list, dict)):
                return True
    return False
