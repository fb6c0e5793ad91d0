"""Cost of one Python callback round trip in satmip's branch and bound.

Solves each instance three times with the same settings (most-fractional branching,
heuristics off, so the tree does not depend on timing): without callbacks, with an
`on_node` that returns None, and with an `on_branch` that returns None (the engine
then decides as without it). The trees are identical, so the extra time divided by
the number of calls is the cost of one round trip (building the payload, taking the
GIL, calling Python, reading the answer). on_branch's payload includes the bipartite
node state (built only when on_branch is set); the builder's own time per node
(MipResult.node_state_time / node_state_builds) is reported separately.

    python bench/callback_cost.py [--instances GLOB ...] [--node-limit N] [--markdown FILE]
"""
from __future__ import annotations

import argparse
import glob
import shlex
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import satmip
from satmip import _core
from satmip.bench.markdown import machine_description, write_section

DEFAULT = [str(Path(__file__).resolve().parents[1] / "tests" / "data" / "mip" / n)
           for n in ("p0033.mps.gz", "stein27.mps.gz", "enigma.mps.gz", "lseu.mps.gz")]
SECTION_BEGIN, SECTION_END = "<!-- callback_cost: begin -->", "<!-- callback_cost: end -->"
# No cuts: a tree with many nodes to time (with cuts p0033 closes at the root).
SETTINGS = dict(branching="most_fractional", heuristics=False, gap=0.0, cuts=False)


def timed_solve(model, node_limit, **callbacks):
    t0 = time.perf_counter()
    r = model.solve(node_limit=node_limit, **SETTINGS, **callbacks)
    return time.perf_counter() - t0, r


def measure(path: str, node_limit: int, repeats: int = 3) -> dict:
    model = satmip.Model.from_mps(path)
    calls = {"node": 0, "branch": 0}

    def on_node(facts):
        calls["node"] += 1

    def on_branch(state):
        calls["branch"] += 1

    base = min(timed_solve(model, node_limit)[0] for _ in range(repeats))
    with_node, r_node = min((timed_solve(model, node_limit, on_node=on_node) for _ in range(repeats)),
                            key=lambda t: t[0])
    with_branch, r_branch = min((timed_solve(model, node_limit, on_branch=on_branch) for _ in range(repeats)),
                                key=lambda t: t[0])
    _, r_base = timed_solve(model, node_limit)
    same_tree = r_base.nodes == r_node.nodes == r_branch.nodes
    node_calls, branch_calls = calls["node"] // repeats, calls["branch"] // repeats
    return {"instance": Path(path).name, "nodes": r_base.nodes, "same_tree": same_tree,
            "base_s": base, "node_calls": node_calls, "branch_calls": branch_calls,
            "node_us": 1e6 * (with_node - base) / max(node_calls, 1),
            "branch_us": 1e6 * (with_branch - base) / max(branch_calls, 1),
            "state_us": 1e6 * r_branch.node_state_time / max(r_branch.node_state_builds, 1),
            "base_us_per_node": 1e6 * base / max(r_base.nodes, 1)}


def table(rows) -> str:
    out = ["| instance | nodes | same tree | solve (s) | us per node | on_node calls | us per on_node | "
           "on_branch calls | us per on_branch | of which state build (us) |",
           "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| `{r['instance']}` | {r['nodes']} | {'yes' if r['same_tree'] else 'NO'} | {r['base_s']:.3f} | "
                   f"{r['base_us_per_node']:.1f} | {r['node_calls']} | {r['node_us']:.1f} | "
                   f"{r['branch_calls']} | {r['branch_us']:.1f} | {r['state_us']:.2f} |")
    return "\n".join(out)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--instances", nargs="*", default=None, help="MPS files or globs (default: four test MIPs)")
    p.add_argument("--node-limit", type=int, default=20000)
    p.add_argument("--markdown", metavar="FILE")
    args = p.parse_args(argv)
    paths = sorted({f for g in args.instances for f in glob.glob(g)}) if args.instances else DEFAULT
    if not paths:
        print("callback_cost.py: no instances", file=sys.stderr)
        return 2
    rows = [measure(path, args.node_limit) for path in paths]
    text = table(rows)
    print(text)
    if not all(r["same_tree"] for r in rows):
        print("!!! a callback changed the tree: the per-call costs above are not comparable", file=sys.stderr)
    if args.markdown:
        header = (f"Command: `python bench/callback_cost.py {' '.join(shlex.quote(a) for a in argv)}`\n\n"
                  f"Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; machine: "
                  f"{machine_description()}; satmip {satmip.__version__} ({_core.__build__}). Most-fractional "
                  f"branching, heuristics off, gap 0, node limit {args.node_limit}; best of 3 solves each. "
                  f"Cost per call = (time with the callback - time without) / calls.\n\n")
        write_section(args.markdown, SECTION_BEGIN, SECTION_END, header + text)
    return 0 if all(r["same_tree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
