"""Learned guidance data and models (NeuroBack-style phases; docs/learning.md).

Nothing here imports torch at import time: the generators, the labels and the
dataset builder need numpy only; the PyG graph (`to_pyg`) imports torch when called.
"""
from __future__ import annotations

from .backbone import Budget, Labels, extract
from .families import FAMILIES, generate
from .graph import ClauseGraph, clause_graph
from .predict import PhasePrediction, predict_phases


def to_pyg(formula, meta: bool = True, backbone=None):
    """The formula's clause-variable graph as a PyG HeteroData (satmip.learn.pyg)."""
    from .pyg import to_pyg as build
    return build(formula, meta=meta, backbone=backbone)


__all__ = ["Budget", "Labels", "extract", "FAMILIES", "generate", "ClauseGraph", "clause_graph",
           "to_pyg", "PhasePrediction", "predict_phases"]
