"""Learned guidance data and models (NeuroBack-style phases; docs/learning.md).

Nothing here imports torch at import time: the generators, the labels and the
dataset builder need numpy only; the PyG graph (`to_pyg`) imports torch when called.
The names below load their module on first use (PEP 562), so that a solver which
only runs the phase model (satmip.learn.predict) does not pay for the generators
and the labeller at every start of the command line.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and IDEs; at run time __getattr__ loads them
    from .backbone import Budget, Labels, extract
    from .families import FAMILIES, generate
    from .graph import ClauseGraph, clause_graph
    from .predict import PhasePrediction, predict_phases

_LAZY = {"Budget": "backbone", "Labels": "backbone", "extract": "backbone",
         "FAMILIES": "families", "generate": "families",
         "ClauseGraph": "graph", "clause_graph": "graph",
         "PhasePrediction": "predict", "predict_phases": "predict"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value          # later look-ups skip __getattr__
    return value


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY))


def to_pyg(formula, meta: bool = True, backbone=None):
    """The formula's clause-variable graph as a PyG HeteroData (satmip.learn.pyg)."""
    from .pyg import to_pyg as build
    return build(formula, meta=meta, backbone=backbone)


__all__ = ["Budget", "Labels", "extract", "FAMILIES", "generate", "ClauseGraph", "clause_graph",
           "to_pyg", "PhasePrediction", "predict_phases"]
