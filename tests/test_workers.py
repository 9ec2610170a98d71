"""Local worker processes (simulation.workers): order, errors, and a worker that dies mid-reply.

The last is the cause of the hang of issue 23: with the pool of ``concurrent.futures`` a
worker stopped while sending a result larger than a pipe's buffer left the pool's manager
thread waiting for ever on the rest of the message, and Python's exit waiting for that
thread. Each case runs in a fresh interpreter with a deadline, so a regression fails
instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from simulation.workers import for_each_result

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks; POSIX signals")


def _square(x: int) -> int:
    return x * x


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def _threads() -> set[int]:
    return {t.ident for t in threading.enumerate()}


def test_results_come_in_task_order_and_equal_the_serial_ones():
    got: list[int] = []
    before = _threads()  # (other tests in this process may have left threads of their own, e.g. Dask's)
    for_each_result(_square, list(range(25)), got.append, jobs=2)
    assert got == [x * x for x in range(25)]
    assert _threads() <= before  # no thread of ours left to wait for at exit


def test_an_error_in_a_worker_is_raised_here_with_where_it_happened():
    got: list[int] = []
    before = _threads()
    with pytest.raises(ValueError, match="three is not allowed") as info:
        for_each_result(_fail_on_three, list(range(8)), got.append, jobs=2)
    assert got == [0, 1, 2]
    assert any("in a worker process" in note for note in info.value.__notes__)
    assert _threads() <= before


def _python(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, start_new_session=True)  # its own group: killpg(0) stays in it


def test_a_worker_that_dies_in_the_middle_of_its_reply_breaks_the_run_at_once():
    # The worker writes the first 100 kB of a 4 MB reply and is killed: the reply can never be
    # read whole. The run must stop with BrokenProcessPool, and the interpreter exit at once.
    done = _python("""
        import os, signal, time
        from multiprocessing import connection
        from concurrent.futures.process import BrokenProcessPool
        from simulation.workers import for_each_result

        def die_while_replying(x):
            if x == 2:
                real = connection.Connection._send
                def half(self, buf, write=None):
                    if len(buf) > 1_000_000:
                        real(self, bytes(buf[:100_000]))
                        os.kill(os.getpid(), signal.SIGKILL)
                    return real(self, buf)
                connection.Connection._send = half
            return b"x" * 4_000_000

        t0 = time.monotonic()
        try:
            for_each_result(die_while_replying, list(range(6)), lambda r: None, jobs=2)
        except BrokenProcessPool:
            print("broken after", round(time.monotonic() - t0, 2))
    """, timeout=30)
    assert done.returncode == 0 and done.stdout.startswith("broken after"), done
    assert done.stderr == ""


def test_a_worker_killed_mid_reply_while_the_main_process_is_stopping_never_hangs_the_exit():
    # SIGTERM to the whole group: the workers die (some mid-reply), the main process stops
    # them and exits. Before issue 23 Python's exit then waited for ever.
    done = _python("""
        import os, signal, threading, time
        from simulation.interrupts import Interrupted, handlers
        from simulation.workers import for_each_result

        def big(x):
            time.sleep(0.05)
            return b"x" * 3_000_000

        replies = 0
        def take(r):
            global replies
            replies += 1
            if replies == 3:  # the workers are replying: stop the whole group now
                threading.Thread(target=os.killpg, args=(0, signal.SIGTERM)).start()
        with handlers(restore=False):
            try:
                for_each_result(big, list(range(200)), take, jobs=2)
            except Interrupted as exc:
                print("interrupted", exc.signum)
    """, timeout=30)
    assert done.stdout.strip() == f"interrupted {int(__import__('signal').SIGTERM)}", done
