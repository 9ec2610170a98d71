"""The office calendar: when the doors are open, on the simulation clock.

The simulation clock counts minutes since the first opening. Each simulated working day
has an opening and a closing time on that clock. A 24-hour office (open ``00:00``, close
``24:00``) is *continuous*: one day's close is the next day's opening and the queue simply
carries on, which is what steady-state checks against queueing theory need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .policies import WEEKDAYS
from .scenario import MINUTES_PER_DAY, Scenario

__all__ = ["OfficeCalendar", "office_calendar"]


@dataclass(frozen=True)
class OfficeCalendar:
    """Opening and closing times (simulation minutes) of every simulated working day."""

    opens: np.ndarray
    closes: np.ndarray
    continuous: bool
    weekdays: np.ndarray | None = None
    """Weekday of each simulated day, 0 = Monday .. 4 = Friday (for rotas)."""

    def __post_init__(self):
        if self.weekdays is None:
            object.__setattr__(self, "weekdays", np.arange(len(self.opens)) % 5)

    @property
    def days(self) -> int:
        return len(self.opens)

    @property
    def end(self) -> float:
        """The last closing time."""
        return float(self.closes[-1])

    def day_of(self, t: np.ndarray) -> np.ndarray:
        """1-based working day in which each time falls (the last opening at or before it)."""
        return np.maximum(np.searchsorted(self.opens, t, side="right"), 1)

    def open_minutes_before(self, t: np.ndarray) -> np.ndarray:
        """Minutes of opening time between the first opening and ``t``.

        Differences of this function measure how much of an interval lies inside opening
        hours; statistics such as utilisation are taken over opening hours only.
        """
        knots_t = np.column_stack([self.opens, self.closes]).ravel()
        lengths = self.closes - self.opens
        knots_v = np.column_stack([np.concatenate([[0.0], np.cumsum(lengths)[:-1]]), np.cumsum(lengths)]).ravel()
        return np.interp(t, knots_t, knots_v)

    def hour_segments(self, hourly_rates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(start, end, rate per minute)`` of every open clock hour of every day.

        ``hourly_rates[h]`` applies to the h-th hour after opening; the last hour may be
        partial (an office open 07:30-16:00 has 9 hours, the last one 30 minutes long).
        """
        h = np.arange(len(hourly_rates))
        starts = (self.opens[:, None] + 60.0 * h[None, :]).ravel()
        ends = np.minimum(starts + 60.0, np.repeat(self.closes, len(h)))
        rates = np.tile(np.asarray(hourly_rates, dtype=float) / 60.0, self.days)
        keep = ends > starts
        return starts[keep], ends[keep], rates[keep]


def office_calendar(scenario: Scenario) -> OfficeCalendar:
    """The calendar of a scenario's ``[run]`` settings: ``days`` identical working days."""
    run = scenario.run
    day0 = run.open_minute
    d = np.arange(run.days, dtype=float)
    opens = d * MINUTES_PER_DAY
    closes = opens + (run.close_minute - day0)
    first = WEEKDAYS.index(run.start_weekday)
    weekdays = (first + np.arange(run.days)) % len(WEEKDAYS)
    return OfficeCalendar(opens=opens, closes=closes, continuous=run.continuous, weekdays=weekdays)
