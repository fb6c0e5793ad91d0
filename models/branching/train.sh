#!/bin/bash
# Trains the shipped models from collect.sh's samples, one family after the other.
# usage: train.sh ROOT SECONDS FAMILY...   (run from the repository's root)
# Runs go to ROOT/runs/FAMILY (checkpoint.pt, metrics.json; a rerun resumes), the models
# to models/branching/FAMILY.npz with FAMILY.reference.npz beside them.
set -eu
root=${1:?usage: train.sh ROOT SECONDS FAMILY...}; budget=${2:?}; shift 2
for f in "$@"; do
  echo "== $(date -u +%T) $f"
  nice -n 15 python -m satmip.learn.train_branching --samples "$root/samples" --family "$f" \
    --out "$root/runs/$f" --export "models/branching/$f.npz" --time-budget "$budget" --batch 16 --resume
done
echo "== $(date -u +%T) done"
