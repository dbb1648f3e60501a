"""SMAA-2: stochastic multicriteria acceptability analysis.

Lahdelma, R. & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis
for group decision making. *Operations Research* 49(3):444-454.

For weights ``w`` drawn from a distribution on the simplex (and, optionally, scores drawn from
their ranges) every sample ranks the options with the chosen method. SMAA-2 reports

* the rank acceptability ``b_i^r``: the share of samples in which option ``i`` takes rank ``r``;
* the central weight vector ``w_i^c``: the mean of the weights that make ``i`` first;
* the confidence factor ``p_i^c``: the share of score samples in which ``i`` is first when the
  weights are its central weights (with fixed scores: 1 or 0, or the share of a tie).

Ties are split fractionally: a tie group of ``g`` options over positions ``r..r+g-1`` gives each
member ``1/g`` of each of those positions. Each sample then hands out exactly one unit per
option and one unit per position, so every row and every column of the acceptability matrix
sums to 1. Scores tie under the package's one tie rule (``decide.ranking._util.tie_tolerance``:
1e-9 of the sample's largest absolute score, floored by the method's score scale); a sample whose
scores are undefined (NaN, e.g. a VIKOR denominator of 0) ties all options.

Reproducibility: sample ``i`` depends only on ``(seed, i)`` (see
:mod:`decide.sensitivity.sampling`). Chunks are scored and ranked on a thread pool, each from
its own samples, and folded into the result in sample order (integer counts, sequential
``np.add.at``), so results are identical for every ``chunk`` and every number of ``threads``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from decide.errors import InputError, Message
from decide.sensitivity import _common as C
from decide.sensitivity.engines import select_engine
from decide.sensitivity.sampling import ScoreSpec, WeightSpec


#: Confidence factors with uncertain scores score several central weight vectors per chunk;
#: at most this many scores (k x m x group) are held at once (~16 MB).
_CONFIDENCE_ELEMENTS = 2_000_000
#: With fixed scores the samples are scored and ranked in units of at most this many scores
#: (k x m), whatever ``chunk`` says: each temporary then stays within ~256 KB, in cache and in
#: memory the allocator reuses. At 100 options and 100 000 samples, 1000-sample units cost
#: 37 000 to 56 000 page faults and up to half again the CPU time of 330-sample units (about
#: 300 page faults).
_UNIT_SCORES = 32_768
#: With uncertain scores every sample has its own score matrix: a chunk holds at most this many
#: cells (k x m x n, ~16 MB per array) whatever ``chunk`` says. Results do not depend on the
#: chunk; a 2 000 x 30 catalogue took 35 ms per sample at chunk 1000 (3 GB of matrices, out of
#: cache) and a tenth of that with chunks of this size.
_SAMPLED_CELLS = 2_000_000


# =========================================================================== accumulation
class _Ranked:
    """One chunk's ranks, worked out off the main thread by :func:`_rank_chunk`."""

    __slots__ = ("k", "first", "counts", "positions", "clean", "ties")

    def __init__(self, k, first, counts, positions, clean, ties):
        self.k, self.first, self.counts = k, first, counts
        self.positions, self.clean, self.ties = positions, clean, ties


def _rank_chunk(scores: np.ndarray, higher_is_better: bool, scale: float,
                count: bool) -> _Ranked:
    """Sort a chunk of scores (k, m) and prepare what :class:`_Accumulator` adds up.

    Untied samples become their (position, option) cells, position-major as the accumulator
    keeps them: counted here with ``count`` (worth it when chunks are ranked on worker
    threads, and only when the chunk has more samples than options), else handed over as
    cells for the accumulator to count in place, which is cheaper on one thread. Tied samples
    become their tie groups. ``scores`` may be overwritten.
    """
    k, m = scores.shape
    order, gap, has_tie = C.sort_with_ties(scores, higher_is_better, scale, overwrite=True)
    any_tie = bool(has_tie.any())
    clean = ~has_tie
    first = order[:, 0].copy()
    # position p of option o -> p * m + o; read ascending (contiguous) when best is last
    asc = order[:, ::-1] if higher_is_better else order
    # p * m for the position p of each column of the ascending order: added to the options,
    # their (position, option) cells
    step = C.tiled_range(k, (m - 1) * m, -1, -m) if higher_is_better else C.tiled_range(k, 0, m * m, m)
    if any_tie:
        flat = asc[clean] + step[0]
    else:  # the order is not needed any more: the cells in its place
        asc += step
        flat = asc
    counts = positions = None
    if count and m <= len(flat):  # a dense count per chunk costs less than the cells it counts
        counts = np.bincount(flat.ravel(), minlength=m * m)
    else:
        positions = flat.ravel()
    ties = None
    if any_tie:
        t_rows = np.flatnonzero(has_tie)
        o = order[t_rows]
        st, en = C.group_bounds(gap[t_rows])
        ties = (t_rows, o, st, en, 1.0 / (en - st + 1))
    return _Ranked(k, first, counts, positions, clean if any_tie else None, ties)


class _Accumulator:
    """Rank acceptability and central-weight sums, accumulated in sample order."""

    def __init__(self, m: int, n: int):
        self.m, self.n = m, n
        # untied samples: exact integer counts, position-major (counts[p * m + option])
        self.counts = np.zeros(m * m, dtype=np.int64)
        self.frac: np.ndarray | None = None  # tied samples: difference array of shares
        self.cw_sum = np.zeros((m, n))
        self.cw_den = np.zeros(m)
        self.samples = 0

    def fold(self, r: _Ranked, W: np.ndarray) -> None:
        """Add one ranked chunk; chunks must come in sample order (the float sums follow it)."""
        m, k = self.m, r.k
        if r.counts is not None:
            self.counts += r.counts  # integers: the order of the additions does not matter
        else:
            np.add.at(self.counts, r.positions, 1)
        first = r.first
        if r.ties is None:
            for j in range(self.n):  # sequential, in sample order; a column at a time is
                np.add.at(self.cw_sum[:, j], first, W[:, j])  # twice as fast as rows
            self.cw_den += np.bincount(first, minlength=m)  # whole numbers: exact in any order
            self.samples += k
            return
        # tied samples: fractional shares via a difference array, in sample order
        t_rows, o, s, e, share = r.ties
        clean = r.clean
        if self.frac is None:
            self.frac = np.zeros((m, m + 1))
        np.add.at(self.frac, (o.ravel(), s.ravel()), share.ravel())
        np.add.at(self.frac, (o.ravel(), (e + 1).ravel()), -share.ravel())
        # first-place shares, in sample order: (sample, option, share)
        rows = np.arange(k)
        rr, pp = np.nonzero(s == 0)
        fr = np.concatenate([rows[clean], t_rows[rr]])
        fo = np.concatenate([first[clean], o[rr, pp]])
        fs = np.concatenate([np.ones(int(clean.sum())), share[rr, pp]])
        idx = np.argsort(fr, kind="stable")
        fr, fo, fs = fr[idx], fo[idx], fs[idx]
        np.add.at(self.cw_sum, fo, W[fr] * fs[:, None])
        np.add.at(self.cw_den, fo, fs)
        self.samples += k

    def acceptability(self) -> np.ndarray:
        m = self.m
        acc = self.counts.reshape(m, m).T.astype(float)  # options x positions
        if self.frac is not None:
            acc += np.cumsum(self.frac, axis=1)[:, :m]
        return acc / self.samples

    def central_weights(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            cw = self.cw_sum / self.cw_den[:, None]
        cw[self.cw_den <= 0] = np.nan
        return cw


def _first_shares(S3: np.ndarray, who: np.ndarray, higher_is_better: bool,
                  scale: float = 0.0) -> np.ndarray:
    """Share of first place of option ``who[q]`` in ``S3[s, q, :]``: (k, q), ties fractional.

    The first tie group is the chain of positions whose consecutive gaps are within
    the package's tie tolerance (as for the acceptabilities). It is found cheaply as "within the tolerance of
    the best" and recomputed exactly, by sorting, where more than one option is that close.
    """
    k, q, m = S3.shape
    hi, lo = S3.max(axis=2), S3.min(axis=2)  # (k, q)
    best = hi if higher_is_better else lo
    tol = C.tie_tolerance(hi, lo, scale)
    own = S3[:, np.arange(q), who]
    count = (np.abs(S3 - best[:, :, None]) <= tol[:, :, None]).sum(axis=2)
    out = np.where(np.abs(own - best) <= tol, 1.0, 0.0)
    bad = ~np.isfinite(hi) | ~np.isfinite(lo) | (count > 1)
    for s, qi in zip(*np.nonzero(bad)):  # rare: near ties and undefined scores
        order, gaps, has_tie = C.sort_with_ties(S3[s, qi][None, :], higher_is_better, scale)
        if not has_tie[0]:
            out[s, qi] = float(order[0, 0] == who[qi])
            continue
        st, en = C.group_bounds(gaps[np.array([0])])
        pos = int(np.flatnonzero(order[0] == who[qi])[0])
        out[s, qi] = 1.0 / (en[0, 0] + 1) if st[0, pos] == 0 else 0.0
    return out


# =========================================================================== result
#: Rank-1 acceptability below which faces do not show an option's confidence factor.
CONFIDENCE_MIN_FIRST = 0.05


@dataclass(frozen=True, eq=False)
class SMAA:
    """The result of :func:`smaa` (SMAA-2).

    Attributes
    ----------
    acceptability : DataFrame
        Options x rank positions ``1..m``: the share of samples giving each option each rank.
        Rows and columns sum to 1.
    central_weights : DataFrame
        Options x criteria: the mean weights under which the option is first (NaN row if it
        never is).
    confidence : Series
        How often the option is first with its central weights over the score samples
        (fixed scores: 1.0 when the central weights make it first); NaN without central weights.
    samples, seed : int
        Number of samples and the seed that reproduces them.
    method : str
        The ranking method; ``params`` its parameters.
    weights, scores : dict
        Descriptions of the weight distribution and score uncertainty.
    engine : str
        The scorer used (``topsis-vector``, ``linear``, ``vikor`` or ``loop``).
    notes : tuple of str
        Anything the reader should know (fallbacks).
    """

    acceptability: pd.DataFrame
    central_weights: pd.DataFrame
    confidence: pd.Series
    samples: int
    seed: int
    method: str
    params: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    scores: dict | None = None
    engine: str = ""
    notes: tuple[str, ...] = ()

    def reported_confidence(self, threshold: float | None = None) -> pd.Series:
        """The confidence factors worth showing: NaN where rank-1 acceptability is below ``threshold``.

        A central weight vector computed from a handful of samples says little, so the
        confidence factor of an option that is almost never first (1.00 at 2 % rank-1
        acceptability) is noise. Faces show "-" for those and state the threshold
        (:data:`CONFIDENCE_MIN_FIRST`, 5 % by default).
        """
        threshold = CONFIDENCE_MIN_FIRST if threshold is None else float(threshold)
        conf = self.confidence.copy()
        conf[self.first.reindex(conf.index).fillna(0.0) < threshold] = np.nan
        return conf

    @property
    def first(self) -> pd.Series:
        """Share of samples in which each option is first (``b_i^1``)."""
        return self.acceptability[1]

    def holistic(self, meta_weights: Any = None) -> pd.Series:
        """SMAA-2 holistic acceptability ``a_i^h = sum_r alpha_r b_i^r``.

        ``meta_weights`` default to the linear ones, ``alpha_r = (m - r) / (m - 1)`` (Lahdelma &
        Salminen 2001, sec. 3), so first place counts fully and last not at all.
        """
        m = self.acceptability.shape[1]
        if meta_weights is None:
            alpha = (m - np.arange(1, m + 1)) / (m - 1) if m > 1 else np.ones(1)
        else:
            alpha = np.asarray(meta_weights, dtype=float)
            if alpha.shape != (m,):
                raise InputError(Message("input.smaa_meta_weights_wrong_count", expected=m, shape=alpha.shape))
        return pd.Series(self.acceptability.to_numpy() @ alpha, index=self.acceptability.index,
                         name="holistic")

    def to_frame(self) -> pd.DataFrame:
        """One row per option: ``rank_1..rank_m`` acceptabilities, ``confidence``, ``w_<criterion>``."""
        acc = self.acceptability.rename(columns=lambda r: f"rank_{r}")
        cw = self.central_weights.rename(columns=lambda c: f"w_{c}")
        return pd.concat([acc, self.confidence.rename("confidence"), cw], axis=1)

    def to_dict(self) -> dict:
        """JSON-friendly: ``{"acceptability": {id: [..]}, "central_weights": {id: {crit: w} | None},
        "confidence": {id: p | None}, ...}``."""
        acc = {str(a): [float(x) for x in row] for a, row in zip(self.acceptability.index,
                                                                 self.acceptability.to_numpy())}
        cw = {}
        for a, row in zip(self.central_weights.index, self.central_weights.to_numpy()):
            cw[str(a)] = (None if np.isnan(row).all()
                          else {str(c): float(x) for c, x in zip(self.central_weights.columns, row)})
        conf = {str(a): C.plain(x) for a, x in self.confidence.items()}
        return {
            "method": self.method,
            "params": {k: C.plain(v) for k, v in self.params.items()},
            "samples": self.samples,
            "seed": self.seed,
            "weights": self.weights,
            "scores": self.scores,
            "engine": self.engine,
            "acceptability": acc,
            "central_weights": cw,
            "confidence": conf,
            "notes": list(self.notes),
        }

    def _repr_html_(self) -> str:
        acc = self.acceptability.map(lambda x: f"{100 * x:.1f} %")
        acc.columns = [f"rank {r}" for r in acc.columns]
        acc["confidence"] = self.confidence.map(lambda x: "–" if np.isnan(x) else f"{100 * x:.1f} %")
        head = (f"<p><b>SMAA-2</b> ({html.escape(self.method)}, {self.samples:,} samples, "
                f"seed {self.seed}, weights: {html.escape(self.weights.get('kind', ''))})</p>")
        return head + acc.to_html()

    def __repr__(self) -> str:
        first = ", ".join(f"{a}: {100 * x:.1f}%" for a, x in self.first.sort_values(ascending=False).items())
        return f"SMAA(method={self.method!r}, samples={self.samples}, seed={self.seed}, first=[{first}])"


# =========================================================================== the analysis
def smaa(matrix: Any, directions: Any, method: str = "topsis", weights: Any = None,
         samples: int = 10_000, seed: int | None = 0, chunk: int = 1000, scores: Any = None,
         progress: C.ProgressFn | None = None, engine: str | None = None,
         threads: int | None = None, **params: Any) -> SMAA:
    """SMAA-2 rank acceptabilities, central weights and confidence factors.

    Parameters
    ----------
    matrix : array-like or DataFrame
        Alternatives x criteria (the fixed scores, or the point values when ``scores`` is given).
    directions : sequence of {"max", "min"}
        One per criterion.
    method : str
        A registered ranking method (:func:`decide.ranking.methods`); ``params`` pass through.
    weights : None, WeightSpec, mapping or sequence
        ``None``: uniform on the simplex. ``{criterion: (low, high)}``: intervals. ``[c1, c2,
        ...]``: a rank order, most important first. ``{"around": w, "concentration": k}``:
        Dirichlet(k w). Or a :class:`~decide.sensitivity.sampling.WeightSpec`.
    samples : int
        Number of Monte-Carlo samples.
    seed : int or None
        Seed; None draws one from the operating system and records it in the result.
    chunk : int
        Samples per vectorised batch at most (a memory bound; results do not depend on it).
        With fixed scores batches are kept small enough to stay in cache whatever ``chunk``
        says.
    scores : None, mapping or ScoreSpec
        Score uncertainty: ``{(alternative, criterion): ("uniform", low, high) |
        ("triangular", low, mode, high)}``, ``{"low": L, "high": H, "mode": M}`` matrices, or a
        :class:`~decide.sensitivity.sampling.ScoreSpec`. None: fixed scores.
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk (the CLI draws its bar with it).
    engine : str, optional
        Force the scorer; ``"loop"`` scores every sample with the method's own kernel (the
        reference the batched engines are tested against).
    threads : int, optional
        Chunks scored and ranked at once on a thread pool. Every chunk draws its own samples
        and the results are added up in sample order, so the result is the same for any number
        of threads. Default: every CPU the process may use with uncertain scores, one thread
        with fixed scores. A chunk of fixed scores is a few dozen short numpy calls, and
        between them each thread must take back Python's interpreter lock: on the machine of
        ``bench/RESULTS.md`` two threads took 1.2 to 1.7 times as long as one (10 to 2 000
        options), while uncertain scores, whose chunks are heavier products, took two thirds
        of one thread's time on two.

    Returns
    -------
    SMAA

    Notes
    -----
    TOPSIS, VIKOR, WSM and AHP synthesis are scored in batches of ``chunk`` samples with their
    own batched forms (matrix products), also with uncertain scores; other methods linear in the
    weights (PROMETHEE II, SPOTIS, ...) are batched for fixed scores
    (:mod:`decide.sensitivity.engines`). Everything else, and uncertain scores for those linear
    methods, falls back to the method's kernel per sample, chunk by chunk, which is much
    slower. ``notes`` says when that happened.

    Examples
    --------
    >>> r = smaa([[1, 2], [2, 1], [0, 0]], ["max", "max"], method="wsm", samples=2000)
    >>> round(float(r.acceptability.loc[2, 3]), 3)
    1.0
    """
    samples = C.check_int(samples, "samples", 1, Message("input.use_example", example="samples=10_000"))
    chunk = C.check_int(chunk, "chunk", 1, Message("input.use_example", example="chunk=1000"))
    threads = C.check_threads(threads)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    else:
        seed = C.check_int(seed, "seed", 0, Message("input.seed_hint"))
    ctx = C.context(matrix, None, directions, method, params)
    m, n = ctx.m, ctx.n
    wspec = WeightSpec.coerce(weights)
    wbound = wspec.bind(ctx.criteria)
    sspec = ScoreSpec.coerce(scores)
    sbound = sspec.bind(ctx.X, ctx.alternatives, ctx.criteria) if sspec is not None else None
    sampled = sbound is not None and sbound.any_uncertain
    if sampled:  # the method must accept the whole range, not only the point values
        for corner in (sbound.low, sbound.high):
            C.context(pd.DataFrame(corner, index=ctx.alternatives, columns=ctx.criteria),
                      ctx.w, ctx.types, method, params)

    eng = select_engine(ctx, force="loop" if engine == "loop" else None)
    if engine not in (None, "loop", eng.name):
        raise InputError(Message("input.smaa_engine_unavailable", engine=engine, name=ctx.name))
    notes = list(eng.notes)
    sampled_scorer = eng.sampled
    if sampled and sampled_scorer is None:
        from decide.sensitivity.engines import loop_engine

        sampled_scorer = loop_engine(ctx.kernel).sampled
        if not any("per sample" in x for x in notes):
            notes.append(f"{ctx.name}: uncertain scores are scored with the method's kernel per sample")

    if threads is None:  # see the docstring: threads pay only for heavier chunks
        threads = C.available_cpus() if sampled else 1
    wsrc = wbound.source(seed)
    ssrc = sbound.source(seed) if sampled else None
    total = samples * (2 if sampled else 1)
    if sampled:
        chunk = min(chunk, max(1, _SAMPLED_CELLS // (m * n)))
    acc = _Accumulator(m, n)
    fixed_scorer = None if sampled else eng.fixed(ctx.X)
    hib, tie_scale = ctx.higher_is_better, ctx.scale

    def ranked(start: int, stop: int) -> tuple[np.ndarray, _Ranked]:
        W = wsrc.get(start, stop)
        if sampled:
            S = sampled_scorer(sbound.matrices(ssrc.get(start, stop))).scores(W)
        else:
            S = fixed_scorer.scores(W)
        return W, _rank_chunk(S, hib, tie_scale, count=threads > 1)

    if not sampled:
        chunk = min(chunk, max(1, _UNIT_SCORES // m))
    ranges = C.chunk_ranges(samples, chunk)
    for (_, stop), (W, r) in zip(ranges, C.in_order(ranked, ranges, threads)):
        acc.fold(r, W)  # in sample order, whatever the number of threads
        if progress is not None:
            progress(stop, total)

    acceptability = acc.acceptability()
    cw = acc.central_weights()
    has_cw = ~np.isnan(cw).any(axis=1)
    conf = np.full(m, np.nan)
    who = np.flatnonzero(has_cw)
    if len(who):
        if not sampled:
            Sc = fixed_scorer.scores(cw[who])  # (q, m): row q scores under w_c of who[q]
            conf[who] = _first_shares(Sc[None], who, hib, tie_scale)[0]
        else:
            def first_sums(start: int, stop: int) -> np.ndarray:
                scorer = sampled_scorer(sbound.matrices(ssrc.get(start, stop)))
                group = max(1, _CONFIDENCE_ELEMENTS // ((stop - start) * m))  # k x m x group
                return np.concatenate([
                    _first_shares(scorer.scores_multi(cw[sel]), sel, hib, tie_scale).sum(axis=0)
                    for sel in (who[g:g + group] for g in range(0, len(who), group))])

            tot = np.zeros(len(who))
            for (_, stop), part in zip(ranges, C.in_order(first_sums, ranges, threads)):
                tot += part  # one addition per option and chunk, in sample order
                if progress is not None:
                    progress(samples + stop, total)
            conf[who] = tot / samples

    ranks = pd.Index(range(1, m + 1), name="rank")
    alts = ctx.alternatives
    return SMAA(
        acceptability=pd.DataFrame(acceptability, index=alts, columns=ranks),
        central_weights=pd.DataFrame(cw, index=alts, columns=ctx.criteria),
        confidence=pd.Series(conf, index=alts, name="confidence"),
        samples=samples,
        seed=seed,
        method=ctx.name,
        params=dict(ctx.params),
        weights=wspec.describe(),
        scores=sspec.describe() if sspec is not None else None,
        engine=eng.name if not (sampled and eng.sampled is None) else "loop",
        notes=tuple(notes),
    )
