"""How fast is one replication of the engine, next to a bare SimPy M/M/c loop?

The engine does more than queue citizens: it draws them from named random streams,
walks each one's route through the stations, records every visit, and turns the record
into a tidy table and per-station statistics. This script measures what that costs, by
timing — side by side, in the same process — three things on one M/M/c workload:

(a) ``bare``    a minimal SimPy M/M/c loop in the style of SimPy's bank example: one
                source process, one ``simpy.Resource`` with ``c`` slots, one generator
                process per customer that requests a slot, holds it for its service time
                and appends ``(citizen, arrival, start, end)`` to a list;
(b) ``office``  the engine's SimPy model alone: ``Office(calendar, citizens, staff).run()``;
(c) ``replication``  a full ``run_replication``: drawing the citizens, the simulation,
                the tidy visits table and the per-station statistics.

(a) is given exactly the arrival and service times the engine draws for (b) and (c), and
the script checks that it computes the same waits as the engine, to within 1e-9 minutes;
if not, the two are not simulating the same workload and the script exits with an error.

The workload is a 24-hour office (one continuous queue across days) with one station of
``c = 3`` officers, Poisson arrivals at 15 per hour and exponential service with mean 10
minutes: utilisation rho = 15/60 * 10/3 = 0.83. ``--days 150`` gives about 54,000 citizens.

Times are wall-clock (``time.perf_counter``), best and median of ``--repeats`` runs, the
three contenders interleaved so that drift in machine load affects each alike. Peak
memory is measured with ``tracemalloc`` in separate, untimed runs (tracing slows Python
down several times, so it must not mix with the timings).

The requirement checked is that one replication, (c), takes at most twice as long as (a).

Run from the project root::

    python benchmarks/bench_replication.py [--days 150] [--repeats 5]
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
import simpy

from simulation import Office, draw_citizens, office_calendar, parse_scenario, run_replication

STAFF = 3
ARRIVALS_PER_HOUR = 15.0
MEAN_SERVICE_MINUTES = 10.0
TOLERANCE = 1e-9  # minutes
TARGET_RATIO = 2.0


def bench_scenario(days: int):
    """A 24-hour M/M/3 office with utilisation 0.83, simulated for ``days`` days."""
    return parse_scenario(
        {
            "name": "bench",
            "run": {"days": days, "open": "00:00", "close": "24:00", "replications": 1, "seed": 1},
            "stations": [
                {
                    "name": "desk",
                    "staff": STAFF,
                    "service": {"dist": "exponential", "mean": MEAN_SERVICE_MINUTES},
                }
            ],
            "arrivals": [{"station": "desk", "per_hour": ARRIVALS_PER_HOUR}],
        }
    )


# -- the contenders ----------------------------------------------------------------------


def bare_mmc(arrival: np.ndarray, service: np.ndarray, servers: int) -> list[tuple]:
    """A bare SimPy M/M/c queue fed precomputed arrival and service times.

    Returns one ``(customer, arrival, start, end)`` tuple per customer, in order of
    departure.
    """
    env = simpy.Environment()
    counters = simpy.Resource(env, capacity=servers)
    records: list[tuple] = []

    def customer(i: int, s: float):
        arrived = env.now
        with counters.request() as req:
            yield req
            start = env.now
            yield env.timeout(s)
        records.append((i, arrived, start, env.now))

    def source():
        for i, (t, s) in enumerate(zip(arrival.tolist(), service.tolist())):
            yield env.timeout(t - env.now)
            env.process(customer(i, s))

    env.process(source())
    env.run()
    return records


def bare_waits(records: list[tuple], n: int) -> np.ndarray:
    """Waits of the bare loop, indexed by customer."""
    i, arrived, start, _ = (np.asarray(c) for c in zip(*records))
    waits = np.full(n, np.nan)
    waits[i] = start - arrived
    return waits


# -- measuring ---------------------------------------------------------------------------


def time_interleaved(contenders: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Wall-clock seconds of each contender, ``repeats`` times, interleaved round-robin."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            gc.collect()  # start each run from a clean heap; the collector stays enabled
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes allocated (as seen by tracemalloc) while running ``fn``, result included."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=150, help="simulated 24-hour days (default 150, ~54,000 citizens)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each contender (default 5)")
    args = parser.parse_args(argv)
    if args.days < 1 or args.repeats < 1:
        parser.error("--days and --repeats must be at least 1")

    scenario = bench_scenario(args.days)
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, replication=1)
    n = len(citizens)
    if len(citizens.visit_service) != n:
        sys.exit(f"error: expected one visit per citizen, got {len(citizens.visit_service)} visits for {n} citizens")
    arrival, service = citizens.arrival, citizens.visit_service
    staff = [s.staff for s in scenario.stations]

    def run_bare():
        return bare_mmc(arrival, service, STAFF)

    def run_office():
        return Office(calendar, citizens, staff, after_close="serve").run()

    def run_full():
        return run_replication(scenario, 1)

    # Same workload? The bare loop must reproduce the engine's waits, visit by visit.
    log = run_office()
    engine_waits = log.wait_end - log.arrival
    waits = bare_waits(run_bare(), n)
    full = run_full()
    full_waits = full.visits["wait"].to_numpy()
    worst = max(float(np.max(np.abs(waits - engine_waits))), float(np.max(np.abs(full_waits - engine_waits))))
    if np.isnan(waits).any() or np.isnan(engine_waits).any() or len(full_waits) != n or not worst <= TOLERANCE:
        sys.exit(f"error: the bare loop and the engine disagree on the waits (largest difference {worst:.3g} min)")

    print(f"Python {platform.python_version()}, SimPy {simpy.__version__}, numpy {np.__version__}, "
          f"pandas {pd.__version__}, {platform.machine()}")
    print(f"M/M/{STAFF}, {ARRIVALS_PER_HOUR:g}/h, mean service {MEAN_SERVICE_MINUTES:g} min "
          f"(rho = {ARRIVALS_PER_HOUR / 60 * MEAN_SERVICE_MINUTES / STAFF:.2f}), {args.days} days: "
          f"{n:,} citizens, mean wait {np.mean(engine_waits):.2f} min")
    print(f"waits identical: bare loop vs engine, largest difference {worst:.1e} min over {n:,} citizens")
    print()

    contenders = {
        "(a) bare SimPy M/M/c": run_bare,
        "(b) Office.run": run_office,
        "(c) run_replication": run_full,
    }
    times = time_interleaved(contenders, args.repeats)
    best = {name: min(t) for name, t in times.items()}
    median = {name: statistics.median(t) for name, t in times.items()}
    peaks = {name: peak_memory(fn) for name, fn in contenders.items()}

    base = next(iter(contenders))
    print(f"best and median of {args.repeats} runs; peak memory from separate tracemalloc runs")
    header = f"{'':24} {'best s':>8} {'median s':>9} {'us/citizen':>11} {'x bare':>7} {'peak MiB':>9} {'x bare':>7}"
    print(header)
    print("-" * len(header))
    for name in contenders:
        print(
            f"{name:24} {best[name]:8.3f} {median[name]:9.3f} {1e6 * best[name] / n:11.1f} "
            f"{best[name] / best[base]:7.2f} {peaks[name] / 2**20:9.1f} {peaks[name] / peaks[base]:7.2f}"
        )
    print()

    office_ratio = best["(b) Office.run"] / best[base]
    full_ratio = best["(c) run_replication"] / best[base]
    median_ratio = median["(c) run_replication"] / median[base]
    verdict = "within" if full_ratio <= TARGET_RATIO else "NOT within"
    print(f"ratio (b)/(a), simulation only:    {office_ratio:.2f}")
    print(f"ratio (c)/(a), one replication:    {full_ratio:.2f} (medians: {median_ratio:.2f})")
    print(f"one replication is {verdict} {TARGET_RATIO:g}x of the bare SimPy loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
