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
from .export import VISIT_FLOAT
from .fastcsv import csv_rows, round_as_written
from .limits import available_cpus
from .model import ONLINE, SERVED, Office, StationRules, VisitLog
from .outcomes import NOT_MADE, OUTCOMES
from .policies import staffing_plan
from .results_api import ResultsMethods, elapsed, started_now
from .scenario import Scenario
from .spool import VisitsSpool
from .summary_stats import (
    citizen_stats,
    class_replication_rows,
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
    chart_visits: pd.DataFrame | None = None
    """The visit columns the charts read, times rounded as ``visits.csv`` writes them (None: taken from ``visits``)."""
    visits_spool: VisitsSpool | None = None
    """The visit table on disk, for ``run_scenario(visits="disk")``."""

    def read_visits(self) -> pd.DataFrame | None:
        """The per-visit table: ``visits`` if kept in memory, else read back from disk (None if not kept)."""
        if self.visits is not None:
            return self.visits
        return self.visits_spool.read() if self.visits_spool is not None else None


def visits_frame(
    scenario: Scenario,
    calendar: OfficeCalendar,
    citizens: Citizens,
    log: VisitLog,
    policy: str,
    replication: int,
    policies: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The visit log as a tidy table, one row per visit made (columns: ``VISIT_COLUMNS``).

    Rows are in the order of each citizen's story: citizen, trip, step. ``travel`` is the
    round-trip travel time of a trip, on the trip's first row (0 on the others). The
    ``policy`` column's categories are ``policies`` (default: this policy alone), so that the
    tables of a run's policies join without recoding.
    """
    names = list(policies) if policies is not None else [policy]
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
            "policy": pd.Categorical.from_codes(np.full(n, names.index(policy), dtype=np.int32), categories=names),
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


def _policy_runs(scenario: Scenario, replication: int, names: Sequence[str]):
    """Each policy of one replication on the same citizens: ``(name, visits, stats, overall, citizens, trips)``."""
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, replication)
    rules = StationRules.from_scenario(scenario)
    for name in names:
        office = Office(calendar, citizens, after_close=scenario.run.after_close,
                        plan=staffing_plan(scenario, name, calendar), rules=rules)
        log = office.run()
        v = visits_frame(scenario, calendar, citizens, log, name, replication, names)
        timelines = [office.staff_timeline(s) for s in range(len(scenario.stations))]
        st = replication_stats(v, scenario, calendar, timelines)
        st.insert(0, "replication", replication)
        st.insert(0, "policy", name)
        key = {"policy": name, "replication": replication}
        counts, by_trips = citizen_stats(v, scenario, log.still_to_return + 1)
        trips = [{**key, "trips": t, "count": n} for t, n in by_trips.items()]
        yield name, v, st, {**key, **overall_stats(v, scenario)}, {**key, **counts}, trips


def run_replication(scenario: Scenario, replication: int, policies: Sequence[str] | None = None) -> ReplicationResult:
    """Simulate one replication (numbered from 1) of every policy, all on the same citizens."""
    names = list(policies) if policies is not None else list(scenario.staffing_policies())
    visits, stats, overall, people, trips = [], [], [], [], []
    for _, v, st, over, counts, by_trips in _policy_runs(scenario, replication, names):
        visits.append(v)
        stats.append(st)
        overall.append(over)
        people.append(counts)
        trips += by_trips
    return ReplicationResult(
        visits=_concat_categorical(visits), stats=pd.concat(stats, ignore_index=True), overall=pd.DataFrame(overall),
        citizens=pd.DataFrame(people), trips=pd.DataFrame(trips, columns=TRIP_COLUMNS),
    )


TRIP_COLUMNS = ["policy", "replication", "trips", "count"]

VISIT_FLOAT_DECIMALS = int(VISIT_FLOAT.strip("%.f"))  # "%.4f" -> 4

CHART_COLUMNS = ["policy", "replication", "day", "station", "arrival", "service_start", "wait", "outcome", "class"]
"""The visit columns the charts read (:mod:`simulation.chart_data`)."""


def chart_visits(v: pd.DataFrame) -> pd.DataFrame:
    """The visit columns the charts read, with times as ``visits.csv`` holds them (rounded as written).

    A run's charts are drawn from these, so they are exactly the charts ``loket report``
    draws later from the CSV file; they take about 36 bytes a visit.
    """
    out = v[CHART_COLUMNS].copy()
    out["replication"] = out["replication"].astype(np.int32)
    out["day"] = out["day"].astype(np.int32)
    for col in ("arrival", "service_start", "wait"):
        out[col] = round_as_written(out[col].to_numpy(), VISIT_FLOAT_DECIMALS)
    return out


VISITS_MODES = ("memory", "disk", "none")


@dataclass(frozen=True)
class _Reduced:
    """What a worker sends back of one replication: statistics, the charts' few visit columns,
    the exact served waits (for percentiles), and the visits — whole, as CSV text, or not at all."""

    stats: pd.DataFrame
    overall: pd.DataFrame
    citizens: pd.DataFrame
    trips: pd.DataFrame
    classes: pd.DataFrame | None
    served_waits: dict
    charts: list
    visits: list | None = None
    visits_csv: list | None = None


def _reduce_replication(args) -> _Reduced:
    """One replication in a worker, reduced to what the main process needs (see :class:`_Reduced`)."""
    scenario, replication, names, mode = args
    warmup = scenario.run.warmup_minutes
    stats, overall, people, trips, classes, charts, visits, texts = [], [], [], [], [], [], [], []
    waits: dict = {}
    for name, v, st, over, counts, by_trips in _policy_runs(scenario, replication, names):
        stats.append(st)
        overall.append(over)
        people.append(counts)
        trips += by_trips
        if scenario.has_priorities:
            classes.append(class_replication_rows(v, scenario))
        served = v[(v["outcome"] == "served") & (v["arrival"] >= warmup)]
        for station, g in served.groupby("station", observed=True, sort=False):
            waits[(name, station)] = g["wait"].to_numpy()
        charts.append(chart_visits(v))
        if mode == "memory":
            visits.append(v)
        elif mode == "disk":
            texts.append(csv_rows(v, VISIT_FLOAT))  # the rows; the spool writes the header once
    return _Reduced(
        stats=pd.concat(stats, ignore_index=True), overall=pd.DataFrame(overall), citizens=pd.DataFrame(people),
        trips=pd.DataFrame(trips, columns=TRIP_COLUMNS), classes=pd.concat(classes) if classes else None,
        served_waits=waits, charts=charts, visits=visits if mode == "memory" else None,
        visits_csv=texts if mode == "disk" else None)


def _concat_categorical(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tidy tables, keeping the categorical columns categorical (with the union of categories)."""
    out = pd.concat(frames, ignore_index=True)
    for col in (c for c in ("policy", "station", "outcome", "stream", "class") if c in out.columns):
        cats = list(dict.fromkeys(c for f in frames for c in f[col].cat.categories))
        if not (isinstance(out[col].dtype, pd.CategoricalDtype) and list(out[col].cat.categories) == cats):
            out[col] = pd.Categorical(out[col], categories=cats)  # categories differed: pandas made text
    return out


def run_scenario(
    scenario: Scenario,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    policies: Sequence[str] | None = None,
    scheduler: str | None = None,
    visits: str = "memory",
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
    visits : {"memory", "disk", "none"}
        Where the per-visit table goes. ``"memory"``: ``Results.visits``, a DataFrame.
        ``"disk"``: each replication's visits are written to a temporary ``visits.csv`` as
        they arrive (memory stays flat however many replications), :meth:`Results.save`
        writes it into the folder, and ``Results.visits`` is None (``Results.read_visits()``
        loads it). ``"none"``: not kept at all (``loket run --no-visits``). The statistics
        and charts are the same in every case.

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
    if visits not in VISITS_MODES:
        raise ValueError(f"visits must be one of {VISITS_MODES}, not {visits!r}")
    tasks = [(scenario, r, names, visits) for r in range(1, total + 1)]
    stats, overall, people, trips, classes = [], [], [], [], []
    charts: list[list[pd.DataFrame]] = [[] for _ in names]
    kept: list[list[pd.DataFrame]] = [[] for _ in names]
    pooled: dict = {}
    spool = VisitsSpool(names, VISIT_COLUMNS, visit_dtypes(scenario, names)) if visits == "disk" else None

    def take(result: _Reduced) -> None:
        # Results arrive in replication order; each is folded in and dropped, so memory holds
        # the statistics and the charts' few columns, not every replication's visits.
        stats.append(result.stats)
        overall.append(result.overall)
        people.append(result.citizens)
        trips.append(result.trips)
        if result.classes is not None:
            classes.append(result.classes)
        for key, w in result.served_waits.items():
            pooled.setdefault(key, []).append(w)
        for i, frame in enumerate(result.charts):
            charts[i].append(frame)
        if result.visits is not None:
            for i, frame in enumerate(result.visits):
                kept[i].append(frame)
        if spool is not None:
            spool.append(result.visits_csv)
        if progress:
            progress(len(stats), total)

    try:
        for_each_result(_reduce_replication, tasks, take, jobs=jobs, scheduler=scheduler)
    except BaseException:
        if spool is not None:
            spool.remove()
        raise
    if spool is not None:
        spool.close()
    # Tidy order: policy, then replication, then citizen.
    by_policy = _policy_key(names)
    replications = pd.concat(stats, ignore_index=True)
    replications = replications.sort_values(["policy", "replication"], key=by_policy, kind="stable")
    replications = replications.reset_index(drop=True)
    overall = pd.concat(overall, ignore_index=True)
    overall = overall.sort_values(["policy", "replication"], key=by_policy, kind="stable").reset_index(drop=True)
    people = pd.concat(people, ignore_index=True)
    people = people.sort_values(["policy", "replication"], key=by_policy, kind="stable").reset_index(drop=True)
    pooled = {key: np.concatenate(parts) for key, parts in pooled.items()}
    summary = summarise(replications, None, scenario, pooled=pooled)
    comparison = (compare_policies(replications, overall, None, scenario, names, people, pooled=pooled)
                  if len(names) > 1 else None)
    by_class = (summarise_by_class(None, scenario, per_replication=pd.concat(classes, ignore_index=True))
                if classes else None)
    trips = trips_until_served(pd.concat(trips, ignore_index=True), names)
    citizens = summarise_citizens(people, scenario)
    chart_table = _concat_categorical([f for frames in charts for f in frames])
    table = _concat_categorical([f for frames in kept for f in frames]) if visits == "memory" else None
    info = {"jobs": jobs, **({"scheduler": scheduler} if scheduler else {}), "policies": names,
            "started_utc": started, "wall_time_seconds": elapsed(t0)}
    return Results(scenario, table, replications, summary, overall, comparison, by_class, trips, citizens, people,
                   info, chart_visits=chart_table, visits_spool=spool)


def visit_dtypes(scenario: Scenario, policies: Sequence[str]) -> dict:
    """The column types of the visit table (``Results.visits``), for reading ``visits.csv`` back."""
    category = pd.CategoricalDtype
    return {"policy": category(list(policies)), "replication": np.int64, "day": np.int64, "citizen": np.int64,
            "station": category(list(scenario.station_names)), "arrival": float, "service_start": float,
            "service_end": float, "wait": float, "outcome": category(list(OUTCOMES)),
            "stream": category([a.name for a in scenario.arrivals]), "step": np.int64,
            "class": category(list(scenario.class_names)), "trip": np.int64, "travel": float}


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
