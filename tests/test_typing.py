"""The typed API: python/satmip/_core.pyi names what the extension module has, and mypy
checks the package against that stub (mypy is a test extra; pyproject.toml [tool.mypy]).

The stub is generated, then its constants' values dropped (they depend on the build):

    pybind11-stubgen satmip._core -o python

Type errors that predate the check are listed in tests/mypy_baseline.txt (file, code,
message: no line numbers, so edits elsewhere in a file do not disturb it); any error not
listed there fails. Fix an error and its line may go.
"""
from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from collections import Counter

from helpers import REPO

from satmip import _core

STUB = REPO / "python" / "satmip" / "_core.pyi"
BASELINE = REPO / "tests" / "mypy_baseline.txt"
PYBIND_INTERNALS = {"_pybind11_conduit_v1_"}
ERROR = re.compile(r"^(?P<file>[^:]+):\d+: error: (?P<message>.*?)\s+\[(?P<code>[\w-]+)\]$")


def _public(names) -> set[str]:
    return {n for n in names if not (n.startswith("__") and n.endswith("__")) and n not in PYBIND_INTERNALS}


def _declared(body) -> set[str]:
    names = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def stub_names() -> dict[str, set[str]]:
    """{'': module-level names, class name: its members} as the stub declares them."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    names = {"": _declared(tree.body)}
    names.update((node.name, _declared(node.body)) for node in tree.body if isinstance(node, ast.ClassDef))
    return {k: _public(v) for k, v in names.items()}


def module_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {"": _public(n for n in dir(_core) if not inspect.ismodule(getattr(_core, n)))}
    for name in list(names[""]):
        obj = getattr(_core, name)
        if inspect.isclass(obj):
            names[name] = _public(dir(obj))
    return names


# Taken at import: conftest.py's autouse fixture wraps _core.SatSolver during each test.
MODULE_NAMES = module_names()


def test_stub_names_what_the_module_has():
    stub, module = stub_names(), MODULE_NAMES
    for scope in sorted(set(stub) | set(module)):
        where = f"_core.{scope}" if scope else "_core"
        missing, extra = module.get(scope, set()) - stub.get(scope, set()), stub.get(scope, set()) - module.get(scope, set())
        assert not missing, f"{where} has {sorted(missing)} that _core.pyi lacks (regenerate it, see this file)"
        assert not extra, f"_core.pyi declares {sorted(extra)} that {where} lacks (regenerate it, see this file)"


def mypy_errors() -> Counter:
    run = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(REPO / "build" / "mypy_cache"),
                          "--no-error-summary", "--show-error-codes", "--no-pretty"],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode in (0, 1), f"mypy did not run:\n{run.stdout}{run.stderr}"
    found = Counter()
    for line in run.stdout.splitlines():
        m = ERROR.match(line)
        if m:
            found[f"{m['file']}: [{m['code']}] {m['message']}"] += 1
    assert found or run.returncode == 0, run.stdout
    return found


def test_mypy_finds_no_new_errors():
    baseline = Counter(line for line in BASELINE.read_text(encoding="utf-8").splitlines()
                       if line.strip() and not line.startswith("#"))
    new = mypy_errors() - baseline
    assert not new, "mypy errors not in tests/mypy_baseline.txt:\n" + "\n".join(sorted(new.elements()))
