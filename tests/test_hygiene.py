"""The test suite itself: a test never hard-codes a machine's path, and a test that
skips for want of the shared benchmark folder says what is missing and how to point to it
(helpers.missing_shared), rather than a bare "not found"."""
from __future__ import annotations

import ast
import re

import pytest

from helpers import REPO

TEST_FILES = sorted((REPO / "tests").glob("*.py"))
MACHINE_PATH = re.compile(r"^(/work|/home|/root|/Users|/mnt|/opt|/srv)/")
ABOUT_SHARED = re.compile(r"benchmark|shared", re.I)


def _strings(node) -> list[str]:
    """The literal text of a str constant or f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value for v in node.values if isinstance(v, ast.Constant))]
    return []


def _skip_reasons(tree) -> list[tuple[int, str]]:
    """(line, text) of each pytest.skip(...) message and reason= keyword."""
    reasons = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if ast.unparse(node.func) == "pytest.skip" and node.args:
                reasons += [(node.lineno, s) for s in _strings(node.args[0])]
            reasons += [(node.lineno, s) for kw in node.keywords if kw.arg == "reason" for s in _strings(kw.value)]
    return reasons


@pytest.mark.parametrize("path", TEST_FILES, ids=[p.name for p in TEST_FILES])
def test_no_machine_paths(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [(n.lineno, n.value) for n in ast.walk(tree)
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and MACHINE_PATH.match(n.value)]
    assert not found, f"{path.name}: paths of one machine {found} (use helpers.REPO, shared_benchmarks, tmp_path)"


@pytest.mark.parametrize("path", TEST_FILES, ids=[p.name for p in TEST_FILES])
def test_shared_folder_skips_say_what_is_missing(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = [(line, text) for line, text in _skip_reasons(tree) if ABOUT_SHARED.search(text)]
    assert not bare, f"{path.name}: skip reasons {bare}: use helpers.missing_shared(path)"


def test_conftest_requires_what_the_test_extras_install():
    """conftest.TEST_EXTRAS (checked at session start) and pyproject's `test` extras name
    the same packages, scipy (Incidence.to_scipy, sparse Model.from_arrays) and mypy
    (test_typing.py) among them."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    from conftest import TEST_EXTRAS

    with open(REPO / "pyproject.toml", "rb") as f:
        extras = tomllib.load(f)["project"]["optional-dependencies"]["test"]
    installed = {re.split(r"[<>=!~; ]", spec, maxsplit=1)[0].lower() for spec in extras}
    required = {pkg.lower() for pkg in TEST_EXTRAS.values()}
    assert required <= installed, f"conftest requires {sorted(required - installed)} that [test] lacks"
    assert {"scipy", "mypy"} <= required
