"""satmip: a C++ CDCL SAT solver (and, later, MILP) with Python guidance hooks.

    >>> from satmip import Solver
    >>> with Solver(bootstrap_with=[[1, 2], [-1, 2], [-2, 3]]) as s:
    ...     s.solve(), s.get_model()
    (True, [-1, 2, 3])
"""
from ._version import __version__
from .dimacs import Cnf, read_dimacs, parse_dimacs
from .mps import MpsData, read_mps, write_mps
from .model import Model
from .lp import LpResult, solve_lp
from .mip import MipResult, solve_mip
from .sat import Solver, SolverStatus, incidence, options, presets
from .proof import check_lrat, check_drat

__all__ = [
    "__version__", "Solver", "SolverStatus", "Cnf", "read_dimacs", "parse_dimacs",
    "MpsData", "read_mps", "write_mps", "Model", "LpResult", "solve_lp", "MipResult", "solve_mip",
    "incidence", "options", "presets", "check_lrat", "check_drat",
]
