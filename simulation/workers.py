"""Where the simulations run: in this process, in local worker processes, or on a Dask cluster.

A replication (or a sweep point, or an office of a city) is a pure function of its task:
the scenario, the seed and its number. So the work can be spread over any number of
processes or machines and still give the same tables, as long as the results are taken in
the order of the tasks. :func:`for_each_result` does exactly that, whatever runs the tasks:

- ``jobs=1``: one after the other, here;
- ``jobs=n``: ``n`` local worker processes (forked; they ignore Ctrl-C and never outlive
  this process, see :mod:`simulation.interrupts`);
- ``scheduler="tcp://host:8786"``: the workers of an existing Dask distributed cluster
  (``pip install 'loket[dask]'``; the workers need Loket installed too).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from .interrupts import check as check_interrupted
from .interrupts import deferred, in_worker

__all__ = ["SchedulerError", "for_each_result", "dask_missing"]

_CONNECT_SECONDS = 10


class SchedulerError(RuntimeError):
    """A Dask scheduler was asked for but cannot be used (Dask missing, scheduler unreachable)."""


def dask_missing() -> str | None:
    """Why ``--scheduler`` cannot work here (None if Dask's distributed scheduler is installed)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return "needs Dask's distributed scheduler: pip install 'loket[dask]'"
    return None


def for_each_result(
    fn: Callable[[Any], Any],
    tasks: Sequence,
    consume: Callable[[Any], None],
    jobs: int = 1,
    scheduler: str | None = None,
    inherit: bool = False,
) -> None:
    """Compute ``fn(task)`` for every task and hand each result to ``consume``, in task order.

    Results are consumed as soon as they and all before them are done, so the caller can
    write them out and forget them: at most the results of the tasks in flight are held.
    An exception (or Ctrl-C) stops every worker before it goes on.

    ``inherit=True``: ``fn`` reads data this process holds (too big to send with each
    task), so the workers must be forked from it; where processes cannot be forked, the
    tasks run here one after the other.
    """
    if scheduler:
        _on_dask(fn, tasks, consume, scheduler)
    elif jobs <= 1 or len(tasks) <= 1 or (inherit and "fork" not in multiprocessing.get_all_start_methods()):
        for task in tasks:
            consume(fn(task))
            check_interrupted()
    else:
        _in_processes(fn, tasks, consume, jobs, multiprocessing.get_context("fork") if inherit else None)


def _in_processes(fn, tasks, consume, jobs: int, context=None) -> None:
    # Workers ignore SIGINT and die on SIGTERM; on any interruption here (Ctrl-C, SIGTERM
    # turned into an exception by the command line, an error) every worker is stopped
    # before the exception goes on, so none is left running or waited for at exit.
    # Workers are forked while the tasks are submitted: a signal then is held until all
    # are (an exception raised inside a fork handler would be lost).
    pool = None
    try:
        with deferred():
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(os.getpid(),),
                                       mp_context=context)
            done = pool.map(fn, tasks)
        for result in done:
            consume(result)
            check_interrupted()
        pool.shutdown(wait=True)
    except BaseException:
        if pool is not None:
            _stop_workers(pool)
        raise


def _worker_start(parent: int) -> None:
    """In each worker process: leave signals to the main process, and never outlive it."""
    in_worker()
    threading.Thread(target=_watch_parent, args=(parent,), name="loket-watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    # If the main process dies without stopping us (SIGKILL, a crash), we are adopted by
    # another process: stop within a second instead of waiting for work forever.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _stop_workers(pool: ProcessPoolExecutor, grace: float = 3.0) -> None:
    """Stop every worker now (SIGTERM, then SIGKILL after ``grace`` seconds) and wait for them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + grace
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in processes:
        if p.is_alive():
            p.kill()
            p.join(1.0)


# One client per scheduler address for the life of the process: connecting costs about a
# second, and a sweep or a city runs many scenarios one after the other.
_clients: dict[str, Any] = {}


def dask_client(address: str):
    """A connected client of the Dask scheduler at ``address`` (kept for later calls)."""
    missing = dask_missing()
    if missing:
        raise SchedulerError(f"--scheduler {missing}")
    from distributed import Client

    client = _clients.get(address)
    if client is not None and client.status == "running":
        return client
    try:
        client = Client(address, timeout=_CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from None
    _clients[address] = client
    return client


def close_clients() -> None:
    """Disconnect from every Dask scheduler (the cluster itself goes on)."""
    while _clients:
        _, client = _clients.popitem()
        try:
            client.close()
        except Exception:  # noqa: BLE001 - closing is best effort; the work is done
            pass


def _on_dask(fn, tasks, consume, address: str) -> None:
    client = dask_client(address)
    # pure=False: every task is run, never taken from a cache of an earlier identical call.
    futures = client.map(fn, list(tasks), pure=False)
    try:
        for future in futures:
            # Wait by looking, not with result(timeout=...): a result arriving just as that timeout
            # fires is lost to an UnboundLocalError inside distributed (dask/distributed#8514).
            while not future.done():
                check_interrupted()  # keep Ctrl-C responsive while the cluster works
                time.sleep(0.02)
            result = future.result()
            future.release()  # the cluster can forget it: memory stays bounded by the tasks in flight
            consume(result)
            check_interrupted()
    except BaseException:
        client.cancel(futures)
        raise
