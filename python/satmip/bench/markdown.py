"""Markdown result files shared by several benchmarks: each benchmark owns a
section between two marker comments, rewritten in place on every run, so one
file (bench/RESULTS.md) collects them all and the prose around them stays."""
from __future__ import annotations

import os
import platform


def write_section(path: str, begin: str, end: str, text: str) -> None:
    """Replace the section between the markers, append one, or create the file."""
    block = f"{begin}\n{text.rstrip()}\n{end}\n"
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if old is not None and begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1].lstrip("\n")
    elif old is not None:
        new = old.rstrip("\n") + "\n\n" + block
    else:
        new = block
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def machine_description() -> str:
    """CPU model, core count and Python version, for report headers."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"
