"""What SMAA samples: weight vectors (:class:`WeightSpec`) and uncertain scores (:class:`ScoreSpec`).

Random numbers come in fixed-size blocks: block ``b`` of stream ``s`` is drawn from its own
generator, ``PCG64(SeedSequence(seed, spawn_key=(s, b)))``. Sample ``i`` therefore depends only
on ``(seed, i)``, never on how the caller chunks the work, and the first ``N`` samples of a
longer run are the samples of a run with ``N`` samples.

Weight distributions
--------------------
``WeightSpec.uniform()``
    Uniform on the simplex (no preference information, SMAA-2's default). Drawn as normalised
    exponentials: if ``E_j ~ Exp(1)`` independently, ``E / sum(E)`` is Dirichlet(1, ..., 1),
    the uniform distribution on the simplex (Devroye 1986, *Non-Uniform Random Variate
    Generation*, Springer, ch. V.2, "uniform spacings"; the same distribution as the
    sorted-uniform method of Tervonen & Lahdelma 2007, EJOR 178(2):500-513).
``WeightSpec.intervals({criterion: (low, high)})``
    Uniform on the part of the simplex inside the box. Implied bounds are tightened first
    (``low_j >= 1 - sum of the other highs``); the lower bounds are then met exactly by the
    affine map ``w = low + (1 - sum low) * v`` with ``v`` uniform on the simplex, which keeps
    uniformity, and the upper bounds by rejection. Exact (no Markov chain); an error says so
    when the box leaves too little room for rejection to work (hit-and-run, Tervonen et al.
    2013, EJOR 224(3):552-559, would be the way out).
``WeightSpec.ordered([c1, c2, ...])``
    Uniform on the region ``w_c1 >= w_c2 >= ...``: draw uniform weights and sort the values of
    the listed criteria among themselves (exchangeability makes this exact; Tervonen &
    Lahdelma 2007, sec. 3). Criteria not listed are unconstrained.
``WeightSpec.dirichlet(around, concentration)``
    Dirichlet(``concentration * around``): mean ``around``, variance
    ``around_j (1 - around_j) / (concentration + 1)``: weights *around* an AHP result.

Score uncertainty
-----------------
:class:`ScoreSpec` holds ``low``, ``mode`` and ``high`` matrices. A cell with
``low == high`` is fixed; a cell without a mode is uniform on ``[low, high]``; a cell with one
is triangular (inverse-CDF sampling). Build it with :meth:`ScoreSpec.uniform`,
:meth:`ScoreSpec.triangular` or :meth:`ScoreSpec.cells` (``{(alt, crit): spec}``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from decide.errors import InputError, Message

#: Samples per random-number block. Fixed, so results never depend on the chunk size.
BLOCK = 1000
STREAM_WEIGHTS = 0
STREAM_SCORES = 1
#: Rejection sampling gives up below this acceptance rate (checked on a pilot draw).
MIN_ACCEPTANCE = 1e-4
DEFAULT_CONCENTRATION = 100.0


def block_rng(seed: int, stream: int, block: int) -> np.random.Generator:
    """The generator of one block of one stream."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(stream, block))))


class BlockSource:
    """Serve rows ``[start, stop)`` of an endless sequence drawn block by block.

    ``draw(rng, size)`` returns ``size`` rows; each block is drawn with :func:`block_rng` and
    the last block is kept, so sequential chunks of any size draw every block once. Safe to
    share between threads.
    """

    def __init__(self, draw: Callable[[np.random.Generator, int], np.ndarray], seed: int,
                 stream: int, block: int = BLOCK):
        self._draw = draw
        self._seed = seed
        self._stream = stream
        self._block = block
        self._cache: tuple[int, np.ndarray] | None = None

    def _get_block(self, b: int) -> np.ndarray:
        # read the cache once: worker threads share a source (two may draw the same block,
        # which is deterministic; none may return another thread's block)
        cache = self._cache
        if cache is None or cache[0] != b:
            cache = (b, self._draw(block_rng(self._seed, self._stream, b), self._block))
            self._cache = cache
        return cache[1]

    def get(self, start: int, stop: int) -> np.ndarray:
        B = self._block
        parts = []
        for b in range(start // B, (stop - 1) // B + 1):
            lo = max(start, b * B) - b * B
            hi = min(stop, (b + 1) * B) - b * B
            parts.append(self._get_block(b)[lo:hi])
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=0)


# =========================================================================== weights
def _criterion_index(criteria: pd.Index, key: Any, where: str) -> int:
    if key in criteria:
        loc = criteria.get_loc(key)
        if isinstance(loc, int):
            return loc
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool) and 0 <= key < len(criteria):
        return int(key)
    raise InputError(
        Message("input.sampling_unknown_criterion", where=where, key_=key, criteria=list(criteria), last=len(criteria) - 1)
    )


@dataclass(frozen=True)
class WeightSpec:
    """How SMAA samples weight vectors. Build one with the class methods.

    Examples
    --------
    >>> WeightSpec.uniform().kind
    'uniform'
    >>> WeightSpec.intervals({"cost": (0.2, 0.5)}).describe()
    {'kind': 'intervals', 'bounds': {'cost': [0.2, 0.5]}}
    """

    kind: str
    bounds: tuple = ()
    order: tuple = ()
    around: Any = None
    concentration: float | None = None

    # ------------------------------------------------------------------ factories
    @classmethod
    def uniform(cls) -> WeightSpec:
        """Uniform on the simplex (no preference information)."""
        return cls("uniform")

    @classmethod
    def intervals(cls, bounds: Mapping[Any, Sequence[float]]) -> WeightSpec:
        """Uniform on the simplex within ``{criterion: (low, high)}``; other criteria in [0, 1]."""
        if not isinstance(bounds, Mapping) or not bounds:
            raise InputError(
                Message("input.sampling_intervals_not_mapping", bounds=bounds)
            )
        items = []
        for key, b in bounds.items():
            try:
                lo, hi = (float(v) for v in b)
            except (TypeError, ValueError):
                raise InputError(
                    Message("input.sampling_interval_not_pair", key_=key, bounds=b)
                ) from None
            items.append((key, lo, hi))
        return cls("intervals", bounds=tuple(items))

    @classmethod
    def ordered(cls, order: Sequence[Any]) -> WeightSpec:
        """Uniform on the weights that respect ``order`` (most important first)."""
        if isinstance(order, (str, bytes)) or not isinstance(order, Sequence) or len(order) < 2:
            raise InputError(
                Message("input.sampling_order_too_short", order=order)
            )
        return cls("ordered", order=tuple(order))

    @classmethod
    def dirichlet(cls, around: Any, concentration: float = DEFAULT_CONCENTRATION) -> WeightSpec:
        """Dirichlet(``concentration * around``): weights scattered around ``around``."""
        try:
            k = float(concentration)
        except (TypeError, ValueError):
            k = float("nan")
        if not np.isfinite(k) or k <= 0:
            raise InputError(
                Message("input.sampling_concentration_not_positive", concentration=concentration)
            )
        if isinstance(around, Mapping):
            around = tuple(around.items())
        elif isinstance(around, pd.Series):
            around = tuple(around.items())
        else:
            around = tuple(np.asarray(around, dtype=float).tolist())
        return cls("dirichlet", around=around, concentration=k)

    @classmethod
    def coerce(cls, obj: Any) -> WeightSpec:
        """Interpret the ``weights=`` argument of :func:`smaa`.

        ``None`` -> uniform; a :class:`WeightSpec` as is; ``{"around": w, "concentration": k}``
        -> Dirichlet; another mapping ``{criterion: (low, high)}`` -> intervals; a list of
        criteria -> ordered.
        """
        if obj is None:
            return cls.uniform()
        if isinstance(obj, WeightSpec):
            return obj
        if isinstance(obj, Mapping):
            if "around" in obj:
                extra = set(obj) - {"around", "concentration"}
                if extra:
                    raise InputError(
                        Message("input.sampling_dirichlet_unknown_keys", keys=sorted(extra))
                    )
                return cls.dirichlet(obj["around"], obj.get("concentration", DEFAULT_CONCENTRATION))
            return cls.intervals(obj)
        if isinstance(obj, (Sequence, np.ndarray, pd.Series)) and not isinstance(obj, (str, bytes)):
            items = list(obj)
            if any(isinstance(x, (float, np.floating)) for x in items):
                raise InputError(
                    Message("input.sampling_numbers_as_order", items=items)
                )
            return cls.ordered(items)
        raise InputError(
            Message("input.sampling_weights_spec_unknown", obj=obj)
        )

    # ------------------------------------------------------------------ use
    def describe(self) -> dict:
        """A JSON-friendly description (what the report records)."""
        if self.kind == "uniform":
            return {"kind": "uniform"}
        if self.kind == "intervals":
            return {"kind": "intervals", "bounds": {str(k): [lo, hi] for k, lo, hi in self.bounds}}
        if self.kind == "ordered":
            return {"kind": "ordered", "order": [str(c) for c in self.order]}
        around = ({str(k): float(v) for k, v in self.around}
                  if self.around and isinstance(self.around[0], tuple) else list(self.around))
        return {"kind": "dirichlet", "around": around, "concentration": self.concentration}

    def bind(self, criteria: Sequence[Any] | pd.Index | int) -> BoundWeights:
        """Validate against the criteria and return a sampler."""
        if isinstance(criteria, (int, np.integer)):
            criteria = pd.RangeIndex(int(criteria))
        criteria = pd.Index(criteria)
        n = len(criteria)
        if n < 1:
            raise InputError(Message("input.sampling_no_criteria"))
        if self.kind == "uniform":
            return BoundWeights(self, n, _draw_uniform(n))
        if self.kind == "dirichlet":
            return BoundWeights(self, n, self._bind_dirichlet(criteria))
        if self.kind == "ordered":
            return BoundWeights(self, n, self._bind_ordered(criteria))
        if self.kind == "intervals":
            return BoundWeights(self, n, self._bind_intervals(criteria))
        raise InputError(Message("input.sampling_unknown_kind", kind=self.kind))

    def sample(self, criteria: Sequence[Any] | pd.Index | int, size: int, seed: int = 0) -> np.ndarray:
        """``size`` weight vectors (rows), exactly the ones :func:`smaa` uses with this seed."""
        return self.bind(criteria).source(seed).get(0, size)

    # ------------------------------------------------------------------ binders
    def _bind_dirichlet(self, criteria: pd.Index):
        n = len(criteria)
        if self.around and isinstance(self.around[0], tuple):
            a = np.zeros(n)
            seen = set()
            for key, v in self.around:
                j = _criterion_index(criteria, key, "weights around")
                a[j] = float(v)
                seen.add(j)
            missing = [criteria[j] for j in range(n) if j not in seen]
            if missing:
                raise InputError(
                    Message("input.sampling_around_missing_weights", missing=missing)
                )
        else:
            a = np.asarray(self.around, dtype=float)
            if a.shape != (n,):
                raise InputError(
                    Message("input.sampling_around_wrong_count", expected=n, given=a.shape[0] if a.ndim else a)
                )
        if not np.all(np.isfinite(a)) or np.any(a <= 0):
            raise InputError(
                Message("input.sampling_around_not_positive", weights=a.tolist())
            )
        a = a / a.sum()
        alpha = self.concentration * a

        def draw(rng: np.random.Generator, size: int) -> np.ndarray:
            # Gamma-normalised Dirichlet: same algorithm for every alpha (numpy's
            # dirichlet switches algorithms for small alpha).
            g = rng.standard_gamma(alpha, size=(size, n))
            return g / g.sum(axis=1, keepdims=True)

        return draw

    def _bind_ordered(self, criteria: pd.Index):
        n = len(criteria)
        idx = [_criterion_index(criteria, c, "weights order") for c in self.order]
        if len(set(idx)) != len(idx):
            raise InputError(Message("input.sampling_order_duplicate", order=list(self.order)))
        idx = np.asarray(idx)
        base = _draw_uniform(n)

        def draw(rng: np.random.Generator, size: int) -> np.ndarray:
            W = base(rng, size)
            W[:, idx] = -np.sort(-W[:, idx], axis=1)
            return W

        return draw

    def _bind_intervals(self, criteria: pd.Index):
        n = len(criteria)
        lo = np.zeros(n)
        hi = np.ones(n)
        seen: set[int] = set()
        for key, a, b in self.bounds:
            j = _criterion_index(criteria, key, "weights intervals")
            if j in seen:
                raise InputError(Message("input.sampling_intervals_duplicate", key_=key))
            seen.add(j)
            if not (np.isfinite(a) and np.isfinite(b)) or a < 0 or b > 1 or a > b:
                raise InputError(
                    Message("input.sampling_interval_out_of_bounds", key_=key, low=a, high=b)
                )
            lo[j], hi[j] = a, b
        tol = 1e-12
        if lo.sum() > 1 + tol or hi.sum() < 1 - tol:
            raise InputError(
                Message("input.sampling_intervals_infeasible", low_sum=lo.sum(), high_sum=hi.sum())
            )
        for _ in range(2 * n):  # propagate the implied bounds (a few rounds settle it)
            new_lo = np.maximum(lo, 1.0 - (hi.sum() - hi))
            new_hi = np.minimum(hi, 1.0 - (new_lo.sum() - new_lo))
            if np.allclose(new_lo, lo, rtol=0, atol=0) and np.allclose(new_hi, hi, rtol=0, atol=0):
                break
            lo, hi = new_lo, new_hi
        hi = np.maximum(hi, lo)
        room = 1.0 - lo.sum()
        if room <= tol:
            fixed = lo / lo.sum()

            def draw_fixed(rng: np.random.Generator, size: int) -> np.ndarray:
                return np.tile(fixed, (size, 1))

            return draw_fixed
        base = _draw_uniform(n)
        slack = hi + 1e-15

        def candidates(rng: np.random.Generator, size: int) -> np.ndarray:
            W = lo + room * base(rng, size)
            return W[np.all(W <= slack, axis=1)]

        pilot = candidates(block_rng(0, 99, 0), 20_000)
        rate = len(pilot) / 20_000
        if rate < MIN_ACCEPTANCE:
            raise InputError(
                Message("input.sampling_intervals_too_narrow", rate=rate)
            )
        batch_factor = 1.1 / max(rate, MIN_ACCEPTANCE)

        def draw(rng: np.random.Generator, size: int) -> np.ndarray:
            parts, got = [], 0
            while got < size:
                c = candidates(rng, int((size - got) * batch_factor) + 16)
                parts.append(c)
                got += len(c)
            return np.concatenate(parts)[:size]

        return draw


def _draw_uniform(n: int):
    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        E = rng.standard_exponential((size, n))
        return E / E.sum(axis=1, keepdims=True)

    return draw


@dataclass(frozen=True)
class BoundWeights:
    """A :class:`WeightSpec` validated against ``n`` criteria."""

    spec: WeightSpec
    n: int
    draw: Callable[[np.random.Generator, int], np.ndarray] = field(repr=False)

    def source(self, seed: int) -> BlockSource:
        return BlockSource(self.draw, seed, STREAM_WEIGHTS)


# =========================================================================== scores
_KINDS = {"uniform", "triangular"}


@dataclass(frozen=True, eq=False)
class ScoreSpec:
    """Uncertain scores: ``low``, ``mode`` and ``high`` per cell (alternatives x criteria).

    A cell with ``low == high`` is fixed. A cell whose ``mode`` is NaN is uniform on
    ``[low, high]``; otherwise it is triangular with that mode. Use the class methods rather
    than the constructor.

    Examples
    --------
    >>> spec = ScoreSpec.cells({("suite", "innovation"): ("uniform", 2, 4),
    ...                         ("modular", "cost"): ("triangular", 90, 100, 130)})
    """

    low: Any = None
    mode: Any = None
    high: Any = None
    cell_specs: tuple = ()

    @classmethod
    def uniform(cls, low: Any, high: Any) -> ScoreSpec:
        """Every cell uniform on ``[low, high]`` (equal bounds fix a cell)."""
        return cls(low=low, high=high)

    @classmethod
    def triangular(cls, low: Any, mode: Any, high: Any) -> ScoreSpec:
        """Every cell triangular on ``[low, high]`` with ``mode`` (equal bounds fix a cell)."""
        return cls(low=low, mode=mode, high=high)

    @classmethod
    def cells(cls, specs: Mapping[tuple, Any]) -> ScoreSpec:
        """Some cells uncertain, the rest fixed at the matrix value.

        ``specs`` maps ``(alternative, criterion)`` to ``("uniform", low, high)``,
        ``("triangular", low, mode, high)``, ``(low, high)`` (uniform), ``[low, high]`` or
        ``{"low": .., "mode": .., "high": ..}`` (the model file's forms).
        """
        if not isinstance(specs, Mapping):
            raise InputError(Message("input.sampling_scores_not_mapping", specs=specs))
        return cls(cell_specs=tuple(specs.items()))

    @classmethod
    def coerce(cls, obj: Any) -> ScoreSpec | None:
        """Interpret the ``scores=`` argument of :func:`smaa` (None: fixed scores)."""
        if obj is None or isinstance(obj, ScoreSpec):
            return obj
        if isinstance(obj, Mapping):
            if obj and set(obj) <= {"low", "mode", "high"}:
                if "low" not in obj or "high" not in obj:
                    raise InputError(Message("input.sampling_scores_arrays_incomplete"))
                return cls(low=obj["low"], mode=obj.get("mode"), high=obj["high"])
            return cls.cells(obj)
        raise InputError(
            Message("input.sampling_scores_spec_unknown", type_name=type(obj).__name__)
        )

    def describe(self) -> dict:
        return {"kind": "cells" if self.cell_specs else ("triangular" if self.mode is not None else "uniform")}

    def bind(self, X: np.ndarray, alternatives: pd.Index, criteria: pd.Index) -> BoundScores:
        """Validate against the prepared matrix; returns the sampler."""
        m, n = X.shape
        if self.cell_specs:
            low, high = X.copy(), X.copy()
            mode = np.full((m, n), np.nan)
            for key, spec in self.cell_specs:
                i, j = self._cell(key, alternatives, criteria)
                lo, md, hi = _parse_cell(spec, key)
                low[i, j], mode[i, j], high[i, j] = lo, md, hi
        else:
            low = _as_matrix(self.low, "low", X.shape, alternatives, criteria)
            high = _as_matrix(self.high, "high", X.shape, alternatives, criteria)
            mode = (np.full((m, n), np.nan) if self.mode is None
                    else _as_matrix(self.mode, "mode", X.shape, alternatives, criteria))
        problems = []
        for name, a in (("low", low), ("high", high)):
            if not np.all(np.isfinite(a)):
                i, j = np.argwhere(~np.isfinite(a))[0]
                problems.append(f"scores {name}[{alternatives[i]!r}, {criteria[j]!r}] is {a[i, j]}")
        bad = low > high
        if bad.any():
            i, j = np.argwhere(bad)[0]
            problems.append(f"scores[{alternatives[i]!r}, {criteria[j]!r}]: low {low[i, j]} > high {high[i, j]}")
        tri = ~np.isnan(mode)
        badm = tri & ((mode < low) | (mode > high))
        if badm.any():
            i, j = np.argwhere(badm)[0]
            problems.append(
                f"scores[{alternatives[i]!r}, {criteria[j]!r}]: mode {mode[i, j]} outside "
                f"[{low[i, j]}, {high[i, j]}]"
            )
        if problems:
            raise InputError("; ".join(problems) + ". Give finite bounds with low <= mode <= high.")
        return BoundScores(X=X, low=low, mode=mode, high=high)

    @staticmethod
    def _cell(key: Any, alternatives: pd.Index, criteria: pd.Index) -> tuple[int, int]:
        if not (isinstance(key, tuple) and len(key) == 2):
            raise InputError(Message("input.sampling_score_key_not_pair", key_=key))
        a, c = key
        if a not in alternatives:
            raise InputError(Message("input.sampling_score_unknown_alternative", key_=key, alternative=a, alternatives=list(alternatives)))
        if c not in criteria:
            raise InputError(Message("input.sampling_score_unknown_criterion", key_=key, criterion=c, criteria=list(criteria)))
        return int(alternatives.get_loc(a)), int(criteria.get_loc(c))


def _parse_cell(spec: Any, key: Any) -> tuple[float, float, float]:
    """(low, mode or NaN, high) from one cell's spec."""
    hint = Message("input.sampling_cell_hint")
    try:
        if isinstance(spec, Mapping):
            extra = set(spec) - {"low", "mode", "high"}
            if extra or "low" not in spec or "high" not in spec:
                raise ValueError
            md = spec.get("mode")
            return float(spec["low"]), (np.nan if md is None else float(md)), float(spec["high"])
        spec = tuple(spec)
        if spec and isinstance(spec[0], str):
            kind, *vals = spec
            if kind not in _KINDS:
                raise ValueError
            if kind == "uniform" and len(vals) == 2:
                return float(vals[0]), np.nan, float(vals[1])
            if kind == "triangular" and len(vals) == 3:
                return float(vals[0]), float(vals[1]), float(vals[2])
            raise ValueError
        if len(spec) == 2:
            return float(spec[0]), np.nan, float(spec[1])
        raise ValueError
    except (TypeError, ValueError):
        raise InputError(Message("input.sampling_score_spec_invalid", key_=key, hint=hint, spec=spec)) from None


def _as_matrix(a: Any, name: str, shape: tuple, alternatives: pd.Index, criteria: pd.Index) -> np.ndarray:
    if isinstance(a, pd.DataFrame):
        try:
            a = a.loc[alternatives, criteria]
        except KeyError:
            raise InputError(
                Message("input.sampling_scores_labels_differ", name=name, alternatives=list(alternatives), criteria=list(criteria))
            ) from None
    arr = np.asarray(a, dtype=float)
    if arr.shape != shape:
        raise InputError(Message("input.sampling_scores_wrong_shape", name=name, expected=shape, shape=arr.shape))
    return arr.copy()


@dataclass(frozen=True, eq=False)
class BoundScores:
    """Validated score uncertainty, ready to sample."""

    X: np.ndarray
    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray

    def __post_init__(self) -> None:
        cells = np.flatnonzero((self.high > self.low).ravel())
        lo = self.low.ravel()[cells]
        hi = self.high.ravel()[cells]
        md = self.mode.ravel()[cells]
        tri = ~np.isnan(md)
        span = hi - lo
        c = np.where(tri, md, lo)
        consts = {
            "cells": cells,
            "lo": lo,
            "hi": hi,
            "span": span,
            "tri": np.flatnonzero(tri),
            "uni": np.flatnonzero(~tri),
            # triangular inverse CDF: F(c) = (c - a)/(b - a); left a + sqrt(u (b-a)(c-a)),
            # right b - sqrt((1-u)(b-a)(b-c))
            "cut": ((c - lo) / span)[tri],
            "k_left": (span * (c - lo))[tri],
            "k_right": (span * (hi - c))[tri],
        }
        object.__setattr__(self, "_c", consts)

    @property
    def uncertain(self) -> np.ndarray:
        """Flat indices of the uncertain cells."""
        return self._c["cells"]

    @property
    def any_uncertain(self) -> bool:
        return len(self._c["cells"]) > 0

    def source(self, seed: int) -> BlockSource:
        """Blocks of uniform draws, one per uncertain cell (memory: block x cells)."""
        k = max(1, len(self.uncertain))
        block = int(min(BLOCK, max(1, 4_000_000 // k)))  # depends on the data, never on the chunk
        return BlockSource(lambda rng, size: rng.random((size, k)), seed, STREAM_SCORES, block)

    def matrices(self, U: np.ndarray) -> np.ndarray:
        """Score matrices (k, m, n) from uniform draws ``U`` (k, cells) by inverse CDFs."""
        c = self._c
        cells = c["cells"]
        k = U.shape[0]
        m, n = self.X.shape
        if not len(cells):
            return np.broadcast_to(self.low, (k, m, n)).copy()
        uni, tri = c["uni"], c["tri"]
        whole = slice(None)
        # index with a slice when a kind covers every uncertain cell (no fancy-index copies)
        ui = whole if len(uni) == len(cells) else uni
        ti = whole if len(tri) == len(cells) else tri
        vals = np.empty((k, len(cells)))
        if len(uni):
            vals[:, ui] = c["lo"][ui] + U[:, ui] * c["span"][ui]
        if len(tri):
            u = U[:, ti]
            left = np.sqrt(u * c["k_left"])
            left += c["lo"][ti]
            right = np.sqrt((1.0 - u) * c["k_right"])
            np.subtract(c["hi"][ti], right, out=right)
            vals[:, ti] = np.where(u < c["cut"], left, right)
        if len(cells) == m * n:
            return vals.reshape(k, m, n)
        # fixed cells (low == high) take that value: the matrix value for ScoreSpec.cells
        Xs = np.empty((k, m * n))
        Xs[:] = self.low.ravel()
        Xs[:, cells] = vals
        return Xs.reshape(k, m, n)
