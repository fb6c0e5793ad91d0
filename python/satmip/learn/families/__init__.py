"""Seeded generators of satisfiable structured formulas, one module per family.

Each module has SIZES (tier name -> its size parameter) and
generate(size, rng) -> Cnf; every family is satisfiable by construction (a
planted solution). `generate(family, size, seed)` is the entry point: the same
arguments give the same formula on every machine (numpy's PCG64).
"""
from __future__ import annotations

import hashlib
from typing import Union

import numpy as np

from ...dimacs import Cnf
from . import (circuit_preimage, factoring, flat_colouring, grid_planning, latin_square,
               planted_clique, planted_ksat)

FAMILIES = {
    "planted_ksat": planted_ksat,
    "flat_colouring": flat_colouring,
    "latin_square": latin_square,
    "factoring": factoring,
    "grid_planning": grid_planning,
    "circuit_preimage": circuit_preimage,
    "planted_clique": planted_clique,
}
TIERS = ("tiny", "small", "medium", "large")


def family_module(family: str):
    try:
        return FAMILIES[family]
    except KeyError:
        raise ValueError(f"unknown family '{family}'; known: {', '.join(FAMILIES)}") from None


def resolve_size(family: str, size: Union[str, int]) -> int:
    """A tier name (tiny, small, medium, large) or the family's own size parameter."""
    sizes = family_module(family).SIZES
    if isinstance(size, str) and not size.lstrip("-").isdigit():
        if size not in sizes:
            raise ValueError(f"unknown size '{size}'; use one of {', '.join(sizes)} or an integer")
        return int(sizes[size])
    value = int(size)
    if value <= 0:
        raise ValueError(f"size must be positive, got {value}")
    return value


def instance_rng(family: str, size: int, seed: int) -> np.random.Generator:
    """One stream per (family, size, seed), independent of the order of generation."""
    digest = hashlib.sha256(f"{family}/{size}/{seed}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def generate(family: str, size: Union[str, int], seed: int) -> Cnf:
    n = resolve_size(family, size)
    return family_module(family).generate(n, instance_rng(family, n, int(seed)))
