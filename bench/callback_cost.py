"""Cost of one Python callback round trip in satmip's branch and bound.

Solves each instance three times with the same settings (most-fractional branching,
heuristics off, so the tree does not depend on timing): without callbacks, with an
`on_node` that returns None, and with an `on_branch` that returns None (the engine
then decides as without it). Every solve must finish (status optimal) with the same
tree as the first, by node count and LP iterations: only then is the extra time
divided by the number of calls the cost of one round trip (building the payload,
taking the GIL, calling Python, reading the answer). A tree cut off at a node limit
would always "match" (issue 18), so a limit is only a safety net and a run that hits
it fails the comparison. on_branch's payload includes the bipartite
node state (built only when on_branch is set); the builder's own time per node
(MipResult.node_state_time / node_state_builds) is reported separately.

    python bench/callback_cost.py [--instances GLOB ...] [--repeats N] [--node-limit N] [--markdown FILE]

Exit status 1 when a tree differs or does not finish.
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


def tree(result) -> tuple:
    """What identifies a search tree: its end status, nodes and LP iterations."""
    return result.status, result.nodes, result.lp_iterations


def same_finished_tree(results) -> bool:
    """True when every solve finished (optimal) and searched the first one's tree."""
    first = tree(results[0])
    return first[0] == "optimal" and all(tree(r) == first for r in results)


def measure(path: str, node_limit=None, repeats: int = 3, on_branch=None) -> dict:
    """on_branch replaces the callback that returns None (the tests' way to change the tree)."""
    model = satmip.Model.from_mps(path)
    calls = {"node": 0, "branch": 0}

    def on_node(facts):
        calls["node"] += 1

    def count_branch(state):
        calls["branch"] += 1
        return on_branch(state) if on_branch is not None else None

    # The three variants in turn, `repeats` times, so that a change of the machine's
    # load hits them alike; each variant's fastest solve is timed.
    variants = ({}, {"on_node": on_node}, {"on_branch": count_branch})
    runs = [[timed_solve(model, node_limit, **v) for v in variants] for _ in range(repeats)]
    results = [r for rnd in runs for _, r in rnd]
    (base, r_base), (with_node, _), (with_branch, r_branch) = (
        min((rnd[k] for rnd in runs), key=lambda t: t[0]) for k in range(3))
    node_calls, branch_calls = calls["node"] // repeats, calls["branch"] // repeats
    return {"instance": Path(path).name, "nodes": r_base.nodes, "lp_iterations": r_base.lp_iterations,
            "finished": r_base.status == "optimal", "same_tree": same_finished_tree(results),
            "base_s": base, "node_calls": node_calls, "branch_calls": branch_calls,
            "node_us": 1e6 * (with_node - base) / max(node_calls, 1),
            "branch_us": 1e6 * (with_branch - base) / max(branch_calls, 1),
            "state_us": 1e6 * r_branch.node_state_time / max(r_branch.node_state_builds, 1),
            "base_us_per_node": 1e6 * base / max(r_base.nodes, 1)}


def table(rows) -> str:
    out = ["| instance | nodes | LP iterations | same finished tree | solve (s) | us per node | on_node calls | us per on_node | "
           "on_branch calls | us per on_branch | of which state build (us) |",
           "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        verdict = "yes" if r["same_tree"] else ("NO" if r["finished"] else "NO (unfinished)")
        out.append(f"| `{r['instance']}` | {r['nodes']} | {r['lp_iterations']} | {verdict} | {r['base_s']:.3f} | "
                   f"{r['base_us_per_node']:.1f} | {r['node_calls']} | {r['node_us']:.1f} | "
                   f"{r['branch_calls']} | {r['branch_us']:.1f} | {r['state_us']:.2f} |")
    return "\n".join(out)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--instances", nargs="*", default=None, help="MPS files or globs (default: four test MIPs)")
    p.add_argument("--node-limit", type=int, default=None,
                   help="safety net only: a run that hits it fails the comparison (default: none)")
    p.add_argument("--repeats", type=int, default=3, help="solves per variant, the fastest timed (default 3)")
    p.add_argument("--markdown", metavar="FILE")
    args = p.parse_args(argv)
    paths = sorted({f for g in args.instances for f in glob.glob(g)}) if args.instances else DEFAULT
    if not paths:
        print("callback_cost.py: no instances", file=sys.stderr)
        return 2
    rows = [measure(path, args.node_limit, args.repeats) for path in paths]
    text = table(rows)
    print(text)
    if not all(r["same_tree"] for r in rows):
        print("!!! a tree differs or did not finish: the per-call costs above are not comparable",
              file=sys.stderr)
    if args.markdown:
        header = (f"Command: `python bench/callback_cost.py {' '.join(shlex.quote(a) for a in argv)}`\n\n"
                  f"Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; machine: "
                  f"{machine_description()}; satmip {satmip.__version__} ({_core.__build__}). Most-fractional "
                  f"branching, heuristics off, cuts off, gap 0, each tree solved to the end; best of {args.repeats} solves each. "
                  f"Same finished tree: all {3 * args.repeats} solves optimal with the same node count and LP iterations. "
                  f"Cost per call = (time with the callback - time without) / calls.\n\n")
        write_section(args.markdown, SECTION_BEGIN, SECTION_END, header + text)
    return 0 if all(r["same_tree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
