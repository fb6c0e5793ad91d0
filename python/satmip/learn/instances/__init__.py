"""Seeded MILP instances of the four families of Gasse et al. (2019), "Exact
combinatorial optimization with graph convolutional neural networks" (docs/learning.md):

    setcover    set covering (Balas & Ho 1980)
    cauctions   combinatorial auctions, arbitrary relationships (Leyton-Brown et al. 2000)
    facilities  capacitated facility location (Cornuejols et al. 1991)
    indset      maximum independent set on Barabasi-Albert graphs, clique formulation

each with the paper's sizes easy (its training size), medium and hard:

    >>> from satmip.learn.instances import generate, write_mps
    >>> model = generate("setcover", "easy", seed=0)
    >>> model.num_rows, model.num_cols
    (500, 1000)

`generate(family, size, seed, **params)` gives the same model for the same arguments
on every machine; params override the size's (n_rows=50 for a small set cover).
Each family is one module (SIZES, DEFAULTS, build); the command line is
`python -m satmip.learn.instances FAMILY --size S --count N --seed S --out DIR`.
"""
from __future__ import annotations

from types import ModuleType

from ...model import Model
from . import cauctions, facilities, indset, setcover
from ._common import instance_rng, write_mps

FAMILIES: dict[str, ModuleType] = {"setcover": setcover, "cauctions": cauctions,
                                   "facilities": facilities, "indset": indset}
SIZES = ("easy", "medium", "hard")


def family_module(family: str) -> ModuleType:
    try:
        return FAMILIES[family]
    except KeyError:
        raise ValueError(f"unknown family '{family}'; known: {', '.join(FAMILIES)}") from None


def parameters(family: str, size: str = "easy", **overrides) -> dict:
    """The generator's parameters: the family's defaults, its size's, then overrides."""
    module = family_module(family)
    if size not in module.SIZES:
        raise ValueError(f"unknown size '{size}'; use one of {', '.join(module.SIZES)}")
    params = {**module.DEFAULTS, **module.SIZES[size]}
    unknown = set(overrides) - set(params)
    if unknown:
        raise ValueError(f"{family} has no parameter {', '.join(sorted(unknown))}; "
                         f"its parameters: {', '.join(params)}")
    params.update(overrides)
    return params


def generate(family: str, size: str = "easy", seed: int = 0, **overrides) -> Model:
    """The instance of (family, size, seed); overrides change the size's parameters
    (and so the instance's random stream)."""
    params = parameters(family, size, **overrides)
    rng = instance_rng(family, params, seed)
    name = f"{family}_{size}_{seed}" if not overrides else f"{family}_custom_{seed}"
    return family_module(family).build(rng, name, **params)


__all__ = ["FAMILIES", "SIZES", "generate", "parameters", "write_mps", "family_module"]
