"""Independent reference simulators for ``loket validate``: the rules no formula covers.

Rosters, breaks, closing time with citizens sent home, return trips, daily quotas, the
online channel, recall on surge and the office week have no closed-form answer, so
``loket validate`` compares the engine with simulators that share none of its code:

* :func:`simulate_office` — a small discrete-event model of **one desk** written from the
  rules as the README states them ("Scenario files", "How the model works"), in plain
  Python with a :mod:`heapq` event list: no SimPy, no :mod:`simulation.model`, its own
  calendar arithmetic, its own arrival generator (exponential gaps hour by hour instead of
  the engine's time change) and its own random numbers, drawn as the events happen. It is
  not a copy of the engine: the engine is a SimPy process per citizen with pools of
  counters; this is a state machine over one list of events;
* :func:`simulate_ciw` — the same desk in `Ciw <https://ciw.readthedocs.io>`_ (an
  independent, published queueing simulator: ``pip install 'loket[validate]'``): the
  roster and breaks as a Ciw server schedule, priority classes,
  Poisson arrivals by open hour over the office week. Ciw's own shift change replaces every
  officer at each change of the schedule (those busy finish, and the new shift starts at
  once beside them), so a small custom node (:func:`_shift_node`) applies Loket's documented
  rule instead: when the number falls, idle officers leave and busy ones finish the citizen
  in front of them, the first to finish leaving first; nobody new is called until fewer are
  busy than the new number. Ciw has no closing-time turn-away,
  return trips, quotas, online channel or recall, so its office serves everyone who came
  (``after_close = "serve"``).

An office is described once, by :class:`OfficeSpec`; :meth:`OfficeSpec.scenario` turns it
into the Loket scenario the engine runs, and the reference simulators read the spec
itself. Both are run for independent replications and compared on per-replication
measures (:data:`MEASURES`) with a confidence interval on each side.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

__all__ = ["MEASURES", "OfficeSpec", "ciw_missing", "simulate_ciw", "simulate_office"]

DAY = 1440.0
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MEASURES = {
    "mean_wait": "mean wait of served counter visits (min)",
    "served_per_day": "counter visits served per working day",
    "closing_turned_away_per_day": "visits sent home at closing per working day",
    "quota_turned_away_per_day": "visits refused a queue number (quota) per working day",
    "return_visits_per_day": "visits on return trips (trip 2 and later) per working day",
    "reneged_per_day": "visits given up per working day",
    "online_per_day": "online requests completed per working day",
    "online_mean_wait": "mean wait of completed online requests (min)",
    "recalls_per_day": "officers recalled from home per working day",
    "mean_wait_priority": "mean wait of served priority-class visits (min)",
    "mean_wait_general": "mean wait of served general (umum) visits (min)",
}
"""What the reference simulators measure per replication (the engine's side is computed from
``visits.csv`` by :func:`simulation.validation` in the same terms)."""


def _minutes(hhmm: str) -> float:
    h, m = hhmm.split(":")
    return 60.0 * int(h) + int(m)


@dataclass(frozen=True)
class OfficeSpec:
    """One desk over a working period: what both the engine and the reference simulators run.

    Times are ``"HH:MM"``; ``per_hour`` and ``roster`` count hours from each day's opening;
    ``breaks`` are ``(weekdays, start, end)``; ``demand`` multiplies a weekday's rates;
    ``holidays`` are calendar days (1 = the first, a Monday) on which the office is shut.
    ``wfh_officers`` of the ``staff`` work from home every day (they handle the online
    channel and may be recalled).
    """

    per_hour: tuple[float, ...]
    service_mean: float
    staff: int
    days: int
    roster: tuple[int, ...] | None = None
    open: str = "08:00"
    close: str = "16:00"
    hours: dict = field(default_factory=dict)  # weekday -> (open, close)
    breaks: tuple = ()
    demand: dict = field(default_factory=dict)
    holidays: tuple[int, ...] = ()
    after_close: str = "turn_away"
    daily_quota: int | None = None
    patience_mean: float | None = None
    return_probability: float = 0.0
    max_trips: int = 1
    priority_share: float = 0.0
    wfh_officers: int = 0
    online_share: float = 0.0
    online_speed: float = 1.0
    recall_at: int = 0
    recall_travel: float = 0.0

    # -- the calendar, computed here (not with simulation.calendar) ----------------------
    def working_days(self) -> list[dict]:
        """Each working day: ``weekday, open, close, breaks, demand`` on a clock whose 0 is the first opening."""
        days, cal_day = [], 0
        first_open = None
        while len(days) < self.days:
            wd = WEEKDAYS[cal_day % 7]
            if wd in WEEKDAYS[:5] and (cal_day + 1) not in self.holidays:
                o, c = (_minutes(x) for x in self.hours.get(wd, (self.open, self.close)))
                base = cal_day * DAY
                if first_open is None:
                    first_open = base + o
                brk = [(base + _minutes(s) - first_open, base + _minutes(e) - first_open)
                       for ds, s, e in self.breaks if wd in ds]
                days.append({"weekday": wd, "open": base + o - first_open, "close": base + c - first_open,
                             "breaks": sorted(brk), "demand": float(self.demand.get(wd, 1.0))})
            cal_day += 1
        return days

    def staff_in_hour(self, h: int) -> int:
        roster = self.roster if self.roster is not None else (self.staff,) * len(self.per_hour)
        return int(roster[min(h, len(roster) - 1)])

    # -- the same office as a Loket scenario ---------------------------------------------
    def scenario(self, name: str, seed: int, replications: int) -> dict:
        """The Loket scenario (a dict for :func:`simulation.parse_scenario`) of this office."""
        desk = {"name": "desk", "staff": self.staff, "service": {"dist": "exponential", "mean": self.service_mean},
                "target_wait_minutes": 30}
        if self.roster is not None:
            desk["roster"] = list(self.roster)
        if self.daily_quota is not None:
            desk["daily_quota"] = self.daily_quota
        if self.patience_mean is not None:
            desk["patience"] = {"dist": "exponential", "mean": self.patience_mean}
        arrivals = {"station": "desk", "per_hour": list(self.per_hour)}
        if self.priority_share:
            arrivals["classes"] = [{"name": "lansia", "share": self.priority_share, "priority": 0}]
        if self.return_probability:
            arrivals["return_probability"] = self.return_probability
            arrivals["max_trips"] = self.max_trips
        calendar = {"open_days": list(WEEKDAYS[:5])}
        if self.hours:
            calendar["hours"] = {wd: list(oc) for wd, oc in self.hours.items()}
        if self.breaks:
            calendar["breaks"] = [{"days": list(ds), "start": s, "end": e} for ds, s, e in self.breaks]
        if self.demand:
            calendar["demand"] = dict(self.demand)
        if self.holidays:
            calendar["holidays"] = list(self.holidays)
        out = {"name": "validation", "description": name,
               "run": {"days": self.days, "open": self.open, "close": self.close, "after_close": self.after_close,
                       "replications": replications, "seed": seed},
               "calendar": calendar, "stations": [desk], "arrivals": [arrivals]}
        if self.wfh_officers:
            policy = {"wfh_officers": {"desk": self.wfh_officers}}
            if self.online_share:
                policy["online"] = {"desk": {"share": self.online_share, "speed": self.online_speed}}
            if self.recall_at:
                policy["recall"] = {"desk": {"queue_at": self.recall_at, "travel_minutes": self.recall_travel}}
            out["policies"] = {"under_test": policy}
        return out


# ---------------------------------------------------------------------------------------
# The reference office: a heapq event loop

# Event classes at one instant: the office's own changes first (as the README's "Day
# boundaries" state), then everything else in the order it was scheduled.
_OFFICE, _OTHER = 0, 1


def _arrival_times(spec: OfficeSpec, days: list[dict], rng: np.random.Generator) -> list[float]:
    """Poisson arrivals, rate constant within each open hour: exponential gaps, restarted each hour."""
    times = []
    for d in days:
        t0 = d["open"]
        for h, rate in enumerate(spec.per_hour):
            start = t0 + 60.0 * h
            end = min(start + 60.0, d["close"])
            lam = rate * d["demand"] / 60.0
            if end <= start or lam <= 0:
                continue
            t = start + rng.exponential(1 / lam)
            while t < end:
                times.append(t)
                t += rng.exponential(1 / lam)
    return times


def simulate_office(spec: OfficeSpec, seed: int) -> dict:
    """One replication of the reference office; returns :data:`MEASURES` (those that apply)."""
    rng = np.random.default_rng(seed)
    days = spec.working_days()
    n_days = len(days)
    events: list = []
    seq = 0

    def at(t, cls, kind, *data):
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, cls, seq, kind, data))

    for d, day in enumerate(days):
        at(day["open"], _OFFICE, "open", d)
    for t in _arrival_times(spec, days, rng):
        at(t, _OTHER, "arrive", {"trip": 1, "priority": 0 if rng.random() < spec.priority_share else 9})

    st = {"day": -1, "open": False, "accepting": False, "in_break": False, "rostered": 0, "extra": 0,
          "home": 0, "recalled": 0, "recall_pending": False, "issued": 0, "busy": 0, "online_busy": 0}
    waiting: list = []  # heap of (priority, seq, citizen); citizens who left are marked gone
    online_queue: deque = deque()
    served_waits = {0: [], 9: []}
    counts = {"closing": 0, "quota": 0, "returns": 0, "reneged": 0, "online": 0, "recalls": 0}
    online_waits = []
    n_waiting = 0

    def counters() -> int:
        if st["in_break"] or (not st["open"] and spec.after_close == "turn_away"):
            return 0
        return st["rostered"] + st["extra"]

    def online_officers() -> int:
        if st["in_break"] or not st["open"]:
            return 0
        return max(st["home"] - st["recalled"], 0)

    def call(now):
        nonlocal n_waiting
        while st["busy"] < counters() and n_waiting:
            _, _, cit = heapq.heappop(waiting)
            if cit["gone"]:
                continue
            cit["gone"] = True
            n_waiting -= 1
            st["busy"] += 1
            served_waits[cit["priority"]].append(now - cit["arrived"])
            at(now + rng.exponential(spec.service_mean), _OTHER, "done")
        while st["online_busy"] < online_officers() and online_queue:
            t0 = online_queue.popleft()
            st["online_busy"] += 1
            online_waits.append(now - t0)
            at(now + rng.exponential(spec.service_mean) / spec.online_speed, _OTHER, "online_done")

    def send_home(cit, now):
        """Unserved: back on the next working day with the return probability, same time after opening."""
        trip = cit["trip"]
        if trip >= spec.max_trips or rng.random() >= spec.return_probability:
            return
        d = st["day"]
        if d + 1 >= n_days:
            return  # would come back after the simulated period
        nxt = days[d + 1]
        offset = cit["trip_start"] - days[d]["open"]
        when = nxt["open"] + (offset if 0 <= offset < nxt["close"] - nxt["open"] else 0.0)
        at(when, _OTHER, "arrive", {"trip": trip + 1, "priority": cit["priority"]})

    def call_in(now):
        if st["recall_pending"] or st["recalled"] >= st["home"]:
            return
        st["recall_pending"] = True
        st["recalled"] += 1
        counts["recalls"] += 1
        at(now + spec.recall_travel, _OTHER, "recalled", st["day"])

    while events:
        now, _, _, kind, data = heapq.heappop(events)
        if kind == "open":
            d = data[0]
            day = days[d]
            st.update(day=d, open=True, accepting=True, in_break=False, extra=0, recalled=0, issued=0,
                      home=spec.wfh_officers, rostered=spec.staff_in_hour(0) - spec.wfh_officers)
            # Roster hours and breaks: the office's own instants.
            h = 1
            while day["open"] + 60.0 * h < day["close"]:
                at(day["open"] + 60.0 * h, _OFFICE, "hour", d, h)
                h += 1
            for b0, b1 in day["breaks"]:
                at(b0, _OFFICE, "break", d, True)
                at(b1, _OFFICE, "break", d, False)
            at(day["close"], _OFFICE, "close", d)
            st["in_break"] = any(b0 <= now < b1 for b0, b1 in day["breaks"])
            call(now)
        elif kind == "hour":
            st["rostered"] = spec.staff_in_hour(data[1]) - spec.wfh_officers
            call(now)
        elif kind == "break":
            st["in_break"] = data[1]
            call(now)
        elif kind == "close":
            st["open"] = False
            st["in_break"] = False
            if spec.after_close == "turn_away":
                st["accepting"] = False
                for _, _, cit in sorted(waiting):
                    if not cit["gone"]:
                        cit["gone"] = True
                        counts["closing"] += 1
                        send_home(cit, now)
                waiting.clear()
                n_waiting = 0
            call(now)
        elif kind == "arrive":
            cit = dict(data[0], arrived=now, trip_start=now, gone=False)
            if cit["trip"] > 1:
                counts["returns"] += 1
            if spec.online_share and rng.random() < spec.online_share:
                online_queue.append(now)
                call(now)
                continue
            if not st["accepting"]:
                counts["closing"] += 1
                send_home(cit, now)
                continue
            if spec.daily_quota is not None and st["issued"] >= spec.daily_quota:
                counts["quota"] += 1
                send_home(cit, now)
                continue
            st["issued"] += 1
            heapq.heappush(waiting, (cit["priority"], seq, cit))
            seq += 1
            n_waiting += 1
            call(now)
            if spec.recall_at and n_waiting >= spec.recall_at:
                call_in(now)
                call(now)
            if not cit["gone"] and spec.patience_mean is not None:
                at(now + rng.exponential(spec.patience_mean), _OTHER, "renege", cit)
        elif kind == "renege":
            cit = data[0]
            if not cit["gone"]:
                cit["gone"] = True
                n_waiting -= 1
                counts["reneged"] += 1
                send_home(cit, now)
        elif kind == "done":
            st["busy"] -= 1
            call(now)
        elif kind == "online_done":
            st["online_busy"] -= 1
            counts["online"] += 1
            call(now)
        elif kind == "recalled":
            st["recall_pending"] = False
            if data[0] == st["day"]:
                st["extra"] += 1
            call(now)
    everyone = served_waits[0] + served_waits[9]
    out = {
        "mean_wait": float(np.mean(everyone)) if everyone else math.nan,
        "served_per_day": len(everyone) / n_days,
        "closing_turned_away_per_day": counts["closing"] / n_days,
        "quota_turned_away_per_day": counts["quota"] / n_days,
        "return_visits_per_day": counts["returns"] / n_days,
        "reneged_per_day": counts["reneged"] / n_days,
        "online_per_day": counts["online"] / n_days,
        "online_mean_wait": float(np.mean(online_waits)) if online_waits else math.nan,
        "recalls_per_day": counts["recalls"] / n_days,
        "mean_wait_priority": float(np.mean(served_waits[0])) if served_waits[0] else math.nan,
        "mean_wait_general": float(np.mean(served_waits[9])) if served_waits[9] else math.nan,
    }
    return out


# ---------------------------------------------------------------------------------------
# Ciw


def ciw_missing() -> str | None:
    """Why the Ciw cases cannot run here (None when Ciw is installed)."""
    try:
        import ciw  # noqa: F401
    except ImportError:
        return "Ciw is not installed (pip install 'loket[validate]')"
    return None


def _shift_node():
    """A Ciw node whose shift changes follow Loket's rule (see the module docstring)."""
    import ciw

    class ShiftNode(ciw.Node):
        def change_shift(self):
            self.schedule.get_next_shift()
            self.next_shift_change = self.schedule.next_shift_change_date
            self.c = self.schedule.c
            busy = sorted((s for s in self.servers if s.busy), key=lambda s: s.cust.service_end_date)
            idle = [s for s in self.servers if not s.busy]
            leave = max(len(busy) - self.c, 0)  # the first to finish go off duty when they do
            for i, srvr in enumerate(busy):
                srvr.offduty = i < leave
                if srvr.offduty:
                    srvr.shift_end = self.next_event_date
            free = self.c - (len(busy) - leave)
            for srvr in idle[max(free, 0):]:
                srvr.shift_end = self.next_event_date
                self.kill_server(srvr)
            if free > len(idle):
                self.add_new_servers(free - len(idle))
            self.begin_service_if_possible_change_shift()

    return ShiftNode


def simulate_ciw(spec: OfficeSpec, seed: int) -> dict:
    """One replication of the office in Ciw: roster and breaks as a server schedule, priority classes.

    Only offices that serve everyone who came (``after_close = "serve"``, no quota, patience,
    returns or online channel) can be expressed. After closing, the officers of the last
    roster hour stay (Ciw's schedule keeps them until the next opening; the queue is empty
    long before).
    """
    import ciw

    if (spec.after_close != "serve" or spec.daily_quota is not None or spec.patience_mean is not None
            or spec.return_probability or spec.online_share or spec.wfh_officers):
        raise ValueError("Ciw reference: only offices that serve everyone who came")
    days = spec.working_days()
    end = days[-1]["close"] + DAY
    # Piecewise-constant arrival rates and server numbers over the whole period.
    rate_points, staff_points = [], []  # (start, end, value)
    for i, d in enumerate(days):
        for h, rate in enumerate(spec.per_hour):
            s, e = d["open"] + 60.0 * h, min(d["open"] + 60.0 * (h + 1), d["close"])
            if e > s:
                rate_points.append((s, e, rate * d["demand"] / 60.0))
        cuts = sorted({d["open"], d["close"], *(d["open"] + 60.0 * h for h in range(len(spec.per_hour))
                                                 if d["open"] + 60.0 * h < d["close"]),
                       *(b for br in d["breaks"] for b in br)})
        for s, e in zip(cuts[:-1], cuts[1:]):
            n = 0 if any(b0 <= s < b1 for b0, b1 in d["breaks"]) else spec.staff_in_hour(int((s - d["open"]) // 60))
            staff_points.append((s, e, n))
        nxt = days[i + 1]["open"] if i + 1 < len(days) else end
        staff_points.append((d["close"], nxt, spec.staff_in_hour(len(spec.per_hour) - 1)))

    def fill(points, start, stop):
        out, t = [], start
        for s, e, v in points:
            if s > t:
                out.append((t, s, 0))
            out.append((s, e, v))
            t = e
        if t < stop:
            out.append((t, stop, 0))
        return out

    rates = fill(rate_points, 0.0, end)
    staff = fill(staff_points, 0.0, end)
    shares = {"prio": spec.priority_share, "umum": 1 - spec.priority_share}
    classes = [k for k, v in shares.items() if v > 0]
    # Consecutive periods with the same number of officers are one shift (no change at all).
    merged = []
    for s, e, n in staff:
        if merged and merged[-1][2] == n:
            merged[-1] = (merged[-1][0], e, n)
        else:
            merged.append((s, e, n))
    staff = merged
    # Seeded before the network is built: PoissonIntervals draws its arrival dates when it is
    # made, so a seed set afterwards left them to whatever the process drew before (the
    # reference values then depended on how replications were spread over worker processes).
    ciw.seed(int(seed) % (2**32))
    arrival = {k: [ciw.dists.PoissonIntervals(rates=[r * shares[k] for _, _, r in rates],
                                              endpoints=[e for _, e, _ in rates], max_sample_date=end)]
               for k in classes}
    network = ciw.create_network(
        arrival_distributions=arrival,
        service_distributions={k: [ciw.dists.Exponential(rate=1 / spec.service_mean)] for k in classes},
        number_of_servers=[ciw.Schedule(numbers_of_servers=[n for _, _, n in staff],
                                        shift_end_dates=[e for _, e, _ in staff], preemption=False)],
        priority_classes={k: i for i, k in enumerate(classes)},
    )
    sim = ciw.Simulation(network, node_class=_shift_node())
    sim.simulate_until_max_time(end)
    recs = [r for r in sim.get_all_records() if r.record_type == "service"]
    waits = {k: [r.waiting_time for r in recs if r.customer_class == k] for k in classes}
    everyone = [w for k in classes for w in waits[k]]
    n_days = len(days)
    return {
        "mean_wait": float(np.mean(everyone)) if everyone else math.nan,
        "served_per_day": len(everyone) / n_days,
        "mean_wait_priority": float(np.mean(waits["prio"])) if waits.get("prio") else math.nan,
        "mean_wait_general": float(np.mean(waits["umum"])) if waits.get("umum") else math.nan,
    }
