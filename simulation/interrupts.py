"""Stopping cleanly on Ctrl-C (SIGINT) and ``kill`` (SIGTERM).

The command line installs :func:`handlers` for the length of a command. The first SIGINT or
SIGTERM raises :class:`Interrupted` (a :class:`BaseException`, like
:class:`KeyboardInterrupt`) in the main thread; further ones are ignored while Loket cleans up
(stops its worker processes, removes its temporary folders), so the clean-up itself is never
cut short. The command then exits with 128 + the signal number (130, 143) and one line.

A few steps must not be cut in half — moving a finished results folder into place and
removing the folder it replaced. They run inside :func:`deferred`: a signal arriving then is
held and raised when the step is complete.

Worker processes (forked from the main process) do not keep these handlers: they ignore
SIGINT (the main process stops them) and die at once on SIGTERM; see
:func:`simulation.runner.run_scenario`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager

__all__ = ["Interrupted", "handlers", "deferred", "check", "exit_status", "received", "in_worker"]

SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)

_state = {"installed_in": None, "deferring": 0, "pending": None, "received": None}


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: stop, clean up, exit ``128 + signum``."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def exit_status(signum: int) -> int:
    """The shell's status for a process stopped by ``signum``: 130 for SIGINT, 143 for SIGTERM."""
    return 128 + int(signum)


def received() -> int | None:
    """The signal that interrupted the current command, if any."""
    return _state["received"]


def _handler(signum, frame):
    if os.getpid() != _state["installed_in"]:  # a forked child before it set its own handlers
        os._exit(exit_status(signum))
    _state["received"] = signum
    if _state["deferring"]:
        if _state["pending"] is None:
            _state["pending"] = signum
        return
    for s in SIGNALS:  # the clean-up must not be interrupted in its turn
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


def check() -> None:
    """Raise :class:`Interrupted` if a signal arrived whose exception was lost.

    Python drops an exception raised inside a finaliser (``__del__``, a weakref callback, a
    fork handler): a signal arriving just then would be swallowed. Long-running loops call
    this between steps, so the run still stops at the next one.
    """
    if _state["installed_in"] == os.getpid() and _state["received"] is not None and not _state["deferring"]:
        raise Interrupted(_state["received"])


def _unraisable(previous):
    def hook(info):
        if isinstance(info.exc_value, Interrupted):
            return  # recorded in _state["received"]; check() raises it again where it can propagate
        previous(info)

    return hook


@contextmanager
def handlers(restore: bool = True):
    """SIGINT and SIGTERM raise :class:`Interrupted` inside this block (main thread only).

    At the end the previous handlers come back — or, with ``restore=False`` (a process about to
    exit), both signals are ignored: the command is over, and a signal in the last moments must
    not turn its result into a traceback.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # The entry point's start-up handler (simulation._entry) is for the start-up only: the
    # defaults come back in its place.
    previous = {s: (signal.default_int_handler if s == signal.SIGINT else signal.SIG_DFL)
                if getattr(signal.getsignal(s), "startup_only", False) else signal.getsignal(s) for s in SIGNALS}
    previous_hook = sys.unraisablehook
    _state.update(installed_in=os.getpid(), deferring=0, pending=None, received=None)
    sys.unraisablehook = _unraisable(previous_hook)
    for s in SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, (h if h is not None else signal.SIG_DFL) if restore else signal.SIG_IGN)
        sys.unraisablehook = previous_hook
        _state.update(installed_in=None, deferring=0, pending=None)


@contextmanager
def deferred():
    """Hold SIGINT/SIGTERM until the block is done, then raise :class:`Interrupted`."""
    _state["deferring"] += 1
    try:
        yield
    finally:
        _state["deferring"] -= 1
        pending = _state["pending"]
        if not _state["deferring"] and pending is not None:
            _state["pending"] = None
            for s in SIGNALS:
                signal.signal(s, signal.SIG_IGN)
            raise Interrupted(pending)


def ignore() -> None:
    """From now on SIGINT and SIGTERM are ignored (clean-up that must not be cut short)."""
    if _state["installed_in"] == os.getpid():
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)


def in_worker() -> None:
    """Signal handling of a worker process: SIGINT ignored (the main process decides), SIGTERM kills."""
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
