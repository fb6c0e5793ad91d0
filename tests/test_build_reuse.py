"""A second `pip install .` reuses the first one's objects (issue 12).

pip builds each time in a new isolated environment; scikit-build-core, seeing itself at a
new path, then deletes <build>/CMakeCache.txt and <build>/CMakeFiles, and pybind11's headers
sit under a new temporary folder. ninja recompiles an object that is missing, older than an
input, or whose command changed. So: configure as such a build does, twice, with pybind11
at two different paths and the cache and CMakeFiles removed in between (configure only, a
few seconds: it guards the 'pip install ".[test]" after pip install .' path, which
otherwise recompiles everything). Every object must lie outside <build>/CMakeFiles, and
every command and every header copy must be the same both times.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pybind11

from helpers import REPO


def tool(name: str) -> str:
    """The test extras' cmake / ninja: next to the interpreter, else on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), name)
    found = here if os.access(here, os.X_OK) else shutil.which(name)
    assert found, f"{name} not found (pip install '.[test]' installs it)"
    return found


def configure(build, pybind11_copy) -> None:
    """What scikit-build-core does in a new isolated environment, without the compiling."""
    shutil.rmtree(build / "CMakeFiles", ignore_errors=True)
    (build / "CMakeCache.txt").unlink(missing_ok=True)
    subprocess.run([tool("cmake"), "-S", str(REPO), "-B", str(build), "-G", "Ninja",
                    f"-DCMAKE_MAKE_PROGRAM={tool('ninja')}", "-DCMAKE_BUILD_TYPE=Release",
                    "-DSATMIP_BUILD_PYTHON=ON", f"-DPython_EXECUTABLE={sys.executable}",
                    f"-Dpybind11_DIR={pybind11_copy / 'share' / 'cmake' / 'pybind11'}"],
                   check=True, capture_output=True, text=True)


def commands(build) -> list[str]:
    """Every command ninja runs to build the extension, in order."""
    out = subprocess.run([tool("ninja"), "-C", str(build), "-t", "commands", "_core"],
                         check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def header_times(build) -> dict:
    return {p: p.stat().st_mtime_ns for p in sorted(build.rglob("*.h")) if "pybind11" in str(p)}


def test_a_new_isolated_environment_recompiles_nothing(tmp_path):
    installed = os.path.dirname(pybind11.__file__)
    first, second = tmp_path / "env1" / "pybind11", tmp_path / "env2" / "pybind11"
    shutil.copytree(installed, first)
    build = tmp_path / "build"
    configure(build, first)
    before, headers = commands(build), header_times(build)
    shutil.copytree(installed, second)   # the same headers, newer files, another path
    shutil.rmtree(first)                 # pip removes the old environment
    configure(build, second)
    after = commands(build)

    compiles = [c for c in after if " -c " in c]
    assert len(compiles) > 50, compiles[:3]
    objects = [c.split(" -o ")[1].split()[0] for c in compiles]
    in_cleared = [o for o in objects if o.startswith("CMakeFiles/")]
    assert not in_cleared, f"objects in the folder scikit-build-core clears: {in_cleared[:3]}"
    assert not [c for c in after if "env2" in c], "a command names the temporary pybind11"
    assert after == before, "commands changed with the environment (ninja would recompile)"
    assert headers and header_times(build) == headers, "the pybind11 header copies were rewritten"
