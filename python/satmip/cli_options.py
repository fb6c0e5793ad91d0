"""The engine options of `satmip solve -O NAME=VALUE` and `satmip options`: SAT options for
CNF files, LP options (dual simplex) for LPs and `--relaxation`, MILP options (branch and
bound, `Model.solve`) for MILPs. Values are parsed by the option's type; an unknown name, or
a name of another engine, is refused. Defaults come from the engines themselves.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from . import _core
from .mip import BRANCHING_RULES

NODE_SELECTIONS = ("best_bound", "best_estimate")


class EngineOption(NamedTuple):
    name: str
    kind: type                        # int, float, bool or str
    domain: tuple                     # (low, high) for numbers, the choices for str, () for bool
    help: str


_MILP = [
    EngineOption("branching", str, BRANCHING_RULES, "branching rule (strong: full strong branching)"),
    EngineOption("node_selection", str, NODE_SELECTIONS, "open node taken when a plunge ends"),
    EngineOption("best_bound_frequency", int, (0, 2**31 - 1), "best_estimate: every Nth pick by best bound"),
    EngineOption("plunge_gap_fraction", float, (0.0, 1.0), "dive into a child while within this part of the gap"),
    EngineOption("reliability_threshold", int, (0, 2**31 - 1), "reliability: strong branch below this count"),
    EngineOption("strong_branching_candidates", int, (0, 2**31 - 1), "reliability: candidates probed per node"),
    EngineOption("strong_branching_iterations", int, (0, 2**63 - 1), "LP iterations per strong-branching child"),
    EngineOption("gnn_max_depth", int, (0, 2**31 - 1), "gnn: the GCNN down to this depth, pseudocost deeper"),
    EngineOption("presolve", bool, (), "presolve reductions before the search"),
    EngineOption("propagation", bool, (), "bound propagation at every node"),
    EngineOption("cuts", bool, (), "cutting planes at the root"),
    EngineOption("cut_rounds", int, (0, 2**31 - 1), "root cut rounds at most"),
    EngineOption("heuristics", bool, (), "primal heuristics (master switch of the five below)"),
    EngineOption("randomized_rounding", bool, (), "randomised rounding at every node"),
    EngineOption("fractional_diving", bool, (), "fractional diving"),
    EngineOption("guided_diving", bool, (), "guided diving (towards the incumbent)"),
    EngineOption("coefficient_diving", bool, (), "coefficient diving (fewest locks)"),
    EngineOption("feasibility_pump", bool, (), "feasibility pump at the root"),
    EngineOption("dive_interval", int, (0, 2**31 - 1), "nodes between dives in the tree (0: none)"),
    EngineOption("dive_max_depth", int, (0, 2**31 - 1), "deepest dive"),
    EngineOption("node_lp_iteration_limit", int, (0, 2**63 - 1), "LP iterations per node LP below the root"),
    EngineOption("reduced_cost_fixing", bool, (), "fix columns by reduced costs"),
    EngineOption("gap", float, (0.0, math.inf), "relative gap to stop at (also --gap)"),
    EngineOption("absolute_gap", float, (0.0, math.inf), "absolute gap to stop at"),
    EngineOption("integrality_tolerance", float, (0.0, 0.5), "a value this close to an integer is integral"),
    EngineOption("feasibility_tolerance", float, (0.0, math.inf), "row and bound violation allowed"),
    EngineOption("seed", int, (0, 2**32 - 1), "random seed (also --seed)"),
    EngineOption("threads", int, (1, 1), "threads (the search is sequential)"),
]

_LP = [
    EngineOption("primal_feasibility_tolerance", float, (0.0, math.inf), "bound and row violation allowed"),
    EngineOption("dual_feasibility_tolerance", float, (0.0, math.inf), "reduced-cost violation allowed"),
    EngineOption("scale", bool, (), "scale the matrix"),
    EngineOption("perturb", bool, (), "perturb costs against degeneracy"),
    EngineOption("refactor_interval", int, (1, 2**31 - 1), "simplex iterations between refactorisations"),
    EngineOption("seed", int, (0, 2**32 - 1), "random seed (also --seed)"),
]


def milp_options() -> list[tuple[EngineOption, object]]:
    """(option, default) of the MILP engine."""
    defaults = _core.mip_option_defaults()
    return [(o, defaults[o.name]) for o in _MILP]


def lp_options() -> list[tuple[EngineOption, object]]:
    defaults = _core.lp_option_defaults()
    return [(o, defaults[o.name]) for o in _LP]


def sat_options() -> list[tuple[EngineOption, object]]:
    from .sat import options
    return [(EngineOption(name, int, (lo, hi), text), default) for name, default, lo, hi, text in options()]


ENGINES = {"sat": ("SAT", "CNF files", sat_options), "lp": ("LP", "LPs and --relaxation", lp_options),
           "milp": ("MILP", "MILPs", milp_options)}


def parse_engine_options(pairs: list[tuple[str, str]], engine: str, where: str) -> dict:
    """-O NAME=VALUE pairs as {name: value} for `engine` ("sat", "lp" or "milp"); ValueError
    (prefixed with `where`, the file) for an unknown name or a bad value."""
    title, files, table = ENGINES[engine]
    known = {o.name: o for o, _ in table()}
    values = {}
    for name, text in pairs:
        option = known.get(name)
        if option is None:
            others = [ENGINES[e][0] for e in ENGINES if e != engine and name in {o.name for o, _ in ENGINES[e][2]()}]
            what = f"{'an' if others[0] == 'LP' else 'a'} {' and '.join(others)} option" if others else "unknown option"
            raise ValueError(f"{where}: -O {name}: {what}, not one of the {title} options for {files} "
                             f"(see 'satmip options')")
        values[name] = parse_value(option, text, where)
    return values


def set_twin(options: dict, name: str, value, flag: str, where: str) -> None:
    """Sets the engine option `name` from its twin flag (--seed, --gap, --no-presolve,
    --no-cuts). Given with -O NAME=VALUE too, the two must agree: otherwise one of them
    would silently not apply."""
    if name in options and options[name] != value:
        raise ValueError(f"{where}: {flag} and -O {name}={_default_text(options[name])} disagree (give one of them)")
    options[name] = value


def _default_text(value) -> str:
    return str(int(value)) if isinstance(value, bool) else repr(value) if isinstance(value, float) else str(value)


def parse_value(option: EngineOption, text: str, where: str):
    prefix = f"{where}: -O {option.name}={text}"
    if option.kind is bool:
        word = text.strip().lower()
        if word in ("1", "true", "yes", "on"):
            return True
        if word in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{prefix}: expected a switch (1/0, true/false, on/off)")
    if option.kind is str:
        if text not in option.domain:
            raise ValueError(f"{prefix}: expected one of {', '.join(option.domain)}")
        return text
    try:
        value = option.kind(text)
    except ValueError:
        raise ValueError(f"{prefix}: expected {'an integer' if option.kind is int else 'a number'}") from None
    low, high = option.domain
    if not low <= value <= high:   # NaN too
        raise ValueError(f"{prefix}: expected a value in [{_number(low)}, {_number(high)}]")
    return value


def _number(value) -> str:
    return "inf" if value == math.inf else str(value)


def _domain(option: EngineOption) -> str:
    if option.kind is bool:
        return "0/1"
    if option.kind is str:
        return "|".join(option.domain)
    return f"[{_number(option.domain[0])}, {_number(option.domain[1])}]"


def _default(option: EngineOption, value) -> str:
    if option.kind is bool:
        return str(int(value))
    return repr(value) if option.kind is float else str(value)


def listing(presets: list[tuple[str, str]]) -> list[str]:
    """The lines of `satmip options`: SAT configurations, then each engine's options
    (name, default, range or choices, help)."""
    lines = ["SAT configurations (--config NAME, CNF files):"]
    lines += [f"  {name:<18} {text}" for name, text in presets]
    for engine, (title, files, table) in ENGINES.items():
        lines.append(f"{title} options (-O NAME=VALUE, {files}): name default range help")
        for option, default in table():
            lines.append(f"  {option.name:<28} {_default(option, default):<10} {_domain(option):<24} {option.help}")
    return lines
