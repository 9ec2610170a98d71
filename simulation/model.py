"""The office in SimPy: citizens queueing at staffed counters.

Each station is a :class:`CounterPool`, a SimPy resource whose slots are the counters that
are staffed right now. Each citizen is a generator process that walks its route: at every
station they look at the queue (and may leave at once: ``balked``), take a queue number
(unless the day's quota is gone: ``turned_away``) and wait for a free counter
(``with pool.request() as req: yield req``) — or until their patience runs out
(``reneged``) — are served for the time they need, and go on to the next station or home.
Queues are first come, first served; with priority classes, the elderly, disabled and
pregnant are called first (never interrupting a service).

The working day drives the staffing: each roster hour sets how many officers sit at the
counters, breaks set it to zero (those being served are finished), and officers working
from home handle online requests and may be recalled when the queue gets long. When the
office closes, no new citizens come in. What happens to those still waiting is the
scenario's ``after_close``: ``serve`` (the officers at the counters stay until their queue
is empty; at a desk where nobody is at a counter at closing — a roster hour of 0, everyone
at home — those waiting are sent home, and so is anyone who reaches such a desk after
closing) or ``turn_away`` (everyone still waiting is sent home, outcome ``turned_away``).
No wait spans a night. A citizen sent home may come back on the next working day. A
24-hour office never closes between days, so its queue carries on across midnight.

The model only records what happens — one row per visit — and never prints or writes.
Statistics, tables and charts are made from the record elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import simpy
from simpy.events import URGENT, Event

from .calendar import OfficeCalendar
from .citizens import Citizens
from .outcomes import NOT_MADE, OUTCOMES, Outcome
from .policies import StaffingPlan

__all__ = ["CounterPool", "Office", "StationRules", "VisitLog", "OUTCOMES", "NOT_MADE"]

SERVED, TURNED_AWAY, RENEGED, BALKED, ONLINE = (int(o) for o in Outcome)
INF = float("inf")


class _Boundary(Event):
    """An instant of the office day — opening, a staffing change, closing — that is handled
    before anything else happening at the same instant.

    SimPy processes events of one instant in the order they were scheduled, so without this
    a citizen returning at 08:00 sharp could be looked at while the office is still in
    yesterday's state (doors shut, yesterday's queue numbers used up), and an officer
    finishing a service at closing time could call the next citizen before the queue is
    sent home. Scheduled as URGENT, the office's own changes come first.
    """

    def __init__(self, env: simpy.Environment, delay: float):
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, URGENT, delay)


@dataclass(frozen=True)
class StationRules:
    """Per-station rules for citizens who do not get in line (``inf`` = no such rule)."""

    quota: list[float]  # queue numbers per day
    balk_queue: list[float]  # leave at once if this many or more are waiting
    balk_wait: list[float]  # leave at once if the displayed expected wait is at least this
    mean_service: list[float]  # minutes, for the displayed expected wait

    def any(self) -> bool:
        return any(x < INF for x in self.quota + self.balk_queue + self.balk_wait)

    @classmethod
    def from_scenario(cls, scenario) -> StationRules:
        def val(x):
            return INF if x is None else float(x)

        st = scenario.stations
        return cls(
            quota=[val(s.daily_quota) for s in st],
            balk_queue=[val(s.balk_at_queue) for s in st],
            balk_wait=[val(s.balk_at_wait_minutes) for s in st],
            mean_service=[s.service.mean for s in st],
        )


class _Staffed:
    """Mixin: the number of slots is the number of officers at the counter, changeable."""

    _capacity: int

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


class CounterPool(_Staffed, simpy.Resource):
    """The counters of one station, first come first served; staffing may change during the day.

    Lowering the staff never interrupts a service: an officer whose counter closes finishes
    the citizen in front of them, and no new citizen is called until a counter is free
    under the new staffing. Raising it calls waiting citizens at once.
    """


class PriorityCounterPool(_Staffed, simpy.PriorityResource):
    """Counters where priority citizens (lower number) are called first, without interrupting anyone."""


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
    returns: dict | None = None
    """Visits on return trips (trip 2, 3, ...): arrays ``visit, trip, arrival, wait_end,
    service_end, outcome``, ordered by visit then trip. None when nobody came back."""
    still_to_return: np.ndarray | None = None
    """Citizens (indices) sent home unserved who would have come back, but whose next
    working day lies beyond the simulated period."""


class Office:
    """One replication of one staffing arrangement, on a given set of citizens.

    ``staff`` is the number of officers at each station's counters: one number per station
    for every day, or a ``(days, stations)`` array (a rota). ``plan`` — a
    :class:`~simulation.policies.StaffingPlan` — gives that array together with what the
    officers working from home do (online requests, recall on surge).
    """

    def __init__(
        self,
        calendar: OfficeCalendar,
        citizens: Citizens,
        staff: Sequence[int] | np.ndarray | None = None,
        after_close: str = "serve",
        plan: StaffingPlan | None = None,
        rules: StationRules | None = None,
    ):
        if plan is None:
            staff = np.asarray(staff)
            per_day = staff if staff.ndim == 2 else np.broadcast_to(staff[None, :], (calendar.days, len(staff)))
            plan = StaffingPlan.fixed(np.asarray(per_day))
        self.plan = plan
        self.env = simpy.Environment()
        self.calendar = calendar
        self.citizens = citizens
        n_st = plan.onsite.shape[1]
        self.prioritised = bool((citizens.priority != citizens.priority[0]).any()) if len(citizens) else False
        pool_type = PriorityCounterPool if self.prioritised else CounterPool
        self.pools = [pool_type(self.env, int(n)) for n in plan.onsite[0]]
        self.online_pools = [CounterPool(self.env, int(n)) for n in plan.at_home[0]]
        self.turn_away = after_close == "turn_away"
        # Closing sends waiting citizens home with "turn_away", and with "serve" at any desk
        # where nobody is at the counter then (a roster hour of 0, everyone at home): the
        # closing-time process must find them, so their queue tickets carry their process.
        self._tag_citizens = self.turn_away or bool((plan.hourly_onsite == 0).any())
        self.accepting = True
        self.day = 0
        self.staff_changes: list[tuple[float, int, int]] = [(0.0, s, int(n)) for s, n in enumerate(plan.onsite[0])]
        """(time, station, officers at the counter) each time the number changes."""
        self.recalls: list[tuple[int, float, float]] = []
        """(station, called at, arrives at) of every officer recalled from home."""
        self._recall_pending = [False] * n_st
        self._recalled_today = [0] * n_st
        self._extra = [0] * n_st  # recalled officers at the counter today
        self._onsite_now = plan.onsite[0].tolist()
        self._home_now = plan.at_home[0].tolist()
        self._in_break = False
        self._open = True
        self._records: list[tuple] = []
        self._online_waiting: dict[int, float] = {}
        # Python lists index faster than numpy arrays inside the event loop.
        self._first = citizens.first_visit.tolist()
        self._station = citizens.visit_station.tolist()
        self._service = citizens.visit_service.tolist()
        share = plan.online_share[citizens.visit_station]
        self._online = (citizens.visit_channel < share).tolist() if (plan.online_share > 0).any() else None
        self._recall_at = plan.recall_at.tolist() if (plan.recall_at > 0).any() else None
        # Only what this office uses becomes a Python list (lists of millions cost memory).
        finite = np.isfinite(citizens.visit_patience)
        self._patience = citizens.visit_patience.tolist() if finite.any() else None
        self._priority = citizens.priority.tolist() if self.prioritised else None
        self._returns = bool((citizens.return_probability > 0).any())
        self._rules = rules if rules is not None and rules.any() else None
        self._issued = [0] * n_st  # queue numbers handed out today, per station
        self._points_today: list[tuple[float, bool, int]] = []  # (time, in a break, roster hour)
        self._still_to_return: list[int] = []

    # -- processes -----------------------------------------------------------------------
    def _arrivals(self):
        env = self.env
        citizen = self._citizen
        first = self._first
        for i, t in enumerate(self.citizens.arrival.tolist()):
            yield env.timeout(t - env.now)
            env.process(citizen(i, first[i], 1))

    def _citizen(self, i: int, first: int, trip: int):
        """Citizen ``i`` on trip ``trip``, from visit ``first`` of their route onwards."""
        # Everything looked up once per citizen, not per visit: this loop runs for every
        # visit of every replication, and is most of a simulation's time.
        env = self.env
        record = self._records.append
        online, rules, patience_of = self._online, self._rules, self._patience
        priority = self._priority[i] if self.prioritised else None
        recall_at, pools, station, service = self._recall_at, self.pools, self._station, self._service
        tag_citizen = self._tag_citizens  # closing time sends the waiting home: it must find them
        trip_start = env.now
        for k in range(first, self._first[i + 1]):
            arrival = env.now
            s = station[k]
            if online is not None and online[k]:
                env.process(self._online_request(k, trip))
                return  # the request completes this trip's business
            pool = pools[s]
            # Reached this station after the doors closed, or after closing where nobody stays
            # at the counter to serve the queue ("serve" keeps only the officers still there).
            if not self.accepting or (not self._open and pool.staff == 0):
                self._sent_home(i, k, trip, trip_start, arrival, arrival, TURNED_AWAY)
                return
            if rules is not None:
                refused = self._refuse(s, len(pool.queue))
                if refused is not None:
                    self._sent_home(i, k, trip, trip_start, arrival, arrival, refused)
                    return
            with (pool.request() if priority is None else pool.request(priority=priority)) as req:
                req.visit = (k, trip, arrival)  # for whoever is still waiting when the simulation ends
                if tag_citizen:
                    req.citizen = env.active_process
                if recall_at is not None and 0 < recall_at[s] <= len(pool.queue):
                    self._call_in(s)
                try:
                    if patience_of is None or patience_of[k] == INF:
                        yield req
                    else:
                        yield req | env.timeout(patience_of[k])
                        if not req.triggered:  # patience ran out first
                            self._sent_home(i, k, trip, trip_start, arrival, env.now, RENEGED)
                            return
                except simpy.Interrupt:
                    self._sent_home(i, k, trip, trip_start, arrival, env.now, TURNED_AWAY)
                    return
                start = env.now
                yield env.timeout(service[k])
            record((k, trip, arrival, start, env.now, SERVED))

    def _sent_home(self, i, k, trip, trip_start, arrival, left, outcome) -> None:
        """Record a visit that ended unserved; the citizen may come back another working day."""
        self._records.append((k, trip, arrival, left, np.nan, outcome))
        cit = self.citizens
        comes_back = trip < cit.max_trips[i] and cit.return_draws[i, trip - 1] < cit.return_probability[i]
        if not self._returns or not comes_back:
            return
        cal = self.calendar
        day = self.day
        if day + 1 >= cal.days:
            self._still_to_return.append(i)  # they would come back after the simulated period
            return
        nxt = day + 1
        # Same time after opening as this trip began, or at opening if that day is shorter.
        offset = trip_start - cal.opens[day]
        length = cal.closes[nxt] - cal.opens[nxt]
        when = cal.opens[nxt] + (offset if 0 <= offset < length else 0.0)
        self.env.process(self._come_back(i, k, trip + 1, when))

    def _come_back(self, i: int, k: int, trip: int, when: float):
        yield self.env.timeout(when - self.env.now)
        yield from self._citizen(i, k, trip)

    def _refuse(self, s: int, waiting: int) -> int | None:
        """Balking and the daily quota: the outcome of a citizen sent away on arrival, or None.

        A citizen first looks at the queue (and may balk), then asks for a queue number.
        """
        rules = self._rules
        if waiting >= rules.balk_queue[s]:
            return BALKED
        if rules.balk_wait[s] < INF and self.displayed_wait(s, waiting) >= rules.balk_wait[s]:
            return BALKED
        if self._issued[s] >= rules.quota[s]:
            return TURNED_AWAY
        self._issued[s] += 1
        return None

    def displayed_wait(self, s: int, waiting: int) -> float:
        """The expected wait a queue display shows a newcomer at station ``s``.

        ``(waiting + 1) x mean service / officers at the counter``; when no counter is
        staffed right now (a break, a roster hour with nobody), the time until counters call
        again today plus the same expression with the officers who will be there. ``inf``
        when nobody will call again today.
        """
        mean = self._rules.mean_service[s] if self._rules is not None else 0.0
        staff = self.pools[s].staff
        if staff > 0:
            return (waiting + 1) * mean / staff
        now = self.env.now
        for t, in_break, h in self._points_today:
            if t > now and not in_break:
                n = int(self.plan.hourly_onsite[self.day, h, s]) + min(
                    self._extra[s], int(self.plan.hourly_at_home[self.day, h, s]))
                if n > 0:
                    return (t - now) + (waiting + 1) * mean / n
        return INF

    def _online_request(self, k: int, trip: int):
        """Visit ``k`` submitted online on trip ``trip``, handled by an officer working from home."""
        env = self.env
        s = self._station[k]
        arrival = env.now
        self._online_waiting[k] = (trip, arrival)
        with self.online_pools[s].request() as req:
            yield req
            del self._online_waiting[k]
            start = env.now
            yield env.timeout(self._service[k] / self.plan.online_speed[s])
        self._records.append((k, trip, arrival, start, env.now, ONLINE))

    def _call_in(self, s: int):
        if self._recall_pending[s] or self._recalled_today[s] >= self._home_now[s]:
            return
        self._recall_pending[s] = True
        self._recalled_today[s] += 1
        self._apply(s)  # they stop online work to travel in
        self.env.process(self._recalled_officer(s, self.day))

    def _recalled_officer(self, s: int, day: int):
        env = self.env
        called = env.now
        yield env.timeout(self.plan.recall_travel[s])
        self.recalls.append((s, called, env.now))
        self._recall_pending[s] = False
        if self.day == day and self._open:  # still the same working day: one more counter until tomorrow
            self._extra[s] += 1
            self._apply(s)

    def _apply(self, s: int) -> None:
        """Set station ``s``'s counters and online desk: the roster plus recalls; none in a
        break, none after closing when the queue is sent home."""
        closed = not self._open and self.turn_away
        # A recalled officer takes the place of a rostered colleague at home, never more: when
        # the roster drops later in the day, so does what recall can add.
        recalled = min(self._extra[s], self._home_now[s])
        counter = 0 if (self._in_break or closed) else self._onsite_now[s] + recalled
        online = 0 if (self._in_break or not self._open) else max(self._home_now[s] - self._recalled_today[s], 0)
        pool = self.pools[s]
        if pool.staff != counter:
            pool.set_staff(counter)
            self.staff_changes.append((self.env.now, s, counter))
        if self.online_pools[s].staff != online:
            self.online_pools[s].set_staff(online)

    def _days(self):
        """The working day: opening, roster changes each hour, breaks, closing time.

        Every one of these instants is a :class:`_Boundary`: the office changes state before
        any citizen who arrives, returns or finishes at the same instant is looked at.
        """
        env = self.env
        cal = self.calendar
        plan = self.plan
        n_st = len(self.pools)
        for d in range(cal.days):
            opens, closes = float(cal.opens[d]), float(cal.closes[d])
            if d > 0:
                yield _Boundary(env, opens - env.now)
                self.day = d
                self.accepting = True
                self._recalled_today = [0] * n_st
                self._extra = [0] * n_st
                self._issued = [0] * n_st
            self._open = True
            # Points where the staffing may change: each roster hour, each break's start and end.
            hour_starts = [opens + 60 * h for h in range(plan.hourly_onsite.shape[1]) if opens + 60 * h < closes]
            breaks = cal.breaks[d]
            points = sorted({*hour_starts, *(b for br in breaks for b in br if opens <= b < closes)})
            self._points_today = [(t, any(b0 <= t < b1 for b0, b1 in breaks), int((t - opens) // 60))
                                  for t in points]
            if not self.turn_away:  # the officers stay at closing to serve whoever is waiting
                self._points_today.append((closes, False, self._points_today[-1][2]))
            for t, in_break, h in self._points_today:
                if t >= closes:
                    break
                if t > env.now:
                    yield _Boundary(env, t - env.now)
                self._onsite_now = plan.hourly_onsite[d, h].tolist()
                self._home_now = plan.hourly_at_home[d, h].tolist()
                self._in_break = in_break
                for s in range(n_st):
                    self._apply(s)
            if cal.continuous and d < cal.days - 1:
                continue  # a 24-hour office does not close between days
            yield _Boundary(env, closes - env.now)
            self._open = False
            self._in_break = False  # overtime after closing is not a break
            if self.turn_away:
                # Doors shut and counters stop calling before anyone still waiting is sent home.
                self.accepting = False
            for s in range(n_st):
                self._apply(s)
            # Whoever is still waiting where nobody is at a counter now goes home (and may come
            # back another day): with "turn_away" everyone, with "serve" those at a desk left
            # empty at closing. Nobody's wait spans a night.
            for pool in self.pools:
                if self.turn_away or pool.staff == 0:
                    for req in list(pool.queue):
                        req.citizen.interrupt("closed")

    # -- running -------------------------------------------------------------------------
    def run(self) -> VisitLog:
        """Simulate until every citizen has gone home; return the visit log."""
        self.env.process(self._arrivals())
        self.env.process(self._days())
        self.env.run()
        for k, (trip, arrival) in self._online_waiting.items():  # never picked up
            self._records.append((k, trip, arrival, np.nan, np.nan, ONLINE))
        # Citizens still queueing when nothing else can happen (a station with nobody at the
        # counter) go home unserved when the simulation ends.
        end = max(self.env.now, self.calendar.end)
        for pool in self.pools:
            for req in pool.queue:
                k, trip, arrival = req.visit
                self._records.append((k, trip, arrival, end, np.nan, TURNED_AWAY))
        m = len(self.citizens.visit_station)
        arrival = np.full(m, np.nan)
        wait_end = np.full(m, np.nan)
        service_end = np.full(m, np.nan)
        outcome = np.full(m, NOT_MADE, dtype=np.int8)
        returns = None
        if self._records:
            # One 2-D array of all records is several times faster than a column per field.
            table = np.array(self._records, dtype=float)
            k, trip, o = (table[:, j].astype(np.int64) for j in (0, 1, 5))
            a, w, e = table[:, 2], table[:, 3], table[:, 4]
            first = trip == 1
            arrival[k[first]], wait_end[k[first]] = a[first], w[first]
            service_end[k[first]], outcome[k[first]] = e[first], o[first]
            if not first.all():
                later = ~first
                order = np.lexsort((trip[later], k[later]))
                returns = {name: col[later][order] for name, col in
                           (("visit", k), ("trip", trip), ("arrival", a), ("wait_end", w), ("service_end", e),
                            ("outcome", o.astype(np.int8)))}
        return VisitLog(arrival, wait_end, service_end, outcome, returns,
                        np.asarray(self._still_to_return, dtype=np.int64))

    def staff_timeline(self, s: int) -> tuple[np.ndarray, np.ndarray]:
        """``(times, officers)``: officers at station ``s``'s counters from each time on (a step function)."""
        mine = [(t, n) for t, st, n in self.staff_changes if st == s]
        # Several changes at one instant: the last one holds.
        times = np.array([t for t, _ in mine], dtype=float)
        levels = np.array([n for _, n in mine], dtype=float)
        keep = np.r_[times[1:] != times[:-1], True] if len(times) else np.zeros(0, dtype=bool)
        return times[keep], levels[keep]
