"""Running a scenario: replications, in parallel, into tidy tables.

:func:`run_replication` is one replication: draw the citizens once, simulate the office,
and turn the visit log into a tidy table plus per-station statistics.
:func:`run_scenario` runs all replications — in worker processes by default — and returns
:class:`Results`. Each replication depends only on ``(scenario, seed, replication)``, so the
tables are identical whatever the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .calendar import OfficeCalendar, office_calendar
from .citizens import Citizens, draw_citizens
from .comparison import compare_policies
from .limits import available_cpus
from .model import ONLINE, SERVED, Office, StationRules, VisitLog
from .outcomes import NOT_MADE, OUTCOMES
from .policies import staffing_plan
from .results_api import ResultsMethods, elapsed, started_now
from .scenario import Scenario
from .summary_stats import (
    citizen_stats,
    overall_stats,
    replication_stats,
    summarise,
    summarise_by_class,
    summarise_citizens,
    trips_until_served,
)
from .workers import for_each_result

__all__ = ["Results", "ReplicationResult", "run_replication", "run_scenario", "select_policies", "visits_frame"]

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
    "class",
    "trip",
    "travel",
]


@dataclass(frozen=True)
class ReplicationResult:
    """One replication: every visit, per-station statistics, and all stations together."""

    visits: pd.DataFrame
    stats: pd.DataFrame
    overall: pd.DataFrame
    citizens: pd.DataFrame
    """Citizen counts per policy (one row each; see :mod:`simulation.measures`)."""
    trips: pd.DataFrame
    """Citizens by trips until served, per policy: ``policy, replication, trips, count``."""


@dataclass(frozen=True, repr=False)
class Results(ResultsMethods):
    """All replications of a scenario: the tables written to the results folder, its charts, and saving.

    The tables are pandas DataFrames, as ``loket run`` writes them (see the README's
    "Results"): ``visits``, ``replications``, ``summary``, ``comparison``, ``citizens``,
    ``trips``, ``by_class`` (``classes.csv``), plus ``overall``, ``citizen_replications`` and
    :attr:`queue_length`. Charts: :meth:`chart`, :attr:`plot`, :meth:`charts`; the results
    folder: :meth:`save`.
    """

    scenario: Scenario
    visits: pd.DataFrame
    replications: pd.DataFrame
    summary: pd.DataFrame
    overall: pd.DataFrame
    """All stations together, per policy and replication (what comparison's ``all`` row uses)."""
    comparison: pd.DataFrame | None = None
    """Each policy against the baseline (None with a single policy)."""
    by_class: pd.DataFrame | None = None
    """Per citizen class (None without priority classes)."""
    trips: pd.DataFrame | None = None
    """Citizens by number of trips until served, per policy."""
    citizens: pd.DataFrame | None = None
    """What became of the citizens, per policy (``citizens.csv``): one row per policy."""
    citizen_replications: pd.DataFrame | None = None
    """The citizen counts per policy and replication (what ``citizens`` summarises)."""
    run_info: dict = field(default_factory=dict)
    """How the run went: ``jobs`` (worker processes), ``policies`` run, ``started_utc``, ``wall_time_seconds``."""


def visits_frame(
    scenario: Scenario,
    calendar: OfficeCalendar,
    citizens: Citizens,
    log: VisitLog,
    policy: str,
    replication: int,
) -> pd.DataFrame:
    """The visit log as a tidy table, one row per visit made (columns: ``VISIT_COLUMNS``).

    Rows are in the order of each citizen's story: citizen, trip, step. ``travel`` is the
    round-trip travel time of a trip, on the trip's first row (0 on the others).
    """
    k = np.flatnonzero(log.outcome != NOT_MADE)
    cols = {"visit": k, "trip": np.ones(len(k), dtype=np.int64), "arrival": log.arrival[k],
            "wait_end": log.wait_end[k], "service_end": log.service_end[k], "outcome": log.outcome[k]}
    if log.returns is not None:
        cols = {name: np.concatenate([col, log.returns[name]]) for name, col in cols.items()}
    k = cols["visit"]
    citizen = citizens.visit_citizen[k]
    step = citizens.visit_step[k]
    order = np.lexsort((step, cols["trip"], citizen))
    cols = {name: col[order] for name, col in cols.items()}
    k, citizen, step, trip = cols["visit"], citizen[order], step[order], cols["trip"]
    outcome = cols["outcome"]
    served = np.isin(outcome, (SERVED, ONLINE))  # online requests are served from home
    arrival = cols["arrival"]
    n = len(k)
    starts_trip = np.ones(n, dtype=bool)
    starts_trip[1:] = (citizen[1:] != citizen[:-1]) | (trip[1:] != trip[:-1])
    # An online request is made from home: no journey.
    travel = np.where(starts_trip & (outcome != ONLINE), 2 * citizens.travel[citizen], 0.0)
    return pd.DataFrame(
        {
            "policy": pd.Categorical([policy] * n),
            "replication": np.full(n, replication, dtype=np.int64),
            "day": calendar.day_of(arrival),
            "citizen": citizen + 1,
            "station": pd.Categorical.from_codes(citizens.visit_station[k], categories=list(scenario.station_names)),
            "arrival": arrival,
            "service_start": np.where(served, cols["wait_end"], np.nan),
            "service_end": np.where(served, cols["service_end"], np.nan),
            "wait": cols["wait_end"] - arrival,
            "outcome": pd.Categorical.from_codes(outcome, categories=list(OUTCOMES)),
            "stream": pd.Categorical.from_codes(
                citizens.stream[citizen], categories=[a.name for a in scenario.arrivals]
            ),
            "step": step + 1,
            "class": pd.Categorical.from_codes(citizens.klass[citizen], categories=list(scenario.class_names)),
            "trip": trip,
            "travel": travel,
        },
        columns=VISIT_COLUMNS,
    )


def run_replication(scenario: Scenario, replication: int, policies: Sequence[str] | None = None) -> ReplicationResult:
    """Simulate one replication (numbered from 1) of every policy, all on the same citizens."""
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, replication)
    names = list(policies) if policies is not None else list(scenario.staffing_policies())
    rules = StationRules.from_scenario(scenario)
    visits, stats, overall, people, trips = [], [], [], [], []
    for name in names:
        office = Office(calendar, citizens, after_close=scenario.run.after_close,
                        plan=staffing_plan(scenario, name, calendar), rules=rules)
        log = office.run()
        v = visits_frame(scenario, calendar, citizens, log, name, replication)
        timelines = [office.staff_timeline(s) for s in range(len(scenario.stations))]
        st = replication_stats(v, scenario, calendar, timelines)
        st.insert(0, "replication", replication)
        st.insert(0, "policy", name)
        visits.append(v)
        stats.append(st)
        key = {"policy": name, "replication": replication}
        overall.append({**key, **overall_stats(v, scenario)})
        counts, by_trips = citizen_stats(v, scenario, log.still_to_return + 1)
        people.append({**key, **counts})
        trips += [{**key, "trips": t, "count": n} for t, n in by_trips.items()]
    return ReplicationResult(
        visits=_concat_categorical(visits), stats=pd.concat(stats, ignore_index=True), overall=pd.DataFrame(overall),
        citizens=pd.DataFrame(people), trips=pd.DataFrame(trips, columns=["policy", "replication", "trips", "count"]),
    )


def _concat_categorical(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tidy tables, keeping the categorical columns categorical (with the union of categories)."""
    out = pd.concat(frames, ignore_index=True)
    for col in ("policy", "station", "outcome", "stream", "class"):
        cats = list(dict.fromkeys(c for f in frames for c in f[col].cat.categories))
        out[col] = pd.Categorical(out[col], categories=cats)
    return out


def _replication_worker(args) -> ReplicationResult:
    scenario, replication, policies = args
    return run_replication(scenario, replication, policies)


def run_scenario(
    scenario: Scenario,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    policies: Sequence[str] | None = None,
    scheduler: str | None = None,
) -> Results:
    """Run every replication of ``scenario``, every policy on the same citizens.

    Replications and seed are the scenario's ``[run]`` settings (change them with
    ``scenario.with_run(replications=..., seed=...)``). Each replication depends only on
    the scenario, the seed and its number, so the tables are identical whatever ``jobs``.

    Parameters
    ----------
    scenario : Scenario
        From :func:`~simulation.scenario.load_scenario` (and ``with_run``,
        ``with_overrides``, ``with_policies``).
    jobs : int, optional
        Worker processes (default: one per CPU; never more than the CPUs or replications).
    progress : callable, optional
        ``progress(done, total)``, called after each replication.
    policies : sequence of str, optional
        Which of the scenario's policies to run (default: all). The baseline (the first
        policy) is always run, first, since the others are compared with it.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``): the replications run
        on its workers instead of local processes (``jobs`` is then not used); the tables
        are the same. Needs ``pip install 'loket[dask]'``.

    Returns
    -------
    Results
        The tables ``loket run`` writes, the charts, and :meth:`Results.save`.
    """
    names = select_policies(scenario, policies)
    started, t0 = started_now()
    total = scenario.run.replications
    # More workers than CPUs only costs memory (each holds a replication): cap at the CPUs.
    cpus = available_cpus()
    jobs = max(1, min(jobs or cpus, cpus, total))
    tasks = [(scenario, r, names) for r in range(1, total + 1)]
    results: list[ReplicationResult] = []

    def take(result: ReplicationResult) -> None:
        results.append(result)
        if progress:
            progress(len(results), total)

    for_each_result(_replication_worker, tasks, take, jobs=jobs, scheduler=scheduler)
    visits = _concat_categorical([r.visits for r in results])
    # Tidy order: policy, then replication, then citizen.
    order = np.lexsort((visits.index.to_numpy(), visits["replication"].to_numpy(), visits["policy"].cat.codes))
    visits = visits.iloc[order].reset_index(drop=True)
    replications = pd.concat([r.stats for r in results], ignore_index=True)
    replications = replications.sort_values(["policy", "replication"], key=_policy_key(names), kind="stable")
    replications = replications.reset_index(drop=True)
    overall = pd.concat([r.overall for r in results], ignore_index=True)
    overall = overall.sort_values(["policy", "replication"], key=_policy_key(names), kind="stable")
    overall = overall.reset_index(drop=True)
    people = pd.concat([r.citizens for r in results], ignore_index=True)
    people = people.sort_values(["policy", "replication"], key=_policy_key(names), kind="stable").reset_index(drop=True)
    summary = summarise(replications, visits, scenario)
    comparison = (compare_policies(replications, overall, visits, scenario, names, people)
                  if len(names) > 1 else None)
    by_class = summarise_by_class(visits, scenario) if scenario.has_priorities else None
    trips = trips_until_served(pd.concat([r.trips for r in results], ignore_index=True), names)
    citizens = summarise_citizens(people, scenario)
    info = {"jobs": jobs, **({"scheduler": scheduler} if scheduler else {}), "policies": names,
            "started_utc": started, "wall_time_seconds": elapsed(t0)}
    return Results(scenario, visits, replications, summary, overall, comparison, by_class, trips, citizens, people,
                   info)


def _policy_key(names: list[str]):
    rank = {n: i for i, n in enumerate(names)}

    def key(col: pd.Series) -> pd.Series:
        return col.map(rank).astype(int) if col.name == "policy" else col

    return key


def select_policies(scenario: Scenario, chosen: Sequence[str] | None) -> list[str]:
    """The policies to run, in scenario order, baseline always first; unknown names raise ``KeyError``."""
    available = list(scenario.staffing_policies())
    if not chosen:
        return available
    unknown = [c for c in chosen if c not in available]
    if unknown:
        raise KeyError(f"no policy named {', '.join(map(repr, unknown))}; the scenario has {', '.join(available)}")
    wanted = set(chosen) | {available[0]}
    return [p for p in available if p in wanted]
