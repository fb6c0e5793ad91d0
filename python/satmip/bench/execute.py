"""Run jobs on local worker threads (each drives one child process) or on a
Dask cluster; either way every finished record comes back to the caller, which
alone writes the results file. Other job runners reuse it with their own `run`
(a picklable function job -> record) and, for work done in Python itself,
`processes=True` (satmip.learn.make_dataset)."""
from __future__ import annotations

import traceback
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from typing import Callable, Optional

from .runner import kill_all_runs, run_job


def safe_run_job(job: dict) -> dict:
    """run_job, with a bug in the harness itself recorded rather than raised."""
    try:
        return run_job(job)
    except Exception as exc:  # noqa: BLE001 - the run must become a record
        from .runner import _base_record
        record = _base_record(job)
        record.update(status="ERROR", error=f"harness error: {type(exc).__name__}: {exc}\n"
                                            + traceback.format_exc(limit=4))
        return record


def execute(jobs: list, workers: int, on_record: Callable[[dict], None],
            dask: Optional[str] = None, run: Callable[[dict], dict] = safe_run_job,
            processes: bool = False) -> None:
    if not jobs:
        return
    if dask:
        _execute_dask(jobs, workers, on_record, dask, run)
    else:
        _execute_local(jobs, workers, on_record, run, processes)


def _execute_local(jobs, workers, on_record, run, processes) -> None:
    pool = (ProcessPoolExecutor(max_workers=workers) if processes
            else ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench"))
    pending = set()
    todo = iter(jobs)
    try:
        # Submit lazily so Ctrl-C leaves no queue of jobs behind.
        for job in todo:
            pending.add(pool.submit(run, job))
            if len(pending) >= workers:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_record(future.result())
                job = next(todo, None)
                if job is not None:
                    pending.add(pool.submit(run, job))
    except BaseException:
        kill_all_runs()
        for future in pending:
            future.cancel()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _execute_dask(jobs, workers, on_record, address: str, run) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RuntimeError("--dask needs dask.distributed (pip install 'satmip[bench]')") from None
    cluster = None
    if address == "local":
        # One single-threaded worker process per job slot: one run per core.
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    futures, token = [], uuid.uuid4().hex[:8]
    try:
        prefix = "bench" if run is safe_run_job else run.__name__
        futures = [client.submit(run, job, pure=False, key=f"satmip-{prefix}-{job['key']}-{token}")
                   for job in jobs]
        for future in as_completed(futures):
            on_record(future.result())
    except BaseException:
        client.cancel(futures)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
