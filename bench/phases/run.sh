#!/bin/bash
# Issue 13's evaluation, end to end on the sets of make_sets.py (bench/phases/README.md):
#   bench/phases/run.sh [predictions] [trained] [holdout] [sat-dev]   (default: all, in this order)
# predictions: bench/phases/predictions.py (inference time, coverage, precision; no search).
# A set: `satmip bench` seed by seed (--labels '*-sN': every configuration under seed 1 on
# every instance, then seed 2, then 3, so a run cut short loses whole seeds, not instances),
# its own report into bench/RESULTS.md (--report-only over all seeds), then
# satmip.bench.paired into the section above it. Resumes.
# Needs the venv activated (the configurations start ./satmip_cli.py with python3).
cd "$(dirname "$0")/../.." || exit 2
export PHASE_EVAL_DIR=${PHASE_EVAL_DIR:-/work/data/phase-eval}
out=${PHASE_OUT:-bench/out/policy}           # results files (a dry run: elsewhere); the
                                             # eager-only evaluation's are bench/out/phases-*.jsonl
md=${PHASE_MARKDOWN:-bench/RESULTS.md}
mkdir -p "$out" bench/out/policy            # the configurations' CSV files go to bench/out/policy
python -c "import satmip" || exit 2          # the editable install rebuilt once, here
build=$(python -c "import satmip; print(satmip._core.__build__)")
commit=$(git rev-parse --short HEAD)
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(predictions trained holdout sat-dev)
status=0
for step in "${steps[@]}"; do
    echo "== $step: $(date -u '+%H:%M:%S'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$step" = predictions ]; then
        python bench/phases/predictions.py --markdown "$md" \
            --header "Command: \`python bench/phases/predictions.py\`; build: git $commit, satmip._core $build, $(date -u '+%Y-%m-%d %H:%M') UTC." \
            > /dev/null || status=$?
        continue
    fi
    config="bench/phases/$step.toml"
    for seed in 1 2 3; do
        satmip bench "$config" --no-progress --labels "*-s$seed" -o "$out/phases-$step.jsonl" \
            --markdown "$md" > /dev/null || status=$?
        echo "   seed $seed done: $(date -u '+%H:%M:%S')"
    done
    satmip bench "$config" --report-only -o "$out/phases-$step.jsonl" --markdown "$md" > /dev/null || status=$?
    extra=()
    if [ "$step" != sat-dev ]; then
        extra=(--manifest "$PHASE_EVAL_DIR/$step/manifest.csv" --group size_class)
    fi
    python -m satmip.bench.paired "$out/phases-$step.jsonl" --baseline default "${extra[@]}" \
        --markdown "$md" --name "phases-$step" \
        --header "Command: \`bench/phases/run.sh $step\`: \`satmip bench $config --labels '*-sN'\` for N = 1, 2, 3, then \`python -m satmip.bench.paired $out/phases-$step.jsonl --baseline default ${extra[*]/$PHASE_EVAL_DIR/\$PHASE_EVAL_DIR}\`" \
        --header "Build: git $commit, satmip._core $build; finished $(date -u '+%Y-%m-%d %H:%M') UTC, load average then $(cut -d' ' -f1-3 /proc/loadavg)." \
        > /dev/null || status=$?
done
exit $status
