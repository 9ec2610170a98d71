"""Watching a ``loket`` process from outside, for the signal tests: its states, its processes.

Every wait here is for a *state* of the process — its signal handlers installed, its
results folder locked, its workers using the CPU, the hidden ``.NAME.partial-*`` folder
appearing, a chart appearing in it — polled every few milliseconds up to a generous
deadline; never a fixed number of milliseconds. Linux only (reads ``/proc``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import simulation

# The code under test is this checkout's, whatever is installed elsewhere.
_HERE = str(Path(simulation.__file__).resolve().parent.parent)


def stat(pid: int) -> list[str] | None:
    """``/proc/PID/stat`` after the command name: state, ppid, pgrp, session, ... (None if gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def identity(pid: int) -> tuple[int, str] | None:
    """``(pid, start time)``: a process, not just a number that the system may give to another later."""
    fields = stat(pid)
    return (pid, fields[19]) if fields else None


def alive(ident: tuple[int, str]) -> bool:
    """The process ``ident`` still exists and is not a zombie."""
    fields = stat(ident[0])
    return fields is not None and fields[19] == ident[1] and fields[0] != "Z"


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat(int(entry))
            if fields and int(fields[1]) == pid:
                out.append(int(entry))
    return out


def in_session(sid: int) -> list[int]:
    """Every live process of session ``sid`` (a run started with ``start_new_session``: it and its workers)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat(int(entry))
            if fields and int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry))
    return out


def cpu_ticks(pid: int) -> int:
    fields = stat(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0


def wait_for(condition, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    """Poll ``condition`` until true; fail after ``timeout`` seconds, or when ``proc`` has exited first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process exited ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def catches_sigterm(pid: int) -> bool:
    """The process has a handler for SIGTERM (Python never does by itself: Loket's entry point has run)."""
    try:
        caught = next(int(line.split()[1], 16) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def partial_folders(parent: Path, name: str) -> list[Path]:
    return [p for p in parent.glob(f".{name}.partial-*")]


def drawing(parent: Path, name: str) -> bool:
    """A chart has appeared in the folder being written: the charts are being drawn."""
    return any(any(p.glob("*.png")) for p in partial_folders(parent, name))


def start(scenario: Path, out: Path, *extra: str) -> subprocess.Popen:
    """``python -m simulation run SCENARIO --out OUT --quiet ...`` in a session of its own, so
    that a signal to "the group" reaches Loket and its workers, not pytest."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_HERE, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "simulation", "run", str(scenario), "--out", str(out), "--quiet",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
