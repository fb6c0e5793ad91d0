"""Train the phase model on a dataset (needs torch and torch-geometric):

    python -m satmip.learn.train_phases --data DIR --out RUN [--epochs N] [--resume [--lr R]]
    python -m satmip.learn.train_phases --data DIR --out RUN --evaluate [--model NPZ] [--splits LIST]

NeuroBack's recipe (LEARNED.md A.3) at small scale: binary cross-entropy on the
backbone variables only (the others masked out), class-weighted per batch
(w_c = n / (2 (n_c + 1))), AdamW, gradient norm clipped at 1, each training
formula also as its dual unless --no-duals. Each epoch writes RUN/checkpoint.pt
(model, optimiser, random state, metrics) and RUN/metrics.json; --resume goes on
from the checkpoint. At the end RUN/phase_model.npz holds the epoch with the best
validation backbone accuracy (the last epoch without a validation split), for
satmip.learn.phase_infer. The metrics cover the validation split and the
held-out family, each pooled and per family. --evaluate trains nothing: it runs
the exported model through the numpy forward (satmip.learn.phase_eval) and
writes RUN/evaluation.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Optional

import numpy as np

try:
    import torch
    from torch_geometric.loader import DataLoader
except ImportError as err:  # pragma: no cover - the message is the point
    raise ImportError("satmip.learn.train_phases needs torch and torch-geometric: "
                      "pip install 'satmip[learn]'") from err

from .baselines import jeroslow_wang, polarity
from .dataset import dual, instances
from .phase_eval import evaluate_model, summarise, table
from .phase_infer import PhaseInference
from .phase_model import PhaseModel, export_npz
from .pyg import to_pyg

CHECKPOINT, METRICS, EXPORT, EVALUATION = "checkpoint.pt", "metrics.json", "phase_model.npz", "evaluation.json"


def graphs(data_dir: str, split: str, duals: bool) -> list:
    """The split's formulas as HeteroData with variable.y / mask (to_pyg),
    variable.majority (+1 / -1), variable.polarity (the baseline's phase) and
    family (the generator's name)."""
    out = []
    for entry, inst in instances(data_dir, split):
        for one in (inst, dual(inst)) if duals else (inst,):
            g = to_pyg(one.cnf, backbone=one.backbone)
            g["variable"].majority = torch.from_numpy(one.majority[1:].astype(np.int64))
            g["variable"].polarity = torch.from_numpy(polarity(one.cnf)[1:].astype(np.int64))
            g["variable"].jw = torch.from_numpy(jeroslow_wang(one.cnf)[1:].astype(np.int64))
            g.family = entry["family"]
            out.append(g)
    return out


def masked_loss(logits, batch):
    """Class-weighted BCE on backbone variables (target 1: positive phase)."""
    mask = batch["variable"].mask
    target = (batch["variable"].y[mask] == 0).float()
    n, positives = target.numel(), target.sum()
    weight = torch.where(target > 0, n / (2 * (positives + 1)), n / (2 * (n - positives + 1)))
    return torch.nn.functional.binary_cross_entropy_with_logits(logits[mask], target, weight=weight)


def evaluate(model, data: list) -> Optional[dict]:
    """Pooled over the formulas and per family: backbone accuracy and F1
    (positive phase as the positive class) and accuracy on all variables against
    their majority phases, of the model and of the polarity and Jeroslow-Wang
    baselines on the same variables; None without data."""
    if not data:
        return None
    rows: dict = {}
    model.eval()
    with torch.no_grad():
        for g in data:
            y = g["variable"].y.numpy()
            row = (np.where(model(g).numpy() >= 0, 1, -1), np.where(y == 0, 1, np.where(y == 1, -1, 0)),
                   g["variable"].majority.numpy(), g["variable"].polarity.numpy(), g["variable"].jw.numpy())
            rows.setdefault(g.family, []).append(row)
    return summarise(rows)


def _write_json(path: str, value) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1)
    os.replace(tmp, path)


def parse(argv: Optional[list]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m satmip.learn.train_phases", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, metavar="DIR", help="dataset folder (make_dataset's --out)")
    p.add_argument("--out", required=True, metavar="RUN", help="run folder: checkpoint, metrics, exported model")
    p.add_argument("--epochs", type=int, default=20, metavar="N", help="train up to epoch N (default 20)")
    p.add_argument("--resume", action="store_true", help="go on from RUN/checkpoint.pt")
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--lr", type=float, default=None,
                   help="AdamW learning rate (default 1e-3; with --resume the checkpoint's, or this "
                        "one from the next epoch on: a lower rate for the last epochs)")
    p.add_argument("--batch", type=int, default=4, metavar="K", help="formulas per step (default 4)")
    p.add_argument("--no-duals", action="store_true", help="train without the dual formulas")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    p.add_argument("--evaluate", action="store_true",
                   help="train nothing: run the exported model (numpy, as a solver does) on the validation "
                        "and test splits and the held-out family, write RUN/evaluation.json, print tables")
    p.add_argument("--model", metavar="NPZ", help="with --evaluate: this model instead of RUN/phase_model.npz")
    p.add_argument("--splits", type=lambda text: [x for x in text.split(",") if x], metavar="LIST",
                   default=["validation", "test", "holdout"],
                   help="with --evaluate: the splits (default validation,test,holdout; 'all' for every "
                        "labelled instance of DIR)")
    return p.parse_args(argv)


def main(argv: Optional[list] = None) -> int:
    args = parse(argv)
    if args.evaluate:
        return evaluate_exported(args)
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, CHECKPOINT)
    model = PhaseModel(hidden=args.hidden, layers=args.layers, seed=args.seed)
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3 if args.lr is None else args.lr)
    history: list = []
    best: Optional[dict] = None
    shuffle = torch.Generator().manual_seed(args.seed)
    if args.resume and os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, weights_only=False)
        if (state["hidden"], state["layers"]) != (args.hidden, args.layers):
            raise SystemExit(f"{checkpoint_path}: hidden {state['hidden']} / layers {state['layers']}, "
                             f"not the {args.hidden} / {args.layers} asked for")
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        if args.lr is not None and args.lr != optimiser.param_groups[0]["lr"]:
            print(f"learning rate {optimiser.param_groups[0]['lr']} -> {args.lr} from epoch "
                  f"{len(state['history']) + 1}", file=sys.stderr)
            for group in optimiser.param_groups:
                group["lr"] = args.lr
        shuffle.set_state(state["shuffle"])
        history, best = state["history"], state["best"]
    elif os.path.exists(checkpoint_path):
        raise SystemExit(f"{checkpoint_path} exists: pass --resume to go on, or another --out")
    train = graphs(args.data, "train", duals=not args.no_duals)
    validation = graphs(args.data, "validation", duals=False)
    holdout = graphs(args.data, "holdout", duals=False)
    if not train:
        raise SystemExit(f"{args.data}: no training formulas")
    for epoch in range(len(history) + 1, args.epochs + 1):
        started = time.monotonic()
        model.train()
        losses = []
        for batch in DataLoader(train, batch_size=args.batch, shuffle=True, generator=shuffle):
            if not bool(batch["variable"].mask.any()):
                continue
            loss = masked_loss(model(batch), batch)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            losses.append(loss.item())
        measured = evaluate(model, validation)
        record = {"epoch": epoch, "train_loss": float(np.mean(losses)) if losses else None,
                  "lr": optimiser.param_groups[0]["lr"],
                  "seconds": time.monotonic() - started,
                  "validation": measured, "holdout": evaluate(model, holdout)}
        history.append(record)
        score = (measured or {}).get("backbone_accuracy")
        if best is None or validation == [] or (score is not None and score > best["score"]):
            best = {"epoch": epoch, "score": score,
                    "model": {k: v.detach().clone() for k, v in model.state_dict().items()}}
            _export(best["model"], args)   # a run stopped at any epoch has its best model
        torch.save({"model": model.state_dict(), "optimiser": optimiser.state_dict(),
                    "shuffle": shuffle.get_state(), "history": history, "best": best,
                    "hidden": args.hidden, "layers": args.layers}, checkpoint_path + ".tmp")
        os.replace(checkpoint_path + ".tmp", checkpoint_path)
        _write_json(os.path.join(args.out, METRICS), {"best_epoch": best["epoch"], "epochs": history})
        print(f"epoch {epoch}: loss {record['train_loss']}, validation backbone accuracy {score} "
              f"(polarity {(measured or {}).get('polarity_backbone_accuracy')})", file=sys.stderr)
    if best is not None:
        _export(best["model"], args)
    return 0


def evaluate_exported(args) -> int:
    path = args.model or os.path.join(args.out, EXPORT)
    result = {"model": os.path.abspath(path), "data": os.path.abspath(args.data)}
    result.update(evaluate_model(PhaseInference.load(path), args.data, args.splits))
    os.makedirs(args.out, exist_ok=True)
    _write_json(os.path.join(args.out, EVALUATION), result)
    for split in args.splits:
        if result[split]:
            print(f"\n{split}:\n{table(result[split])}")
    print(f"inference: {result['inference']['seconds_per_100k_clauses']:.3f} s per 100k clauses "
          f"({result['inference']['clauses']:,} clauses)")
    return 0


def _export(state: dict, args) -> None:
    export = PhaseModel(hidden=args.hidden, layers=args.layers)
    export.load_state_dict(state)
    path = os.path.join(args.out, EXPORT)
    export_npz(export, path + ".tmp")
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    sys.exit(main())
