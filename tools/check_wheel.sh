#!/usr/bin/env bash
# Install a satmip wheel where no compiler can be reached and solve a CNF and an MPS file.
#
#   tools/check_wheel.sh [WHEEL]
#
# Without WHEEL it first builds one here (pip wheel, into build/wheelhouse). A wheel built
# on the same machine links the system's zlib/liblzma/libbz2; a cibuildwheel (manylinux)
# wheel carries its own copies (auditwheel). Then: a fresh venv (no system site-packages),
# the wheel and numpy installed into it with CC/CXX pointing nowhere, and
# tools/wheel_smoke.py run with PATH holding only the venv's bin/ -- no gcc, no cc, no
# cmake, and no gzip/xz programs, so the compressed inputs must go through the linked
# libraries. Exit status 0 when the wheel installs and every answer is right.
# tests/test_wheel.py runs this script when SATMIP_WHEEL names a wheel.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"

if [ $# -ge 1 ]; then
  wheel="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
  "$python" -m pip wheel --no-deps -w "$repo/build/wheelhouse" "$repo"
  wheel="$(ls -t "$repo"/build/wheelhouse/satmip-*.whl | head -1)"
fi
[ -f "$wheel" ] || { echo "check_wheel: no wheel at $wheel" >&2; exit 2; }
echo "check_wheel: $wheel"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
# The wheel's dependencies come from the package index as usual; the wheel itself must
# need no build step (--only-binary) and find no compiler if it tried.
CC=/nonexistent/cc CXX=/nonexistent/c++ PATH="$work/venv/bin" \
  "$work/venv/bin/python" -m pip install -q --only-binary=:all: "$wheel"
for tool in cc gcc c++ g++ clang cmake xz gzip bzip2; do
  if env PATH="$work/venv/bin" /bin/sh -c "command -v $tool" >/dev/null; then
    echo "check_wheel: $tool is reachable from the test environment" >&2; exit 2
  fi
done
cd "$work"   # not the repository: python must import the installed wheel
CC=/nonexistent/cc CXX=/nonexistent/c++ PATH="$work/venv/bin" \
  "$work/venv/bin/python" "$repo/tools/wheel_smoke.py" "$repo/tests/data"
