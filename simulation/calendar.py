"""The office calendar: when the doors are open, on the simulation clock.

The simulation clock counts minutes since the first opening. Each simulated working day
has an opening and a closing time on that clock, possibly breaks (counters stop calling
citizens; those being served are finished), and a demand multiplier for its weekday.

Without a ``[calendar]`` table, simulated days are consecutive working days with the
``[run]`` hours. A 24-hour office (open ``00:00``, close ``24:00``) is then *continuous*:
one day's close is the next day's opening and the queue simply carries on, which is what
steady-state checks against queueing theory need. With a ``[calendar]``, simulated days
follow the week: weekends and holidays pass on the clock with the doors shut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validation import DAY_NAMES
from .scenario import MINUTES_PER_DAY, Scenario, clock_minutes

__all__ = ["OfficeCalendar", "office_calendar"]


@dataclass(frozen=True)
class OfficeCalendar:
    """Opening and closing times (simulation minutes) of every simulated working day."""

    opens: np.ndarray
    closes: np.ndarray
    continuous: bool
    weekdays: np.ndarray | None = None
    """Weekday of each working day, 0 = Monday .. 6 = Sunday (rotas index by it)."""
    breaks: tuple[tuple[tuple[float, float], ...], ...] | None = None
    """Per working day, the (start, end) of its breaks on the clock."""
    demand: np.ndarray | None = None
    """Arrival-rate multiplier of each working day."""
    calendar_days: np.ndarray | None = None
    """Calendar day (0 = the first simulated day) of each working day."""
    _open_knots: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self):
        n = len(self.opens)
        defaults = {
            "weekdays": np.arange(n) % 5,
            "breaks": tuple(() for _ in range(n)),
            "demand": np.ones(n),
            "calendar_days": np.arange(n),
        }
        for name, value in defaults.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)
        knots_t = np.column_stack([self.opens, self.closes]).ravel()
        lengths = self.closes - self.opens
        cum = np.cumsum(lengths)
        knots_v = np.column_stack([cum - lengths, cum]).ravel()
        object.__setattr__(self, "_open_knots", (knots_t, knots_v))

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
        knots_t, knots_v = self._open_knots
        return np.interp(t, knots_t, knots_v)

    def hour_segments(self, hourly_rates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(start, end, rate per minute)`` of every open clock hour of every day.

        ``hourly_rates[h]`` applies to the h-th hour after each day's opening, times the
        day's demand multiplier; the last hour may be partial (an office open 07:30-16:00
        has 9 hours, the last one 30 minutes long), and a shorter day uses the first rates.
        """
        h = np.arange(len(hourly_rates))
        starts = (self.opens[:, None] + 60.0 * h[None, :]).ravel()
        ends = np.minimum(starts + 60.0, np.repeat(self.closes, len(h)))
        rates = (self.demand[:, None] * (np.asarray(hourly_rates, dtype=float) / 60.0)[None, :]).ravel()
        keep = ends > starts
        return starts[keep], ends[keep], rates[keep]

    def next_working_day(self, day: int) -> int | None:
        """0-based index of the working day after ``day`` (0-based), or None past the end."""
        return day + 1 if day + 1 < self.days else None


def office_calendar(scenario: Scenario) -> OfficeCalendar:
    """The calendar of a scenario: its working days on the simulation clock."""
    run = scenario.run
    first = DAY_NAMES.index(run.start_weekday)
    cal = scenario.calendar
    if cal is None:
        # Consecutive working days, Monday..Friday names for rotas, one continuous clock.
        d = np.arange(run.days, dtype=float)
        opens = d * MINUTES_PER_DAY
        weekdays = (first + np.arange(run.days)) % 5
        return OfficeCalendar(opens=opens, closes=opens + (run.close_minute - run.open_minute),
                              continuous=run.continuous, weekdays=weekdays)

    open_days = {DAY_NAMES.index(d) for d in cal.open_days}
    holidays = {h - 1 for h in cal.holidays}
    origin = None
    opens, closes, weekdays, breaks, demand, calendar_days = [], [], [], [], [], []
    k = 0
    while len(opens) < run.days:
        weekday = (first + k) % 7
        if weekday in open_days and k not in holidays:
            name = DAY_NAMES[weekday]
            o, c = scenario.day_hours(name)
            midnight = k * MINUTES_PER_DAY
            if origin is None:
                origin = midnight + o  # the clock starts at the first opening
            opens.append(midnight + o - origin)
            closes.append(midnight + c - origin)
            weekdays.append(weekday)
            breaks.append(tuple(
                (midnight + clock_minutes(b.start) - origin, midnight + clock_minutes(b.end) - origin)
                for b in cal.breaks if name in b.days
            ))
            demand.append(cal.demand.get(name, 1.0))
            calendar_days.append(k)
        k += 1
        if k > 7 * (run.days + len(holidays)) + 7:  # pragma: no cover - validation prevents it
            raise ValueError("the calendar has no working days")
    opens_a, closes_a = np.array(opens, dtype=float), np.array(closes, dtype=float)
    # Open round the clock every day with no break: the queue carries on across midnight.
    continuous = bool(np.all(closes_a[:-1] == opens_a[1:]) and not any(breaks))
    return OfficeCalendar(
        opens=opens_a,
        closes=closes_a,
        continuous=continuous,
        weekdays=np.array(weekdays),
        breaks=tuple(breaks),
        demand=np.array(demand),
        calendar_days=np.array(calendar_days),
    )
