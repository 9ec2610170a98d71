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
import multiprocessing.connection
import os
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
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


class _Worker:
    """One worker process and this process's end of its pipe (tasks go in, results come back)."""

    def __init__(self, context, fn, parent: int):
        # Forked workers inherit every descriptor of this process. The worker's end of its
        # pipe must be held by the worker alone, so that a worker that dies leaves its pipe
        # with no writer and a read from it ends (EOFError) instead of waiting for ever: it is
        # closed here right after the fork, and no other thread (the web page runs one per
        # browser tab) forks in between. Each worker closes, first thing, this process's ends
        # of the pipes it inherited, its own included.
        with _forking:
            self.conn, child = context.Pipe(duplex=True)
            _open_ends.add(self.conn.fileno())
            inherited = sorted(_open_ends) if context.get_start_method() == "fork" else []
            self.process = context.Process(target=_worker_main, args=(child, fn, parent, inherited),
                                           name="loket-worker", daemon=True)
            try:
                self.process.start()
            finally:
                child.close()
        self.task: int | None = None  # the index of the task it is working on

    def close(self) -> None:
        with _forking:
            _open_ends.discard(self.conn.fileno())
            self.conn.close()


_forking = threading.Lock()
_open_ends: set[int] = set()
"""This process's ends of the pipes of live workers (each worker forked later closes them)."""


def _in_processes(fn, tasks, consume, jobs: int, context=None) -> None:
    """``jobs`` worker processes, fed and read by this thread alone.

    The pool of :mod:`concurrent.futures` was used here before (issue 23): its manager thread
    reads the results. A worker stopped (SIGTERM to the group, or our own stop on Ctrl-C)
    while sending a result larger than a pipe's buffer left that thread blocked for ever on
    the rest of the message (the write end stays open in this process), and Python's exit
    joins that thread: ``loket`` printed its line and never exited. Here there is no thread to
    wait for, and each worker's pipe has one writer, the worker: its death ends any read.
    """
    context = context or multiprocessing.get_context()
    workers: list[_Worker] = []
    pending: dict[int, Any] = {}  # finished out of order, waiting for the tasks before them
    sent = taken = 0
    ahead = 2 * jobs  # tasks sent but not yet consumed: bounds what waits in ``pending``
    try:
        # Workers are forked while a signal is held (an exception raised inside a fork
        # handler would be lost); they ignore SIGINT and die on SIGTERM.
        with deferred():
            for _ in range(min(jobs, len(tasks))):
                workers.append(_Worker(context, fn, os.getpid()))
        while taken < len(tasks):
            for w in workers:
                if w.task is None and sent < len(tasks) and sent - taken < ahead:
                    w.conn.send((sent, tasks[sent]))
                    w.task = sent
                    sent += 1
            busy = [w for w in workers if w.task is not None]
            # Not for ever: a signal whose exception was lost (see interrupts.check) still stops the run.
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                                                    timeout=0.5)
            check_interrupted()
            for w in busy:
                if w.conn in ready or w.process.sentinel in ready:
                    pending[w.task] = _receive(w)
                    w.task = None
            while taken in pending:
                consume(_outcome(pending.pop(taken)))
                taken += 1
                check_interrupted()
        for w in workers:
            w.conn.send(None)  # done: the worker returns and exits
        for w in workers:
            w.process.join(5.0)
    finally:
        _stop_workers(workers)


def _receive(w: _Worker):
    """The worker's reply; a worker that died mid-reply (or with none) is :class:`BrokenProcessPool`."""
    if w.process.exitcode is not None:
        # Dead: what it wrote is all there will be. Read it without waiting, so half a
        # message raises at once instead of waiting for the rest.
        os.set_blocking(w.conn.fileno(), False)
    try:
        return w.conn.recv()
    except (EOFError, OSError):
        w.process.join(1.0)
        raise BrokenProcessPool(f"a worker process stopped while working (exit status {w.process.exitcode})"
                                ) from None


def _outcome(message):
    ok, value = message
    if ok:
        return value
    raise value


def _worker_main(conn, fn, parent: int, inherited: list[int]) -> None:
    """A worker process: run tasks from ``conn`` until told to stop, send back each result."""
    for fd in inherited:
        if fd != conn.fileno():
            try:
                os.close(fd)
            except OSError:
                pass
    _worker_start(parent)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the main process is gone or has stopped us
        if message is None:
            return
        index, task = message
        try:
            reply = (True, fn(task))
        except BaseException as exc:  # sent back and raised in the main process
            exc.add_note("".join(["in a worker process:\n", *traceback.format_exception(exc)]).rstrip())
            reply = (False, exc)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the result or error could not be pickled
            conn.send((False, RuntimeError(f"task {index}: cannot send the result back: {exc!r}")))


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


def _stop_workers(workers: list[_Worker], grace: float = 3.0) -> None:
    """Stop every worker still running (SIGTERM, then SIGKILL after ``grace`` seconds), wait
    for each, and close this process's ends of their pipes. Nothing else is waited for."""
    for w in workers:
        if w.process.exitcode is None:
            w.process.terminate()
    deadline = time.monotonic() + grace
    for w in workers:
        w.process.join(max(0.0, deadline - time.monotonic()))
    for w in workers:
        if w.process.exitcode is None:
            w.process.kill()
            w.process.join(1.0)
    for w in workers:
        w.close()
        try:
            w.process.close()
        except ValueError:  # still running after SIGKILL (uninterruptible sleep): the OS reaps it
            pass


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
