"""What each number means: visit measures and citizen measures, computed in one place.

A planner compares policies, so every measure must say what it counts and keep the same
denominator under every policy. Two kinds of measure are computed here, and only here:

**Visit measures** (per station; ``replications.csv``, ``summary.csv``) count *counter
visits*: each time a citizen arrives at a station's queue, return trips included, online
requests apart. Their denominators can differ between policies — a policy that sends
people home creates repeat visits, an online channel removes counter visits — which is
why the policy comparison also uses citizen measures.

* ``mean_wait`` — mean wait of *served* visits (arrival at the station to the call);
* ``mean_wait_all`` — mean wait of *every* counter visit: the served until they were
  called, the others until they left or were sent home;
* ``within_target_share`` — share of counter visits called within the station's
  ``target_wait_minutes`` (a visit that ended unserved is not within target);
* ``utilization`` — officer time spent serving *within staffed time* (counters open,
  no break, within the officer's shift) over staffed time, so never above 1; service that
  runs into a break, past a shift's end or past closing is ``overtime_minutes``.

**Citizen measures** (``citizens.csv``) count *people*: every citizen who arrived during
the simulated period (after the warm-up), once, whatever happened to them. Their
denominator is the same under every policy, because every policy meets the same citizens
(common random numbers). Each citizen ends in exactly one of:

* ``served_first_trip`` — their whole business done on their first trip;
* ``served_later_trip`` — done on a later trip, after being sent home at least once;
* ``never_served`` — sent home and did not come back (they gave up, or had made their
  last trip);
* ``still_to_return`` — sent home and would have come back, but the simulated period
  ended first (or their online request was still waiting to be picked up at the end).

``first_trip_within_target_share`` is the share of citizens whose whole business was done
on their first trip with every wait within its station's standard (an online request
counts when an officer picked it up within the standard).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar import OfficeCalendar

__all__ = [
    "CITIZEN_STATUSES",
    "called_within",
    "citizen_counts",
    "citizen_status",
    "share_called_within",
    "staffed_busy_minutes",
    "visit_measures",
    "within_target",
]

CITIZEN_STATUSES = ("served_first_trip", "served_later_trip", "never_served", "still_to_return")
"""How a citizen's business ended, one of these per citizen (``citizens.csv``)."""


def _called(visits: pd.DataFrame) -> np.ndarray:
    """Per visit: an officer called it — served at the counter, or an online request picked up."""
    outcome = visits["outcome"].to_numpy()
    return (outcome == "served") | ((outcome == "online") & visits["service_start"].notna().to_numpy())


def within_target(visits: pd.DataFrame, targets: np.ndarray) -> np.ndarray:
    """Per visit: called within its standard, after waiting at most ``targets`` (one standard
    per visit) minutes. A visit that ended unserved never is."""
    return called_within(_called(visits), visits["wait"].to_numpy(), targets)


def called_within(called: np.ndarray, wait: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """:func:`within_target` on arrays: ``called`` (an officer called the visit) and its ``wait``."""
    return called & (wait <= targets)


def share_called_within(visits: pd.DataFrame, waits: np.ndarray) -> np.ndarray:
    """For each wait in ``waits``: the share of ``visits`` called within it (the curve of
    :func:`within_target` over every possible standard; every visit in the denominator)."""
    if not len(visits):
        return np.full(len(waits), np.nan)
    called = np.sort(visits["wait"].to_numpy()[_called(visits)])
    return np.searchsorted(called, waits, side="right") / len(visits)


def visit_measures(v: pd.DataFrame, targets: np.ndarray) -> dict:
    """Counter-visit measures of a set of counter visits (``targets``: each visit's standard).

    ``v`` needs the ``visits.csv`` columns plus ``trip_start`` (the visit began a trip).
    """
    outcome = v["outcome"].to_numpy()
    served = outcome == "served"
    wait = v["wait"].to_numpy()
    w_served = wait[served]
    arrived = len(v)
    if len(w_served):
        p50, p90, p95 = (float(x) for x in np.percentile(w_served, [50, 90, 95]))
        pmax = float(w_served.max())
    else:
        p50 = p90 = p95 = pmax = np.nan
    return {
        "arrived": arrived,
        "served": int(served.sum()),
        "turned_away": int((outcome == "turned_away").sum()),
        "reneged": int((outcome == "reneged").sum()),
        "balked": int((outcome == "balked").sum()),
        "not_served": int(arrived - served.sum()),
        "mean_wait": float(w_served.mean()) if len(w_served) else np.nan,
        "mean_wait_all": float(wait.mean()) if arrived else np.nan,
        "p50_wait": p50,
        "p90_wait": p90,
        "p95_wait": p95,
        "max_wait": pmax,
        "within_target_share": float(within_target(v, targets).sum() / arrived) if arrived else np.nan,
        # Trips beyond a citizen's first that began here, and the hours citizens spent:
        # waiting, plus the journeys of the trips that began here (wasted ones included).
        "repeat_trips": int(((v["trip"].to_numpy() > 1) & v["trip_start"].to_numpy()).sum()),
        "citizen_hours_lost": float((np.nansum(wait) + v["travel"].to_numpy().sum()) / 60),
    }


def staffed_busy_minutes(
    calendar: OfficeCalendar,
    staff_times: np.ndarray,
    staff_levels: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    after: float = 0.0,
) -> tuple[float, float, float]:
    """``(staffed, busy_staffed, busy)`` officer-minutes of one station after ``after``.

    ``staffed`` is the officer time at the counters during opening hours (``staff_levels``
    from each of ``staff_times`` on; none in a break); ``busy_staffed`` the part of it
    spent serving, i.e. the integral of ``min(busy officers, staffed officers)`` over
    opening hours; ``busy`` all serving time (``starts``/``ends`` of each service),
    wherever it fell. ``busy - busy_staffed`` is overtime.
    """
    starts = np.maximum(np.asarray(starts, dtype=float), after)
    ends = np.maximum(np.asarray(ends, dtype=float), after)
    busy = float((ends - starts).sum())
    grid = np.unique(np.concatenate([starts, ends, np.maximum(staff_times, after), [after, calendar.end]]))
    grid = grid[grid >= after]
    if len(grid) < 2:
        return 0.0, 0.0, busy
    left = grid[:-1]
    open_len = np.diff(calendar.open_minutes_before(grid))
    idx = np.searchsorted(staff_times, left, side="right") - 1
    staffed_now = np.where(idx >= 0, staff_levels[np.maximum(idx, 0)], 0.0)
    busy_now = (np.searchsorted(np.sort(starts), left, side="right")
                - np.searchsorted(np.sort(ends), left, side="right"))
    staffed = float((staffed_now * open_len).sum())
    busy_staffed = float((np.minimum(busy_now, staffed_now) * open_len).sum())
    return staffed, busy_staffed, busy


def citizen_status(visits: pd.DataFrame, still_to_return: np.ndarray, targets: np.ndarray) -> pd.DataFrame:
    """One row per citizen of one policy and replication: ``citizen, arrival, trips, status,
    first_trip_within_target`` (see the module docstring for ``status``).

    ``visits``: that policy's and replication's rows of ``visits.csv``, in the order
    :func:`simulation.runner.visits_frame` writes them (citizen, trip, step);
    ``still_to_return``: citizens (as numbered in ``visits.csv``) sent home who would have
    come back after the period; ``targets``: each visit's standard.
    """
    citizen = visits["citizen"].to_numpy()
    trip = visits["trip"].to_numpy()
    outcome = visits["outcome"].to_numpy()
    ok = within_target(visits, targets)
    n = len(visits)
    last = np.ones(n, dtype=bool)
    last[:-1] = citizen[1:] != citizen[:-1]
    first = np.ones(n, dtype=bool)
    first[1:] = citizen[1:] != citizen[:-1]
    c_last = citizen[last]
    last_outcome = outcome[last]
    picked = visits["service_start"].notna().to_numpy()[last]
    done = (last_outcome == "served") | ((last_outcome == "online") & picked)
    pending = np.isin(c_last, still_to_return) | ((last_outcome == "online") & ~picked)
    trips = trip[last]
    status = np.where(done, np.where(trips == 1, "served_first_trip", "served_later_trip"),
                      np.where(pending, "still_to_return", "never_served"))
    # Every visit of the first trip within its standard, and the business done on it.
    on_first = trip == 1
    bad_first = pd.Series(on_first & ~ok).groupby(citizen).any().reindex(c_last).to_numpy()
    return pd.DataFrame({
        "citizen": c_last,
        "arrival": visits["arrival"].to_numpy()[first],
        "trips": trips,
        "status": status,
        "first_trip_within_target": (status == "served_first_trip") & ~bad_first,
    })


def citizen_counts(status: pd.DataFrame) -> dict:
    """The ``citizens.csv`` counts of one policy and replication, from :func:`citizen_status`."""
    counts = {s: int((status["status"] == s).sum()) for s in CITIZEN_STATUSES}
    n = len(status)
    within = int(status["first_trip_within_target"].sum())
    return {"citizens": n, **counts, "first_trip_within_target": within,
            "first_trip_within_target_share": within / n if n else np.nan}
