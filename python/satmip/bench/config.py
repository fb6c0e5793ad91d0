"""A benchmark configuration: from a TOML file under bench/, the command line, or both
(the command line wins). Everything is checked before the first run starts."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Optional

from . import solvers as solver_specs
from .errors import BenchConfigError
from .solvers import SolverSpec

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib


@dataclass
class BenchConfig:
    name: str = "bench"
    instances: list = field(default_factory=list)     # sources: manifests, folders, globs, files
    include: list = field(default_factory=list)       # name patterns to keep
    families: list = field(default_factory=list)
    subset: Optional[int] = None
    solvers: list = field(default_factory=list)       # SolverSpec
    time_limit: float = 60.0
    memory_limit_mb: Optional[int] = 8192
    output_limit_mb: int = 1024                       # a run's stdout + stderr kept at most
    jobs: int = 1
    dask: Optional[str] = None                        # scheduler address or "local"
    results: str = "bench/out/results.jsonl"
    markdown: Optional[str] = None
    csv: Optional[str] = None
    runs_csv: Optional[str] = None
    plots: Optional[str] = None
    baseline: Optional[str] = None
    par: float = 2.0
    time_shift: float = 1.0
    node_shift: float = 100.0
    grace_s: float = 1.0                              # kill this long after the limit
    read_limit_s: float = 120.0                       # reading a file is untimed, but bounded
    proof_time_limit: float = 600.0
    feasibility_tolerance: float = 1e-6
    objective_tolerance: float = 1e-6
    retry_errors: bool = False


_SECTIONS = {
    "benchmark": {"name", "instances", "include", "families", "subset", "time_limit",
                  "memory_limit_mb", "output_limit_mb", "jobs", "results", "grace_s", "read_limit_s"},
    "report": {"markdown", "csv", "runs_csv", "plots", "baseline", "par", "time_shift", "node_shift"},
    "verify": {"proof_time_limit", "feasibility_tolerance", "objective_tolerance"},
    "solver": None,  # array of tables, checked by solvers.from_table
}
_PATH_KEYS = {"results", "markdown", "csv", "runs_csv", "plots"}
_ENV = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def expand(text: str, base_dir: str) -> str:
    """${VAR} and ${VAR:-default} expanded, ~ expanded, relative to base_dir."""
    def value(m):
        got = os.environ.get(m.group(1))
        if got is None and m.group(2) is None:
            raise BenchConfigError(f"environment variable {m.group(1)} is not set "
                                   f"(use ${{{m.group(1)}:-default}} for a fallback)")
        return got if got is not None else m.group(2)
    text = os.path.expanduser(_ENV.sub(value, text))
    return text if os.path.isabs(text) else os.path.normpath(os.path.join(base_dir, text))


def load_toml(path: str) -> BenchConfig:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise BenchConfigError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BenchConfigError(f"{path}: {exc}") from None
    base_dir = os.path.dirname(os.path.abspath(path))
    cfg = BenchConfig(name=os.path.splitext(os.path.basename(path))[0])
    for section, body in data.items():
        if section not in _SECTIONS:
            raise BenchConfigError(f"{path}: unknown section [{section}]; "
                                   f"allowed: {', '.join(_SECTIONS)}")
        if section == "solver":
            if not isinstance(body, list):
                raise BenchConfigError(f"{path}: solvers are given as [[solver]] tables")
            cfg.solvers = [spec for i, t in enumerate(body)
                           for spec in solver_specs.specs_from_table(t, f"{path}: solver #{i + 1}", base_dir)]
            continue
        _apply_section(cfg, section, body, path, base_dir)
    return cfg


def _apply_section(cfg: BenchConfig, section: str, body: dict, path: str, base_dir: str) -> None:
    if not isinstance(body, dict):
        raise BenchConfigError(f"{path}: [{section}] must be a table")
    for key, value in body.items():
        if key not in _SECTIONS[section]:
            raise BenchConfigError(f"{path}: unknown key '{key}' in [{section}]; "
                                   f"allowed: {', '.join(sorted(_SECTIONS[section]))}")
        if key == "instances":
            value = [value] if isinstance(value, str) else value
            value = [expand(v, base_dir) for v in value]
        elif key in _PATH_KEYS:
            value = expand(value, base_dir)
        _set(cfg, key, value, f"{path}: [{section}] {key}")


def _set(cfg: BenchConfig, key: str, value, where: str) -> None:
    default = getattr(BenchConfig(), key)
    expected = type(default) if default is not None else None
    if key in ("subset", "memory_limit_mb", "jobs"):
        expected = int
    if key == "baseline":
        expected = str
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is not None and not isinstance(value, expected):
        raise BenchConfigError(f"{where}: expected {expected.__name__}, got {value!r}")
    setattr(cfg, key, value)


def validate(cfg: BenchConfig) -> BenchConfig:
    """Fail fast on anything that would only break later."""
    if not cfg.instances:
        raise BenchConfigError("no instances: give a folder, glob or manifest (--instances or [benchmark] instances)")
    if not cfg.solvers:
        raise BenchConfigError("no solvers: give --solvers or [[solver]] tables")
    labels = [s.label for s in cfg.solvers]
    dup = {x for x in labels if labels.count(x) > 1}
    if dup:
        raise BenchConfigError(f"solver name(s) used twice: {', '.join(sorted(dup))}")
    for spec in cfg.solvers:
        solver_specs.resolve(spec)
    if cfg.time_limit <= 0:
        raise BenchConfigError("the time limit must be positive")
    if cfg.memory_limit_mb is not None and cfg.memory_limit_mb <= 0:
        cfg.memory_limit_mb = None
    if cfg.output_limit_mb < 1:
        raise BenchConfigError("the output limit must be at least 1 MiB")
    if cfg.jobs < 1:
        raise BenchConfigError("jobs must be at least 1")
    if cfg.baseline is not None and cfg.baseline not in labels:
        # a configuration under several seeds: its first seed's runs are the baseline
        seeded = [x for x in labels if solver_specs.SEEDED_LABEL.sub("", x) == cfg.baseline
                  and solver_specs.SEEDED_LABEL.search(x)]
        if seeded:
            cfg.baseline = seeded[0]
    if cfg.baseline is not None and cfg.baseline not in labels:
        raise BenchConfigError(f"baseline '{cfg.baseline}' is not one of the solvers: {', '.join(labels)}")
    return cfg


def with_seeds(cfg: BenchConfig, text: str) -> None:
    """--seeds 1,2,3: every solver once per seed, labelled LABEL-sSEED."""
    try:
        seeds = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise BenchConfigError(f"--seeds {text}: a comma-separated list of integers") from None
    cfg.solvers = [s for spec in cfg.solvers for s in solver_specs.with_seeds(spec, seeds, "--seeds")]


def solvers_from_names(text: str) -> list[SolverSpec]:
    return [solver_specs.from_name(name.strip()) for name in text.split(",") if name.strip()]
