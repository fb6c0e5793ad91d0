"""The results file: append-only JSON Lines, one record per run, each flushed
and synced as the run ends, so a crash or Ctrl-C loses nothing finished."""
from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import warnings

from .records import load_records


def run_key(spec, instance, time_limit: float, memory_limit_mb) -> str:
    """Same solver (configuration and version), instance and limits -> same key."""
    text = json.dumps([spec.fingerprint(), instance.name, instance.kind,
                       float(time_limit), memory_limit_mb])
    return hashlib.sha1(text.encode()).hexdigest()[:20]


class ResultStore:
    def __init__(self, path: str):
        self.path = path
        self.lock = threading.Lock()

    def records(self) -> list[dict]:
        if not os.path.exists(self.path):
            return []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            records = load_records(self.path)
        for w in caught:
            print(f"satmip bench: {w.message}", file=sys.stderr)
        return records

    def append(self, record: dict) -> None:
        line = json.dumps(record, sort_keys=False) + "\n"
        with self.lock:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            with open(self.path, "a+b") as f:
                # A crash mid-write can leave a torn last line; start on a fresh one.
                if f.tell() > 0:
                    f.seek(-1, os.SEEK_END)
                    if f.read(1) != b"\n":
                        f.write(b"\n")
                f.write(line.encode())
                f.flush()
                os.fsync(f.fileno())
