"""Cactus and scatter plots of benchmark runs (PNG files).

matplotlib is imported inside the drawing functions, so this module (and the
pure data functions cactus_series / scatter_points) works without it. The
figures are drawn on an Agg canvas directly, without pyplot: no global state,
no display needed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Union

from .records import (
    SOLVED,
    incompatible_claims,
    instance_limits,
    is_tie,
    latest_runs,
    solved_time,
    solver_order,
    status_of,
)

DPI = 120
# Log axes cannot show 0 s: faster runs are drawn at this floor.
MIN_TIME = 0.01
# Unsolved runs sit on a border just beyond the time limit; the axis goes a bit further.
BORDER_FACTOR = 1.5
AXIS_FACTOR = 2.0

CATEGORY_STYLE = {  # category -> (colour, marker, legend label)
    "sat": ("tab:blue", "o", "SAT / OPTIMAL"),
    "unsat": ("tab:orange", "s", "UNSAT / INFEASIBLE"),
    "unsolved": ("grey", "o", "both unsolved"),
    "conflict": ("magenta", "D", "conflicting answers"),
    "wrong": ("red", "X", "WRONG answer"),
}

PathLike = Union[str, Path]


# ---------------------------------------------------------------------------
# Data (no matplotlib)
# ---------------------------------------------------------------------------


def _runs_and_solvers(records: Iterable[dict], solvers: Optional[Sequence[str]]):
    records = list(records)
    solvers = solver_order(records, solvers)
    runs, _ = latest_runs(records, solvers)
    return runs, solvers


def cactus_series(records: Iterable[dict], solvers: Optional[Sequence[str]] = None
                  ) -> Dict[str, List[float]]:
    """Sorted solved times per solver, plus "VBS" (fastest correct time per instance)."""
    runs, solvers = _runs_and_solvers(records, solvers)
    series: Dict[str, List[float]] = {s: [] for s in solvers}
    best: Dict[str, float] = {}
    for (solver, instance), record in runs.items():
        t = solved_time(record)
        if t is None:
            continue
        series[solver].append(t)
        best[instance] = min(t, best.get(instance, t))
    series = {s: sorted(times) for s, times in series.items()}
    series["VBS"] = sorted(best.values())
    return series


@dataclass
class ScatterPoint:
    instance: str
    x: float          # plotted value (border for unsolved)
    y: float
    category: str     # key of CATEGORY_STYLE


@dataclass
class ScatterData:
    solver_x: str
    solver_y: str
    limit: float
    border: float
    points: List[ScatterPoint] = field(default_factory=list)
    # x_faster (above the diagonal), y_faster (below), tie, both_unsolved
    counts: Dict[str, int] = field(default_factory=dict)


def _category(rx: Optional[dict], ry: Optional[dict]) -> str:
    statuses = [status_of(r) for r in (rx, ry) if r is not None]
    if "WRONG" in statuses:
        return "wrong"
    solved = [s for s in statuses if s in SOLVED]
    if len(solved) == 2 and incompatible_claims(*solved):
        return "conflict"
    if any(s in ("UNSAT", "INFEASIBLE") for s in solved):
        return "unsat"
    return "sat" if solved else "unsolved"


def _comparison(tx: Optional[float], ty: Optional[float]) -> str:
    if tx is None and ty is None:
        return "both_unsolved"
    if ty is None or (tx is not None and tx < ty and not is_tie(tx, ty)):
        return "x_faster"
    if tx is None or (ty < tx and not is_tie(tx, ty)):
        return "y_faster"
    return "tie"


def scatter_points(records: Iterable[dict], solver_x: str, solver_y: str) -> ScatterData:
    """One point per instance either solver has a record for; unsolved on the border."""
    runs, _ = _runs_and_solvers(records, [solver_x, solver_y])
    limits = instance_limits(runs)
    limit = max(limits.values(), default=1.0)
    data = ScatterData(solver_x, solver_y, limit, BORDER_FACTOR * limit,
                       counts=dict.fromkeys(("x_faster", "y_faster", "tie", "both_unsolved"), 0))
    for instance in sorted(limits):
        rx, ry = runs.get((solver_x, instance)), runs.get((solver_y, instance))
        tx, ty = solved_time(rx), solved_time(ry)
        data.counts[_comparison(tx, ty)] += 1
        data.points.append(ScatterPoint(instance, _plotted(tx, data.border),
                                        _plotted(ty, data.border), _category(rx, ry)))
    return data


def _plotted(t: Optional[float], border: float) -> float:
    return border if t is None else max(t, MIN_TIME)


def safe_filename(name: str) -> str:
    """Solver labels as file name parts: anything but [A-Za-z0-9._-] becomes '_'."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------


def _new_axes(size):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _save(figure, path: PathLike) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # "tight" keeps legends placed outside the axes inside the image.
    figure.savefig(path, dpi=DPI, bbox_inches="tight")
    return path


def cactus_plot(records: Iterable[dict], path: PathLike, solvers: Optional[Sequence[str]] = None,
                title: Optional[str] = None) -> Path:
    """x: number of instances solved, y: time needed (log); VBS dashed; time limit dotted."""
    records = list(records)
    runs, solvers = _runs_and_solvers(records, solvers)
    limits = instance_limits(runs)
    limit = max(limits.values(), default=1.0)
    series = cactus_series(records, solvers)
    figure, ax = _new_axes((8.0, 5.5))
    for solver in solvers:
        _cactus_line(ax, series[solver], f"{solver} ({len(series[solver])})",
                     linestyle="-", marker="o")
    _cactus_line(ax, series["VBS"], f"VBS ({len(series['VBS'])})", linestyle="--",
                 marker=None, color="black")
    ax.axhline(limit, color="grey", linestyle=":", label=f"time limit {limit:g} s")
    ax.set_yscale("log")
    fastest = min([limit] + [t for times in series.values() for t in times])
    ax.set_ylim(max(fastest, MIN_TIME) / 2, limit * AXIS_FACTOR)
    ax.set_xlim(0, max(len(limits), 1) + 0.5)
    ax.xaxis.set_major_locator(_integer_locator())
    ax.set_xlabel(f"instances solved (of {len(limits)})")
    ax.set_ylabel("time (s, log scale)")
    ax.set_title(title or f"Cactus plot: {len(limits)} instances, time limit {limit:g} s")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    return _save(figure, path)


def _integer_locator():
    from matplotlib.ticker import MaxNLocator
    return MaxNLocator(integer=True)


def _cactus_line(ax, times: List[float], label: str, **style) -> None:
    shown = [max(t, MIN_TIME) for t in times]
    ax.plot(range(1, len(shown) + 1), shown, label=label, markersize=3, **style)


def scatter_plot(records: Iterable[dict], solver_x: str, solver_y: str, path: PathLike,
                 title: Optional[str] = None) -> Path:
    """Log-log time of solver_x vs solver_y; points above the diagonal: solver_x faster."""
    data = scatter_points(records, solver_x, solver_y)
    figure, ax = _new_axes((6.5, 6.5))  # square: the diagonal at 45 degrees
    lo = min([data.limit] + [min(p.x, p.y) for p in data.points]) / 2
    hi = AXIS_FACTOR * data.limit
    _scatter_guides(ax, lo, hi, data.limit)
    for category, (colour, marker, label) in CATEGORY_STYLE.items():
        points = [p for p in data.points if p.category == category]
        if points:
            ax.scatter([p.x for p in points], [p.y for p in points], c=colour, marker=marker,
                       s=60 if category == "wrong" else 22, label=f"{label} ({len(points)})",
                       zorder=3, edgecolors="none")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel(f"{solver_x} time (s)")
    ax.set_ylabel(f"{solver_y} time (s)")
    ax.set_title(title or _scatter_title(data), fontsize="medium")
    _scatter_legend(ax, data)
    return _save(figure, path)


def _scatter_legend(ax, data: ScatterData) -> None:
    """Below the axes (points fill the corners); the counts are extra text-only entries."""
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    c = data.counts
    for text in (f"above diagonal, {data.solver_x} faster: {c['x_faster']}",
                 f"below diagonal, {data.solver_y} faster: {c['y_faster']}",
                 f"ties (1% or 0.01 s): {c['tie']}", f"both unsolved: {c['both_unsolved']}"):
        handles.append(Line2D([], [], linestyle="none"))
        labels.append(text)
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2,
              fontsize="small", frameon=False)


def _scatter_guides(ax, lo: float, hi: float, limit: float) -> None:
    ax.plot([lo, hi], [lo, hi], color="black", linewidth=0.8, label="y = x")
    for factor, label in ((2.0, "2x / 0.5x"), (0.5, None)):
        ax.plot([lo, hi], [lo * factor, hi * factor], color="grey", linewidth=0.6,
                linestyle=(0, (1, 2)), label=label)
    ax.axvline(limit, color="grey", linestyle="--", linewidth=0.8)
    ax.axhline(limit, color="grey", linestyle="--", linewidth=0.8,
               label=f"time limit {limit:g} s (unsolved beyond)")
    ax.grid(True, which="major", alpha=0.3)


def _scatter_title(data: ScatterData) -> str:
    c = data.counts
    return (f"{data.solver_x} vs {data.solver_y}: {len(data.points)} instances\n"
            f"{data.solver_x} faster {c['x_faster']}, {data.solver_y} faster {c['y_faster']}")


def plot_all(records: Iterable[dict], outdir: PathLike, solvers: Optional[Sequence[str]] = None,
             baseline: Optional[str] = None) -> List[Path]:
    """cactus.png plus scatter_<baseline>_vs_<other>.png for every other solver."""
    records = list(records)
    solvers = solver_order(records, solvers)
    outdir = Path(outdir)
    written = [cactus_plot(records, outdir / "cactus.png", solvers)]
    if not solvers:
        return written
    baseline = baseline or solvers[0]
    used = {"cactus.png"}
    for other in solvers:
        if other == baseline:
            continue
        name = _unique(f"scatter_{safe_filename(baseline)}_vs_{safe_filename(other)}", used)
        written.append(scatter_plot(records, baseline, other, outdir / name))
    return written


def _unique(stem: str, used: set) -> str:
    """stem.png, or stem_2.png ... when two labels sanitise to the same name."""
    name, n = f"{stem}.png", 1
    while name in used:
        n += 1
        name = f"{stem}_{n}.png"
    used.add(name)
    return name
