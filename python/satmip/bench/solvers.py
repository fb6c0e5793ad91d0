"""Solver specifications: what to run, checked before any run starts.

A spec is plain data (it crosses process and machine boundaries to Dask
workers); the code that actually drives each solver lives in ``child.py``.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field, replace
from importlib import metadata
from typing import Any, Optional

from .errors import BenchConfigError
from .hooks import load_hook, resolve_hook_path

KINDS = ("satmip", "pysat", "highs", "scip", "command")
# Problem kinds each solver kind can run; satmip's MILP engine joins "mip" when it exists.
# satmip runs MPS files through its LP engine (pure LPs; its MILP engine is the next issue).
HANDLES = {"satmip": ("sat", "mip"), "pysat": ("sat",), "highs": ("mip",), "scip": ("mip",)}
# The checker reads text and binary alike; binary proofs are smaller to write.
PROOF_FORMATS = ("lrat", "drat", "lrat-binary", "drat-binary")
COMMAND_FIELDS = ("{instance}", "{proof}", "{time_limit}", "{memory_limit_mb}", "{seed}")


# Spec fields that came after the first results files were written.
_LATER_FIELDS = ("lp_options", "mip_options")


@dataclass
class SolverSpec:
    label: str                               # the name in tables and results
    kind: str                                # one of KINDS
    name: Optional[str] = None               # PySAT solver name
    config: Optional[str] = None             # satmip configuration
    options: dict = field(default_factory=dict)   # satmip -O / HiGHS options / SCIP params
    lp_options: dict = field(default_factory=dict)  # satmip's LP engine (LP instances)
    mip_options: dict = field(default_factory=dict)  # satmip's branch and bound (MILP instances)
    seed: int = 0
    command: Optional[list] = None           # external command, placeholders as COMMAND_FIELDS
    problem: str = "sat"                     # what an external command solves
    proof: Optional[str] = None              # ask for an UNSAT proof in this format and check it
    hook: Optional[str] = None               # satmip: "module:function" run before search, timed
    version: Optional[str] = None            # filled by resolve(); part of the resume key

    def handles(self, problem_kind: str) -> bool:
        if self.kind == "command":
            return problem_kind == self.problem
        return problem_kind in HANDLES[self.kind]

    def fingerprint(self) -> str:
        """Stable digest of everything that changes what a run means. Fields added
        to the spec later are left out while empty, so results files stay valid."""
        data = {k: v for k, v in asdict(self).items() if not (k in _LATER_FIELDS and not v)}
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "SolverSpec":
        return cls(**data)


def pysat_names() -> list[str]:
    """Every name PySAT's Solver(name=...) accepts; empty without python-sat."""
    try:
        from pysat.solvers import SolverNames
    except ImportError:
        return []
    names = []
    for attr, aliases in vars(SolverNames).items():
        if not attr.startswith("_") and isinstance(aliases, tuple):
            names.extend(aliases)
    return sorted(set(names))


def from_name(text: str) -> SolverSpec:
    """A command-line solver name: satmip[:CONFIG], highs, scip or a PySAT name."""
    base, _, config = text.partition(":")
    if base == "satmip":
        return SolverSpec(label=text, kind="satmip", config=config or None)
    if config:
        raise BenchConfigError(f"solver '{text}': only satmip takes a ':CONFIG' suffix")
    if base in ("highs", "scip"):
        return SolverSpec(label=text, kind=base)
    if base in pysat_names():
        return SolverSpec(label=text, kind="pysat", name=base)
    raise BenchConfigError(unknown_solver_message(text))


def unknown_solver_message(text: str) -> str:
    known = ["satmip", "satmip:CONFIG", "highs", "scip"] + (pysat_names() or
                                                          ["(PySAT names: pip install python-sat)"])
    return f"unknown solver '{text}'; known: {', '.join(known)}"


_TABLE_KEYS = {"name", "kind", "solver", "config", "options", "lp_options", "mip_options", "seed", "seeds",
               "command", "problem", "proof", "hook", "version"}
SEEDED_LABEL = re.compile(r"-s\d+$")


def with_seeds(spec: SolverSpec, seeds: list, where: str) -> list[SolverSpec]:
    """The seed axis: one copy of spec per seed, labelled LABEL-sSEED (what
    satmip.bench.paired reads as configuration x seed)."""
    if not (isinstance(seeds, list) and seeds and all(isinstance(s, int) and not isinstance(s, bool)
                                                       and s >= 0 for s in seeds)):
        raise BenchConfigError(f"{where}: seeds must be a non-empty list of integers >= 0, not {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise BenchConfigError(f"{where}: seeds {seeds} repeat a seed")
    if SEEDED_LABEL.search(spec.label):
        raise BenchConfigError(f"{where}: '{spec.label}' already names a seed (-sN); "
                               f"give the configuration's name alone with seeds")
    return [replace(spec, label=f"{spec.label}-s{seed}", seed=seed) for seed in seeds]


def specs_from_table(table: dict, where: str, base_dir: str = ".") -> list[SolverSpec]:
    """A ``[[solver]]`` table: one spec, or one per seed with ``seeds = [1, 2, 3]``."""
    if "seeds" not in table:
        return [from_table(table, where, base_dir)]
    if "seed" in table:
        raise BenchConfigError(f"{where}: give seed or seeds, not both")
    rest = {k: v for k, v in table.items() if k != "seeds"}
    return with_seeds(from_table(rest, where, base_dir), table["seeds"], where)


def from_table(table: dict, where: str, base_dir: str = ".") -> SolverSpec:
    """A ``[[solver]]`` table of a TOML configuration."""
    unknown = set(table) - _TABLE_KEYS
    if unknown:
        raise BenchConfigError(f"{where}: unknown key(s) {sorted(unknown)}; "
                               f"allowed: {sorted(_TABLE_KEYS)}")
    label = table.get("name")
    if not isinstance(label, str) or not label:
        raise BenchConfigError(f"{where}: every solver needs a 'name'")
    kind = table.get("kind")
    if kind is None:                      # name alone, as on the command line
        try:
            spec = from_name(table.get("solver", label))
        except BenchConfigError as exc:
            raise BenchConfigError(f"{where}: {exc}; a table whose name is a label needs "
                                   f"kind = \"satmip\" (or pysat/highs/scip/command) "
                                   f"or solver = \"NAME\"") from None
        spec.label = label
    elif kind not in KINDS:
        raise BenchConfigError(f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
    else:
        spec = SolverSpec(label=label, kind=kind, name=table.get("solver"))
        if kind == "pysat" and spec.name is None:
            spec.name = label
    spec.config = table.get("config", spec.config)
    spec.options = dict(table.get("options", {}))
    spec.lp_options = dict(table.get("lp_options", {}))
    spec.mip_options = dict(table.get("mip_options", {}))
    spec.seed = int(table.get("seed", 0))
    spec.proof = table.get("proof")
    spec.hook = table.get("hook")
    if spec.hook is not None:
        spec.hook = resolve_hook_path(str(spec.hook), base_dir)
    spec.problem = table.get("problem", "sat")
    spec.version = table.get("version")
    if "command" in table:
        spec.command = _command(table["command"], where, base_dir)
    return spec


def _command(value: Any, where: str, base_dir: str) -> list:
    if isinstance(value, str):
        value = value.split()
    if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        raise BenchConfigError(f"{where}: 'command' must be a list of strings")
    program = value[0]
    if os.sep in program and not os.path.isabs(program):
        program = os.path.normpath(os.path.join(base_dir, program))
    return [program] + value[1:]


def resolve(spec: SolverSpec, where: str = "") -> SolverSpec:
    """Check a spec fully before running anything; fill in its version."""
    where = where or f"solver '{spec.label}'"
    check = {"satmip": _check_satmip, "pysat": _check_pysat, "highs": _check_highs,
             "scip": _check_scip, "command": _check_command}[spec.kind]
    check(spec, where)
    if spec.proof is not None and spec.proof not in PROOF_FORMATS:
        raise BenchConfigError(f"{where}: proof must be one of {PROOF_FORMATS}, not '{spec.proof}'")
    if spec.proof is not None and spec.kind in ("highs", "scip"):
        raise BenchConfigError(f"{where}: {spec.kind} does not write UNSAT proofs")
    return spec


def _check_satmip(spec: SolverSpec, where: str) -> None:
    import satmip
    configs = [name for name, _ in satmip.presets()]
    if spec.config is not None and spec.config not in configs:
        raise BenchConfigError(f"{where}: unknown satmip configuration '{spec.config}'; "
                               f"known: {', '.join(configs)}")
    known = {name for name, *_ in satmip.options()}
    for name in spec.options:
        if name not in known:
            raise BenchConfigError(f"{where}: unknown satmip option '{name}' "
                                   f"(see `satmip options`)")
    if spec.hook is not None:
        _load_hook(spec.hook, where)
    if "seed" in spec.mip_options:
        raise BenchConfigError(f"{where}: mip_options: give the seed as the solver's seed (or seeds)")
    _check_engine_options("LpSolver", "lp_options", spec.lp_options, where)
    _check_engine_options("MipSolver", "mip_options", spec.mip_options, where)
    build = getattr(satmip._core, "__build__", "unknown")
    spec.version = spec.version or f"satmip {satmip.__version__} ({build})"
    if spec.hook is not None:
        spec.version += f" hook {_file_digest(spec.hook)}"


def _check_engine_options(engine: str, key: str, engine_options: dict, where: str) -> None:
    """Let the LP or MILP engine itself judge the options, on a one-variable model."""
    from satmip import _core
    if not engine_options:
        return
    tiny = {"cost": [1.0], "col_lower": [0.0], "col_upper": [1.0], "row_lower": [0.0],
            "row_upper": [1.0], "A_start": [0, 1], "A_index": [0], "A_value": [1.0],
            "integer": [True]}
    try:
        getattr(_core, engine)(tiny, **engine_options)
    except (TypeError, ValueError) as exc:
        raise BenchConfigError(f"{where}: {key}: {exc}") from None


def _file_digest(hook: str) -> str:
    """A file hook's content digest: editing the hook changes the resume key."""
    target = hook.rpartition(":")[0]
    if not target.endswith(".py"):
        return hook
    with open(target, "rb") as f:
        return hook + "@" + hashlib.sha1(f.read()).hexdigest()[:12]


def _load_hook(text: str, where: str):
    try:
        return load_hook(text)
    except Exception as exc:  # noqa: BLE001 - any failure to load is a configuration error
        raise BenchConfigError(f"{where}: cannot load hook '{text}': {type(exc).__name__}: {exc}") from None


def _check_pysat(spec: SolverSpec, where: str) -> None:
    names = pysat_names()
    if not names:
        raise BenchConfigError(f"{where}: python-sat is not installed (pip install 'satmip[bench]')")
    if spec.name not in names:
        raise BenchConfigError(f"{where}: '{spec.name}' is not a PySAT solver; known: {', '.join(names)}")
    if spec.config or spec.options or spec.lp_options or spec.mip_options or spec.hook:
        raise BenchConfigError(f"{where}: PySAT solvers take no config, options or hook")
    if spec.proof not in (None, "drat"):
        raise BenchConfigError(f"{where}: PySAT solvers give DRAT proofs (proof = \"drat\") only")
    spec.version = spec.version or f"python-sat {metadata.version('python-sat')} {spec.name}"


def _check_highs(spec: SolverSpec, where: str) -> None:
    try:
        import highspy
    except ImportError:
        raise BenchConfigError(f"{where}: highspy is not installed (pip install 'satmip[bench]')") from None
    with _quiet_stdout():  # Highs() prints a banner before output_flag can be set
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for name, value in spec.options.items():
        if h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise BenchConfigError(f"{where}: HiGHS rejects option {name} = {value!r}")
    spec.version = spec.version or f"highspy {metadata.version('highspy')}"


@contextlib.contextmanager
def _quiet_stdout():
    """Silence C-level writes to stdout (file descriptor 1) for a moment."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _check_scip(spec: SolverSpec, where: str) -> None:
    try:
        import pyscipopt
    except ImportError:
        raise BenchConfigError(f"{where}: pyscipopt is not installed (pip install 'satmip[bench]')") from None
    model = pyscipopt.Model()
    model.hideOutput()
    for name, value in spec.options.items():
        try:
            model.setParam(name, value)
        except (KeyError, LookupError, TypeError, ValueError) as exc:
            raise BenchConfigError(f"{where}: SCIP rejects parameter {name} = {value!r} ({exc})") from None
    spec.version = spec.version or f"pyscipopt {metadata.version('pyscipopt')} (SCIP {model.version()})"


def _check_command(spec: SolverSpec, where: str) -> None:
    if not spec.command:
        raise BenchConfigError(f"{where}: a command solver needs 'command'")
    program = spec.command[0]
    if shutil.which(program) is None:
        raise BenchConfigError(f"{where}: program '{program}' not found or not executable")
    if not any("{instance}" in arg for arg in spec.command):
        raise BenchConfigError(f"{where}: the command must contain '{{instance}}'")
    if spec.proof is not None and not any("{proof}" in arg for arg in spec.command):
        raise BenchConfigError(f"{where}: proof = '{spec.proof}' needs '{{proof}}' in the command")
    if spec.problem not in ("sat",):
        raise BenchConfigError(f"{where}: external commands solve SAT instances "
                               f"(competition output); problem '{spec.problem}' is not supported")
    spec.version = spec.version or os.path.basename(program)
