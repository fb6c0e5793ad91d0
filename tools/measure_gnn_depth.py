"""How deep the learned branching should run (MipOptions::gnn_max_depth): solves a
family's generated instances with branching="gnn" at several depths and with the
pseudocost rule, and prints per setting the shifted geometric means of wall time (shift
1 s) and nodes (shift 10), the solved count and the GCNN's share of the time:

    nice -n 15 python tools/measure_gnn_depth.py setcover --size easy --count 10 \\
        --first-seed 1000 --depths 0,2,5,10,20,all --time-limit 120

The model is the family's shipped one unless --model FILE; the seeds should be ones the
model was not trained on. One process, one thread: run it on a quiet machine.
"""
from __future__ import annotations

import argparse
import math
import time

from satmip.learn.branch_format import load, resolve
from satmip.learn.instances import generate


def sgm(values, shift: float) -> float:
    return math.exp(sum(math.log(v + shift) for v in values) / len(values)) - shift


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("family")
    parser.add_argument("--size", default="easy")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--depths", default="0,2,5,10,20,all", help="comma-separated depths, 'all': every depth")
    parser.add_argument("--model", default=None, help="weights file (default: the family's shipped model)")
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    model = load(resolve(args.model or args.family))
    settings = [("pseudocost", {"branching": "pseudocost"})]
    for depth in args.depths.split(","):
        options = {"branching": "gnn", "branching_model": model}
        if depth != "all":
            options["gnn_max_depth"] = int(depth)
        settings.append((f"gnn depth {depth}", options))
    results: dict = {name: [] for name, _ in settings}
    for seed in range(args.first_seed, args.first_seed + args.count):
        instance = generate(args.family, args.size, seed)
        for name, options in settings:
            start = time.perf_counter()
            r = instance.solve(time_limit=args.time_limit, **options)
            results[name].append((time.perf_counter() - start, r.nodes, r.status == "optimal",
                                  r.times.get("branching_model", 0.0)))
            print(f"seed {seed} {name:14s} {r.status:10s} nodes {r.nodes:7d} time {results[name][-1][0]:8.2f} s "
                  f"gnn {results[name][-1][3]:7.2f} s", flush=True)
    print(f"\n{args.family} {args.size}, {args.count} instances from seed {args.first_seed}, model {model.path}")
    print(f"{'setting':16s} {'solved':>6s} {'SGM time':>9s} {'SGM nodes':>10s} {'gnn share':>9s}")
    for name, rows in results.items():
        times, nodes = [t for t, _, _, _ in rows], [n for _, n, _, _ in rows]
        share = sum(g for _, _, _, g in rows) / max(sum(times), 1e-9)
        print(f"{name:16s} {sum(s for _, _, s, _ in rows):6d} {sgm(times, 1.0):9.2f} {sgm(nodes, 10.0):10.1f} "
              f"{share:9.1%}")


if __name__ == "__main__":
    main()
