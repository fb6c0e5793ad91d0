"""Ecole's ``NodeBipartite`` layout of satmip's bipartite node state (docs/learning.md,
"Branching samples"), so that learn2branch/Ecole code and models read satmip's samples.

satmip's state (satmip.mip: ``ROW_FEATURES``, ``COL_FEATURES``) has one constraint node per
LP row with separate lower/upper features and CSR edges. Ecole (libecole
``observation/node-bipartite.cpp``) has one node per finite side: a row's lower side
first, as ``-a x <= -lower`` (coefficients, bias, objective cosine and dual negated), then
its upper side ``a x <= upper``; an equality gives both. Edges are COO, ``edge_index``
2 x nnz (row, column), one value per edge. Its 19 variable features and 5 row features in
its order are ``VARIABLE_FEATURES`` and ``ROW_FEATURES`` here.

The split depends only on the static part (which sides are finite), so `EcoleStatic`
is built once per static version and each node costs two gathers.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..mip import COL_FEATURES as SATMIP_COL
from ..mip import ROW_FEATURES as SATMIP_ROW

# Ecole's NodeBipartiteObs::VariableFeatures, in its order (5 static, 14 dynamic).
VARIABLE_FEATURES = (
    "objective", "is_type_binary", "is_type_integer", "is_type_implicit_integer", "is_type_continuous",
    "has_lower_bound", "has_upper_bound", "normed_reduced_cost", "solution_value", "solution_frac",
    "is_solution_at_lower_bound", "is_solution_at_upper_bound", "scaled_age", "incumbent_value",
    "average_incumbent_value", "is_basis_lower", "is_basis_basic", "is_basis_upper", "is_basis_zero",
)
# Ecole's NodeBipartiteObs::RowFeatures (2 static, 3 dynamic).
ROW_FEATURES = ("bias", "objective_cosine_similarity", "is_tight", "dual_solution_value", "scaled_age")

# Where each Ecole variable feature comes from in satmip's col_features (None: computed below).
_FROM_SATMIP = {
    "objective": "objective", "is_type_binary": "type_binary", "is_type_integer": "type_integer",
    "is_type_implicit_integer": None, "is_type_continuous": "type_continuous",
    "has_lower_bound": "has_lower", "has_upper_bound": "has_upper", "normed_reduced_cost": "reduced_cost",
    "solution_value": "lp_value", "solution_frac": None, "is_solution_at_lower_bound": "at_lower",
    "is_solution_at_upper_bound": "at_upper", "scaled_age": "age", "incumbent_value": "incumbent_value",
    "average_incumbent_value": "average_incumbent_value", "is_basis_lower": "basis_lower",
    "is_basis_basic": "basis_basic", "is_basis_upper": "basis_upper", "is_basis_zero": "basis_zero",
}
_R = {name: k for k, name in enumerate(SATMIP_ROW)}
_C = {name: k for k, name in enumerate(SATMIP_COL)}
# SCIPfeasFrac's tolerance (SCIP's default feasibility tolerance).
_FEASTOL = 1e-6


@dataclass
class EcoleStatic:
    """The split of one static part: row_of[r] and sign[r] (-1 lower side, +1 upper)
    of each Ecole row, its edges and static row features."""
    row_of: np.ndarray        # int64, Ecole rows
    sign: np.ndarray          # float64, Ecole rows
    edge_index: np.ndarray    # int64, 2 x nnz: (Ecole row, column)
    edge_values: np.ndarray   # float64, nnz
    row_static: np.ndarray    # Ecole rows x 2: bias, objective_cosine_similarity


def ecole_static(state: dict) -> EcoleStatic:
    """The static part of Ecole's layout from a satmip state dict (``on_branch``'s state or
    a recorded sample: row_features, edge_row_ptr, edge_col, edge_values)."""
    rf = np.asarray(state["row_features"])
    ptr = np.asarray(state["edge_row_ptr"], dtype=np.int64)
    col = np.asarray(state["edge_col"], dtype=np.int64)
    val = np.asarray(state["edge_values"], dtype=np.float64).reshape(-1)
    m = rf.shape[0]
    has = np.stack([rf[:, _R["has_lower"]] != 0, rf[:, _R["has_upper"]] != 0], axis=1)   # m x 2: lower, upper
    row_of = np.repeat(np.arange(m, dtype=np.int64), 2).reshape(m, 2)[has]               # lower before upper
    sign = np.where(np.tile([True, False], m).reshape(m, 2)[has], -1.0, 1.0)
    lengths = np.diff(ptr)[row_of]
    starts = ptr[:-1][row_of]
    # Edge k of Ecole row r is the satmip edge starts[r] + (k - first edge of r).
    ecole_row = np.repeat(np.arange(row_of.size, dtype=np.int64), lengths)
    first = np.repeat(np.cumsum(lengths) - lengths, lengths)
    source = np.repeat(starts, lengths) + (np.arange(ecole_row.size, dtype=np.int64) - first)
    edge_index = np.stack([ecole_row, col[source]])
    edge_values = val[source] * sign[ecole_row]
    bias = np.where(sign < 0, -rf[row_of, _R["bias_lower"]], rf[row_of, _R["bias_upper"]])
    cosine = sign * rf[row_of, _R["obj_cosine_similarity"]]
    return EcoleStatic(row_of, sign, edge_index, edge_values, np.stack([bias, cosine], axis=1))


def ecole_row_features(static: EcoleStatic, row_features: np.ndarray) -> np.ndarray:
    """Ecole's rows x 5 row features of one node."""
    rf = np.asarray(row_features)[static.row_of]
    lower = static.sign < 0
    out = np.empty((static.row_of.size, len(ROW_FEATURES)))
    out[:, 0:2] = static.row_static
    out[:, 2] = np.where(lower, rf[:, _R["is_tight_lower"]], rf[:, _R["is_tight_upper"]])
    out[:, 3] = static.sign * rf[:, _R["dual_normalized"]]
    out[:, 4] = rf[:, _R["age"]]
    return out


def ecole_variable_features(col_features: np.ndarray, has_incumbent: bool) -> np.ndarray:
    """Ecole's columns x 19 variable features of one node. As Ecole: solution_frac is the
    fractional part (SCIPfeasFrac, 0 for continuous columns), not min(f, 1 - f); the
    incumbent values are NaN without an incumbent."""
    cf = np.asarray(col_features)
    out = np.zeros((cf.shape[0], len(VARIABLE_FEATURES)))
    for k, name in enumerate(VARIABLE_FEATURES):
        source = _FROM_SATMIP[name]
        if source is not None:
            out[:, k] = cf[:, _C[source]]
    x = cf[:, _C["lp_value"]]
    integer = cf[:, _C["type_continuous"]] == 0
    out[:, VARIABLE_FEATURES.index("solution_frac")] = np.where(integer, x - np.floor(x + _FEASTOL), 0.0)
    if not has_incumbent:
        out[:, VARIABLE_FEATURES.index("incumbent_value")] = np.nan
        out[:, VARIABLE_FEATURES.index("average_incumbent_value")] = np.nan
    return out


def has_incumbent(state: dict) -> bool:
    """Whether the node's search had an incumbent (its facts' primal bound is finite)."""
    return bool(np.isfinite(state["facts"]["primal_bound"]))


def to_ecole(state: dict, static: EcoleStatic | None = None) -> dict:
    """A satmip state dict (on_branch's or a sample's) in Ecole's layout: row_features
    (rows x 5), edge_index (2 x nnz), edge_values (nnz), variable_features (columns x 19).
    Pass ``static`` (from `ecole_static`) to reuse the split across nodes."""
    static = static if static is not None else ecole_static(state)
    return {"row_features": ecole_row_features(static, state["row_features"]),
            "edge_index": static.edge_index, "edge_values": static.edge_values,
            "variable_features": ecole_variable_features(state["col_features"], has_incumbent(state))}
