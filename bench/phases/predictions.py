"""What the guidance gives the solver on the evaluation sets, before any search: per
family and size class, the inference time, how many variables get a phase at the
threshold (coverage), and how often those phases are the backbone's (make_sets.py's
labels), for the shipped model and for Jeroslow-Wang:

    python bench/phases/predictions.py [--sets trained,holdout] [--model default]
        [--markdown bench/RESULTS.md]

One process, one core, the model read once (as in a solver process, where the first
prediction also reads the file). Columns: inference s = predict_phases' own seconds
(graph and forward; median and max); predicted = variables with a phase / all variables;
backbone covered = backbone variables with a phase / backbone variables; precision =
predicted backbone phases that are right; argmax accuracy = sign(p - 1/2) right on all
backbone variables (the training metric, no threshold).
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
from collections import defaultdict

import numpy as np

from satmip.bench.markdown import write_section
from satmip.learn.dataset import read_instance
from satmip.learn.predict import predict_phases

SECTION = "phases-predictions"


def measure(folder: str, model: str) -> list[dict]:
    with open(os.path.join(folder, "manifest.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        key = os.path.basename(row["path"])[: -len(".cnf.xz")]
        inst = read_instance(os.path.join(folder, "instances", key + ".npz"))
        backbone = inst.backbone
        on = backbone != 0
        item = {"key": key, "family": row["family"], "size_class": row["size_class"],
                "size": int(row["size"]), "nvars": inst.cnf.nvars, "nclauses": inst.cnf.nclauses,
                "backbone": int(on.sum())}
        for name in (model, "jw"):
            pred = predict_phases(inst.cnf, model=name)
            phases = pred.phases
            given = phases != 0
            argmax = np.where(pred.probability >= 0.5, 1, -1)
            item[name] = {
                "seconds": pred.seconds, "predicted": int(given[1:].sum()),
                "covered": int((given & on).sum()),
                "right": int(((phases == backbone) & given & on).sum()),
                "argmax_right": int((argmax[on] == backbone[on]).sum())}
        out.append(item)
    return out


def table(items: list[dict], model: str) -> list[str]:
    groups = defaultdict(list)
    for it in items:
        groups[(it["family"], it["size_class"], it["size"])].append(it)
    lines = [f"| family | size (class) | instances | vars (mean) | clauses (mean) | backbone share | "
             f"{model}: inference s (median / max) | {model}: predicted | {model}: backbone covered | "
             f"{model}: precision | {model}: argmax accuracy | jw: inference s (max) | jw: accuracy |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (family, size_class, size), its in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][2])):
        def tot(name, field):
            return sum(it[name][field] for it in its)
        nvars, nbb = sum(it["nvars"] for it in its), sum(it["backbone"] for it in its)
        secs = [it[model]["seconds"] for it in its]
        lines.append(
            f"| {family} | {size} ({size_class}) | {len(its)} | {nvars / len(its):,.0f} | "
            f"{sum(it['nclauses'] for it in its) / len(its):,.0f} | {nbb / max(nvars, 1):.2f} | "
            f"{statistics.median(secs):.3f} / {max(secs):.3f} | {tot(model, 'predicted') / max(nvars, 1):.2f} | "
            f"{tot(model, 'covered') / max(nbb, 1):.2f} | {_share(tot(model, 'right'), tot(model, 'covered'))} | "
            f"{_share(tot(model, 'argmax_right'), nbb)} | {max(it['jw']['seconds'] for it in its):.3f} | "
            f"{_share(tot('jw', 'right'), tot('jw', 'covered'))} |")
    return lines


def _share(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python bench/phases/predictions.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--dir", default=os.environ.get("PHASE_EVAL_DIR", "/work/data/phase-eval"))
    p.add_argument("--sets", default="trained,holdout")
    p.add_argument("--model", default="default", help="default, a model file, jw or polarity")
    p.add_argument("--markdown", metavar="FILE", help=f"write the table into FILE's section {SECTION}")
    p.add_argument("--header", action="append", default=[], metavar="LINE")
    args = p.parse_args(argv)
    out = list(args.header) + ([""] if args.header else [])
    for name in [s for s in args.sets.split(",") if s]:
        items = measure(os.path.join(args.dir, name), args.model)
        out += [f"Set `{name}` ({len(items)} instances):", ""] + table(items, args.model) + [""]
    text = "\n".join(out)
    print(text)
    if args.markdown:
        write_section(args.markdown, f"<!-- {SECTION}: begin -->", f"<!-- {SECTION}: end -->", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
