"""One progress bar over every simulation a command runs.

:func:`~simulation.runner.run_scenario` reports ``progress(done, total)`` after each
replication, counting from 1 in every call. ``loket run`` makes one call; ``loket sweep``,
``staff`` and ``city`` make several (staff: as many as the advice turns out to need), and a
bar fed their raw ``done`` would jump back at every call. :class:`Progress` is the
command's one bar instead: it counts *simulations* — one policy over one replication, the
unit of work whatever the call — across all the calls, with an estimate of the total made
before the first one.

* :meth:`Progress.call` gives one call its ``progress(done, total)`` callback: it remembers
  the last ``done`` of that call and adds only the difference, times the policies each
  replication simulates.
* Where the estimate turns out short (the advice tried more staff levels than expected) the
  total grows as soon as the extra work is known, so the bar never passes 100 %. An adaptive
  part of the work (the staffing advice of one office) takes its share of the estimate with
  :func:`part` and, once it knows exactly what is left, says so (:meth:`Part.remaining`), so
  a too-long estimate shrinks too; :meth:`Progress.finish` makes the finished bar say 100 %
  of what was done.
* The bar is tqdm's, on the error output, shown only on a terminal and never with
  ``--quiet``; without tqdm the counting goes on with nothing shown.

Functions that take ``progress`` (:func:`~simulation.advice.sweep`,
:func:`~simulation.advice.staffing_advice`, :func:`~simulation.city.city_answer`) accept a
:class:`Progress` or a plain ``progress(done, total)`` callable; :func:`for_call` hands each
of their ``run_scenario`` calls the right callback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["Part", "Progress", "for_call", "part"]

Update = Callable[[int, int], None]


class Progress:
    """A command's one bar over ``total`` simulations (an estimate that may grow)."""

    def __init__(self, total: int, quiet: bool = False, *, unit: str = "simulation", desc: str = "simulating",
                 file: Any = None):
        self.total = max(int(total), 0)
        self.done = 0
        self.bar = None
        self._plain = self.call(1)
        if quiet:
            return
        try:
            from tqdm import tqdm
        except ImportError:  # progress is a nicety, not a requirement
            return
        # disable=None: shown only when the error output is a terminal.
        self.bar = tqdm(total=self.total, unit=unit, desc=desc, file=file if file is not None else sys.stderr,
                        disable=None, leave=False)

    def _set_total(self, total: int) -> None:
        self.total = total
        if self.bar is not None:
            self.bar.total = total
            self.bar.refresh()

    def expect(self, more: int) -> None:
        """At least ``more`` simulations are still to come: grow the total if it is shorter."""
        if self.done + more > self.total:
            self._set_total(self.done + more)

    def advance(self, n: int) -> None:
        """``n`` more simulations are done."""
        if n <= 0:
            return
        self.expect(n)
        self.done += n
        if self.bar is not None:
            self.bar.update(n)

    def call(self, weight: int = 1) -> Update:
        """The ``progress(done, total)`` of one ``run_scenario`` call whose replications run ``weight`` policies."""
        last = 0

        def update(done: int, total: int) -> None:
            nonlocal last
            if done < last:  # the callback handed to a second call after all: a new count
                last = 0
            self.expect((total - last) * weight)  # the rest of this call is known work
            self.advance((done - last) * weight)
            last = 0 if done >= total else done  # a finished call: the next one counts from 0

        return update

    def __call__(self, done: int, total: int) -> None:
        """Used directly as ``progress(done, total)`` over successive calls, one policy each."""
        self._plain(done, total)

    def finish(self) -> None:
        """The work is done: the total becomes what was done, and the bar shows 100 % of it."""
        self._set_total(self.done)  # refreshes: the last update may have been too soon after another to show

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def for_call(progress: Progress | Update | None, weight: int = 1) -> Update | None:
    """What to hand one ``run_scenario`` call whose replications simulate ``weight`` policies each.

    A :class:`Progress` gets a fresh per-call counter; a plain ``progress(done, total)``
    callable is passed on unchanged (it sees each call's own count, as it always has).
    """
    if isinstance(progress, Progress):
        return progress.call(weight)
    return progress


class Part:
    """One adaptive part of a command's work, estimated at ``estimate`` simulations within the bar's total."""

    def __init__(self, progress: Progress | None, estimate: int):
        self.progress = progress
        # What the bar's total expects after this part (the later offices of a city, say).
        self.after = max(progress.total - progress.done - estimate, 0) if progress is not None else 0

    def remaining(self, n: int) -> None:
        """Exactly ``n`` more simulations of this part are to come: the total becomes what is
        done, plus ``n``, plus the estimate of what comes after this part."""
        if self.progress is not None:
            self.progress._set_total(self.progress.done + n + self.after)


def part(progress: Progress | Update | None, estimate: int) -> Part:
    """Start an adaptive part of the work estimated at ``estimate`` simulations (a no-op
    :class:`Part` unless ``progress`` is a :class:`Progress`)."""
    return Part(progress if isinstance(progress, Progress) else None, estimate)
