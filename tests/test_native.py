"""Builds the engine without Python (CMake, SATMIP_BUILD_TESTS) and runs the
native C++ tests through ctest. Set SATMIP_SANITIZE=1 to build them with
AddressSanitizer and UndefinedBehaviorSanitizer."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("cmake") is None and not os.environ.get("CMAKE"),
                    reason="cmake not available")
def test_native_engine_tests(tmp_path):
    cmake = shutil.which("cmake")
    build = tmp_path / "build"
    configure = [cmake, "-S", str(ROOT), "-B", str(build), "-DSATMIP_BUILD_TESTS=ON",
                 "-DCMAKE_BUILD_TYPE=Release"]
    if os.environ.get("SATMIP_SANITIZE"):
        configure.append("-DSATMIP_SANITIZE=ON")
    if shutil.which("ninja"):
        configure += ["-G", "Ninja"]
    subprocess.run(configure, check=True, capture_output=True, text=True)
    subprocess.run([cmake, "--build", str(build), "-j", "2"], check=True, capture_output=True, text=True)
    result = subprocess.run(["ctest", "--output-on-failure"], cwd=build, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
