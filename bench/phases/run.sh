#!/bin/bash
# Issue 13's evaluation, end to end on the sets of make_sets.py (bench/phases/README.md):
#   bench/phases/run.sh [trained] [holdout] [sat-dev]      (default: all three, in that order)
# Each set: `satmip bench` (its own report into bench/RESULTS.md), then satmip.bench.paired
# (seeds pooled and per seed, paired ratios) into the section after it. Resumes.
# Needs the venv activated (the configurations start ./satmip_cli.py with python3).
cd "$(dirname "$0")/../.." || exit 2
export PHASE_EVAL_DIR=${PHASE_EVAL_DIR:-/work/data/phase-eval}
python -c "import satmip" || exit 2          # the editable install rebuilt once, here
build=$(python -c "import satmip; print(satmip._core.__build__)")
sets=("$@")
[ ${#sets[@]} -eq 0 ] && sets=(trained holdout sat-dev)
status=0
for set in "${sets[@]}"; do
    echo "== $set: $(date -u '+%H:%M:%S'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
    satmip bench "bench/phases/$set.toml" --no-progress || status=$?
    extra=()
    if [ "$set" != sat-dev ]; then
        extra=(--manifest "$PHASE_EVAL_DIR/$set/manifest.csv" --group size_class)
    fi
    python -m satmip.bench.paired "bench/out/phases-$set.jsonl" --baseline default "${extra[@]}" \
        --markdown bench/RESULTS.md --name "phases-$set" \
        --header "Command: \`satmip bench bench/phases/$set.toml\` then \`python -m satmip.bench.paired bench/out/phases-$set.jsonl --baseline default ${extra[*]/$PHASE_EVAL_DIR/\$PHASE_EVAL_DIR}\` (bench/phases/run.sh)" \
        --header "Build: git $(git rev-parse --short HEAD), satmip._core $build; finished $(date -u '+%Y-%m-%d %H:%M') UTC, load average then $(cut -d' ' -f1-3 /proc/loadavg)." \
        > /dev/null || status=$?
done
exit $status
