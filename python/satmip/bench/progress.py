"""A live progress line on a terminal (runs done, solved, wrong, ETA); one line
per finished run when the output is a log file instead."""
from __future__ import annotations

import sys
import time

from .records import SOLVED


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    def __init__(self, total: int, stream=None, enabled: bool = True):
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = self.solved = self.wrong = self.failed = 0
        self.t0 = time.monotonic()

    def update(self, record: dict) -> None:
        self.done += 1
        status = record["status"]
        self.solved += status in SOLVED
        self.wrong += status == "WRONG"
        self.failed += status in ("ERROR", "MEMOUT")
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self._bar() + "\x1b[K")
        else:
            t = record.get("time")
            shown = f"{t:.2f} s" if t is not None else "-"
            self.stream.write(f"[{self.done}/{self.total}] {record['solver']} {record['instance']} "
                              f"{status} {shown}  ETA {self._eta()}\n")
        self.stream.flush()

    def _eta(self) -> str:
        elapsed = time.monotonic() - self.t0
        left = self.total - self.done
        return _clock(elapsed / self.done * left) if self.done else "?"

    def _bar(self, width: int = 24) -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * width))
        wrong = f", {self.wrong} WRONG" if self.wrong else ""
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} runs, "
                f"{self.solved} solved{wrong}, {self.failed} errors, "
                f"{_clock(time.monotonic() - self.t0)} elapsed, ETA {self._eta()}")

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
