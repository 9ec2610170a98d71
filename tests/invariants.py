"""Invariants every simulated office must keep, shared by the edge tests and the shipped-scenario checks."""

from __future__ import annotations

import numpy as np

from simulation.calendar import office_calendar
from simulation.citizens import draw_citizens
from simulation.model import Office, StationRules
from simulation.policies import staffing_plan


def waits_spanning_a_closed_period(visits, scenario) -> int:
    """Counter visits whose wait (arrival until called or sent home) runs through a closed period
    (from a day's closing to the next opening; a 24-hour office has none) into the next day."""
    cal = office_calendar(scenario)
    day = visits["day"].to_numpy(dtype=int) - 1
    next_open = np.append(cal.opens[1:], np.inf)[day]
    closed_between = cal.closes[day] < next_open
    end = (visits["arrival"] + visits["wait"].fillna(np.inf)).to_numpy()
    counter = (visits["outcome"] != "online").to_numpy()
    return int((counter & closed_between & (end >= next_open)).sum())


def counter_above_roster(scenario, baseline: str, policy: str, replication: int = 1) -> list:
    """Moments where ``policy`` has more officers at a counter than ``baseline`` rosters then.

    The counter is a step function (``Office.staff_timeline``), the roster one too (hourly
    from each opening); both are compared at every instant either changes.
    """
    cal = office_calendar(scenario)
    citizens = draw_citizens(scenario, cal, replication)
    base = staffing_plan(scenario, baseline, cal)
    rostered = base.hourly_onsite + base.hourly_at_home  # (days, hours, stations)
    office = Office(cal, citizens, after_close=scenario.run.after_close, plan=staffing_plan(scenario, policy, cal),
                    rules=StationRules.from_scenario(scenario))
    office.run()
    hours = rostered.shape[1]
    hour_starts = (cal.opens[:, None] + 60.0 * np.arange(hours)[None, :]).ravel()
    bad = []
    for s in range(len(scenario.stations)):
        times, levels = office.staff_timeline(s)
        for t in np.union1d(times, hour_starts):
            n = levels[np.searchsorted(times, t, side="right") - 1]
            d = int(cal.day_of(np.array([t]))[0]) - 1
            # After closing the officers of the day's last hour stay (or nobody, with turn_away).
            last = int(np.ceil((cal.closes[d] - cal.opens[d]) / 60)) - 1
            h = min(int((t - cal.opens[d]) // 60), last)
            if n > rostered[d, h, s]:
                bad.append((scenario.stations[s].name, float(t), int(n), int(rostered[d, h, s])))
    return bad
