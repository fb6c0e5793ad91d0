"""The binary wheel: installed where no compiler can be reached, it solves a CNF and an MPS
file (tools/check_wheel.sh). Building a wheel takes minutes, so this runs only when
SATMIP_WHEEL names one:

    pip wheel --no-deps -w wheelhouse .          # or cibuildwheel's wheelhouse/
    SATMIP_WHEEL=wheelhouse/satmip-0.1.0-cp311-cp311-linux_x86_64.whl python -m pytest tests/test_wheel.py
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import REPO

WHEEL = os.environ.get("SATMIP_WHEEL")


@pytest.mark.skipif(not WHEEL, reason="SATMIP_WHEEL does not name a wheel to check (README, Binary wheels)")
def test_wheel_installs_without_a_compiler_and_solves():
    run = subprocess.run(["bash", str(REPO / "tools" / "check_wheel.sh"), WHEEL], capture_output=True,
                         text=True, timeout=600, env=dict(os.environ, PYTHON=sys.executable))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "wheel smoke test passed" in run.stdout
