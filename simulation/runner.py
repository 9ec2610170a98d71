"""Running a scenario: replications, in parallel, into tidy tables.

:func:`run_replication` is one replication: draw the citizens once, simulate the office,
and turn the visit log into a tidy table plus per-station statistics.
:func:`run_scenario` runs all replications — in worker processes by default — and returns
:class:`Results`. Each replication depends only on ``(scenario, seed, replication)``, so the
tables are identical whatever the number of workers.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from .calendar import OfficeCalendar, office_calendar
from .citizens import Citizens, draw_citizens
from .model import NOT_MADE, OUTCOMES, SERVED, Office, VisitLog
from .scenario import Scenario
from .summary_stats import replication_stats, summarise

__all__ = ["Results", "ReplicationResult", "run_replication", "run_scenario", "visits_frame", "BASELINE"]

BASELINE = "baseline"
VISIT_COLUMNS = [
    "policy",
    "replication",
    "day",
    "citizen",
    "station",
    "arrival",
    "service_start",
    "service_end",
    "wait",
    "outcome",
    "stream",
    "step",
]


@dataclass(frozen=True)
class ReplicationResult:
    """One replication: every visit, and per-station statistics."""

    visits: pd.DataFrame
    stats: pd.DataFrame


@dataclass(frozen=True)
class Results:
    """All replications of a scenario: the tables written to the results folder."""

    scenario: Scenario
    visits: pd.DataFrame
    replications: pd.DataFrame
    summary: pd.DataFrame


def visits_frame(
    scenario: Scenario,
    calendar: OfficeCalendar,
    citizens: Citizens,
    log: VisitLog,
    policy: str,
    replication: int,
) -> pd.DataFrame:
    """The visit log as a tidy table, one row per visit made (columns: ``VISIT_COLUMNS``)."""
    k = np.flatnonzero(log.outcome != NOT_MADE)
    served = log.outcome[k] == SERVED
    citizen = citizens.visit_citizen[k]
    arrival = log.arrival[k]
    n = len(k)
    return pd.DataFrame(
        {
            "policy": pd.Categorical([policy] * n),
            "replication": np.full(n, replication, dtype=np.int64),
            "day": calendar.day_of(arrival),
            "citizen": citizen + 1,
            "station": pd.Categorical.from_codes(citizens.visit_station[k], categories=list(scenario.station_names)),
            "arrival": arrival,
            "service_start": np.where(served, log.wait_end[k], np.nan),
            "service_end": np.where(served, log.service_end[k], np.nan),
            "wait": log.wait_end[k] - arrival,
            "outcome": pd.Categorical.from_codes(log.outcome[k], categories=list(OUTCOMES)),
            "stream": pd.Categorical.from_codes(
                citizens.stream[citizen], categories=[a.name for a in scenario.arrivals]
            ),
            "step": citizens.visit_step[k] + 1,
        },
        columns=VISIT_COLUMNS,
    )


def _staffed_minutes(scenario: Scenario, calendar: OfficeCalendar, staff) -> np.ndarray:
    warmup = np.array([scenario.run.warmup_minutes, calendar.end])
    open_after_warmup = float(np.diff(calendar.open_minutes_before(warmup))[0])
    return np.asarray(staff, dtype=float) * open_after_warmup


def run_replication(scenario: Scenario, replication: int) -> ReplicationResult:
    """Simulate one replication (numbered from 1) of a scenario."""
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, replication)
    staff = [s.staff for s in scenario.stations]
    log = Office(calendar, citizens, staff, scenario.run.after_close).run()
    visits = visits_frame(scenario, calendar, citizens, log, BASELINE, replication)
    stats = replication_stats(visits, scenario, calendar, _staffed_minutes(scenario, calendar, staff))
    stats.insert(0, "replication", replication)
    stats.insert(0, "policy", BASELINE)
    return ReplicationResult(visits, stats)


def _replication_worker(args) -> ReplicationResult:
    scenario, replication = args
    return run_replication(scenario, replication)


def run_scenario(
    scenario: Scenario,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """Run every replication of ``scenario`` (``jobs`` worker processes; default: one per CPU).

    ``progress(done, total)`` is called after each replication, if given.
    """
    total = scenario.run.replications
    jobs = max(1, min(jobs or os.cpu_count() or 1, total))
    tasks = [(scenario, r) for r in range(1, total + 1)]
    results: list[ReplicationResult] = []
    if jobs == 1:
        for task in tasks:
            results.append(_replication_worker(task))
            if progress:
                progress(len(results), total)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for res in pool.map(_replication_worker, tasks):
                results.append(res)
                if progress:
                    progress(len(results), total)
    visits = pd.concat([r.visits for r in results], ignore_index=True)
    for col in ("policy", "station", "outcome", "stream"):
        # Categories are identical in every part; restore the dtype concat may drop.
        visits[col] = pd.Categorical(visits[col], categories=results[0].visits[col].cat.categories)
    replications = pd.concat([r.stats for r in results], ignore_index=True)
    summary = summarise(replications, visits, scenario)
    return Results(scenario, visits, replications, summary)
