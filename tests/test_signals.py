"""Stopping a run: SIGINT and SIGTERM, to the main process or its whole group, at any moment.

Real processes (``python -m simulation``) on small scenarios. Each run must stop within a few
seconds with status 130 (SIGINT) or 143 (SIGTERM) and one line; no worker process may be left
running, no hidden ``.NAME.partial-*``/``.NAME.old-*`` folder left behind, and the previous
results must be intact. A SIGKILLed main process cannot clean up, but its workers stop by
themselves and the next run removes what it left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import signal_helpers as sh

from simulation.export import MARKER, _unchanged, read_marker, write_results_folder

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; POSIX signals")

# Long enough to be interrupted while the workers are busy (about 10 s on 2 cores if left alone).
SLOW = """\
name = "slow"
[run]
days = 20
open = "00:00"
close = "24:00"
replications = 40
[[stations]]
name = "desk"
staff = 3
service = { dist = "exponential", mean = 10 }
[[arrivals]]
station = "desk"
per_hour = 15
"""

TINY = """\
name = "tiny"
[run]
days = 1
replications = 2
[[stations]]
name = "desk"
staff = 2
service = { dist = "exponential", mean = 5 }
[[arrivals]]
station = "desk"
per_hour = 10
"""


def _start(tmp_path: Path, text: str, out: Path, *extra: str) -> subprocess.Popen:
    scenario = tmp_path / "s.toml"
    scenario.write_text(text)
    return sh.start(scenario, out, *extra)


def _previous_results(out: Path) -> dict:
    write_results_folder(out, lambda folder: (folder / "summary.csv").write_text("policy,station\nold,desk\n"))
    (out / "notes.txt").write_text("mine")
    return read_marker(out)


def _assert_previous_intact(out: Path, files: dict) -> None:
    assert (out / "notes.txt").read_text() == "mine"
    assert read_marker(out) == files and all(_unchanged(out / n, r) for n, r in files.items())


@pytest.mark.parametrize("signum, to_group", [
    (signal.SIGTERM, False),  # kill PID, timeout, job schedulers
    (signal.SIGTERM, True),   # kill -- -PGID
    (signal.SIGINT, True),    # Ctrl-C in a terminal
    (signal.SIGINT, False),
], ids=["SIGTERM-main", "SIGTERM-group", "SIGINT-group", "SIGINT-main"])
def test_signal_during_a_parallel_run_stops_every_worker(tmp_path, signum, to_group):
    out = tmp_path / "res"
    files = _previous_results(out)
    proc = _start(tmp_path, SLOW, out, "--jobs", "2")
    sh.wait_for(lambda: len(sh.children(proc.pid)) >= 2, 30, "two workers", proc)
    workers = [sh.identity(w) for w in sh.children(proc.pid)]
    # Busy simulating: both workers have used the CPU.
    sh.wait_for(lambda: all(sh.cpu_ticks(w) > 0 for w, _ in workers), 30, "the workers to simulate", proc)
    sent = time.monotonic()
    if to_group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=15)
    assert time.monotonic() - sent < 5
    assert proc.returncode == 128 + signum
    assert err.count("\n") == 1 and err.startswith("loket: interrupted by SIG") and "nothing was written" in err, err
    sh.wait_for(lambda: not any(w and sh.alive(w) for w in workers), 5, "the workers to stop")
    assert sh.in_session(proc.pid) == []
    assert sh.hidden(tmp_path) == []
    _assert_previous_intact(out, files)


def test_sigterm_while_writing_the_results_folder(tmp_path):
    out = tmp_path / "res"
    files = _previous_results(out)
    proc = _start(tmp_path, TINY, out, "--jobs", "1")
    # The charts are being drawn: a chart has appeared in the folder being written.
    sh.wait_for(lambda: sh.drawing(tmp_path, "res"), 60, "the charts to be drawn", proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=15)
    assert sh.hidden(tmp_path) == []
    assert err.count("\n") == 1, err
    if proc.returncode == 0:  # pragma: no cover - finished before the signal: allowed, but not what we test
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == 143
    if "nothing was written" in err:
        _assert_previous_intact(out, files)
    else:  # the signal arrived during the final move: held until it was complete
        assert "written completely" in err and (out / "visits.csv").exists()
        assert (out / "notes.txt").read_text() == "mine"


def test_sigkill_leaves_no_worker_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "res"
    proc = _start(tmp_path, SLOW, out, "--jobs", "2")
    sh.wait_for(lambda: len(sh.children(proc.pid)) >= 2, 30, "two workers", proc)
    workers = [sh.identity(w) for w in sh.children(proc.pid)]
    proc.kill()
    proc.communicate(timeout=10)
    sh.wait_for(lambda: not any(w and sh.alive(w) for w in workers), 5, "the orphaned workers to stop by themselves")
    # What a killed run may leave: its lock file (no lock held any more). The next run goes ahead.
    proc = _start(tmp_path, TINY, out, "--jobs", "1")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert sh.hidden(tmp_path) == [] and (out / MARKER).exists()


def test_concurrent_runs_into_one_folder_end_with_one_complete_result(tmp_path):
    out = tmp_path / "res"
    procs = [_start(tmp_path, TINY, out, "--jobs", "1", "--seed", str(seed)) for seed in (1, 2, 3)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    codes = [code for code, _ in results]
    assert 0 in codes and set(codes) <= {0, 2}, results
    for code, err in results:
        if code == 2:
            assert err.count("\n") == 1 and "another Loket process" in err and "is writing this results folder" in err
    files = read_marker(out)
    assert files and all(_unchanged(out / name, rec) for name, rec in files.items())
    assert sh.hidden(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_loket_is_still_starting_is_one_line(tmp_path, signum):
    # Within the first moments the command line is still importing pandas and matplotlib:
    # the entry point handles signals from the first instant, so this is one line too.
    out = tmp_path / "res"
    proc = _start(tmp_path, SLOW, out, "--jobs", "1")
    # Loket's entry point has installed its handlers (Python itself never catches SIGTERM); a
    # signal before Python runs any code at all kills any program. What is tested is everything
    # after that, the imports included.
    sh.wait_for(lambda: sh.catches_sigterm(proc.pid), 20, "the handlers", proc)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum
    assert err.count("\n") == 1 and err.startswith("loket: interrupted by SIG") and "Traceback" not in err, err
    assert not out.exists() and sh.hidden(tmp_path) == []
