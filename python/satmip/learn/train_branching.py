"""Train the branching GCNN (satmip.learn.branch_model) on strong-branching samples by
imitation, as Gasse et al. (2019) (needs torch and torch-geometric):

    python -m satmip.learn.train_branching --samples DIR --family F --out RUN \\
        [--export MODEL.npz] [--time-budget S] [--resume]

DIR/F/{train,valid,test} are collection folders of satmip.learn.collect_samples (layout
"satmip"); test is never trained on nor used to choose the model. The input
normalisation is fitted on the training split once. Training: Adam, cross-entropy over
each node's candidates (the expert's column the target), batches of --batch nodes, the
learning rate cut by 5 after --lr-patience epochs without a better validation loss, early
stopping after --patience; the model kept is the one of the best validation loss. Every
epoch writes RUN/checkpoint.pt (--resume goes on from it, the same run as without the
stop) and RUN/metrics.json; --time-budget stops before an epoch that would not fit.
At the end the kept model is exported (branch_export) to --export (RUN/F.npz by default)
with the reference states beside it (F.reference.npz), and its top-1 / top-5 accuracy
on validation and test printed: a pick counts when its expert score ties the best, as
learn2branch counts it ("acc"); "expert" counts picks of the expert's own column.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from typing import Any, Optional

import numpy as np

try:
    import torch
    from torch_geometric.data import Batch
    from torch_geometric.utils import to_dense_batch
except ImportError as err:  # pragma: no cover - the message is the point
    raise ImportError("satmip.learn.train_branching needs torch and torch-geometric: "
                      "pip install 'satmip[learn]'") from err

from .branch_dataset import fit_normalisation, load_graphs
from .branch_export import export_npz, export_reference
from .branch_model import BranchGCNN

CHECKPOINT, METRICS = "checkpoint.pt", "metrics.json"
TOP_K = (1, 3, 5, 10)


def candidate_logits(logits: torch.Tensor, batch) -> tuple:
    """[graphs, most candidates] logits (-inf padding) and the mask of real entries."""
    counts = batch.num_candidates
    owner = torch.repeat_interleave(torch.arange(counts.numel()), counts)
    return to_dense_batch(logits[batch.candidates], owner, fill_value=float("-inf"),
                          batch_size=counts.numel())


def batch_loss(model: BranchGCNN, batch) -> tuple:
    """Mean cross-entropy over the batch's nodes, and the dense candidate logits."""
    dense, _ = candidate_logits(model.forward_data(batch), batch)
    return torch.nn.functional.cross_entropy(dense, batch.target), dense


def batches(graphs: list, size: int, generator: Optional[torch.Generator] = None):
    order = (torch.randperm(len(graphs), generator=generator).tolist() if generator is not None
             else list(range(len(graphs))))
    for start in range(0, len(order), size):
        yield Batch.from_data_list([graphs[i] for i in order[start:start + size]])


def evaluate(model: BranchGCNN, graphs: list, batch_size: int = 32) -> Optional[dict]:
    """Loss and top-k accuracies over the graphs (None without any)."""
    if not graphs:
        return None
    model.eval()
    loss_sum, hits, expert_hits = 0.0, np.zeros(len(TOP_K)), np.zeros(len(TOP_K))
    with torch.no_grad():
        for batch in batches(graphs, batch_size):
            loss, dense = batch_loss(model, batch)
            loss_sum += float(loss) * dense.size(0)
            counts = batch.num_candidates
            scores, _ = to_dense_batch(batch.scores, torch.repeat_interleave(torch.arange(counts.numel()), counts),
                                       fill_value=float("-inf"), batch_size=counts.numel())
            best = scores.max(dim=1, keepdim=True).values
            order = dense.argsort(dim=1, descending=True, stable=True)
            picked = scores.gather(1, order)
            for j, k in enumerate(TOP_K):
                kk = min(k, dense.size(1))
                top, valid = picked[:, :kk], torch.arange(kk).unsqueeze(0) < counts.unsqueeze(1)
                hits[j] += float(((top == best) & valid).any(dim=1).sum())
                expert_hits[j] += float((order[:, :kk] == batch.target.unsqueeze(1)).any(dim=1).sum())
    n = len(graphs)
    out = {"samples": n, "loss": loss_sum / n}
    out.update({f"acc@{k}": hits[j] / n for j, k in enumerate(TOP_K)})
    out.update({f"expert@{k}": expert_hits[j] / n for j, k in enumerate(TOP_K)})
    return out


def _write_json(path: str, value) -> None:
    with open(path + ".tmp", "w") as f:
        json.dump(value, f, indent=1)
    os.replace(path + ".tmp", path)


def parse(argv: Optional[list]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m satmip.learn.train_branching", description=__doc__.split("\n\n")[0])
    p.add_argument("--samples", required=True, metavar="DIR", help="DIR/FAMILY/{train,valid,test}: sample folders")
    p.add_argument("--family", required=True, help="the family (a folder of DIR)")
    p.add_argument("--out", required=True, metavar="RUN", help="run folder: checkpoint.pt, metrics.json")
    p.add_argument("--export", metavar="NPZ", help="the model file (default RUN/FAMILY.npz)")
    p.add_argument("--resume", action="store_true", help="go on from RUN/checkpoint.pt")
    p.add_argument("--epochs", type=int, default=200, metavar="N", help="at most N epochs (default 200)")
    p.add_argument("--batch", type=int, default=32, metavar="K", help="nodes per step (default 32)")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate (default 1e-3)")
    p.add_argument("--lr-patience", type=int, default=5, metavar="E",
                   help="epochs without a better validation loss before the rate is cut by 5 (default 5)")
    p.add_argument("--patience", type=int, default=10, metavar="E",
                   help="epochs without a better validation loss before stopping (default 10)")
    p.add_argument("--time-budget", type=float, default=None, metavar="S",
                   help="training seconds in all (resumed runs included): no epoch starts that would not fit")
    p.add_argument("--max-train", type=int, default=None, metavar="N", help="at most N training samples")
    p.add_argument("--reference-states", type=int, default=2, metavar="K",
                   help="test states saved with their logits beside the model (the smallest; default 2)")
    p.add_argument("--emb", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    p.add_argument("--quiet", action="store_true")
    return p.parse_args(argv)


def split_graphs(args, split: str, limit: Optional[int] = None) -> list:
    folder = os.path.join(args.samples, args.family, split)
    return load_graphs(folder, limit) if os.path.isdir(folder) else []


def main(argv: Optional[list] = None) -> int:
    args = parse(argv)
    torch.set_num_threads(args.threads)
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, CHECKPOINT)
    started = time.monotonic()
    train = split_graphs(args, "train", args.max_train)
    valid = split_graphs(args, "valid")
    if not train:
        raise SystemExit(f"{os.path.join(args.samples, args.family, 'train')}: no training samples")
    log(f"{args.family}: {len(train)} training and {len(valid)} validation samples "
        f"(loaded in {time.monotonic() - started:.1f} s)")
    model = BranchGCNN(emb=args.emb, seed=args.seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    shuffle = torch.Generator().manual_seed(args.seed)
    state: dict[str, Any] = {"history": [], "best": None, "stale": 0, "seconds": 0.0}
    if args.resume and os.path.exists(checkpoint_path):
        saved = torch.load(checkpoint_path, weights_only=False)
        if saved["emb"] != args.emb:
            raise SystemExit(f"{checkpoint_path}: emb {saved['emb']}, not {args.emb}")
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        shuffle.set_state(saved["shuffle"])
        state = saved["state"]
        log(f"resuming after epoch {len(state['history'])}")
    elif os.path.exists(checkpoint_path):
        raise SystemExit(f"{checkpoint_path} exists: pass --resume to go on, or another --out")
    else:
        fit_normalisation(model, train)
    best_loss = lambda: state["best"]["loss"] if state["best"] else float("inf")  # noqa: E731
    for epoch in range(len(state["history"]) + 1, args.epochs + 1):
        if state["stale"] >= args.patience:
            log(f"early stop: {state['stale']} epochs without a better validation loss")
            break
        last = state["history"][-1]["seconds"] if state["history"] else 0.0
        if args.time_budget is not None and state["seconds"] + last > args.time_budget:
            log(f"time budget: {state['seconds']:.0f} s used, an epoch takes {last:.0f} s")
            break
        t0 = time.monotonic()
        model.train()
        losses = []
        for batch in batches(train, args.batch, shuffle):
            loss, _ = batch_loss(model, batch)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
        measured = evaluate(model, valid, args.batch) if valid else None
        monitored = measured["loss"] if measured else float(np.mean(losses))
        if monitored < best_loss():
            state["best"] = {"epoch": epoch, "loss": monitored,
                             "model": {k: v.detach().clone() for k, v in model.state_dict().items()}}
            state["stale"] = 0
        else:
            state["stale"] += 1
            if state["stale"] % args.lr_patience == 0:
                for group in optimiser.param_groups:
                    group["lr"] *= 0.2
        seconds = time.monotonic() - t0
        state["seconds"] += seconds
        state["history"].append({"epoch": epoch, "train_loss": float(np.mean(losses)), "validation": measured,
                                 "lr": optimiser.param_groups[0]["lr"], "seconds": seconds})
        torch.save({"model": model.state_dict(), "optimiser": optimiser.state_dict(), "shuffle": shuffle.get_state(),
                    "state": state, "emb": args.emb}, checkpoint_path + ".tmp")
        os.replace(checkpoint_path + ".tmp", checkpoint_path)
        _write_json(os.path.join(args.out, METRICS), {"family": args.family, "epochs": state["history"]})
        v = measured or {}
        log(f"epoch {epoch}: train loss {np.mean(losses):.4f}, validation loss {v.get('loss', float('nan')):.4f} "
            f"acc@1 {v.get('acc@1', float('nan')):.3f} acc@5 {v.get('acc@5', float('nan')):.3f} ({seconds:.0f} s)")
    return finish(args, model, state, train, valid, log)


def finish(args, model: BranchGCNN, state: dict, train: list, valid: list, log) -> int:
    """Evaluates the kept model on validation and test, exports it and its reference states."""
    if state["best"] is None:
        raise SystemExit("no epoch trained: nothing to export")
    model.load_state_dict(state["best"]["model"])
    test = split_graphs(args, "test")
    metrics = {"best_epoch": state["best"]["epoch"], "epochs": len(state["history"]),
               "train_seconds": round(state["seconds"], 1), "train_samples": len(train),
               "train_instances": len({g.instance for g in train}),
               "validation": evaluate(model, valid, args.batch), "test": evaluate(model, test, args.batch)}
    command = "python -m satmip.learn.train_branching " + " ".join(
        shlex.quote(a) for a in (sys.argv[1:] if __name__ == "__main__" else []))
    export = args.export or os.path.join(args.out, f"{args.family}.npz")
    export_npz(model, export, family=args.family, command=command.strip(), metrics=metrics)
    reference = export[:-len(".npz")] + ".reference.npz" if export.endswith(".npz") else export + ".reference.npz"
    states = smallest_states(args, test or valid or train, args.reference_states)
    if states:
        export_reference(model, states, reference)
    _write_json(os.path.join(args.out, METRICS), {"family": args.family, "final": metrics, "epochs": state["history"]})
    for split in ("validation", "test"):
        m = metrics[split]
        if m:
            log(f"{args.family} {split}: {m['samples']} samples, loss {m['loss']:.4f}, "
                f"acc@1 {m['acc@1']:.3f}, acc@5 {m['acc@5']:.3f}, expert@1 {m['expert@1']:.3f}")
    log(f"exported {export} (best epoch {metrics['best_epoch']} of {metrics['epochs']})")
    return 0


def smallest_states(args, graphs: list, count: int) -> list:
    """The count graphs with the fewest edges, as state dicts (CSR edges) for the reference file."""
    chosen = sorted(range(len(graphs)), key=lambda i: (graphs[i].edge_index.size(1), i))[:count]
    states = []
    for i in chosen:
        g = graphs[i]
        rows, cols = g.edge_index.numpy()
        ptr = np.zeros(g.row_x.size(0) + 1, dtype=np.int64)
        np.add.at(ptr, rows + 1, 1)
        states.append({"row_features": g.row_x.numpy(), "edge_row_ptr": np.cumsum(ptr),
                       "edge_col": cols.astype(np.int32), "edge_values": g.edge_attr.numpy(),
                       "col_features": g.col_x.numpy(), "candidates": g.candidates.numpy().astype(np.int32)})
    return states


if __name__ == "__main__":
    sys.exit(main())
