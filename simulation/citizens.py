"""The citizens of one replication, drawn before anything about staffing is decided.

Who comes, when, for which services and how long each service will take are properties of
the citizens, not of the office: they are drawn here, up front and in blocks, from the
replication's named random streams (:mod:`simulation.streams`). Every staffing policy of a
scenario is then simulated on the very same :class:`Citizens` — common random numbers —
so a difference between policies is the policy's doing, not the dice's.

Arrivals follow a non-homogeneous Poisson process whose rate is constant within each open
clock hour. They are generated exactly by time change: the points of a unit-rate Poisson
process are mapped through the inverse of the cumulative arrival intensity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .calendar import OfficeCalendar
from .scenario import GENERAL_PRIORITY, Scenario
from .streams import random_stream

__all__ = ["Citizens", "draw_citizens", "poisson_arrivals"]

_MAX_STEPS = 1000  # routing is checked to terminate; this only bounds pathological loops
_ROUTING_BLOCK = 4  # routing uniforms drawn per citizen at a time


@dataclass(frozen=True)
class Citizens:
    """Citizens in order of arrival, and the visits each will make (citizen-major order).

    Citizen ``i`` arrives at ``arrival[i]`` and makes visits ``first_visit[i]`` up to (not
    including) ``first_visit[i + 1]``, in order: visit ``k`` is to station
    ``visit_station[k]`` and needs ``visit_service[k]`` minutes of an officer's time.
    """

    arrival: np.ndarray
    stream: np.ndarray
    first_visit: np.ndarray
    visit_station: np.ndarray
    visit_service: np.ndarray
    visit_channel: np.ndarray | None = None
    """A uniform draw per visit: the visit goes online when it is below the online share."""
    klass: np.ndarray | None = None
    """Index into ``Scenario.class_names`` of each citizen (0: general)."""
    priority: np.ndarray | None = None
    """Queue priority of each citizen: lower is served first."""
    travel: np.ndarray | None = None
    """One-way travel time to the office of each citizen, minutes (0: not modelled)."""
    return_probability: np.ndarray | None = None
    """Chance that the citizen comes back the next working day after being sent home unserved."""
    max_trips: np.ndarray | None = None
    """Trips a citizen makes at most (the first included)."""
    return_draws: np.ndarray | None = None
    """(citizens, max trips) uniform draws deciding each return (below the probability: returns)."""
    visit_patience: np.ndarray | None = None
    """Minutes the citizen will wait at the station before leaving unserved (inf: no limit)."""

    def __post_init__(self):
        # Hand-made citizens: nobody goes online, everyone waits as long as it takes.
        if self.visit_channel is None:
            object.__setattr__(self, "visit_channel", np.ones(len(self.visit_station)))
        if self.klass is None:
            object.__setattr__(self, "klass", np.zeros(len(self.arrival), dtype=np.int64))
        if self.priority is None:
            object.__setattr__(self, "priority", np.full(len(self.arrival), 9, dtype=np.int64))
        n = len(self.arrival)
        for name, value in (("travel", np.zeros(n)), ("return_probability", np.zeros(n)),
                            ("max_trips", np.ones(n, dtype=np.int64)), ("return_draws", np.ones((n, 1)))):
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)
        if self.visit_patience is None:
            object.__setattr__(self, "visit_patience", np.full(len(self.visit_station), np.inf))

    def __len__(self) -> int:
        return len(self.arrival)

    @property
    def visit_citizen(self) -> np.ndarray:
        """Index of the citizen making each visit."""
        return np.repeat(np.arange(len(self.arrival)), np.diff(self.first_visit))

    @property
    def visit_step(self) -> np.ndarray:
        """0 for a citizen's first visit, 1 for the next, ..."""
        counts = np.diff(self.first_visit)
        return np.arange(len(self.visit_station)) - np.repeat(self.first_visit[:-1], counts)


def poisson_arrivals(
    starts: np.ndarray, ends: np.ndarray, rates: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Exact arrival times of a Poisson process with rate ``rates[j]`` on ``[starts[j], ends[j])``."""
    widths = (ends - starts) * rates
    cum = np.concatenate([[0.0], np.cumsum(widths)])
    total = cum[-1]
    if total <= 0:
        return np.empty(0)
    block = int(total + 6 * np.sqrt(total) + 16)
    points = np.cumsum(rng.exponential(1.0, block))
    while points[-1] < total:  # rarely needed: continue the same unit-rate process
        points = np.concatenate([points, points[-1] + np.cumsum(rng.exponential(1.0, block))])
    points = points[points < total]
    # side="right" skips zero-rate hours (zero width in intensity space).
    seg = np.searchsorted(cum, points, side="right") - 1
    return starts[seg] + (points - cum[seg]) / rates[seg]


def _routes(first: int, n: int, cum_next: np.ndarray, rng: np.random.Generator):
    """Stations visited by ``n`` citizens who all start at station ``first``.

    Returns ``(citizen, step, station)`` arrays, one entry per visit.
    """
    citizen = [np.arange(n)]
    step = [np.zeros(n, dtype=np.int64)]
    station = [np.full(n, first, dtype=np.int64)]
    alive = np.arange(n)
    current = np.full(n, first, dtype=np.int64)
    uniforms = np.empty((n, 0))
    k = 0
    while len(alive) and k < _MAX_STEPS:
        if k % _ROUTING_BLOCK == 0:  # every citizen gets a fresh block, used or not
            uniforms = rng.random((n, _ROUTING_BLOCK))
        u = uniforms[alive, k % _ROUTING_BLOCK]
        goes = u[:, None] < cum_next[current]
        moves = goes.any(axis=1)
        alive, current = alive[moves], goes.argmax(axis=1)[moves]
        k += 1
        citizen.append(alive)
        step.append(np.full(len(alive), k, dtype=np.int64))
        station.append(current)
    return np.concatenate(citizen), np.concatenate(step), np.concatenate(station)


def draw_citizens(scenario: Scenario, calendar: OfficeCalendar, replication: int) -> Citizens:
    """All citizens of one replication, with their arrival times, routes and service times."""
    seed = scenario.run.seed
    cum_next = np.cumsum(scenario.routing_matrix(), axis=1)
    max_trips = max(a.max_trips for a in scenario.arrivals)
    parts = []
    for s_idx, arr in enumerate(scenario.arrivals):
        rng = random_stream(seed, replication, "arrivals", arr.name)
        times = poisson_arrivals(*calendar.hour_segments(scenario.hourly_rates(arr)), rng)
        n = len(times)
        rng = random_stream(seed, replication, "routing", arr.name)
        cit, step, station = _routes(scenario.station_index(arr.station), n, cum_next, rng)
        order = np.lexsort((step, cit))  # citizen-major, then step
        cit, station = cit[order], station[order]
        service = np.empty(len(station))
        channel = np.empty(len(station))
        patience = np.full(len(station), np.inf)
        for st_idx, st in enumerate(scenario.stations):
            mask = station == st_idx
            m = int(mask.sum())
            if m:
                key = f"{arr.name}>{st.name}"
                service[mask] = st.service.sample(random_stream(seed, replication, "service", key), m)
                channel[mask] = random_stream(seed, replication, "channel", key).random(m)
                if st.patience is not None:
                    patience[mask] = st.patience.sample(random_stream(seed, replication, "patience", key), m)
        klass = np.zeros(n, dtype=np.int64)
        priority = np.full(n, GENERAL_PRIORITY, dtype=np.int64)
        if arr.classes:
            u = random_stream(seed, replication, "class", arr.name).random(n)
            edges = np.cumsum([c.share for c in arr.classes])
            which = np.searchsorted(edges, u, side="right")  # len(classes): general
            for j, c in enumerate(arr.classes):
                klass[which == j] = scenario.class_names.index(c.name)
                priority[which == j] = c.priority
        travel = (arr.travel.sample(random_stream(seed, replication, "travel", arr.name), n)
                  if arr.travel is not None else np.zeros(n))
        draws = random_stream(seed, replication, "return", arr.name).random((n, max_trips))
        parts.append((times, np.full(n, s_idx), cit, station, service, channel, patience, klass, priority,
                      travel, np.full(n, arr.return_probability), np.full(n, arr.max_trips), draws))

    arrival = np.concatenate([p[0] for p in parts])
    stream = np.concatenate([p[1] for p in parts]).astype(np.int64)
    counts = np.concatenate([np.bincount(p[2], minlength=len(p[0])) for p in parts])
    v_station = np.concatenate([p[3] for p in parts])
    v_service = np.concatenate([p[4] for p in parts])
    v_channel = np.concatenate([p[5] for p in parts])
    v_patience = np.concatenate([p[6] for p in parts])
    klass = np.concatenate([p[7] for p in parts])
    priority = np.concatenate([p[8] for p in parts])
    travel = np.concatenate([p[9] for p in parts])
    return_p = np.concatenate([p[10] for p in parts])
    trips = np.concatenate([p[11] for p in parts]).astype(np.int64)
    draws = np.concatenate([p[12] for p in parts])
    # Merge the streams by arrival time (ties, which have probability zero, by stream).
    order = np.lexsort((stream, arrival))
    old_first = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    new_counts = counts[order]
    new_first = np.concatenate([[0], np.cumsum(new_counts)]).astype(np.int64)
    # Visit j of the merged list is visit (j - new_first[i]) of citizen i, found in the
    # per-stream lists at old_first[order[i]] + that offset.
    visit_order = np.arange(new_first[-1]) + np.repeat(old_first[:-1][order] - new_first[:-1], new_counts)
    return Citizens(
        arrival=arrival[order],
        stream=stream[order],
        first_visit=new_first,
        visit_station=v_station[visit_order],
        visit_service=v_service[visit_order],
        klass=klass[order],
        priority=priority[order],
        travel=travel[order],
        return_probability=return_p[order],
        max_trips=trips[order],
        return_draws=draws[order],
        visit_channel=v_channel[visit_order],
        visit_patience=v_patience[visit_order],
    )
