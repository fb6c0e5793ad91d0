"""What every shipped model file of satmip.learn shares: where the package keeps it,
the first checks of a file before its format's own, and a cache of checked files.
Used by the phase model (predict) and the branching models (branch_format); numpy-free
so that importing it costs nothing."""
from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def shipped_candidates(relative: Path) -> list:
    """Where models/RELATIVE may be: the source tree's models/ first (an editable
    install, whose package folders may hold an older copy), then satmip/models/ in each
    folder of the package (an installed wheel; CMakeLists.txt installs models/ there)."""
    import satmip
    source_root = Path(__file__).resolve().parents[3]  # python/satmip/learn -> the repository
    candidates = []
    if (source_root / "pyproject.toml").is_file() and (source_root / "python" / "satmip").is_dir():
        candidates.append(source_root / "models" / relative)
    candidates += [Path(folder) / "models" / relative for folder in satmip.__path__]
    return candidates


def require_npz_file(path: str, kind: str) -> None:
    """The checks before a format's own: a directory or an unreadable file raise their
    OSError (naming the file), anything but a zip archive ValueError "PATH: not a KIND
    (not an .npz file)"."""
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    with open(path, "rb"):      # an unreadable file is its OSError, not "not an .npz"
        pass
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path}: not a {kind} (not an .npz file)")


def cached_load(cache: dict, path, check: Callable[[str], T], capacity: int) -> T:
    """check(path), remembered by path, size and modification time (a rewritten file is
    checked again); the cache is emptied when it holds `capacity` files. os.stat's
    FileNotFoundError / PermissionError name the file."""
    path = os.fspath(path)
    stat = os.stat(path)
    key = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns)
    if key not in cache:
        if len(cache) >= capacity:
            cache.clear()
        cache[key] = check(path)
    return cache[key]
