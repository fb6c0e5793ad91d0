#!/usr/bin/env bash
# Runs the concurrency / re-entrancy matrix and the array-argument tests (by
# default; other pytest arguments may be given) against a Debug build of the
# extension with AddressSanitizer and UBSan (-DSATMIP_SANITIZE=ON), built in
# build/asan, separate from the regular editable build. Python itself is not
# instrumented, so libasan is preloaded, with libstdc++ (else ASan cannot find
# the real __cxa_throw and aborts at the first C++ exception); leak detection
# is off (the interpreter keeps its allocations at exit).
#
#   tests/asan.sh                                  # the default test set
#   tests/asan.sh -k on_decide tests/test_callbacks.py
#
# Exit status: pytest's, or 1 when a sanitizer reported (the report is printed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/asan
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSATMIP_SANITIZE=ON -DSATMIP_BUILD_PYTHON=ON \
  -DPython_EXECUTABLE="$(command -v python)" -Dpybind11_DIR="$(python -m pybind11 --cmakedir)" >/dev/null
ninja -C "$build" -j "${JOBS:-2}" _core
pkg=$build/pkg
rm -rf "$pkg"
mkdir -p "$pkg"
cp -r "$root/python/satmip" "$pkg/"
cp "$build"/python/_core*.so "$pkg/satmip/"

export LD_PRELOAD
LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so)"
# Reports go to files (pytest's output capture would swallow them) and are printed below.
reports=$build/sanitizer-report
rm -f "$reports".*
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1:log_path=$reports
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$reports
cd "$root"
if [ $# -eq 0 ]; then
  # Not the Ctrl-C tests: they time a signal against a search ~10x slower here.
  set -- -q tests/test_reentrancy.py tests/test_array_args.py tests/test_callbacks.py -k "not sigint"
fi
status=0
python - "$pkg" "$@" <<'PY' || status=$?
import sys
pkg = sys.argv[1]
# The editable install's finder would load the regular build's _core: drop it.
sys.meta_path = [f for f in sys.meta_path if "editable" not in type(f).__module__.lower()]
sys.path.insert(0, pkg)
import satmip
assert satmip.__file__.startswith(pkg), satmip.__file__
print("satmip from", satmip.__file__, "(ASan + UBSan build)")
import pytest
sys.exit(pytest.main(sys.argv[2:]))
PY
if compgen -G "$reports.*" >/dev/null; then
  cat "$reports".*
  echo "tests/asan.sh: sanitizer reports above (also in $reports.*)" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
