"""satmip solver hooks: a function(solver, cnf) run after the formula is loaded
and before search, inside the timed region (so a phase model's inference time
counts). Named "module:function" (importable) or "path/to/file.py:function"."""
from __future__ import annotations

import importlib
import importlib.util
import os


def load_hook(text: str):
    target, sep, func = text.rpartition(":")
    if not sep or not target or not func:
        raise ValueError(f"hook '{text}' is not 'module:function' or 'file.py:function'")
    if target.endswith(".py"):
        if not os.path.isfile(target):
            raise ImportError(f"no file {target}")
        spec = importlib.util.spec_from_file_location(f"satmip_bench_hook_{abs(hash(target))}", target)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
    hook = getattr(module, func)
    if not callable(hook):
        raise TypeError(f"hook '{text}' is not callable")
    return hook


def resolve_hook_path(text: str, base_dir: str) -> str:
    """A file hook given relative to a configuration file, made absolute."""
    target, sep, func = text.rpartition(":")
    if sep and target.endswith(".py") and not os.path.isabs(target):
        return os.path.normpath(os.path.join(base_dir, target)) + ":" + func
    return text
