"""Competition-style benchmark harness: ``satmip bench`` (see bench/README.md).

Runs solvers side by side, each run in its own process under time and memory
limits, verifies every answer (models, proofs, MILP solutions, known statuses),
keeps an append-only JSON Lines results file it can resume from, and reports
tables (terminal, Markdown, CSV) and plots (cactus, scatter). Runs go to local
worker processes or to a Dask cluster.
"""
from .config import BenchConfig, load_toml
from .errors import BenchConfigError
from .instances import Instance, collect
from .solvers import SolverSpec

__all__ = ["BenchConfig", "BenchConfigError", "Instance", "SolverSpec", "collect", "load_toml"]
