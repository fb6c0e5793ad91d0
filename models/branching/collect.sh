#!/bin/bash
# The instances and samples behind models/branching/*.npz (README.md says what it reached).
# usage: collect.sh ROOT CYCLE...   CYCLE = seconds for setcover,cauctions,indset,facilities
# Instances go to ROOT/instances/FAMILY/SPLIT, samples to ROOT/samples/FAMILY/SPLIT. Each
# cycle gives every family a time slice split 70/15/15 over train/valid/test; collect_samples
# resumes (--stop-after starts no episode past the slice), so cycles and reruns extend.
# PER_EPISODE=K in the environment stops each episode after K samples (more instances).
set -u
root=${1:?usage: collect.sh ROOT CYCLE...}; shift
families=(setcover cauctions indset facilities)

# Seeds: train 0..99, valid 100000.., test 200000.. (easy); medium test 300000.. (not sampled).
gen() {  # family split size count seed
  nice -n 15 python -m satmip.learn.instances "$1" --size "$3" --count "$4" --seed "$5" \
    --out "$root/instances/$1/$2"
}
for f in "${families[@]}"; do
  gen "$f" train easy 100 0; gen "$f" valid easy 20 100000; gen "$f" test easy 20 200000
  gen "$f" test_medium medium 20 300000
done

collect() {  # family split seconds
  local limit=300 cap=()
  [ "$3" -gt 0 ] || return 0
  [ -n "${PER_EPISODE:-}" ] && cap=(--per-episode "$PER_EPISODE")
  case $1 in indset|facilities) limit=150;; esac
  echo "== $(date -u +%T) $1 $2 ${3}s"
  nice -n 15 python -m satmip.learn.collect_samples --instances "$root/instances/$1/$2" \
    --out "$root/samples/$1/$2" --samples 1000000 --rate 0.05 --workers 1 \
    --time-limit "$limit" --stop-after "$3" "${cap[@]}" --no-progress 2>&1 | tail -n 1
}
for cycle in "$@"; do
  IFS=, read -r -a slices <<< "$cycle"
  for i in 0 1 2 3; do
    s=${slices[$i]}
    f=${families[$i]}
    collect "$f" train $((s * 70 / 100)); collect "$f" valid $((s * 15 / 100)); collect "$f" test $((s * 15 / 100))
  done
done
echo "== $(date -u +%T) done"
