"""One (solver, instance) run, start to judged record: the unit of work that
local worker threads and Dask workers execute alike (``run_job``)."""
from __future__ import annotations

import json
import os
import platform
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from typing import Optional

from . import limits
from .judge import job_output_limit_mb, judge

# How often the memory watchdog samples the run's resident memory.
WATCH_INTERVAL_S = 0.1


class _Live:
    """Process groups running now, so Ctrl-C can kill them all."""
    lock, pids = threading.Lock(), set()

    @classmethod
    def add(cls, pid):
        with cls.lock:
            cls.pids.add(pid)

    @classmethod
    def discard(cls, pid):
        with cls.lock:
            cls.pids.discard(pid)

    @classmethod
    def kill_all(cls):
        with cls.lock:
            for pid in list(cls.pids):
                limits.kill_tree(pid)


kill_all_runs = _Live.kill_all


class Watch:
    """What the parent saw of a run: messages by phase, when they came, whether
    and why it killed the run, the highest tree RSS it sampled."""

    def __init__(self):
        self.msgs, self.arrived = {}, {"start": time.monotonic()}
        self.killed_for: Optional[str] = None   # "timeout", "memout", "read"
        self.killed_in: Optional[str] = None
        self.peak_rss_mb = 0.0
        self.ended = None


def _follow(proc, fd: Optional[int], allowances: dict, memory_limit_mb,
            log_path: str, output_limit_mb) -> Watch:
    """Read phase messages (if a pipe is given) until the run exits; kill it
    when a phase overruns its allowance, its memory passes the limit or its
    output (stdout and stderr, in a file) passes its cap."""
    watch, phase, buf = Watch(), "start", b""
    while True:
        now = time.monotonic()
        rss, high_water = limits.tree_memory_mb(proc.pid)
        watch.peak_rss_mb = max(watch.peak_rss_mb, high_water)
        if memory_limit_mb and rss > memory_limit_mb:
            return _kill(proc, watch, "memout", phase)
        if _size_mb(log_path) > output_limit_mb:
            return _kill(proc, watch, "output", phase)
        deadline = watch.arrived[phase] + allowances.get(phase, allowances["other"])
        if now >= deadline:
            return _kill(proc, watch, "read" if phase == "start" and fd is not None else "timeout", phase)
        wait = min(WATCH_INTERVAL_S, deadline - now)
        if fd is None:
            # Peek without reaping: reap() needs the exit status and rusage.
            if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                break
            time.sleep(wait)
            continue
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:  # the pipe closed: the child has exited
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for line in lines:
            msg = json.loads(line)
            phase = msg["phase"]
            watch.msgs[phase] = msg
            watch.arrived[phase] = time.monotonic()
    watch.ended = time.monotonic()
    return watch


def _size_mb(path: str) -> float:
    try:
        return os.path.getsize(path) / (1 << 20)
    except OSError:
        return 0.0


def _kill(proc, watch: Watch, why: str, phase: str) -> Watch:
    limits.kill_tree(proc.pid)
    watch.killed_for, watch.killed_in, watch.ended = why, phase, time.monotonic()
    return watch


def _launch(cmd: list, memory_limit_mb, log, pass_fds=()):
    return subprocess.Popen(limits.limited_command(cmd, memory_limit_mb), stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT if log is not None else None,
                            pass_fds=pass_fds, start_new_session=True)


def _run_python_child(job: dict, workdir: str) -> tuple[Watch, dict]:
    job_file = os.path.join(workdir, "job.json")
    with open(job_file, "w") as f:
        json.dump({"spec": job["spec"], "path": job["instance"]["path"], "kind": job["instance"]["kind"],
                   "time_limit": job["time_limit"], "workdir": workdir}, f)
    read_fd, write_fd = os.pipe()
    log_path = os.path.join(workdir, "log.txt")
    with open(log_path, "wb") as log:
        cmd = [sys.executable, "-m", "satmip.bench.child", job_file, str(write_fd)]
        proc = _launch(cmd, job["memory_limit_mb"], log, pass_fds=(write_fd,))
    os.close(write_fd)
    allowances = {"start": job["read_limit_s"], "parsed": job["time_limit"] + job["grace_s"],
                  "other": job["read_limit_s"]}
    return _supervise(proc, read_fd, allowances, job, log_path)


def _run_command(job: dict, workdir: str) -> tuple[Watch, dict]:
    spec = job["spec"]
    fields = {"instance": job["instance"]["path"], "proof": os.path.join(workdir, "proof"),
              "time_limit": f"{job['time_limit']:g}", "memory_limit_mb": str(job["memory_limit_mb"] or 0),
              "seed": str(spec["seed"])}
    cmd = [arg.format(**fields) for arg in spec["command"]]
    out_path = os.path.join(workdir, "stdout.txt")
    with open(out_path, "wb") as out:
        proc = _launch(cmd, job["memory_limit_mb"], out)
    allowances = {"start": job["time_limit"] + job["grace_s"], "other": job["time_limit"]}
    return _supervise(proc, None, allowances, job, out_path)


def _supervise(proc, fd, allowances, job, log_path) -> tuple[Watch, dict]:
    _Live.add(proc.pid)
    try:
        watch = _follow(proc, fd, allowances, job["memory_limit_mb"], log_path, job_output_limit_mb(job))
        code, cpu = limits.reap(proc.pid)
        proc.returncode = code
        limits.kill_tree(proc.pid)  # stray grandchildren of a run that exited
    finally:
        _Live.discard(proc.pid)
        if fd is not None:
            os.close(fd)
    reported = watch.msgs.get("done", {}).get("peak_rss_mb")  # the child's own, at its end
    watch.peak_rss_mb = max(watch.peak_rss_mb, reported or 0.0)
    return watch, {"returncode": code, "cpu": cpu, "log_path": log_path}


def _base_record(job: dict) -> dict:
    inst, spec = job["instance"], job["spec"]
    return {"key": job["key"], "solver": spec["label"], "instance": inst["name"],
            "family": inst["family"], "kind": inst["kind"], "expected": inst["expected"],
            "optimal_objective": inst["optimal_objective"], "status": None, "answer": None,
            "time": None, "wall": None, "cpu": None, "peak_rss_mb": None,
            "time_limit": job["time_limit"], "memory_limit_mb": job["memory_limit_mb"],
            "objective": None, "dual_bound": None, "stats": {}, "verified": "none",
            "error": None, "host": platform.node(),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "version": spec["version"]}


def run_job(job: dict) -> dict:
    """Run one job in a fresh process, kill it at its limits, judge its answer."""
    record = _base_record(job)
    if not os.path.isfile(job["instance"]["path"]):
        record.update(status="ERROR", wall=0.0, cpu=0.0, peak_rss_mb=0.0,
                      error=f"instance file not found: {job['instance']['path']}")
        return record
    workdir = tempfile.mkdtemp(prefix="satmip-bench-")
    try:
        t0 = time.monotonic()
        runner = _run_command if job["spec"]["kind"] == "command" else _run_python_child
        watch, proc_info = runner(job, workdir)
        record.update(wall=round(watch.ended - t0, 3), cpu=round(proc_info["cpu"], 3),
                      peak_rss_mb=round(watch.peak_rss_mb, 1))
        judge(job, record, watch, proc_info, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return record
