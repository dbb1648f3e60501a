"""Analytic Hierarchy Process: priorities, consistency, completion, repair hints, groups.

Array-level building blocks; the model-file glue lives elsewhere and calls these.

Every public function validates its input and raises :class:`decide.errors.InputError`
with a message that says where (the cell or the judgement), what was expected, what was
found and what to do. The private ``_kernel`` functions assume valid input.

Methods and sources
-------------------
* Priorities: principal right eigenvector (Saaty 1977, 1980), row geometric mean
  (Crawford & Williams 1985) or the average of the normalised columns (``column_average``,
  the "spreadsheet method": each column divided by its sum, rows averaged). For the geometric
  mean and the column average, ``lambda_max`` is estimated the usual way as the mean of
  ``(A w)_i / w_i``; that estimate equals ``n`` for a consistent matrix.
* Consistency: ``CI = (lambda_max - n) / (n - 1)``, ``CR = CI / RI(n)`` with a *named* random
  index table (:data:`RI_TABLES`, :func:`random_index`). ``CR = 0`` for ``n <= 2``.
* Incomplete matrices: optimal completions of Bozoki, Fulop & Ronyai (2010), "On optimal
  completion of incomplete pairwise comparison matrices", Math. Comput. Modelling
  52:318-333, doi:10.1016/j.mcm.2010.02.047 -- the logarithmic least squares (LLSM)
  completion (default; a Laplacian system on the comparison graph) and the eigenvalue
  (lambda_max-minimising) completion.
* Repair hints: the perturbation ``e_ij = a_ij w_j / w_i`` of Saaty (2003), "Decision-making
  with the AHP: Why is the principal eigenvector necessary", EJOR 145:85-91, ranks the
  judgements (largest ``max(e, 1/e)`` = most inconsistent); the value that fits the rest is the
  optimal completion of the matrix with that judgement left out (Bozoki et al. 2010), rounded
  to the nearest value of Saaty's 1/9..9 scale.
* Groups: aggregation of individual judgements (AIJ, weighted geometric mean; Aczel & Saaty
  1983) or of individual priorities (AIP, weighted geometric mean; Forman & Peniwati 1998);
  AIJ and AIP agree under the row geometric mean (Barzilai & Golany 1994).
* Consensus: Goepel's AHP consensus indicator S* on Shannon alpha/beta/gamma entropy
  (Goepel 2013, ISAHP 2013 "Implementing the AHP as a standard method for multi-criteria
  decision making in corporate enterprises - a new AHP Excel template with multiple
  inputs"; Goepel 2018, IJAHP 10(3) "Implementation of an online software tool for the
  AHP (AHP-OS)"), with the bands low < 65 %, moderate 65-75 %, high > 75 % (Goepel, BPMSG
  note "AHP group consensus indicator - how to understand and interpret?").
"""
from __future__ import annotations

import html
import math
import numbers
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from decide import i18n
from decide.errors import InputError, Message, Problem

__all__ = [
    "RI_TABLES",
    "RI_SOURCES",
    "SAATY_SCALE",
    "Completion",
    "Consensus",
    "Hint",
    "JudgmentsError",
    "Priorities",
    "ScaleWarning",
    "aggregate",
    "complete",
    "consensus",
    "global_weights",
    "matrix_from_judgments",
    "priorities",
    "random_index",
    "repair_hints",
]

#: Relative tolerance for "equal" judgements (diagonal, reciprocity, duplicates).
RTOL = 1e-6

#: Saaty's fundamental scale and its reciprocals, ascending: 1/9, 1/8, ..., 1, 2, ..., 9.
SAATY_SCALE: tuple[float, ...] = tuple([1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])

METHODS = ("eigenvector", "geometric", "column_average")

# --------------------------------------------------------------------------------------
# Random index tables
# --------------------------------------------------------------------------------------

_SAATY1980 = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
# Tummala & Ling (1998), as used by pymcdm 1.4 (pymcdm.weights.subjective.AHP.RI_M).
_TUMMALA_LING = (0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882,
                 1.5117, 1.5356, 1.5571, 1.5714, 1.5831)
# Donegan & Dodd (1991), n = 3..20 (n = 1, 2: 0).
_DONEGAN_DODD = (0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213,
                 1.4497, 1.4643, 1.4822, 1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371)

# Saaty's later table (Saaty & Vargas 2012, Models, Methods, Concepts & Applications of the AHP,
# 2nd ed., Springer, ch. 1, table 1.5; the one AHPy and many spreadsheets use), n = 1..10.
_SAATY_VARGAS2012 = (0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49)

#: Random index tables by name: ``{name: {n: RI(n)}}`` (read-only). ``alonso_lamata`` is a
#: formula and is not listed here; see :func:`random_index`.
RI_TABLES: Mapping[str, Mapping[int, float]] = MappingProxyType({
    "saaty1980": MappingProxyType(dict(enumerate(_SAATY1980, start=1))),
    "donegan_dodd": MappingProxyType(dict(enumerate(_DONEGAN_DODD, start=1))),
    "tummala_ling": MappingProxyType(dict(enumerate(_TUMMALA_LING, start=1))),
    "saaty_vargas2012": MappingProxyType(dict(enumerate(_SAATY_VARGAS2012, start=1))),
})


def _alonso_lamata(n: int) -> float:
    # Alonso & Lamata (2006) fit the mean lambda_max of random reciprocal matrices as
    # lambda_mean(n) = 2.7699 n - 4.3513, i.e. lambda_mean - n = 1.7699 n - 4.3513; the
    # random index is then RI(n) = (lambda_mean - n) / (n - 1).
    if n <= 2:
        return 0.0
    return (1.7699 * n - 4.3513) / (n - 1)


_RI_FORMULAS: Mapping[str, Callable[[int], float]] = MappingProxyType({"alonso_lamata": _alonso_lamata})

#: Where each random index comes from.
RI_SOURCES: Mapping[str, str] = MappingProxyType({
    "saaty1980": "Saaty, T.L. (1980). The Analytic Hierarchy Process. McGraw-Hill (n = 1..15).",
    "donegan_dodd": "Donegan, H.A. & Dodd, F.J. (1991). A note on Saaty's random indexes. "
                    "Math. Comput. Modelling 15(10):135-137 (n = 1..20).",
    "tummala_ling": "Tummala, V.M.R. & Ling, H. (1998). A note on the computation of the mean random "
                    "consistency index of the AHP. Theory and Decision 44(3):221-230; the values "
                    "pymcdm 1.4 uses (n = 1..15).",
    "saaty_vargas2012": "Saaty, T.L. & Vargas, L.G. (2012). Models, Methods, Concepts & Applications of "
                        "the Analytic Hierarchy Process, 2nd ed. Springer, ch. 1 (n = 1..10); Saaty's "
                        "later table (RI(6) = 1.25, RI(7) = 1.35).",
    "alonso_lamata": "Alonso, J.A. & Lamata, M.T. (2006). Consistency in the analytic hierarchy process: "
                     "a new approach. Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems "
                     "14(4):445-459; RI(n) = (1.7699 n - 4.3513)/(n - 1) from their fit "
                     "lambda_mean = 2.7699 n - 4.3513 (any n).",
})

_RI_NAMES = tuple(RI_TABLES) + tuple(_RI_FORMULAS)


def _ri_covers(name: str, n: int) -> bool:
    if name in _RI_FORMULAS:
        return n >= 1
    return n in RI_TABLES[name]


def random_index(ri: str, n: int) -> float:
    """Return the random index ``RI(n)`` from a named table.

    Parameters
    ----------
    ri : str
        One of ``'saaty1980'``, ``'saaty_vargas2012'``, ``'donegan_dodd'``, ``'tummala_ling'``,
        ``'alonso_lamata'``.
    n : int
        Matrix order (number of items compared), ``n >= 1``.

    Returns
    -------
    float
        ``RI(n)``; 0 for ``n <= 2`` in every table.

    Raises
    ------
    InputError
        Unknown table name, or ``n`` outside the table's range (the message names the tables
        that do cover ``n``).
    """
    if not isinstance(ri, str) or ri not in _RI_NAMES:
        raise InputError(
            Message("input.ahp_ri_unknown_table", allowed=', '.join(repr(r) for r in _RI_NAMES), ri=ri)
        )
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise InputError(Message("input.ahp_ri_bad_order", n=n))
    n = int(n)
    if ri in _RI_FORMULAS:
        return float(_RI_FORMULAS[ri](n))
    table = RI_TABLES[ri]
    if n not in table:
        covering = [name for name in _RI_NAMES if _ri_covers(name, n)]
        raise InputError(
            Message("input.ahp_ri_order_not_covered", ri=ri, smallest=min(table), largest=max(table), n=n, covering=', '.join(repr(c) for c in covering))
        )
    return float(table[n])


# --------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------


class ScaleWarning(UserWarning):
    """A judgement is off Saaty's 1/9..9 scale (only issued when ``check_scale=True``)."""


def _fmt(x: float, digits: int = 6) -> str:
    return f"{x:.{digits}g}"


def _cell(labels: pd.Index | None, i: int, j: int, name: str = "matrix") -> str:
    if labels is None:
        return f"{name}[{i}, {j}]"
    return f"{name}[{labels[i]!r}, {labels[j]!r}]"


def _as_matrix(matrix: Any, *, allow_nan: bool = False, name: str = "matrix") -> tuple[np.ndarray, pd.Index | None]:
    """Validate a pairwise comparison matrix; return it as a float array and its labels.

    Labels are None for unlabelled (array) input. NaN marks a missing judgement and is only
    accepted with ``allow_nan``; both cells of a pair must then be missing together.
    """
    labels: pd.Index | None = None
    if isinstance(matrix, pd.DataFrame):
        if not matrix.index.equals(matrix.columns):
            raise InputError(
                Message("input.ahp_matrix_labels_differ", name=name, rows=list(matrix.index), columns=list(matrix.columns))
            )
        if matrix.index.has_duplicates:
            dup = list(matrix.index[matrix.index.duplicated()].unique())
            raise InputError(Message("input.ahp_matrix_duplicate_labels", name=name, duplicates=dup))
        labels = matrix.index
        values = matrix.to_numpy()
    else:
        values = matrix
    try:
        a = np.array(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(
            Message("input.ahp_matrix_not_numbers", name=name, error=exc)
        ) from None
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InputError(
            Message("input.ahp_matrix_not_square", name=name, shape=a.shape)
        )
    n = a.shape[0]
    if n == 0:
        raise InputError(Message("input.ahp_matrix_empty", name=name))

    def cell(i: int, j: int) -> str:
        return _cell(labels, i, j, name)

    problems: list[Problem] = []

    def problem(key: str, **params: Any) -> None:  # one problem of the matrix (its cell in the text)
        problems.append(Problem.of(key.replace("_", "-"), "", key=f"input.{key}", **params))

    missing = np.isnan(a)
    for i, j in zip(*np.nonzero(np.isinf(a))):
        problem("ahp_matrix_infinite", cell=cell(i, j), value=a[i, j])
    if missing.any() and not allow_nan:
        cells = [cell(i, j) for i, j in zip(*np.nonzero(missing))]
        shown = ", ".join(cells[:6]) + (", ..." if len(cells) > 6 else "")
        problem("ahp_matrix_missing", cells=shown)
    finite = np.isfinite(a)
    for i, j in zip(*np.nonzero(finite & (a <= 0))):
        problem("ahp_matrix_not_positive", cell=cell(i, j), value=_fmt(a[i, j]))
    for i in range(n):
        d = a[i, i]
        if np.isfinite(d) and d > 0 and abs(d - 1.0) > RTOL:
            problem("ahp_matrix_diagonal", cell=cell(i, i), value=_fmt(d))
        elif np.isnan(d):
            problem("ahp_matrix_diagonal_missing", cell=cell(i, i))
    for i in range(n):
        for j in range(i + 1, n):
            x, y = a[i, j], a[j, i]
            if np.isnan(x) != np.isnan(y):
                given, absent = ((i, j), (j, i)) if np.isnan(y) else ((j, i), (i, j))
                gv = a[given]
                if allow_nan:
                    problem("ahp_matrix_half_pair", cell=cell(*absent), other=cell(*given), value=_fmt(gv),
                            should=_fmt(1 / gv, 3))
                continue
            if not (np.isfinite(x) and np.isfinite(y) and x > 0 and y > 0):
                continue
            if abs(x * y - 1.0) > RTOL:
                problem("ahp_matrix_not_reciprocal", cell=cell(j, i), value=_fmt(y), should=_fmt(1 / x, 3),
                        other=cell(i, j), other_value=_fmt(x))
    if problems:
        head = Problem.of("ahp-matrix-problems", "", key="input.ahp_matrix_problems" if len(problems) != 1
                          else "input.ahp_matrix_problem", name=name, n=len(problems))
        raise InputError.of([head, *problems])
    return a, labels


def _index(labels: pd.Index | None, n: int) -> pd.Index:
    return labels if labels is not None else pd.RangeIndex(n)


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise InputError(Message("input.ahp_unknown_method", allowed=', '.join(repr(m) for m in METHODS), method=method))


def _check_max_cr(max_cr: float) -> float:
    try:
        value = float(max_cr)
    except (TypeError, ValueError):
        raise InputError(Message("input.ahp_max_cr_not_number", max_cr=max_cr)) from None
    if not (math.isfinite(value) and value > 0):
        raise InputError(Message("input.ahp_max_cr_not_positive", max_cr=max_cr))
    return value


def _check_ri(ri: str, n: int) -> float:
    """Resolve RI(n) for n >= 3 (0 otherwise), raising the usual errors for bad names/ranges."""
    if not isinstance(ri, str) or ri not in _RI_NAMES:
        random_index(ri, max(n, 1))  # raises the worded error
    return random_index(ri, n) if n >= 3 else 0.0


def _off_scale(a: np.ndarray) -> list[tuple[int, int]]:
    scale = np.array(SAATY_SCALE)
    cells = []
    n = a.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if not np.any(np.abs(scale - a[i, j]) <= 1e-9 * np.maximum(scale, a[i, j])):
                cells.append((i, j))
    return cells


# --------------------------------------------------------------------------------------
# Kernels (no validation)
# --------------------------------------------------------------------------------------


def _eigenvector(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal right eigenvector (sum 1) and Perron root of a positive matrix."""
    n = a.shape[0]
    if n == 1:
        return np.ones(1), 1.0
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    v = vecs[:, k].real
    v = v / v.sum()
    lam = float(vals[k].real)
    if not np.all(v > 0) or abs(vals[k].imag) > 1e-9 * max(1.0, abs(lam)):
        v, lam = _power_iteration(a)
    return v, lam


def _power_iteration(a: np.ndarray, tol: float = 1e-14, max_iter: int = 10_000) -> tuple[np.ndarray, float]:
    w = np.exp(np.log(a).mean(axis=1))
    w /= w.sum()
    lam = float(np.sum(a @ w))
    for _ in range(max_iter):
        z = a @ w
        lam = float(z.sum())
        z /= lam
        if np.max(np.abs(z - w)) < tol:
            w = z
            break
        w = z
    return w, lam


def _geometric(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Row geometric mean (sum 1) and lambda_max estimated as mean((A w)_i / w_i)."""
    w = np.exp(np.log(a).mean(axis=1))
    w = w / w.sum()
    lam = float(np.mean((a @ w) / w))
    return w, lam


def _column_average(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Normalised-column average ("spreadsheet method") and its lambda_max *estimate*.

    Each column of ``A`` is divided by its column sum and the rows of the result are
    averaged: ``w_i = (1/n) sum_j a_ij / sum_k a_kj`` (sums to 1 by construction). This is the
    approximation of the principal eigenvector that spreadsheet AHP templates, textbooks
    (e.g. Winston, Operations Research: Applications and Algorithms, the AHP section) and pyDecision's
    ``ahp_method(wd='mean')`` use.

    ``lambda_max`` is estimated as spreadsheet practice computes it, ``mean_i((A w)_i / w_i)``
    with this ``w``; it is an estimate, not the Perron root of ``A``, so ``CI`` and ``CR``
    built on it can differ slightly from the eigenvector method's. For a consistent matrix
    (``a_ij = v_i / v_j``) every normalised column equals ``v / sum(v)``, ``A w = n w`` and the
    estimate equals ``n`` exactly (CI = CR = 0).
    """
    w = (a / a.sum(axis=0)).mean(axis=1)
    w = w / w.sum()
    lam = float(np.mean((a @ w) / w))
    return w, lam


_KERNELS: Mapping[str, Callable[[np.ndarray], tuple[np.ndarray, float]]] = MappingProxyType(
    {"eigenvector": _eigenvector, "geometric": _geometric, "column_average": _column_average}
)


def _consistency(lam: float, n: int, ri_value: float) -> tuple[float, float]:
    if n <= 2:
        return 0.0, 0.0
    excess = lam - n
    # lambda_max >= n in exact arithmetic; the eigen solver's round-off is of order n * eps, so an
    # excess below a few hundred ulps of n is a consistent matrix, not a CR of 1e-17.
    if excess <= 8 * n * np.finfo(float).eps:
        return 0.0, 0.0
    ci = excess / (n - 1)
    return ci, ci / ri_value


def _cr_of(a: np.ndarray, method: str, ri_value: float) -> float:
    w, lam = _KERNELS[method](a)
    return _consistency(lam, a.shape[0], ri_value)[1]


# --------------------------------------------------------------------------------------
# Priorities
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Priorities:
    """Priorities derived from one pairwise comparison matrix.

    Attributes
    ----------
    weights : pandas.Series
        Priority vector, sums to 1, labelled like the matrix (0..n-1 for arrays).
    lambda_max : float
        Principal eigenvalue (``eigenvector``) or the estimate ``mean((A w)_i / w_i)``
        (``geometric``, ``column_average``).
    ci : float
        Consistency index ``(lambda_max - n) / (n - 1)``; 0 for ``n <= 2``.
    cr : float
        Consistency ratio ``ci / ri``; 0 for ``n <= 2``.
    ri_table : str
        Name of the random index table used.
    ri : float
        The random index value used (0 for ``n <= 2``).
    method : str
        ``'eigenvector'``, ``'geometric'`` or ``'column_average'``.
    max_cr : float
        Threshold for :attr:`is_consistent`.
    matrix : pandas.DataFrame
        The validated comparison matrix.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float
    ri_table: str
    ri: float
    method: str
    max_cr: float
    matrix: pd.DataFrame

    @property
    def n(self) -> int:
        """Number of items compared."""
        return len(self.weights)

    @property
    def is_consistent(self) -> bool:
        """True when ``cr <= max_cr``."""
        return bool(self.cr <= self.max_cr)

    def to_frame(self) -> pd.DataFrame:
        """Weights and ranks (1 = highest weight) as a DataFrame indexed by item."""
        return pd.DataFrame({
            "weight": self.weights,
            "rank": self.weights.rank(ascending=False, method="min").astype(int),
        })

    def summary(self) -> dict[str, Any]:
        """Scalar results as a plain dict (for JSON output)."""
        return {
            "method": self.method, "n": self.n, "lambda_max": self.lambda_max, "ci": self.ci,
            "cr": self.cr, "ri_table": self.ri_table, "ri": self.ri, "max_cr": self.max_cr,
            "is_consistent": self.is_consistent,
        }

    def _repr_html_(self) -> str:
        state = "consistent" if self.is_consistent else "inconsistent"
        head = (
            f"<p><b>AHP priorities</b> ({html.escape(self.method)}), n = {self.n}: "
            f"&lambda;<sub>max</sub> = {self.lambda_max:.4f}, CI = {self.ci:.4f}, CR = {self.cr:.4f} "
            f"(RI table {html.escape(self.ri_table)}, RI = {self.ri:.4f}); {state} at max CR {self.max_cr:g}</p>"
        )
        return head + self.to_frame().to_html(float_format=lambda x: f"{x:.4f}")


def priorities(
    matrix: Any,
    method: str = "eigenvector",
    ri: str = "saaty1980",
    max_cr: float = 0.10,
    check_scale: bool = False,
) -> Priorities:
    """Derive priorities and the consistency ratio from a pairwise comparison matrix.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame
        Square, positive, reciprocal matrix; ``matrix[i, j]`` says how many times item ``i``
        is as important as item ``j``. A DataFrame's index labels the result. Values off
        Saaty's 1/9..9 scale are allowed (group and geometric-mean matrices).
        Missing judgements (NaN) are refused: complete them first with :func:`complete`.
    method : {'eigenvector', 'geometric', 'column_average'}
        Principal right eigenvector (Saaty), row geometric mean (Crawford & Williams) or the
        average of the normalised columns (the spreadsheet method). For the last two,
        ``lambda_max`` is the estimate ``mean_i((A w)_i / w_i)``.
    ri : str
        Named random index table, see :func:`random_index`.
    max_cr : float
        Threshold for :attr:`Priorities.is_consistent` (Saaty's 0.10 by default).
    check_scale : bool
        Warn (:class:`ScaleWarning`) when a judgement is not a value of Saaty's scale.

    Returns
    -------
    Priorities

    Raises
    ------
    InputError
        Not square, empty, non-positive or non-finite entries, diagonal not 1, not
        reciprocal (the message names the cell pair and the value it should have), missing
        judgements, unknown method or RI table, ``n`` outside the RI table's range.

    Examples
    --------
    >>> from decide import ahp
    >>> p = ahp.priorities([[1, 3], [1/3, 1]])
    >>> [round(x, 2) for x in p.weights]
    [0.75, 0.25]
    >>> p.cr
    0.0
    """
    _check_method(method)
    max_cr = _check_max_cr(max_cr)
    a, labels = _as_matrix(matrix)
    n = a.shape[0]
    ri_value = _check_ri(ri, n)
    if check_scale:
        off = _off_scale(a)
        if off:
            shown = ", ".join(f"{_cell(labels, i, j)} = {_fmt(a[i, j], 4)}" for i, j in off[:5])
            warnings.warn(
                f"{len(off)} judgement{'s are' if len(off) != 1 else ' is'} off Saaty's 1/9..9 scale: {shown}"
                f"{', ...' if len(off) > 5 else ''}. This is allowed (group matrices usually are); check "
                "for typing errors if the judgements were entered by hand.",
                ScaleWarning,
                stacklevel=2,
            )
    w, lam = _KERNELS[method](a)
    ci, cr = _consistency(lam, n, ri_value)
    index = _index(labels, n)
    return Priorities(
        weights=pd.Series(w, index=index, name="weight"),
        lambda_max=lam,
        ci=ci,
        cr=cr,
        ri_table=ri,
        ri=ri_value,
        method=method,
        max_cr=max_cr,
        matrix=pd.DataFrame(a, index=index, columns=index),
    )


# --------------------------------------------------------------------------------------
# Judgements as a list
# --------------------------------------------------------------------------------------


class JudgmentsError(InputError):
    """One or more problems in a list of judgements, all reported at once.

    ``problems`` is a tuple of ``(index, code, message)``: ``index`` is the position in the
    judgements list (None for problems with ``items``), ``code`` is stable
    (``bad_entry``, ``unknown_id``, ``self_comparison``, ``bad_value``, ``contradiction``,
    ``bad_items``) so callers can relocate the problem (``participants[0].judgments[3]``).
    """

    def __init__(self, problems: Sequence[tuple[int | None, str, str]]):
        self.problems = tuple(problems)
        n = len(self.problems)
        body = "\n  ".join(
            (f"judgments[{i}]: " if i is not None else "items: ") + msg for i, _, msg in self.problems
        )
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the judgements\n  {body}")

    @property
    def codes(self) -> list[str]:
        return [code for _, code, _ in self.problems]

    @property
    def located(self) -> tuple[Problem, ...]:
        """The problems as located :class:`~decide.errors.Problem` s (``judgments[3]``, ``items``)."""
        return tuple(Problem(code, f"judgments[{i}]" if i is not None else "items", msg)
                     for i, code, msg in self.problems)


def _parse_value(v: Any) -> float | None:
    """Parse a judgement value: a number or a string like '3', '1/3', '0.5'. None if unparsable."""
    if isinstance(v, bool):
        return None
    if isinstance(v, numbers.Real):
        return float(v)
    if isinstance(v, str):
        s = v.strip().replace(" ", "")
        if not s:
            return None
        try:
            return float(Fraction(s))
        except (ValueError, ZeroDivisionError):
            try:
                return float(s)
            except ValueError:
                return None
    return None


def matrix_from_judgments(items: Sequence[Hashable], judgments: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """Build a comparison matrix from judgements ``[a, b, v]`` ("a is v times as important as b").

    Parameters
    ----------
    items : sequence of hashable
        The ids in matrix order.
    judgments : iterable of ``[a, b, v]``
        ``v`` is a positive number or a string such as ``"3"`` or ``"1/3"``. A pair may be
        given in either direction; giving it twice is allowed only with the same meaning
        (``[a, b, 3]`` and ``[b, a, "1/3"]``).

    Returns
    -------
    pandas.DataFrame
        Reciprocal matrix indexed by ``items``; pairs never judged are NaN (see :func:`complete`).

    Raises
    ------
    JudgmentsError
        Unknown id, an item compared with itself, a value that is not a positive number,
        contradictory duplicates (both entries named by index), a malformed entry. All
        problems are reported together.

    Examples
    --------
    >>> from decide import ahp
    >>> m = ahp.matrix_from_judgments(["cost", "risk"], [["cost", "risk", "2"]])
    >>> float(m.loc["risk", "cost"])
    0.5
    """
    problems: list[tuple[int | None, str, str]] = []
    try:
        ids = list(items)
    except TypeError:
        raise JudgmentsError([(None, "bad_items", Message("errors.judgments_items_not_list", got=repr(items)))]) from None
    if not ids:
        raise JudgmentsError([(None, "bad_items", Message("errors.judgments_items_empty"))])
    seen_ids: set = set()
    for x in ids:
        if x in seen_ids:
            problems.append((None, "bad_items", Message("errors.judgments_items_twice", id=repr(x))))
        seen_ids.add(x)
    if problems:
        raise JudgmentsError(problems)
    pos = {x: k for k, x in enumerate(ids)}
    n = len(ids)
    a = np.full((n, n), np.nan)
    np.fill_diagonal(a, 1.0)
    given: dict[tuple[int, int], tuple[int, float, Any]] = {}
    known = ", ".join(repr(x) for x in ids)
    for k, entry in enumerate(judgments):
        if isinstance(entry, (str, bytes)) or not isinstance(entry, Sequence) or len(entry) != 3:
            problems.append((k, "bad_entry", Message("errors.judgment_shape", got=repr(entry))))
            continue
        x, y, raw = entry
        bad = False
        for who in (x, y):
            if not isinstance(who, Hashable) or who not in pos:
                problems.append((k, "unknown_id", Message("errors.judgment_unknown_id", id=repr(who), known=known)))
                bad = True
        if bad:
            continue
        if x == y:
            problems.append((k, "self_comparison", Message("errors.judgment_self", item=repr(x))))
            continue
        v = _parse_value(raw)
        if v is None or not math.isfinite(v) or v <= 0:
            problems.append((k, "bad_value", Message("errors.judgment_value", value=repr(raw), a=repr(x), b=repr(y))))
            continue
        i, j = pos[x], pos[y]
        key, val = ((i, j), v) if i < j else ((j, i), 1.0 / v)
        if key in given:
            k0, v0, e0 = given[key]
            if abs(val - v0) > RTOL * max(val, v0):
                problems.append((k, "contradiction", Message(
                    "errors.judgment_contradiction", entry=repr(list(entry)), first=k0, first_entry=repr(list(e0)),
                    a=repr(ids[key[0]]), b=repr(ids[key[1]]),
                    value={lang: _fmt_judgement(val, lang) for lang in i18n.LANGUAGES},
                    other={lang: _fmt_judgement(v0, lang) for lang in i18n.LANGUAGES})))
            continue
        given[key] = (k, val, entry)
        a[key] = val
        a[key[1], key[0]] = 1.0 / val
    if problems:
        raise JudgmentsError(problems)
    index = pd.Index(ids)
    return pd.DataFrame(a, index=index, columns=index)


# --------------------------------------------------------------------------------------
# Incomplete comparisons
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Completion:
    """A completed comparison matrix.

    Attributes
    ----------
    matrix : pandas.DataFrame
        The complete reciprocal matrix; given judgements are unchanged.
    estimated : tuple of (a, b)
        The pairs that were missing and are now estimated, once each with ``a`` before ``b``
        in matrix order.
    method : str
        ``'llsm'`` or ``'eigenvector'``.
    """

    matrix: pd.DataFrame
    estimated: tuple[tuple[Hashable, Hashable], ...]
    method: str

    def to_frame(self) -> pd.DataFrame:
        """The estimated pairs and their values."""
        rows = [(a, b, float(self.matrix.loc[a, b])) for a, b in self.estimated]
        return pd.DataFrame(rows, columns=["a", "b", "value"])

    def _repr_html_(self) -> str:
        head = (f"<p><b>Completed comparison matrix</b> ({html.escape(self.method)}): "
                f"{len(self.estimated)} pair(s) estimated</p>")
        return head + self.matrix.to_html(float_format=lambda x: f"{x:.4g}")


def _components(known: np.ndarray) -> list[list[int]]:
    n = known.shape[0]
    seen = [False] * n
    comps = []
    for s in range(n):
        if seen[s]:
            continue
        stack, comp = [s], []
        seen[s] = True
        while stack:
            u = stack.pop()
            comp.append(u)
            for v in np.nonzero(known[u])[0]:
                if not seen[v]:
                    seen[v] = True
                    stack.append(int(v))
        comps.append(sorted(comp))
    return comps


def _llsm_log_weights(a: np.ndarray, known: np.ndarray) -> np.ndarray:
    """LLSM log-weights y (sum 0) from the known entries: solve L y = r on the comparison graph."""
    k = known.astype(float)
    np.fill_diagonal(k, 0.0)
    lap = np.diag(k.sum(axis=1)) - k
    logs = np.where(known, np.log(np.where(known, a, 1.0)), 0.0)
    np.fill_diagonal(logs, 0.0)
    r = logs.sum(axis=1)
    y = np.linalg.lstsq(lap, r, rcond=None)[0]
    return y - y.mean()


def _lambda_max_and_grad(a: np.ndarray, pairs: list[tuple[int, int]]) -> tuple[float, np.ndarray]:
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    lvals, lvecs = np.linalg.eig(a.T)
    v = np.abs(lvecs[:, int(np.argmax(lvals.real))].real)
    denom = float(v @ w)
    grad = np.array([(v[i] * a[i, j] * w[j] - v[j] * a[j, i] * w[i]) / denom for i, j in pairs])
    return float(vals[k].real), grad


def _eigen_completion(a: np.ndarray, missing: list[tuple[int, int]], x0: np.ndarray) -> np.ndarray:
    """lambda_max-minimising completion (Bozoki et al. 2010): minimise over the log of missing entries."""
    from scipy.optimize import minimize

    work = a.copy()

    def fill(x: np.ndarray) -> None:
        for (i, j), t in zip(missing, x):
            work[i, j] = math.exp(t)
            work[j, i] = math.exp(-t)

    def f(x: np.ndarray) -> tuple[float, np.ndarray]:
        fill(x)
        return _lambda_max_and_grad(work, missing)

    res = minimize(f, x0, jac=True, method="BFGS", options={"gtol": 1e-12, "maxiter": 10_000})
    x = res.x
    fill(x)
    return work


def complete(matrix: Any, method: str = "llsm") -> Completion:
    """Estimate missing judgements (NaN) of a pairwise comparison matrix.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame
        Reciprocal matrix with NaN for pairs not judged (both cells of a pair missing);
        :func:`matrix_from_judgments` builds one.
    method : {'llsm', 'eigenvector'}
        ``'llsm'`` (default): the logarithmic least squares optimal completion of Bozoki,
        Fulop & Ronyai (2010): the log-weights ``y`` solve the Laplacian system ``L y = r`` of
        the comparison graph (``r_i`` = sum of the logs of item ``i``'s given judgements) and
        a missing entry becomes ``exp(y_i - y_j)``. ``'eigenvector'``: the completion that
        minimises lambda_max (same paper), found by BFGS on the log of the missing entries,
        started from the LLSM completion. Both are unique when the comparison graph is
        connected.

    Returns
    -------
    Completion
        A complete matrix passes through unchanged with ``estimated == ()``.

    Raises
    ------
    InputError
        Invalid matrix (see :func:`priorities`), one cell of a pair missing, or a comparison
        graph that is not connected (the message names the groups of ids never compared
        with each other).
    """
    if method not in ("llsm", "eigenvector"):
        raise InputError(Message("input.ahp_complete_unknown_method", method=method))
    a, labels = _as_matrix(matrix, allow_nan=True)
    n = a.shape[0]
    index = _index(labels, n)
    known = ~np.isnan(a)
    np.fill_diagonal(known, True)
    missing = [(i, j) for i in range(n) for j in range(i + 1, n) if not known[i, j]]
    if not missing:
        return Completion(matrix=pd.DataFrame(a, index=index, columns=index), estimated=(), method=method)
    off = known.copy()
    np.fill_diagonal(off, False)
    comps = _components(off)
    if len(comps) > 1:
        groups = "; ".join("{" + ", ".join(repr(index[i]) for i in c) + "}" for c in comps)
        first, second = comps[0][0], comps[1][0]
        raise InputError(
            Message("input.ahp_complete_disconnected", groups=groups, first=index[first], second=index[second])
        )
    y = _llsm_log_weights(a, known)
    out = a.copy()
    for i, j in missing:
        out[i, j] = math.exp(y[i] - y[j])
        out[j, i] = math.exp(y[j] - y[i])
    if method == "eigenvector":
        x0 = np.array([y[i] - y[j] for i, j in missing])
        out = _eigen_completion(out, missing, x0)
    estimated = tuple((index[i], index[j]) for i, j in missing)
    return Completion(matrix=pd.DataFrame(out, index=index, columns=index), estimated=estimated, method=method)


# --------------------------------------------------------------------------------------
# Repair hints
# --------------------------------------------------------------------------------------


def _fmt_judgement(v: float, lang: str) -> str:
    if v >= 1:
        if abs(v - round(v)) < 1e-9 * v:
            return str(int(round(v)))
        return i18n.fmt_number(v, lang, 2)
    inv = 1.0 / v
    if abs(inv - round(inv)) < 1e-9 * inv:
        return f"1/{int(round(inv))}"
    return i18n.fmt_number(v, lang, 2)


@dataclass(frozen=True)
class Hint:
    """A suggestion to revise one judgement.

    Attributes
    ----------
    a, b : hashable
        The pair, ``a`` before ``b`` in matrix order; the judgement is ``matrix[a, b]``.
    current : float
        The judgement as given.
    suggested : float
        Nearest value of Saaty's 1/9..9 scale to ``ideal``.
    ideal : float
        The value the other judgements imply: the optimal completion of the matrix with this
        pair left out (lambda_max-minimising for ``eigenvector``, least squares for
        ``geometric``; Bozoki et al. 2010).
    deviation : float
        ``max(e, 1/e)`` with ``e = current * w_b / w_a`` (Saaty 2003); 1 = fits exactly.
    cr_before, cr_after : float
        Consistency ratio now, and after replacing this judgement (and its reciprocal) by
        ``suggested``.
    rank : int
        1 = the most inconsistent judgement.
    """

    a: Hashable
    b: Hashable
    current: float
    suggested: float
    ideal: float
    deviation: float
    cr_before: float
    cr_after: float
    rank: int

    def text(self, lang: str = "nl", labels: Mapping[Hashable, str] | None = None) -> str:
        """One sentence for a workshop, from ``decide/messages/weights.yaml``.

        ``labels`` optionally maps ids to display names.
        """
        names = labels or {}
        key = "weights.hint_first" if self.rank == 1 else "weights.hint_other"
        return i18n.t(
            key, lang,
            a=names.get(self.a, str(self.a)), b=names.get(self.b, str(self.b)),
            current=_fmt_judgement(self.current, lang), suggested=_fmt_judgement(self.suggested, lang),
            cr_before=i18n.fmt_number(self.cr_before, lang, 2), cr_after=i18n.fmt_number(self.cr_after, lang, 2),
            rank=self.rank,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for JSON output)."""
        return {
            "a": self.a, "b": self.b, "current": self.current, "suggested": self.suggested,
            "ideal": self.ideal, "deviation": self.deviation, "cr_before": self.cr_before,
            "cr_after": self.cr_after, "rank": self.rank,
        }


def _nearest_saaty(r: float) -> float:
    scale = np.array(SAATY_SCALE)
    return float(scale[int(np.argmin(np.abs(np.log(scale) - math.log(r))))])


def _fit_the_rest(a: np.ndarray, i: int, j: int, method: str) -> float:
    """The value of a_ij the other judgements imply: the optimal completion with (i, j) removed.

    ``eigenvector``: the lambda_max-minimising value (so the CR-minimising one);
    ``geometric``: the logarithmic least squares value (Bozoki et al. 2010);
    ``column_average`` (an approximation of the eigenvector): as ``eigenvector``.
    """
    known = np.ones(a.shape, dtype=bool)
    known[i, j] = known[j, i] = False
    y = _llsm_log_weights(a, known)
    x0 = y[i] - y[j]
    if method == "geometric":
        return math.exp(x0)
    filled = a.copy()
    filled[i, j], filled[j, i] = math.exp(x0), math.exp(-x0)
    return float(_eigen_completion(filled, [(i, j)], np.array([x0]))[i, j])


def repair_hints(
    matrix: Any,
    method: str = "eigenvector",
    ri: str = "saaty1980",
    top: int = 3,
) -> list[Hint]:
    """Name the most inconsistent judgements and the values that would fit the rest.

    Each judgement ``a_ij`` above the diagonal is scored by ``max(e, 1/e)`` with
    ``e = a_ij w_j / w_i`` (Saaty 2003), ``w`` the priorities of the whole matrix. For the
    ``top`` worst pairs the hint gives the value the *other* judgements imply -- the optimal
    completion of the matrix with that pair left out (Bozoki, Fulop & Ronyai 2010): for the
    eigenvector method the value that minimises lambda_max, hence the CR -- rounded to the
    nearest value of Saaty's 1/9..9 scale, and the CR after replacing only that judgement (and
    its reciprocal). Leaving the pair out matters: ``w_i / w_j`` of the full matrix is pulled
    towards the faulty judgement itself. Pairs whose rounded value equals the current
    judgement are skipped (nothing to suggest).

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame
        Complete comparison matrix.
    method : {'eigenvector', 'geometric', 'column_average'}
        How the priorities (and the CR) are computed.
    ri : str
        Named random index table for the CR.
    top : int
        Maximum number of hints.

    Returns
    -------
    list of Hint
        Most inconsistent first; empty for a consistent matrix or ``n <= 2``.
    """
    _check_method(method)
    if isinstance(top, bool) or not isinstance(top, numbers.Integral) or top < 1:
        raise InputError(Message("input.ahp_hints_top_not_positive", top=top))
    a, labels = _as_matrix(matrix)
    n = a.shape[0]
    ri_value = _check_ri(ri, n)
    if n <= 2:
        return []
    index = _index(labels, n)
    w, lam = _KERNELS[method](a)
    cr_before = _consistency(lam, n, ri_value)[1]
    scored = []
    for i in range(n):
        for j in range(i + 1, n):
            e = a[i, j] * w[j] / w[i]
            dev = max(e, 1.0 / e)
            if dev > 1 + 1e-9:
                scored.append((dev, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    hints: list[Hint] = []
    for dev, i, j in scored:
        if len(hints) >= top:
            break
        ideal = _fit_the_rest(a, i, j, method)
        suggested = _nearest_saaty(ideal)
        if abs(suggested - a[i, j]) <= 1e-9 * max(suggested, a[i, j]):
            continue
        b = a.copy()
        b[i, j], b[j, i] = suggested, 1.0 / suggested
        hints.append(Hint(
            a=index[i], b=index[j], current=float(a[i, j]), suggested=suggested, ideal=ideal,
            deviation=float(dev), cr_before=float(cr_before), cr_after=float(_cr_of(b, method, ri_value)),
            rank=len(hints) + 1,
        ))
    return hints


# --------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------


def _participants(matrices: Any, weights: Any, *, allow_nan: bool) -> tuple[
        list[Hashable], list[np.ndarray], pd.Index | None, np.ndarray]:
    """Validate a group: names, arrays (aligned to the first's labels), labels, normalised weights."""
    if isinstance(matrices, Mapping):
        names = list(matrices.keys())
        mats = list(matrices.values())
    elif isinstance(matrices, (pd.DataFrame, np.ndarray)) or not isinstance(matrices, Iterable):
        raise InputError(Message("input.ahp_group_not_a_list", type_name=type(matrices).__name__))
    else:
        mats = list(matrices)
        names = list(range(len(mats)))
    if not mats:
        raise InputError(Message("input.ahp_group_empty"))
    arrays: list[np.ndarray] = []
    labels: pd.Index | None = None
    for k, (name, m) in enumerate(zip(names, mats)):
        where = f"matrices[{name!r}]" if isinstance(matrices, Mapping) else f"matrices[{k}]"
        if isinstance(m, pd.DataFrame) and labels is not None and not m.index.equals(labels):
            if set(m.index) == set(labels) and len(m.index) == len(labels):
                m = m.loc[labels, labels]
            else:
                raise InputError(Message("input.ahp_group_labels_differ", where=where, labels=list(m.index), first_labels=list(labels)))
        a, lab = _as_matrix(m, allow_nan=allow_nan, name=where)
        if k == 0:
            labels = lab
        elif a.shape != arrays[0].shape:
            raise InputError(Message("input.ahp_group_shape_differs", where=where, shape=a.shape, first_shape=arrays[0].shape))
        arrays.append(a)
    lam = _participant_weights(weights, names, isinstance(matrices, Mapping))
    return names, arrays, labels, lam


def _participant_weights(weights: Any, names: list[Hashable], by_name: bool) -> np.ndarray:
    k = len(names)
    if weights is None:
        return np.full(k, 1.0 / k)
    if isinstance(weights, Mapping):
        unknown = [x for x in weights if x not in names]
        absent = [x for x in names if x not in weights]
        if unknown or absent:
            raise InputError(
                Message("input.ahp_group_weights_names_differ", unknown=unknown, absent=absent)
            )
        values = [weights[x] for x in names]
    else:
        try:
            values = list(weights)
        except TypeError:
            raise InputError(Message("input.ahp_group_weights_not_a_list", weights=weights)) from None
    if len(values) != k:
        raise InputError(Message("input.ahp_group_weights_wrong_count", expected=k, given=len(values)))
    try:
        lam = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(Message("input.ahp_group_weights_not_numbers", values=values)) from None
    bad = [names[i] for i in range(k) if not (math.isfinite(lam[i]) and lam[i] >= 0)]
    if bad:
        raise InputError(Message("input.ahp_group_weights_negative_or_infinite", bad=bad))
    if lam.sum() <= 0:
        raise InputError(Message("input.ahp_group_weights_all_zero"))
    return lam / lam.sum()


def _aij(arrays: list[np.ndarray], lam: np.ndarray) -> np.ndarray:
    """Weighted geometric mean, cell by cell, over the participants who gave each judgement."""
    stack = np.stack(arrays)
    present = ~np.isnan(stack)
    wts = np.where(present, lam[:, None, None], 0.0)
    total = wts.sum(axis=0)
    logs = np.where(present, np.log(np.where(present, stack, 1.0)), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (wts * logs).sum(axis=0) / total
    n = stack.shape[1]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    logm = np.where(upper, mean, 0.0)
    logm = logm - logm.T
    out = np.exp(logm)
    gone = total == 0
    out[gone] = np.nan
    np.fill_diagonal(out, 1.0)
    return out


def aggregate(
    matrices: Sequence[Any] | Mapping[Hashable, Any],
    how: str = "judgments",
    weights: Sequence[float] | Mapping[Hashable, float] | None = None,
    method: str = "eigenvector",
) -> pd.DataFrame | pd.Series:
    """Aggregate a group's comparisons.

    Parameters
    ----------
    matrices : sequence or mapping of matrices
        One comparison matrix per participant (a mapping keys them by name). DataFrames are
        aligned on the first matrix's labels.
    how : {'judgments', 'priorities'}
        ``'judgments'`` (AIJ): weighted geometric mean of the judgements, cell by cell; the
        result is reciprocal. A judgement some participants skipped (NaN) is the mean over
        those who gave it; a pair nobody judged stays NaN (see :func:`complete`).
        ``'priorities'`` (AIP): weighted geometric mean of the individual priority vectors
        (derived with ``method``), renormalised to sum 1.
    weights : sequence or mapping of float, optional
        Participant weights (equal by default); only their proportions matter.
    method : {'eigenvector', 'geometric', 'column_average'}
        Priority method for AIP.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        The group matrix (AIJ) or the group priority vector (AIP).

    Examples
    --------
    >>> from decide import ahp
    >>> g = ahp.aggregate([[[1, 2], [1/2, 1]], [[1, 8], [1/8, 1]]])
    >>> float(g.iloc[0, 1])
    4.0
    """
    if how not in ("judgments", "priorities"):
        raise InputError(Message("input.ahp_aggregate_unknown_how", how=how))
    _check_method(method)
    names, arrays, labels, lam = _participants(matrices, weights, allow_nan=(how == "judgments"))
    n = arrays[0].shape[0]
    index = _index(labels, n)
    if how == "judgments":
        return pd.DataFrame(_aij(arrays, lam), index=index, columns=index)
    logw = np.zeros(n)
    for a, l in zip(arrays, lam):
        logw += l * np.log(_KERNELS[method](a)[0])
    w = np.exp(logw - logw.max())
    return pd.Series(w / w.sum(), index=index, name="weight")


@dataclass(frozen=True, eq=False)
class Consensus:
    """Agreement within a group.

    Attributes
    ----------
    value : float
        Goepel's AHP consensus indicator S* in [0, 1] (Goepel 2013, 2018):
        ``(1/D_beta - 1/c) / (1 - 1/c)`` with ``D_beta = exp(H_gamma - H_alpha)`` and the
        scale correction ``c = exp(ln n - H_alpha_min)``, ``H_alpha_min`` the Shannon entropy
        of the most extreme priority vector the 1..``scale_max`` scale allows. As in
        Goepel's AHP-OS; values below 0 (possible only with judgements beyond the scale)
        are reported as 0.
    homogeneity : float
        Relative homogeneity S, uncorrected: ``(1/D_beta - 1/n) / (1 - 1/n)``.
    band : str
        ``'low'`` (< 0.65), ``'moderate'`` (0.65..0.75) or ``'high'`` (> 0.75) for ``value``.
    h_alpha, h_beta, h_gamma : float
        Shannon alpha (weighted mean of individual entropies), beta (gamma - alpha) and gamma
        (entropy of the weighted mean priorities) entropy, natural logarithm.
    group_weights : pandas.Series
        Group priorities: the eigenvector (or ``method``) of the AIJ group matrix.
    individual : pandas.DataFrame
        Each participant's priorities (rows) over the items (columns).
    distance : pandas.Series
        Euclidean distance between each participant's priorities and ``group_weights``.
    compatibility : pandas.Series
        Geometric compatibility of each participant's judgements with the group priorities:
        the GCI formula of Aguaron & Moreno-Jimenez (2003),
        ``2 / ((n-1)(n-2)) * sum_{i<j} ln^2(a_ij w_j / w_i)``, with ``w`` the group
        priorities; 0 = fully compatible. NaN for ``n < 3`` (the formula is undefined).
    participant_weights : pandas.Series
        Normalised participant weights used.
    """

    value: float
    homogeneity: float
    band: str
    h_alpha: float
    h_beta: float
    h_gamma: float
    group_weights: pd.Series
    individual: pd.DataFrame
    distance: pd.Series
    compatibility: pd.Series
    participant_weights: pd.Series

    def to_frame(self) -> pd.DataFrame:
        """Per participant: weight, distance and compatibility with the group."""
        return pd.DataFrame({
            "weight": self.participant_weights,
            "distance": self.distance,
            "compatibility": self.compatibility,
        })

    def text(self, lang: str = "nl") -> str:
        """One sentence: consensus percentage and its band."""
        return i18n.t("weights.consensus", lang, value=i18n.fmt_pct(self.value, lang, 0),
                      band=i18n.t(f"weights.band_{self.band}", lang))

    def _repr_html_(self) -> str:
        head = (f"<p><b>Group consensus</b> S* = {100 * self.value:.1f} % ({html.escape(self.band)}), "
                f"relative homogeneity S = {100 * self.homogeneity:.1f} %</p>")
        return head + self.to_frame().to_html(float_format=lambda x: f"{x:.4f}")


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def _band(value: float) -> str:
    if value < 0.65:
        return "low"
    if value <= 0.75:
        return "moderate"
    return "high"


def consensus(
    matrices: Sequence[Any] | Mapping[Hashable, Any],
    weights: Sequence[float] | Mapping[Hashable, float] | None = None,
    method: str = "eigenvector",
    scale_max: float = 9.0,
) -> Consensus:
    """Measure how far a group agrees on the priorities.

    Parameters
    ----------
    matrices : sequence or mapping of complete matrices
        At least two participants, two or more items.
    weights : sequence or mapping of float, optional
        Participant weights (equal by default). With unequal weights the alpha entropy and
        the mean priorities are weighted means (Goepel's formulas use equal weights).
    method : {'eigenvector', 'geometric', 'column_average'}
        Priority method for individual and group priorities.
    scale_max : float
        Largest value of the judgement scale (9 for Saaty's scale), for S*'s correction.

    Returns
    -------
    Consensus
    """
    _check_method(method)
    try:
        m_scale = float(scale_max)
    except (TypeError, ValueError):
        raise InputError(Message("input.ahp_consensus_scale_not_number", scale_max=scale_max)) from None
    if not (math.isfinite(m_scale) and m_scale > 1):
        raise InputError(Message("input.ahp_consensus_scale_too_small", scale_max=scale_max))
    names, arrays, labels, lam = _participants(matrices, weights, allow_nan=False)
    if len(arrays) < 2:
        raise InputError(Message("input.ahp_consensus_too_few_participants"))
    n = arrays[0].shape[0]
    if n < 2:
        raise InputError(Message("input.ahp_consensus_too_few_items"))
    index = _index(labels, n)
    pk = np.array([_KERNELS[method](a)[0] for a in arrays])
    h_alpha = float(sum(l * _entropy(p) for l, p in zip(lam, pk)))
    h_gamma = _entropy(lam @ pk)
    h_beta = max(h_gamma - h_alpha, 0.0)
    inv_d = math.exp(-h_beta)
    homogeneity = (inv_d - 1.0 / n) / (1.0 - 1.0 / n)
    big = m_scale / (n + m_scale - 1.0)
    small = 1.0 / (n + m_scale - 1.0)
    h_alpha_min = -big * math.log(big) - (n - 1) * small * math.log(small)
    inv_c = math.exp(h_alpha_min - math.log(n))
    value = max((inv_d - inv_c) / (1.0 - inv_c), 0.0)
    group = _KERNELS[method](_aij(arrays, lam))[0]
    dist = np.sqrt(((pk - group) ** 2).sum(axis=1))
    if n >= 3:
        iu = np.triu_indices(n, 1)
        ratio = np.log(group[iu[1]] / group[iu[0]])
        comp = [2.0 / ((n - 1) * (n - 2)) * float(((np.log(a[iu]) + ratio) ** 2).sum()) for a in arrays]
    else:
        comp = [float("nan")] * len(arrays)
    pidx = pd.Index(names, name="participant")
    return Consensus(
        value=float(value),
        homogeneity=float(homogeneity),
        band=_band(value),
        h_alpha=h_alpha,
        h_beta=h_beta,
        h_gamma=h_gamma,
        group_weights=pd.Series(group, index=index, name="weight"),
        individual=pd.DataFrame(pk, index=pidx, columns=index),
        distance=pd.Series(dist, index=pidx, name="distance"),
        compatibility=pd.Series(comp, index=pidx, name="compatibility"),
        participant_weights=pd.Series(lam, index=pidx, name="weight"),
    )


# --------------------------------------------------------------------------------------
# Hierarchy
# --------------------------------------------------------------------------------------


def _as_local_series(value: Any, parent: Hashable) -> pd.Series:
    if hasattr(value, "weights") and isinstance(getattr(value, "weights"), pd.Series):
        value = value.weights
    if isinstance(value, pd.Series):
        s = value
    elif isinstance(value, Mapping):
        s = pd.Series(dict(value))
    else:
        raise InputError(Message("input.ahp_local_not_series", parent=parent, type_name=type(value).__name__))
    try:
        return s.astype(float)
    except (TypeError, ValueError):
        raise InputError(Message("input.ahp_local_not_numbers", parent=parent, values=list(s.values))) from None


def global_weights(
    tree: Mapping[Hashable | None, Sequence[Hashable]],
    local: Mapping[Hashable | None, Any],
) -> pd.Series:
    """Global leaf weights of a criteria hierarchy: products of local weights down the tree.

    Parameters
    ----------
    tree : mapping
        ``{parent: [child, ...]}``; the root's key is ``None``. Each id appears once as a
        child. Nodes that are not keys are leaves.
    local : mapping
        ``{parent: weights over its children}`` as a Series, a mapping, or anything with a
        ``.weights`` Series (:class:`Priorities`, ``decide.weights.WeightResult``); each
        sums to 1. A parent with a single child may be left out (its weight is 1).

    Returns
    -------
    pandas.Series
        Leaf weights in tree order (depth first), summing to 1.

    Examples
    --------
    >>> from decide import ahp
    >>> tree = {None: ["cost", "risk"], "risk": ["lock_in", "continuity"]}
    >>> local = {None: {"cost": 0.6, "risk": 0.4}, "risk": {"lock_in": 0.75, "continuity": 0.25}}
    >>> ahp.global_weights(tree, local).round(2).to_dict()
    {'cost': 0.6, 'lock_in': 0.3, 'continuity': 0.1}
    """
    if not isinstance(tree, Mapping) or None not in tree:
        raise InputError(Message("input.ahp_tree_not_mapping"))
    if not isinstance(local, Mapping):
        raise InputError(Message("input.ahp_local_not_mapping"))
    parent_of: dict[Hashable, Hashable | None] = {}
    for parent, children in tree.items():
        if isinstance(children, (str, bytes)) or not isinstance(children, Sequence) or len(children) == 0:
            raise InputError(Message("input.ahp_tree_children_not_a_list", parent=parent, children=children))
        for c in children:
            if c is None:
                raise InputError(Message("input.ahp_tree_root_as_child", parent=parent))
            if c in parent_of:
                raise InputError(Message("input.ahp_tree_two_parents", child=c, first_parent=parent_of[c], parent=parent))
            parent_of[c] = parent
    unreachable = [p for p in tree if p is not None and p not in parent_of]
    if unreachable:
        raise InputError(Message("input.ahp_tree_unreachable", unreachable=unreachable))
    extra = [p for p in local if p not in tree]
    if extra:
        raise InputError(Message("input.ahp_local_not_in_tree", extra=extra))
    leaves: list[Hashable] = []
    values: list[float] = []
    path: set = set()

    def walk(node: Hashable | None, acc: float) -> None:
        if node in path:
            raise InputError(Message("input.ahp_tree_cycle", node=node))
        children = list(tree[node])
        if node in local:
            s = _as_local_series(local[node], node)
        elif len(children) == 1:
            s = pd.Series([1.0], index=children)
        else:
            raise InputError(Message("input.ahp_local_weights_missing", node=node, children=children, parent_label={"nl": "de wortel", "en": "the root"} if node is None else repr(node)))
        if s.index.has_duplicates or set(s.index) != set(children) or len(s) != len(children):
            missing = [c for c in children if c not in s.index]
            unknown = [x for x in s.index if x not in children]
            raise InputError(Message("input.ahp_local_labels_differ", node=node, children=children, missing=missing, unknown=unknown))
        vals = s.to_numpy()
        if not np.all(np.isfinite(vals)) or np.any(vals < 0):
            raise InputError(Message("input.ahp_local_weights_negative_or_infinite", node=node, weights=dict(s)))
        if abs(vals.sum() - 1.0) > 1e-6:
            raise InputError(Message("input.ahp_local_weights_sum_not_one", node=node, total=vals.sum()))
        path.add(node)
        for c in children:
            if c in tree:
                walk(c, acc * float(s[c]))
            else:
                leaves.append(c)
                values.append(acc * float(s[c]))
        path.discard(node)

    walk(None, 1.0)
    return pd.Series(values, index=pd.Index(leaves), name="weight")
