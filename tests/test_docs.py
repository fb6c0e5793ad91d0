"""Documentation that runs: every code block of README.md, docs/guide.md and docs/learning.md, as written.

A ```python block runs (the blocks of one file in order, in one namespace, as a reader
would paste them); a ```bash block runs in bash and must end with status 0 and write
nothing to standard error (a block that shows an exit status echoes it). Both run in
a scratch folder that sees the repository's `tests/` and `bench/`, so the examples use
the bundled instances by their paths from a clone and may write files. A block that must
not run here (it installs, builds, or runs for an hour) carries the marker line

    <!-- not run: REASON -->

right above its fence; Python blocks may not. Blocks in other languages (text, toml)
are not code.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO

DOCUMENTS = ["README.md", "docs/guide.md", "docs/learning.md"]
RUNNABLE = {"python", "bash"}
FENCE = re.compile(r"(?:^<!-- not run: (?P<why>[^>]+?) -->\n)?^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```[ \t]*$",
                   re.M | re.S)


def code_blocks(document: str) -> list[tuple[int, str, str, str | None]]:
    """(line, language, body, reason not run or None) of each fenced block."""
    text = (REPO / document).read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start("body")), m["lang"], m["body"], m["why"])
            for m in FENCE.finditer(text)]


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    for name in ("tests", "bench"):
        (tmp_path / name).symlink_to(REPO / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_fences_are_found():
    """The extractor sees the README's blocks (so an edit of the pattern cannot
    silently test nothing)."""
    blocks = code_blocks("README.md")
    assert sum(lang == "python" for _, lang, _, _ in blocks) >= 2
    assert any(lang == "bash" for _, lang, _, _ in blocks)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_python_blocks_run(document, scratch):
    namespace: dict = {"__name__": "__docs__"}
    blocks = [b for b in code_blocks(document) if b[1] == "python"]
    assert blocks, f"{document} has no Python blocks"
    for line, _, body, why in blocks:
        assert why is None, f"{document}:{line}: a Python block must run (not run: {why})"
        try:
            exec(compile(body, f"{document}:{line}", "exec"), namespace)
        except Exception as err:  # name the block, keep the traceback
            raise AssertionError(f"{document}: the Python block at line {line} fails: {err!r}") from err


@pytest.mark.parametrize("document", DOCUMENTS)
def test_bash_blocks_run(document, scratch):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for line, lang, body, why in code_blocks(document):
        if lang != "bash" or why is not None:
            continue
        run = subprocess.run(["bash", "-o", "pipefail", "-c", body], cwd=scratch, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0 and not run.stderr.strip(), \
            f"{document}: the bash block at line {line} ends with status {run.returncode}:\n{run.stderr}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_blocks_have_a_language(document):
    """An unlabelled fence would escape the test: each says what it holds."""
    unlabelled = [line for line, lang, _, _ in code_blocks(document) if not lang]
    assert not unlabelled, f"{document}: blocks without a language at lines {unlabelled}"
