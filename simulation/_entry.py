"""The ``loket`` command's entry point: signals are handled from the first instant.

Importing the command line loads pandas, SciPy and matplotlib, about a second. A Ctrl-C or
SIGTERM in that second would otherwise end in Python's traceback (or silently): here it is
one line and exit 130 / 143, like at any later moment. Nothing has been written yet.
"""

from __future__ import annotations

import os
import signal
import sys


def _early(signum, frame) -> None:  # pragma: no cover - exercised by tests/test_signals.py timing
    name = "SIGINT (Ctrl-C)" if signum == signal.SIGINT else "SIGTERM"
    sys.stderr.write(f"loket: interrupted by {name}; nothing was written\n")
    sys.stderr.flush()
    os._exit(130 if signum == signal.SIGINT else 143)


def main(argv: list[str] | None = None) -> int:
    """Install one-line signal handling, import the command line, and run it."""
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, _early)
    from .cli import main as cli_main

    # _early stays until the command installs its own handlers (simulation.interrupts.handlers),
    # which never put it back afterwards: a late signal is never reported as "nothing was
    # written" once something was. (Restoring Python's defaults here left a moment, while the
    # arguments are parsed, in which SIGTERM killed the process without a word: issue 23.)
    code = cli_main(argv)
    from .interrupts import received

    if received() is not None:
        # Interrupted: the clean-up is done (workers stopped and joined, temporary folders
        # removed, the line printed). Leave now rather than through the interpreter's
        # finalisation, which a signal arriving during it once turned into an abort (1 run in
        # 200 of tests/test_signal_stress.py, --jobs 1, SIGINT to the group).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


_early.startup_only = True  # simulation.interrupts.handlers restores the default in its place
