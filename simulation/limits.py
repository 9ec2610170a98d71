"""Sizes Loket refuses before it starts: every limit in one place, and the estimates behind them.

A hand-edited scenario can ask for the impossible with one typo — ``per_hour = 2e9``,
``days = 90000``, ``next = { desk = 0.999 }`` (a citizen who comes back to the same desk a
thousand times), ``--replications 100000`` — and the machine would then fill its memory or
run for days before saying anything. Everything here is estimated from the scenario alone,
before any simulation, so such a run stops at once with one line saying what is too large
and what the limit is.

The limits are far beyond any real office (the shipped Dukcapil scenario is about 9,000
counter visits per replication and 30 replications) and small enough for a laptop:

* a scenario file: at most :data:`MAX_SCENARIO_BYTES`, a regular file, nested at most
  :data:`MAX_NESTING` tables/lists deep, whole numbers below 2**63;
* times in minutes (service, patience and travel times, targets): at most
  :data:`MAX_MINUTES` (one week); coefficients of variation between :data:`MIN_CV` and
  :data:`MAX_CV`; arrival rates at most :data:`MAX_RATE_PER_HOUR`;
* :data:`MAX_DAYS` simulated days, :data:`MAX_REPLICATIONS` replications, :data:`MAX_SEED`;
* expected visits: at most :data:`MAX_CITIZENS` citizens and :data:`MAX_VISITS` visits per
  replication and policy, at most :data:`MAX_VISITS_PER_CITIZEN` visits per citizen
  (routing loops included: from the routing matrix ``P``, a citizen starting at station
  ``i`` makes ``[(I - P)^-1 1]_i`` visits on average);
* memory: the estimated peak of the main process (it keeps every visit of every
  replication) and of each worker (one replication of every policy at a time) must fit in
  :data:`MEMORY_SHARE` of the machine's memory; the results folder must fit on the disk;
* ``--jobs`` above the number of CPUs is lowered to it (with a note); a sweep tries at most
  :data:`MAX_SWEEP_POINTS` shares.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .scenario import Scenario

__all__ = [
    "MAX_SCENARIO_BYTES",
    "MAX_NESTING",
    "MAX_INT",
    "MAX_MINUTES",
    "MIN_CV",
    "MAX_CV",
    "MAX_RATE_PER_HOUR",
    "MAX_DAYS",
    "MAX_REPLICATIONS",
    "MAX_SEED",
    "MAX_CITIZENS",
    "MAX_VISITS",
    "MAX_VISITS_PER_CITIZEN",
    "MAX_SWEEP_POINTS",
    "MAX_TEXT",
    "MAX_LABEL",
    "MEMORY_SHARE",
    "SizeError",
    "RunSize",
    "available_cpus",
    "machine_memory",
    "visits_per_citizen",
    "expected_visits",
    "estimate_run",
    "check_run",
]

MAX_SCENARIO_BYTES = 1_000_000
"""A scenario file is a few kilobytes; a megabyte leaves room for long empirical service-time lists."""
MAX_NESTING = 20
"""Tables and lists inside each other; a scenario needs four."""
MAX_INT = 2**63 - 1
"""Whole numbers in a scenario (and seeds) must be below this: what the random-number library takes."""
MAX_MINUTES = 10_080.0
"""A week: no counter service, patience, journey or service standard is longer."""
MIN_CV = 1e-3
"""Below this a coefficient of variation is a constant: write ``dist = "deterministic"``."""
MAX_CV = 10.0
MAX_RATE_PER_HOUR = 1e6
MAX_DAYS = 2_000
"""Eight years of working days."""
MAX_REPLICATIONS = 10_000
MAX_SEED = MAX_INT
MAX_CITIZENS = 5_000_000
"""Per replication: far beyond any real office, small enough for memory."""
MAX_VISITS = 10_000_000
"""Counter visits per replication and policy."""
MAX_VISITS_PER_CITIZEN = 100.0
"""Expected visits of one citizen on one trip; a routing loop such as ``next = { desk = 0.999 }`` means 1,000."""
MAX_SWEEP_POINTS = 101
"""``--wfh-share 0:1:0.01``."""
MAX_TEXT = 10_000
"""Characters of free text (a description)."""
MAX_LABEL = 200
"""Characters of a label shown in charts and tables."""
MEMORY_SHARE = 0.8
"""Share of the machine's memory a run may plan to use."""

# Measured on the shipped scenario and on a 24-hour office with 216,000 visits (Python 3.11,
# pandas 3): the main process holds about 330 bytes per visit row of all replications, plus
# the copies made when the tables are put together; a worker about 600 bytes per visit of
# the replication it simulates (SimPy processes, the visit log, the tidy table). The
# estimates below use about three times those figures.
_BASE_BYTES = 300 * 2**20
"""Python, numpy, pandas, matplotlib and the charts."""
_PARENT_BYTES_PER_ROW = 1_000
_WORKER_BYTES_PER_VISIT = 2_000
_CSV_BYTES_PER_ROW = 120


class SizeError(ValueError):
    """A run that is too large to attempt: ``str()`` says what, how large and the limit."""


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def machine_memory() -> int:
    """Bytes of memory this process may use: physical memory, or a smaller cgroup limit."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
        total = 8 * 2**30
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            total = int(text)
    return total


def visits_per_citizen(routing: np.ndarray) -> np.ndarray:
    """Expected visits of a citizen who starts at each station: ``(I - P)^-1 1`` (inf for a loop never left)."""
    n = len(routing)
    if n == 0:
        return np.zeros(0)
    try:
        with np.errstate(all="ignore"):
            visits = np.linalg.solve(np.eye(n) - routing, np.ones(n))
    except np.linalg.LinAlgError:
        return np.full(n, np.inf)
    visits = np.where(np.isfinite(visits) & (visits >= 1 - 1e-9), visits, np.inf)
    return visits


def expected_visits(scenario: Scenario) -> tuple[float, float, float]:
    """``(citizens, visits, visits_with_returns)`` expected per replication and policy.

    Citizens from the hourly rates, the busiest weekday's demand multiplier and the number of
    days; visits through the routing matrix; ``visits_with_returns`` also counts every return
    trip a citizen may make (the most there can be: as if every trip failed).
    """
    per_visit = visits_per_citizen(scenario.routing_matrix())
    demand = 1.0
    if scenario.calendar is not None and scenario.calendar.demand:
        demand = max(1.0, max(scenario.calendar.demand.values()))
    citizens = visits = with_returns = 0.0
    for arr in scenario.arrivals:
        with np.errstate(all="ignore"):
            per_day = float(np.sum(scenario.hourly_rates(arr))) * demand
        n = per_day * scenario.run.days
        v = n * float(per_visit[scenario.station_index(arr.station)]) if n > 0 else 0.0
        p = arr.return_probability
        trips = sum(p**k for k in range(arr.max_trips))
        citizens += n
        visits += v
        with_returns += v * trips
    return citizens, visits, with_returns


@dataclass(frozen=True)
class RunSize:
    """What a run is expected to need."""

    citizens: float
    """Per replication and policy."""
    visits: float
    """Per replication and policy (return trips not counted)."""
    rows: float
    """Visit rows of the whole run (every replication and policy, returns counted): ``visits.csv``."""
    parent_bytes: float
    worker_bytes: float
    disk_bytes: float
    jobs: int


def estimate_run(scenario: Scenario, replications: int | None = None, policies: int | None = None,
                 jobs: int = 1) -> RunSize:
    """Estimated memory and disk of a run (see the module docstring for the figures)."""
    replications = scenario.run.replications if replications is None else replications
    policies = len(scenario.staffing_policies()) if policies is None else policies
    citizens, visits, with_returns = expected_visits(scenario)
    rows = with_returns * replications * policies
    jobs = max(1, min(jobs, replications))
    parent = _BASE_BYTES + rows * _PARENT_BYTES_PER_ROW
    worker = _BASE_BYTES + with_returns * policies * _WORKER_BYTES_PER_VISIT
    if jobs == 1:  # the main process simulates, too
        parent += worker - _BASE_BYTES
        worker = 0.0
    return RunSize(citizens, visits, rows, parent, worker, rows * _CSV_BYTES_PER_ROW, jobs)


def _gb(x: float) -> str:
    return f"{x / 2**30:,.1f} GB"


def check_run(scenario: Scenario, replications: int | None = None, policies: int | None = None, jobs: int = 1,
              out: Path | None = None) -> RunSize:
    """Refuse (:class:`SizeError`) a run that cannot fit: too many visits, memory or disk."""
    size = estimate_run(scenario, replications, policies, jobs)
    replications = scenario.run.replications if replications is None else replications
    if replications > MAX_REPLICATIONS:
        raise SizeError(f"{replications:,} replications; the limit is {MAX_REPLICATIONS:,}")
    if not math.isfinite(size.rows) or size.rows > 1e15:
        raise SizeError("the run would never end: check the hourly rates, [run] days and 'next' probabilities")
    memory = machine_memory() * MEMORY_SHARE
    need = size.parent_bytes + size.jobs * size.worker_bytes
    if need > memory:
        raise SizeError(
            f"about {size.rows:,.0f} visits in all ({size.visits:,.0f} per replication and policy, x {replications:,} "
            f"replications x {policies or len(scenario.staffing_policies())} policies) would need about "
            f"{_gb(need)} of memory; this machine has {_gb(machine_memory())}. Use fewer replications, days or "
            "policies (or fewer --jobs)")
    if out is not None:
        where = Path(out).absolute()
        while not where.exists() and where != where.parent:
            where = where.parent
        try:
            free = shutil.disk_usage(where).free
        except OSError:
            free = math.inf
        if size.disk_bytes > free:
            raise SizeError(f"the results (about {_gb(size.disk_bytes)}, mostly visits.csv) would not fit on the disk "
                            f"holding {where} ({_gb(free)} free)")
    return size
