"""Learned guidance data and models (NeuroBack-style phases; docs/learning.md).

Nothing here imports torch at import time: the generators, the labels and the
dataset builder need numpy only; the PyG graph (`to_pyg`) imports torch when called.
"""
from __future__ import annotations

from .backbone import Budget, Labels, extract
from .families import FAMILIES, generate

__all__ = ["Budget", "Labels", "extract", "FAMILIES", "generate"]
