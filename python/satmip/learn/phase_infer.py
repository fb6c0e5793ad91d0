"""The phase model's forward in numpy (no torch): the same computation as
satmip.learn.phase_model.PhaseModel on satmip.learn.graph.clause_graph's arrays,
from the weights PhaseModel exports (export_npz).

    model = PhaseInference.load("phases.npz")
    p = model.predict(cnf)          # float32 [nvars]: P(variable i + 1 is true)

Two forwards of the same computation on the same input features (satmip.learn.
features): the C++ one (satmip._core.phase_logits: one thread, no BLAS, the GIL
released), used where the extension has it, and numpy's (forward="numpy"), where
aggregation is a segment sum over edges sorted by destination once per graph
(_Aggregation), all float32 and vectorised, its matrix products on one BLAS thread
when threadpoolctl is importable (numpy's multithreaded OpenBLAS fought other
processes for the cores: bench/RESULTS.md, issue 13).
"""
from __future__ import annotations

import contextlib
import json
from typing import Optional, Union

import numpy as np

from .features import clause_features, variable_features
from .graph import ClauseGraph, clause_graph
from .phase_format import FEATURES, FORMAT, MODEL_NAME, NODE_TYPES, RELATIONS

VAR, CLAUSE, META = range(3)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """torch's LayerNorm over the last axis (biased variance); the row means as
    matrix products, several times faster than mean(axis=1) on narrow rows."""
    average = np.full((x.shape[1], 1), 1.0 / x.shape[1], np.float32)
    centred = x - x @ average
    scale = 1.0 / np.sqrt((centred * centred) @ average + np.float32(eps))
    centred *= scale
    centred *= weight
    centred += bias
    return centred


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh approximation (torch's approximate="tanh")."""
    c = np.float32(np.sqrt(2.0 / np.pi))
    inner = np.tanh(c * (x + np.float32(0.044715) * x * x * x))
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner


FORWARDS = ("cpp", "numpy")


def cpp_forward_available() -> bool:
    """Whether the compiled extension has the C++ forward."""
    from .. import _core
    return hasattr(_core, "phase_logits")


def one_blas_thread():
    """A context in which numpy's BLAS runs on one thread (threadpoolctl, when it is
    importable; the caller's settings come back on leaving), else no change: the
    library does not touch a user's global numpy settings."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class _Aggregation:
    """Sum (or mean) of message rows src[e] into rows dst[e] of an output.

    Edges sorted by destination; the k-th edge of each destination is one
    vectorised pass (out[d] += m[s], each d once a pass: no duplicates) while
    at least 1/WIDE of the destinations (and MIN_PASS) have a k-th edge, and the edges beyond,
    those of the few high-degree destinations, go to one np.add.reduceat over
    long segments. Both beat a reduceat over many short segments (5x on 3-SAT's
    clauses) or np.add.at."""
    WIDE, MIN_PASS = 16, 256

    def __init__(self, src: np.ndarray, dst: np.ndarray, ndst: int, mean: bool):
        order = np.argsort(dst, kind="stable")
        src, dst = src[order], dst[order]
        degree = np.bincount(dst, minlength=ndst)
        first = np.cumsum(degree) - degree                 # each destination's first edge
        slot = np.arange(dst.size) - first[dst]
        having = np.bincount(degree, minlength=1)[::-1].cumsum()[::-1]  # having[k]: degree >= k
        npasses = int(np.count_nonzero(having[1:] >= max(ndst / self.WIDE, self.MIN_PASS)))
        by_slot = np.argsort(slot, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(having[1:npasses + 1])])
        self.passes = [(src[by_slot[a:b]], dst[by_slot[a:b]]) for a, b in zip(bounds[:-1], bounds[1:])]
        rest = slot >= npasses
        self.rest_src, rest_dst = src[rest], dst[rest]
        self.rest_starts = np.flatnonzero(np.concatenate([[True], rest_dst[1:] != rest_dst[:-1]])) \
            if rest_dst.size else np.zeros(0, np.int64)
        self.rest_rows = rest_dst[self.rest_starts]
        self.ndst, self.empty = ndst, dst.size == 0
        self.count = np.maximum(degree, 1).astype(np.float32).reshape(-1, 1) if mean else None

    def add_into(self, out: np.ndarray, messages: np.ndarray) -> None:
        if self.empty:
            return
        acc = out if self.count is None else np.zeros_like(out)
        for s, d in self.passes:
            acc[d] += messages[s]
        if self.rest_src.size:
            acc[self.rest_rows] += np.add.reduceat(messages[self.rest_src], self.rest_starts, axis=0)
        if self.count is not None:
            acc /= self.count
            out += acc


class PhaseInference:
    """A loaded phase model (weights and header); predict runs its forward."""

    def __init__(self, weights: dict, header: dict):
        if header.get("format") != FORMAT or header.get("model") != MODEL_NAME:
            raise ValueError(f"phase model format {header.get('format')} / {header.get('model')!r}; "
                             f"this satmip reads {FORMAT} / {MODEL_NAME!r}")
        if tuple(header.get("relations", ())) != RELATIONS or tuple(header.get("node_types", ())) != NODE_TYPES:
            raise ValueError("phase model relations or node types differ from this satmip's")
        features = {t: tuple(names) for t, names in (header.get("features") or {}).items()}
        if features != FEATURES:
            raise ValueError(f"phase model features {features} differ from this satmip's {FEATURES}")
        self.header = header
        self.hidden, self.nlayers, self.eps = int(header["hidden"]), int(header["layers"]), float(header["ln_eps"])
        h, r = self.hidden, len(RELATIONS)
        shapes = {"embed": (len(NODE_TYPES), h), "in_variable": (len(FEATURES["variable"]), h),
                  "in_clause": (len(FEATURES["clause"]), h), "head_norm.weight": (h,), "head_norm.bias": (h,),
                  "head_w1": (h, h), "head_b1": (h,), "head_w2": (h, 1), "head_b2": (1,)}
        for i in range(self.nlayers):
            shapes.update({f"layers.{i}.norm.weight": (h,), f"layers.{i}.norm.bias": (h,),
                           f"layers.{i}.w_self": (h, h), f"layers.{i}.w_rel": (r, h, h),
                           f"layers.{i}.bias": (h,), f"layers.{i}.w_out": (h, h), f"layers.{i}.b_out": (h,)})
        for name, shape in shapes.items():
            if name not in weights:
                raise ValueError(f"phase model lacks weight {name!r}")
            if tuple(weights[name].shape) != shape:
                raise ValueError(f"phase model weight {name!r} has shape {tuple(weights[name].shape)}, expected {shape}")
        self.w = {name: np.ascontiguousarray(weights[name], dtype=np.float32) for name in shapes}
        self._stacked: dict = {}

    @classmethod
    def load(cls, path: str) -> "PhaseInference":
        with np.load(path) as z:
            if "header" not in z:
                raise ValueError(f"{path}: not a phase model (no header)")
            header = json.loads(bytes(z["header"]).decode())
            weights = {name: z[name] for name in z.files if name != "header"}
        try:
            return cls(weights, header)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None

    def stacked(self, w_rel: np.ndarray, layer: int, relations: tuple) -> np.ndarray:
        """[H, len(relations) * H]: the relations' weights side by side (cached)."""
        key = (layer, relations)
        if key not in self._stacked:
            self._stacked[key] = np.ascontiguousarray(np.concatenate([w_rel[r] for r in relations], axis=1))
        return self._stacked[key]

    def logits(self, formula: Union[ClauseGraph, object], forward: Optional[str] = None) -> np.ndarray:
        """float32 [nvars]: the logit of P(positive phase) of each variable. forward:
        "cpp", "numpy", or None: C++ where the extension has it, else numpy."""
        if forward is None:
            forward = "cpp" if cpp_forward_available() else "numpy"
        if forward not in FORWARDS:
            raise ValueError(f"forward must be one of {', '.join(FORWARDS)}, got {forward!r}")
        g = formula if isinstance(formula, ClauseGraph) else clause_graph(formula)
        if forward == "cpp":
            return self._logits_cpp(g)
        with one_blas_thread():
            return self._logits_numpy(g)

    def _logits_cpp(self, g: ClauseGraph) -> np.ndarray:
        from .. import _core
        var_features = np.ascontiguousarray(variable_features(g), dtype=np.float32)
        cls_features = np.ascontiguousarray(clause_features(g), dtype=np.float32)
        return _core.phase_logits(
            np.ascontiguousarray(g.edge_var, dtype=np.int64), np.ascontiguousarray(g.edge_clause, dtype=np.int64),
            np.ascontiguousarray(g.edge_sign, dtype=np.int8), np.ascontiguousarray(g.clause_meta, dtype=np.int64),
            g.nvars, g.nclauses, g.nmeta, var_features, cls_features, self.w, self.hidden, self.nlayers, self.eps)

    def _logits_numpy(self, g: ClauseGraph) -> np.ndarray:
        counts = (g.nvars, g.nclauses, g.nmeta)
        # Messages of one source type for all its relations come from one matrix
        # product, reshaped so that row m * s + j is relation j's message from source s.
        neg = (g.edge_sign < 0).astype(np.int64)
        clause_ids = np.arange(g.clause_meta.size, dtype=np.int64)
        var_clause = _Aggregation(2 * g.edge_var + neg, g.edge_clause, g.nclauses, mean=False)
        clause_var = _Aggregation(3 * g.edge_clause + neg, g.edge_var, g.nvars, mean=False)
        meta_clause = _Aggregation(g.clause_meta, clause_ids, g.nclauses, mean=True)
        clause_meta = _Aggregation(3 * clause_ids + 2, g.clause_meta, g.nmeta, mean=True)
        w = self.w
        h = [np.repeat(w["embed"][t][None, :], n, axis=0) for t, n in enumerate(counts)]
        h[VAR] += variable_features(g) @ w["in_variable"]
        h[CLAUSE] += clause_features(g) @ w["in_clause"]
        for i in range(self.nlayers):
            p = f"layers.{i}."
            x = [_layer_norm(ht, w[p + "norm.weight"], w[p + "norm.bias"], self.eps) for ht in h]
            z = [xt @ w[p + "w_self"] + w[p + "bias"] for xt in x]
            w_rel = w[p + "w_rel"]
            if g.edge_var.size:  # relations 0, 1 from variables; 2, 3 and 5 from clauses
                var_clause.add_into(z[CLAUSE], (x[VAR] @ self.stacked(w_rel, i, (0, 1))).reshape(-1, self.hidden))
            if g.nclauses:
                from_clause = (x[CLAUSE] @ self.stacked(w_rel, i, (2, 3, 5))).reshape(-1, self.hidden)
                clause_var.add_into(z[VAR], from_clause)
                clause_meta.add_into(z[META], from_clause)
                meta_clause.add_into(z[CLAUSE], x[META] @ w_rel[4])
            h = [ht + _gelu(zt) @ w[p + "w_out"] + w[p + "b_out"] for ht, zt in zip(h, z)]
        head = _layer_norm(h[VAR], w["head_norm.weight"], w["head_norm.bias"], self.eps)
        hidden = _gelu(head @ w["head_w1"] + w["head_b1"])
        return (hidden @ w["head_w2"] + w["head_b2"]).reshape(-1)

    def predict(self, formula, forward: Optional[str] = None) -> np.ndarray:
        """float32 [nvars]: P(variable i + 1 takes the positive phase)."""
        return (1.0 / (1.0 + np.exp(-self.logits(formula, forward)))).astype(np.float32)


def phases(probability: np.ndarray, confidence: float = 0.9) -> np.ndarray:
    """int8 [nvars]: +1 / -1 where the model is at least `confidence` sure of the
    phase (p >= cfd or p <= 1 - cfd, NeuroBack's cfd rule), 0 elsewhere."""
    p = np.asarray(probability)
    return np.where(p >= confidence, 1, np.where(p <= 1.0 - confidence, -1, 0)).astype(np.int8)
