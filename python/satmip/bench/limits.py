"""Process limits and measurements for one run (Linux; portable fallbacks elsewhere).

Memory is capped twice: RLIMIT_AS in the child makes allocations fail (Python
raises MemoryError, C++ throws bad_alloc), and a watchdog in the parent sums
the resident memory of the run's process tree and kills it over the limit,
which also catches solvers whose virtual size is far above what they use.
"""
from __future__ import annotations

import os
import signal
import sys
from typing import Optional

# RLIMIT_AS counts address space, not memory used: Python, its libraries and
# per-thread arenas reserve far more than they touch. Give the address space
# this much headroom over the resident limit the watchdog enforces.
ADDRESS_SPACE_FACTOR = 2
ADDRESS_SPACE_SLACK_MB = 1024


# Runs start through this tiny launcher (python -S -c): it sets the limits and
# exec()s the real command. Doing it in a preexec_fn instead is unsafe while the
# harness runs jobs from several threads. On Linux the run also dies with the
# harness (PR_SET_PDEATHSIG), so a killed harness or Dask worker leaves no
# solver running on.
_LAUNCHER = (
    "import os, sys\n"
    "try:\n"
    "    import resource\n"
    "    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
    "    cap = int(sys.argv[1])\n"
    "    hard = resource.getrlimit(resource.RLIMIT_AS)[1]\n"
    "    if hard != resource.RLIM_INFINITY and cap > hard:\n"  # never above the hard limit
    "        cap = hard\n"
    "    if cap > 0:\n"
    "        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))\n"
    "except ImportError:\n"
    "    pass\n"
    "if sys.platform.startswith('linux'):\n"
    "    import ctypes, signal\n"
    "    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))\n"  # 1 = PR_SET_PDEATHSIG
    "    if os.getppid() != int(sys.argv[2]):\n"            # the harness died before that
    "        os._exit(137)\n"
    "os.execvp(sys.argv[3], sys.argv[3:])\n"
)


def hard_address_space_limit() -> Optional[int]:
    """This process's hard RLIMIT_AS in bytes (`ulimit -v`), None when unlimited."""
    try:
        import resource
    except ImportError:
        return None
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return None if hard == resource.RLIM_INFINITY else hard


def address_space_cap(memory_limit_mb) -> tuple[int, Optional[str]]:
    """(RLIMIT_AS for a run in bytes, 0 for none; a note when the hard limit lowered it).

    No process can raise its hard limit, so a run gets the lower of the cap the
    memory limit wants and the hard limit it inherits: asking for more would make
    every run fail at its start."""
    cap = 0
    if memory_limit_mb:
        cap = (int(memory_limit_mb) * ADDRESS_SPACE_FACTOR + ADDRESS_SPACE_SLACK_MB) << 20
    hard = hard_address_space_limit()
    if hard is None or not cap or cap <= hard:  # without a cap a run inherits the hard limit
        return cap, None
    return hard, (f"the address space of each run is clamped to the hard limit of {hard >> 20} MiB "
                  f"(ulimit -v), below the {cap >> 20} MiB its memory limit wants")


def limited_command(cmd: list, memory_limit_mb) -> list:
    """cmd wrapped so that it runs without core dumps and under the address-space cap.
    Start it with start_new_session=True so that kill_tree reaches all of it."""
    cap, _note = address_space_cap(memory_limit_mb)
    return [sys.executable, "-S", "-c", _LAUNCHER, str(cap), str(os.getpid())] + [str(c) for c in cmd]


def kill_tree(pid: int) -> None:
    """SIGKILL the run's whole process group (its session leader is pid)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, resident high-water mark) of one process, in MiB."""
    rss = hwm = 0.0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024.0
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return rss, hwm


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, sum of high-water marks) over pid and its descendants.

    High-water marks (VmHWM) catch peaks between two samples. The kernel's
    ru_maxrss is no use here: a child that fork()s and exec()s inherits the
    parent's peak, so every run would report at least the harness's size."""
    rss = hwm = 0.0
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        now, peak = _memory_mb(p)
        rss, hwm = rss + now, hwm + peak
        todo.extend(_children(p))
    return rss, hwm


def reap(pid: int):
    """Wait for pid; (exit code or -signal, CPU seconds of it and its waited-for
    descendants)."""
    _pid, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def exit_reason(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
