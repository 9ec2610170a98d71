"""The office in SimPy: citizens queueing at staffed counters.

Each station is a :class:`CounterPool`, a SimPy resource whose slots are the counters that
are staffed right now. Each citizen is a generator process that walks its route: at every
station it takes a queue number and waits for a free counter
(``with pool.request() as req: yield req``), is served for the time it needs, and goes on
to the next station or home. Queues are first come, first served.

When the office closes, no new citizens come in. What happens to those still waiting is
the scenario's ``after_close``: ``serve`` (the officers stay until the queue is empty) or
``turn_away`` (everyone still waiting is sent home, outcome ``turned_away``). A 24-hour
office never closes between days, so its queue carries on across midnight.

The model only records what happens — one row per visit — and never prints or writes.
Statistics, tables and charts are made from the record elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import simpy

from .calendar import OfficeCalendar
from .citizens import Citizens

__all__ = ["CounterPool", "Office", "VisitLog", "OUTCOMES", "NOT_MADE"]

OUTCOMES = ("served", "turned_away", "reneged", "balked", "online")
SERVED, TURNED_AWAY, RENEGED, BALKED, ONLINE = range(len(OUTCOMES))
NOT_MADE = -1  # a visit on the citizen's route that never happened (sent home earlier)


class CounterPool(simpy.Resource):
    """The counters of one station; how many are staffed may change during the day.

    Lowering the staff never interrupts a service: an officer whose counter closes finishes
    the citizen in front of them, and no new citizen is called until a counter is free
    under the new staffing. Raising it calls waiting citizens at once.
    """

    def __init__(self, env: simpy.Environment, staff: int):
        super().__init__(env, capacity=max(int(staff), 1))
        self._capacity = int(staff)

    @property
    def staff(self) -> int:
        return self._capacity

    def set_staff(self, staff: int) -> None:
        added = int(staff) - self._capacity
        self._capacity = int(staff)
        for _ in range(added):  # each trigger calls at most one waiting citizen
            self._trigger_put(None)


@dataclass(frozen=True)
class VisitLog:
    """What happened on every planned visit (indexed like ``Citizens.visit_station``).

    ``wait_end`` is when the citizen stopped waiting: service start for ``served``, the
    moment they left otherwise. Visits never made have outcome :data:`NOT_MADE`.
    """

    arrival: np.ndarray
    wait_end: np.ndarray
    service_end: np.ndarray
    outcome: np.ndarray


class Office:
    """One replication of one staffing arrangement, on a given set of citizens."""

    def __init__(
        self,
        calendar: OfficeCalendar,
        citizens: Citizens,
        staff: Sequence[int],
        after_close: str = "serve",
    ):
        self.env = simpy.Environment()
        self.calendar = calendar
        self.citizens = citizens
        self.pools = [CounterPool(self.env, n) for n in staff]
        self.turn_away = after_close == "turn_away"
        self.accepting = True
        self._records: list[tuple] = []
        # Python lists index faster than numpy arrays inside the event loop.
        self._first = citizens.first_visit.tolist()
        self._station = citizens.visit_station.tolist()
        self._service = citizens.visit_service.tolist()

    # -- processes -----------------------------------------------------------------------
    def _arrivals(self):
        env = self.env
        citizen = self._citizen
        for i, t in enumerate(self.citizens.arrival.tolist()):
            yield env.timeout(t - env.now)
            env.process(citizen(i))

    def _citizen(self, i: int):
        env = self.env
        record = self._records.append
        for k in range(self._first[i], self._first[i + 1]):
            arrival = env.now
            if not self.accepting:  # reached this station after the doors closed
                record((k, arrival, arrival, np.nan, TURNED_AWAY))
                return
            with self.pools[self._station[k]].request() as req:
                req.citizen = env.active_process  # so closing time can find who waits
                try:
                    yield req
                except simpy.Interrupt:
                    record((k, arrival, env.now, np.nan, TURNED_AWAY))
                    return
                start = env.now
                yield env.timeout(self._service[k])
            record((k, arrival, start, env.now, SERVED))

    def _doors(self):
        """Closing time with ``after_close = "turn_away"``: send everyone waiting home."""
        env = self.env
        cal = self.calendar
        closings = [cal.end] if cal.continuous else cal.closes.tolist()
        reopenings = [] if cal.continuous else cal.opens[1:].tolist() + [np.inf]
        for d, close in enumerate(closings):
            yield env.timeout(close - env.now)
            self.accepting = False
            for pool in self.pools:
                for req in list(pool.queue):
                    req.citizen.interrupt("closed")
            if d < len(reopenings) and np.isfinite(reopenings[d]):
                yield env.timeout(reopenings[d] - env.now)
                self.accepting = True

    # -- running -------------------------------------------------------------------------
    def run(self) -> VisitLog:
        """Simulate until every citizen has gone home; return the visit log."""
        self.env.process(self._arrivals())
        if self.turn_away:
            self.env.process(self._doors())
        self.env.run()
        m = len(self.citizens.visit_station)
        arrival = np.full(m, np.nan)
        wait_end = np.full(m, np.nan)
        service_end = np.full(m, np.nan)
        outcome = np.full(m, NOT_MADE, dtype=np.int8)
        if self._records:
            k, a, w, e, o = (np.asarray(c) for c in zip(*self._records))
            arrival[k], wait_end[k], service_end[k], outcome[k] = a, w, e, o
        return VisitLog(arrival, wait_end, service_end, outcome)
