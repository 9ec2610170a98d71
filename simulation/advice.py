"""Sweeps and staffing advice: where service breaks down, and how many may work from home.

* :func:`sweep` runs one policy per work-from-home share at the chosen stations — each
  station alone by default, or together — all on the same citizens, and tabulates every
  station's waits against the share (``sweep.csv``): the curve shows where service breaks
  down, and what happens downstream.
* :func:`staffing_advice` finds, per station and weekday, the fewest officers at the
  counter that keep the station within its service standard (by default at least 90 % of
  its counter visits called within ``target_wait_minutes``). It starts from an Erlang-C
  estimate at the station's busiest hour on that weekday and confirms by simulation,
  trying staff levels around the estimate on common random numbers, then simulates the
  recommended levels of all stations together (``staffing.csv``): the planner's question
  "how many may work from home on which day".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ._validation import DAY_NAMES
from .calendar import office_calendar
from .citizens import draw_citizens
from .limits import available_cpus
from .measures import called_within
from .model import ONLINE, SERVED, Office, StationRules
from .outcomes import NOT_MADE
from .policies import staffing_plan
from .progress import Progress, for_call, part
from .runner import Results, run_scenario
from .scenario import Scenario
from .summary_stats import t_interval
from .theory import min_staff_for_target
from .workers import for_each_result

__all__ = ["MIN_ADVICE_REPLICATIONS", "SWEEP_BASELINE", "parse_shares", "sweep", "sweep_groups", "sweep_table",
           "sweep_simulations", "staffing_advice", "advice_simulations", "hourly_station_rates"]


def parse_shares(text: str) -> list[float]:
    """``"0,0.25,0.5"`` or the range form ``"0:1:0.25"`` (start:stop:step, stop included)."""
    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ValueError(f"a range is start:stop:step, got {text!r}")
        start, stop, step = (float(p) for p in parts)
        if not all(math.isfinite(x) for x in (start, stop, step)):
            raise ValueError(f"a range needs finite numbers, got {text!r}")
        if step <= 0 or stop < start:
            raise ValueError(f"a range needs step > 0 and stop >= start, got {text!r}")
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        shares = [round(start + i * step, 10) for i in range(n)]
    else:
        shares = [float(p) for p in text.split(",") if p.strip()]
    if not shares:
        raise ValueError("no shares given")
    bad = [s for s in shares if not 0 <= s <= 1]
    if bad:
        raise ValueError(f"shares must be between 0 and 1, got {bad}")
    return sorted(set(shares))


SWEEP_BASELINE = "full_office"
"""The sweep's share-0 policy: everyone in the office (shared by every swept group)."""


def _share_name(share: float, group: int = 0) -> str:
    return SWEEP_BASELINE if share == 0 else f"sweep{group}_wfh_{share:g}"


def sweep_groups(stations: Sequence[str], together: bool = False) -> list[list[str]]:
    """Which stations go home together: each named station alone (the default), or all at once."""
    return [list(stations)] if together or len(stations) == 1 else [[s] for s in stations]


def sweep_simulations(stations: Sequence[str], shares: Sequence[float], replications: int,
                      together: bool = False) -> int:
    """Simulations (one policy over one replication) a :func:`sweep` runs: its progress bar's total."""
    return (1 + len(sweep_groups(stations, together)) * sum(1 for x in shares if x > 0)) * replications


def sweep(
    scenario: Scenario,
    stations: Sequence[str],
    shares: Sequence[float],
    jobs: int | None = None,
    progress: Progress | Callable[[int, int], None] | None = None,
    together: bool = False,
    scheduler: str | None = None,
) -> tuple[Results, pd.DataFrame]:
    """One policy per share of officers working from home, all on the same citizens.

    With several ``stations``, each is swept alone (the others fully staffed) so that the
    curve shows what sending *that* desk's officers home does; ``together=True`` sends the
    same share home at all of them at once. Share 0 is one policy, everyone in the office.

    ``jobs``, ``progress`` and ``scheduler`` are :func:`~simulation.runner.run_scenario`'s
    (``progress`` may also be a :class:`~simulation.progress.Progress`, which counts every
    policy of every replication); ``scheduler`` is the address of a Dask distributed
    scheduler whose workers run the replications, with the same results.
    """
    unknown = [s for s in stations if s not in scenario.station_names]
    if unknown:
        raise KeyError(f"no station named {', '.join(map(repr, unknown))}; "
                       f"stations are {', '.join(scenario.station_names)}")
    groups = sweep_groups(stations, together)
    policies: dict[str, dict] = {SWEEP_BASELINE: {}}
    for g, group in enumerate(groups):
        for x in shares:
            if x > 0:
                policies[_share_name(x, g)] = {"wfh_share": {s: x for s in group}}
    variant = scenario.with_policies(policies)
    results = run_scenario(variant, jobs=jobs, progress=for_call(progress, len(policies)), scheduler=scheduler)
    return results, sweep_table(results, shares, groups)


def sweep_table(
    results: Results, shares: Sequence[float], groups: Sequence[Sequence[str]] | None = None
) -> pd.DataFrame:
    """One row per swept group, share and station (``sweep.csv``).

    ``swept`` names the station(s) sent home (joined by ``+`` when together); every station
    of the scenario has a row, so that what happens downstream (and upstream) shows too.
    """
    scenario = results.scenario
    if groups is None:
        groups = [[s for s in scenario.station_names if any(
            s in p.wfh_share for n, p in scenario.policies.items() if n != SWEEP_BASELINE)]]
    summary = results.summary.set_index(["policy", "station"])
    rows = []
    for g, group in enumerate(groups):
        for share in shares:
            name = _share_name(share, g)
            policy = scenario.policies[name]
            for st in scenario.stations:
                row = summary.loc[(name, st.name)]
                onsite = policy.onsite[st.name]
                rows.append(
                    {
                        "swept": "+".join(group),
                        "wfh_share": share,
                        "policy": name,
                        "station": st.name,
                        "label": st.label,
                        "staff": st.staff,
                        "onsite": onsite[0],
                        "at_home": st.staff - onsite[0],
                        "arrived": row["arrived"],
                        "mean_wait": row["mean_wait"],
                        "mean_wait_ci_low": row["mean_wait_ci_low"],
                        "mean_wait_ci_high": row["mean_wait_ci_high"],
                        "mean_wait_all": row["mean_wait_all"],
                        "mean_wait_all_ci_low": row["mean_wait_all_ci_low"],
                        "mean_wait_all_ci_high": row["mean_wait_all_ci_high"],
                        "p90_wait": row["p90_wait"],
                        "target_wait_minutes": st.target_wait_minutes,
                        "within_target_share": row["within_target_share"],
                        "within_target_share_ci_low": row["within_target_share_ci_low"],
                        "within_target_share_ci_high": row["within_target_share_ci_high"],
                        "not_served": row["not_served"],
                        "utilization": row["utilization"],
                    }
                )
    return pd.DataFrame(rows)


def hourly_station_rates(scenario: Scenario, weekday: str | None = None) -> np.ndarray:
    """Visits per minute at each station in each open hour (:meth:`Scenario.hourly_station_rates`)."""
    return scenario.hourly_station_rates(weekday)


MIN_ADVICE_REPLICATIONS = 20
"""Staffing advice compares staff levels by paired confidence intervals over replications;
with fewer it runs this many (and says so)."""

MIN_GAIN = 0.01
"""An extra officer who raises the share called within target by less than this (one
percentage point) — with 95 % confidence — adds nothing that matters."""

STATUSES = ("meets", "unreachable", "no_data", "undecided")
"""``meets``: the recommended level meets the standard and one fewer (simulated too) misses it;
``unreachable``: no level does, and beyond the recommended one more officers add less than
:data:`MIN_GAIN` (the waits come from breaks or closing time); ``no_data``: no counter visit of
that weekday was counted (e.g. it fell in the warm-up), so there is no evidence and no advice;
``undecided``: the search could not settle it — the simulations allowed ran out, or the level
that meets alone misses when every desk has its recommended level together."""

MAX_ROUNDS = 40
"""Rounds of simulation the search may take (each round simulates one new level per station
and weekday still open). Bisection needs about log2(staff) rounds; reaching this is a budget
exhausted, said as ``status = undecided``, never read as meeting the standard."""


def _alike_weekdays(scenario: Scenario, weekdays: list[int]) -> dict[int, int]:
    """Each weekday -> the first weekday that the scenario makes identical to it.

    Weekdays with the same opening hours, breaks and demand multiplier are the same day to
    the model; the advice pools their visits, so that identical days get one answer, from
    more data, instead of answers that differ by the luck of the draw.
    """
    cal = scenario.calendar

    def profile(wd: int):
        name = DAY_NAMES[wd]
        breaks = tuple((b.start, b.end) for b in cal.breaks if name in b.days) if cal is not None else ()
        demand = cal.demand.get(name, 1.0) if cal is not None else 1.0
        return scenario.day_hours(name), breaks, demand

    first: dict = {}
    return {wd: first.setdefault(profile(wd), wd) for wd in weekdays}


def _shares_task(task) -> list[tuple[str, int, int, float]]:
    """One replication of every policy of a scenario, reduced to what the advice reads:
    ``(policy, weekday, station index, share)`` — the share of the station's counter visits
    (after the warm-up, return trips included) called within its standard, per weekday (alike
    weekdays under the first of them, see :func:`_alike_weekdays`).

    Nothing else is computed: no visit table, no statistics (a run's tables are
    :func:`~simulation.runner.run_scenario`'s). The same visits, waits and rule as
    ``visits.csv`` and :func:`~simulation.measures.within_target`.
    """
    scenario, replication, names, alike = task
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, replication)
    rules = StationRules.from_scenario(scenario)
    targets = np.array([s.target_wait_minutes for s in scenario.stations], dtype=float)
    group_of_day = np.array([alike.get(int(w), -1) for w in calendar.weekdays])
    n_st = len(scenario.stations)
    out = []
    for name in names:
        log = Office(calendar, citizens, after_close=scenario.run.after_close,
                     plan=staffing_plan(scenario, name, calendar), rules=rules).run()
        k = np.flatnonzero(log.outcome != NOT_MADE)
        visit, arrival, wait_end, outcome = k, log.arrival[k], log.wait_end[k], log.outcome[k]
        if log.returns is not None:
            r = log.returns
            visit, arrival = np.r_[visit, r["visit"]], np.r_[arrival, r["arrival"]]
            wait_end, outcome = np.r_[wait_end, r["wait_end"]], np.r_[outcome, r["outcome"]]
        counted = (outcome != ONLINE) & (arrival >= scenario.run.warmup_minutes)
        station = citizens.visit_station[visit][counted]
        arrival, wait_end, outcome = arrival[counted], wait_end[counted], outcome[counted]
        ok = called_within(outcome == SERVED, wait_end - arrival, targets[station])
        key = group_of_day[calendar.day_of(arrival) - 1] * n_st + station
        size = (max(alike.values(), default=0) + 1) * n_st
        visits = np.bincount(key, minlength=size)
        within = np.bincount(key, weights=ok.astype(float), minlength=size)
        out += [(name, int(j // n_st), int(j % n_st), float(within[j] / visits[j])) for j in np.flatnonzero(visits)]
    return out


def _simulate_shares(scenario: Scenario, alike: dict[int, int], jobs, progress, scheduler) -> pd.DataFrame:
    """Every policy of ``scenario`` over its replications: ``policy, weekday, station, replication, ok``
    (the share within standard, see :func:`_shares_task`), on common random numbers.

    ``jobs``, ``progress`` and ``scheduler`` as :func:`~simulation.runner.run_scenario` takes them.
    """
    names = list(scenario.staffing_policies())
    total = scenario.run.replications
    cpus = available_cpus()
    jobs = max(1, min(jobs or cpus, cpus, total))
    rows: list[tuple] = []
    done = [0]
    update = for_call(progress, len(names))

    def take(result) -> None:
        done[0] += 1
        rows.extend((*row, done[0]) for row in result)
        if update:
            update(done[0], total)

    tasks = [(scenario, r, names, alike) for r in range(1, total + 1)]
    for_each_result(_shares_task, tasks, take, jobs=jobs, scheduler=scheduler)
    frame = pd.DataFrame(rows, columns=["policy", "weekday", "station", "ok", "replication"])
    frame["station"] = np.asarray(scenario.station_names, dtype=object)[frame["station"].to_numpy(dtype=int)]
    return frame


def _shares_of(frame: pd.DataFrame, policy: str, station: str) -> pd.DataFrame:
    """One policy's and station's shares per weekday and replication (``weekday, replication, ok``)."""
    part = frame[(frame.policy == policy) & (frame.station == station)]
    return part[["weekday", "replication", "ok"]].reset_index(drop=True)


def _gain(tried: dict, more: int, fewer: int, weekday: int) -> tuple[float, float, float]:
    """Paired gain in the share within target from ``fewer`` to ``more`` officers: ``(mean, low, high)``."""
    a, b = tried[more], tried[fewer]
    both = a.loc[a.weekday == weekday, ["replication", "ok"]].merge(
        b.loc[b.weekday == weekday, ["replication", "ok"]], on="replication", suffixes=("_more", "_fewer")
    )
    return t_interval(both["ok_more"] - both["ok_fewer"])


def _adds_nothing(tried: dict, more: int, fewer: int, weekday: int) -> bool:
    """Evidence that the officers from ``fewer`` to ``more`` add nothing that matters: the upper
    95 % bound of the paired gain is below :data:`MIN_GAIN` per extra officer. Lack of
    evidence (a wide interval) is not evidence of no gain."""
    _, _, high = _gain(tried, more, fewer, weekday)
    return bool(np.isfinite(high) and high < MIN_GAIN * (more - fewer))


def _smallest_true(levels: list[int], holds: Callable[[int], bool], known_true: int) -> tuple[int, int | None]:
    """Bisection state for the smallest level where ``holds`` is true, from the levels simulated.

    ``known_true`` is a simulated level where it holds. Returns ``(best, next)``: the smallest
    simulated level above the largest simulated level where it fails (below ``known_true``),
    and the level to simulate next — the midpoint between the two, ``best - 1`` when they are
    not yet adjacent by one, or None when ``best - 1`` has been simulated and fails (done).
    Level 0 is the lower end when nothing below has been simulated.
    """
    fails = [c for c in levels if c < known_true and not holds(c)]
    low = max(fails) if fails else None
    best = min(c for c in levels if c >= (low + 1 if low is not None else 0) and holds(c))
    if best == 0 or low == best - 1:
        return best, None
    bottom = low if low is not None else 0
    return best, (bottom + best) // 2


def _decide(tried: dict, weekday: int, required: float, ceiling: int,
            floor: int = 0) -> tuple[str, int | None, set[int]]:
    """One station and weekday: ``(status, level, levels still to try)`` from the levels tried so far.

    Bisection between a level that misses and one that meets, so the search ends, from any
    starting estimate, once the fewest level that meets and one fewer that misses have both
    been simulated. Where no level tried meets, the level doubles until one does, or until
    the officers added add less than :data:`MIN_GAIN` each (the standard is unreachable: the
    smallest level from which more add nothing is then found by bisection too). ``floor`` is the
    Erlang-C estimate at the busiest hour: below it the desk cannot keep up with that hour, so
    levels under it are never read as "more officers stop helping" (a desk far too small gains
    little from one more officer, and a lot from ten).
    """
    levels = sorted(tried)
    means = {c: _mean(tried[c], weekday) for c in levels}
    if all(np.isnan(m) for m in means.values()):
        return "no_data", None, set()
    meets = [c for c in levels if means[c] >= required]
    if meets:
        best, nxt = _smallest_true(levels, lambda c: means[c] >= required, min(meets))
        return ("meets" if nxt is None else "undecided"), best, (set() if nxt is None else {nxt})
    top = levels[-1]
    # The level the most tried is compared with: the largest at most half of it (a doubling),
    # so levels tried in between later do not change what "a step up" is.
    below = max((c for c in levels[:-1] if 2 * c <= top), default=None)
    # "More officers stop helping" needs a real step up (a doubling) from a level that can keep
    # up with the busiest hour: two adjacent levels that are both far too few can gain little
    # each and still be far from the answer.
    if below is not None and below >= floor and _adds_nothing(tried, top, below, weekday):
        # More officers stop helping: the smallest level that, compared with the most tried,
        # loses less than MIN_GAIN (compared with that level directly, never chained).
        def plateau(c: int) -> bool:
            # From c on, more officers add less than MIN_GAIN each: on average up to the most
            # tried, and the very next one too (the first step up is the largest).
            if c == top:
                return True
            if c < floor or not _adds_nothing(tried, top, c, weekday):
                return False
            return c + 1 not in tried or _adds_nothing(tried, c + 1, c, weekday)

        best, nxt = _smallest_true(levels, plateau, top)
        if nxt is None and best + 1 < top and best + 1 not in tried:
            nxt = best + 1  # the next officer from the plateau's start is checked too
        return ("unreachable" if nxt is None else "undecided"), best, (set() if nxt is None else {nxt})
    if top >= ceiling:
        return "undecided", None, set()
    return "undecided", None, {min(max(2 * top, top + 1), ceiling)}


def _erlang_c_start(rate: float, mean_service: float, target: float, required_share: float) -> int:
    """Erlang-C estimate of the fewest counters for one station's busiest hour (visits per minute).

    A zero-minute service needs no officer time, but somebody must be at the counter to call
    anyone: one officer whenever anyone comes.
    """
    if mean_service <= 0:
        return 1 if rate > 0 else 0
    return min_staff_for_target(rate, 1 / mean_service, target, required_share)


def _advice_start(scenario: Scenario, required_share: float, min_replications: int = MIN_ADVICE_REPLICATIONS):
    """Where the advice starts: the scenario with enough replications, its weekdays (alike ones
    pooled), the Erlang-C estimate per station and weekday, and the staff levels of the first round."""
    replications = max(scenario.run.replications, min_replications)
    if replications != scenario.run.replications:
        scenario = scenario.with_run(replications=replications)
    calendar = office_calendar(scenario)
    weekdays = sorted(set(calendar.weekdays.tolist()))  # 0 = Monday
    alike = _alike_weekdays(scenario, weekdays)
    estimates: dict[tuple[str, int], int] = {}
    for wd in weekdays:
        peak = hourly_station_rates(scenario, DAY_NAMES[wd]).max(axis=0)
        for i, st in enumerate(scenario.stations):
            estimates[(st.name, wd)] = _erlang_c_start(peak[i], st.service.mean, st.target_wait_minutes,
                                                       required_share)
    todo = {st.name: {c for wd in weekdays for c in range(max(estimates[(st.name, wd)] - 1, 0),
                                                             estimates[(st.name, wd)] + 1)}
            for st in scenario.stations}
    return scenario, weekdays, alike, estimates, todo


def advice_simulations(scenario: Scenario, required_share: float = 0.9,
                       min_replications: int = MIN_ADVICE_REPLICATIONS) -> int:
    """Simulations (one policy over one replication) :func:`staffing_advice` is expected to run.

    The advice is adaptive, so this is an estimate for a progress bar, made from where it
    starts: the first round (everyone in, and the levels around each Erlang-C estimate), a
    few bisection rounds of one level per station, and the recommended rota with everyone in.
    """
    scenario, _, _, _, todo = _advice_start(scenario, required_share, min_replications)
    return _advice_estimate(todo, scenario.run.replications, _independent_groups(scenario))


def _advice_estimate(todo: dict[str, set[int]], replications: int, groups: list[list[str]]) -> int:
    """Policies the search simulates (times ``replications``): its first round (one policy per level
    of the busiest independent group), a few bisection rounds, the recommended rota."""
    first = len(_round_policies(todo, groups)[0])
    most = max((c for levels in todo.values() for c in levels), default=1)
    bisection = max(math.ceil(math.log2(max(most, 2))) - 1, 1)
    return (first + bisection * max(len(g) for g in groups) + 1) * replications


def staffing_advice(
    scenario: Scenario,
    required_share: float = 0.9,
    jobs: int | None = None,
    progress: Progress | Callable[[int, int], None] | None = None,
    max_rounds: int = MAX_ROUNDS,
    scheduler: str | None = None,
    min_replications: int = MIN_ADVICE_REPLICATIONS,
) -> pd.DataFrame:
    """Fewest on-site officers per station and weekday meeting the standard (``staffing.csv``).

    For each station and weekday: start from the Erlang-C estimate at that weekday's
    busiest hour (its demand multiplier included) and search on common random numbers (the
    other stations fully staffed) by bisection between a level that misses and one that
    meets, until the smallest level whose mean share within target reaches
    ``required_share`` and one fewer that misses it have both been simulated (``status =
    "meets"``). Where no level tried meets it, the level doubles until one does; if
    the officers add less than one percentage point with 95 % confidence, the smallest
    level from which extra officers stop helping is found the same way and given with
    ``status = "unreachable"``. A weekday with no counted visit has ``status = "no_data"``
    and no advice. Finally the recommended levels of all stations are simulated together as
    one rota (``within_target_share_together``; a weekday without advice keeps its staff):
    stations affect each other through routing, and a row that meets alone but misses
    together is not ``meets``. Whatever cannot be settled — ``max_rounds`` rounds used, more
    officers than the search may try — is ``status = "undecided"``, with a note saying why.

    With fewer than ``min_replications`` (:data:`MIN_ADVICE_REPLICATIONS`) replications the
    advice runs that many (``attrs["replications"]`` says how many it ran).

    ``jobs`` and ``scheduler`` (the address of a Dask distributed scheduler whose workers run
    the replications, with the same results) are :func:`~simulation.runner.run_scenario`'s.
    ``progress`` is called as by ``run_scenario``, once per call of it (one per round of
    staff levels, and one for the rota); a :class:`~simulation.progress.Progress` instead
    counts every policy of every replication over all of them, from the estimate
    :func:`advice_simulations` gives.
    """
    scenario, weekdays, alike, estimates, todo = _advice_start(scenario, required_share, min_replications)
    replications = scenario.run.replications
    components = _independent_groups(scenario)
    this = part(progress, _advice_estimate(todo, replications, components))
    groups = sorted(set(alike.values()))
    ceilings = {st.name: max(3 * max(estimates[(st.name, wd)] for wd in weekdays) + 5, st.staff + 5)
                for st in scenario.stations}
    tried: dict[str, dict[int, pd.DataFrame]] = {st.name: {} for st in scenario.stations}
    decisions: dict[tuple[str, int], tuple[str, int | None]] = {}
    pending: dict[tuple[str, int], set[int]] = {}
    for _ in range(max_rounds):
        policies, where = _round_policies(todo, components)
        if not policies:
            break
        shares = _simulate_shares(scenario.with_policies(policies), alike, jobs, progress, scheduler)
        for (st, c), name in where.items():
            tried[st][c] = _shares_of(shares, name, st)
        todo = {st.name: set() for st in scenario.stations}
        for st in scenario.stations:
            for wd in groups:
                status, level, more = _decide(tried[st.name], wd, required_share, ceilings[st.name],
                                              estimates[(st.name, wd)])
                decisions[(st.name, wd)] = (status, level)
                pending[(st.name, wd)] = more - set(tried[st.name])
                todo[st.name] |= pending[(st.name, wd)]
    this.remaining(replications)  # only the rota is left: the bar's estimate becomes exact
    together = _simulate_rota(scenario, decisions, tried, alike, jobs, progress, scheduler)
    rows = []
    for st in scenario.stations:
        for day in weekdays:
            wd = alike[day]
            status, best = decisions[(st.name, wd)]
            why = "budget" if pending[(st.name, wd)] else ("ceiling" if status == "undecided" else "")
            at_best = tried[st.name].get(best) if best is not None else None
            below = tried[st.name].get(best - 1) if best else None
            m, lo, hi = t_interval(at_best[at_best.weekday == wd]["ok"]) if at_best is not None else (np.nan,) * 3
            tm, tlo, thi = together.get((st.name, wd), (np.nan,) * 3)  # alike weekdays pooled
            if status == "meets" and not tm >= required_share:
                status, why = "undecided", "together"
            advised = best if status in ("meets", "unreachable") else None
            rows.append(
                {
                    "station": st.name,
                    "label": st.label,
                    "weekday": DAY_NAMES[day],
                    "staff": st.staff,
                    "erlang_c_estimate": estimates[(st.name, wd)],
                    "recommended_onsite": advised if advised is not None else np.nan,
                    "may_work_from_home": max(st.staff - advised, 0) if advised is not None else np.nan,
                    "status": status,
                    "meets_standard": status == "meets",
                    "target_wait_minutes": st.target_wait_minutes,
                    "required_share": required_share,
                    "within_target_share": m,
                    "within_target_share_ci_low": lo,
                    "within_target_share_ci_high": hi,
                    "within_target_share_one_fewer": _mean(below, wd) if below is not None else np.nan,
                    "within_target_share_together": tm,
                    "within_target_share_together_ci_low": tlo,
                    "within_target_share_together_ci_high": thi,
                    "note": _note(status, why, best, tried[st.name], wd, required_share, tm, max_rounds),
                }
            )
    table = pd.DataFrame(rows)
    table.attrs["replications"] = replications
    return table


def _independent_groups(scenario: Scenario) -> list[list[str]]:
    """Stations in groups that no citizen passes between (connected parts of the routing).

    A desk's queue depends only on the desks of its own group: levels tried at desks of
    different groups can share one simulation and give exactly what separate ones would (the
    public service mall's agencies are such desks).
    """
    names = list(scenario.station_names)
    linked = scenario.routing_matrix() > 0
    group = list(range(len(names)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, j in zip(*np.nonzero(linked | linked.T)):
        group[root(int(i))] = root(int(j))
    out: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        out.setdefault(root(i), []).append(name)
    return list(out.values())


def _round_policies(todo: dict[str, set[int]], groups: list[list[str]]) -> tuple[dict, dict]:
    """One round's policies: each sets one level at one desk of every independent group (the others
    fully staffed), so a round needs as many policies as its busiest group has levels to try.
    Returns the policies and, for every ``(station, level)``, the policy that simulates it."""
    per_group = [[(st, c) for st in g for c in sorted(todo.get(st, ()))] for g in groups]
    policies, where = {}, {}
    for i in range(max((len(p) for p in per_group), default=0)):
        name = f"round__{i}"
        staff = {}
        for pairs in per_group:
            if i < len(pairs):
                st, c = pairs[i]
                staff[st] = c
                where[(st, c)] = name
        policies[name] = {"staff": staff}
    return policies, where


def _rota_level(st, status: str, level: int | None, tried: dict) -> int:
    """The level a station takes in the recommended rota on one weekday."""
    if status == "no_data":
        return st.staff  # no evidence: the weekday keeps its staff
    if level is None:  # undecided without a level that meets: the most officers tried
        return max(tried)
    return level


def _simulate_rota(scenario: Scenario, decisions: dict, tried: dict, alike: dict[int, int], jobs, progress,
                   scheduler: str | None = None) -> dict:
    """The recommended levels of every station together, as one policy: share within target per station and weekday.

    ``jobs``, ``progress`` and ``scheduler`` (a Dask scheduler's address) go to ``run_scenario``.
    """
    staff = {}
    for st in scenario.stations:
        week = []
        for wd in range(scenario.week_length):
            if wd in alike:
                week.append(int(_rota_level(st, *decisions[(st.name, alike[wd])], tried[st.name])))
            else:  # a weekday never simulated: as staffed
                week.append(st.staff)
        staff[st.name] = week
    shares = _simulate_shares(scenario.with_policies({"recommended": {"staff": staff}}), alike, jobs, progress,
                              scheduler)
    out = {}
    for st in scenario.stations:
        share = _shares_of(shares, "recommended", st.name)
        for wd in set(alike.values()):
            out[(st.name, wd)] = t_interval(share.loc[share.weekday == wd, "ok"])
    return out


def _note(status: str, why: str, best: int | None, tried: dict, weekday: int, required: float,
          together: float, max_rounds: int) -> str:
    """What a row's status rests on, in words (empty for ``meets``)."""
    if status == "meets":
        return ""
    if status == "no_data":
        return ("no counted visit on this weekday (it falls in the warm-up, or nobody comes): no evidence, "
                "so no advice; the rota keeps its staff")
    top = max(tried)
    share = _mean(tried[top], weekday)
    if status == "unreachable":
        _, _, high = _gain(tried, top, best, weekday) if best != top else (np.nan, np.nan, 0.0)
        return (f"not reachable: at most {share:.1%} are called within the target (standard {required:.0%}); "
                f"from {best} officers on, each further officer adds less than one percentage point "
                f"({top} officers gain at most {max(high, 0):.1%} over {best}, 95 % bound): the waits come from "
                "breaks or closing time, not from staff numbers")
    if why == "together":
        return (f"{best} officers meet the standard with the other desks fully staffed, but with the recommended "
                f"level at every desk only {together:.1%} are called within the target: not advised")
    if why == "budget":
        known = (f"{best} officers meet it, but fewer were not all tried" if best is not None
                 else "no level tried meets it")
        return f"search not finished within {max_rounds} rounds of simulation: {known}"
    return (f"not reached with up to {top} officers ({share:.1%} within the target) and more still help; "
            "more were not tried")


def _mean(table: pd.DataFrame | None, weekday: int) -> float:
    if table is None:
        return np.nan
    x = table.loc[table.weekday == weekday, "ok"]
    return float(x.mean()) if len(x) else np.nan
