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
from .measures import within_target
from .progress import Progress, for_call, part
from .runner import Results, run_scenario
from .scenario import Scenario
from .summary_stats import t_interval
from .theory import min_staff_for_target

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

STATUSES = ("meets", "unreachable", "not_reached")
"""``meets``: the recommended level meets the standard; ``unreachable``: no level does, and
beyond the recommended one more officers add less than :data:`MIN_GAIN` (the waits come
from breaks or closing time); ``not_reached``: no level tried meets it, more were not tried."""


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


def _shares_by_weekday(results: Results, station: str, alike: dict[int, int]) -> pd.DataFrame:
    """Per policy, weekday and replication: share of the station's counter visits called within
    its standard (alike weekdays pooled under the first of them, see :func:`_alike_weekdays`)."""
    cal = office_calendar(results.scenario)
    target = next(s.target_wait_minutes for s in results.scenario.stations if s.name == station)
    v = results.visits
    v = v[(v.station == station) & (v.outcome != "online") & (v.arrival >= results.scenario.run.warmup_minutes)]
    frame = pd.DataFrame(
        {
            "policy": v.policy.astype(str).to_numpy(),
            "replication": v.replication.to_numpy(),
            "weekday": pd.Series(cal.weekdays[v.day.to_numpy() - 1]).map(alike).to_numpy(),
            "ok": within_target(v, np.full(len(v), target)).astype(float),
        }
    )
    return frame.groupby(["policy", "weekday", "replication"])["ok"].mean().reset_index()


def _gain(tried: dict, more: int, fewer: int, weekday: int) -> tuple[float, float, float]:
    """Paired gain in the share within target from ``fewer`` to ``more`` officers: ``(mean, low, high)``."""
    a, b = tried[more], tried[fewer]
    both = a.loc[a.weekday == weekday, ["replication", "ok"]].merge(
        b.loc[b.weekday == weekday, ["replication", "ok"]], on="replication", suffixes=("_more", "_fewer")
    )
    return t_interval(both["ok_more"] - both["ok_fewer"])


def _adds_nothing(tried: dict, more: int, fewer: int, weekday: int) -> bool:
    """Evidence that ``more`` officers call no larger share within target than ``fewer``:
    the upper 95 % bound of the paired gain is below :data:`MIN_GAIN`. Lack of evidence
    (a wide interval) is not evidence of no gain."""
    _, _, high = _gain(tried, more, fewer, weekday)
    return bool(np.isfinite(high) and high < MIN_GAIN)


def _decide(tried: dict, weekday: int, required: float, ceiling: int) -> tuple[str, int | None, set[int]]:
    """One station and weekday: ``(status, level, levels still to try)`` from the levels tried so far."""
    levels = sorted(tried)
    # A weekday without visits meets any standard (NaN is not below it).
    meets = [c for c in levels if not _mean(tried[c], weekday) < required]
    if meets:
        best = meets[0]
        if best > 0 and best - 1 not in tried:
            return "meets", best, {best - 1}  # make sure one fewer really misses
        return "meets", best, set()
    top = levels[-1]
    if top - 1 in tried and _adds_nothing(tried, top, top - 1, weekday):
        # More officers stop helping: the smallest level that, compared with the most tried,
        # loses less than MIN_GAIN (compared with that level directly, never chained).
        plateau = top
        for c in reversed(levels[:-1]):
            if c != plateau - 1 or not _adds_nothing(tried, top, c, weekday):
                break
            plateau = c
        if plateau > 0 and plateau - 1 not in tried:
            return "unreachable", plateau, {plateau - 1}
        return "unreachable", plateau, set()
    if top >= ceiling:
        return "not_reached", None, set()
    return "not_reached", None, {top + 1}


def _advice_start(scenario: Scenario, required_share: float):
    """Where the advice starts: the scenario with enough replications, its weekdays (alike ones
    pooled), the Erlang-C estimate per station and weekday, and the staff levels of the first round."""
    replications = max(scenario.run.replications, MIN_ADVICE_REPLICATIONS)
    if replications != scenario.run.replications:
        scenario = scenario.with_run(replications=replications)
    calendar = office_calendar(scenario)
    weekdays = sorted(set(calendar.weekdays.tolist()))  # 0 = Monday
    alike = _alike_weekdays(scenario, weekdays)
    estimates: dict[tuple[str, int], int] = {}
    for wd in weekdays:
        peak = hourly_station_rates(scenario, DAY_NAMES[wd]).max(axis=0)
        for i, st in enumerate(scenario.stations):
            estimates[(st.name, wd)] = min_staff_for_target(peak[i], 1 / st.service.mean, st.target_wait_minutes,
                                                            required_share)
    todo = {st.name: {c for wd in weekdays for c in range(max(estimates[(st.name, wd)] - 1, 0),
                                                             estimates[(st.name, wd)] + 1)}
            for st in scenario.stations}
    return scenario, weekdays, alike, estimates, todo


def advice_simulations(scenario: Scenario, required_share: float = 0.9) -> int:
    """Simulations (one policy over one replication) :func:`staffing_advice` is expected to run.

    The advice is adaptive, so this is an estimate for a progress bar, made from where it
    starts: the first round (everyone in, and the levels around each Erlang-C estimate), one
    more round checking one further level at every station (needed unless every estimate is
    right first time), and the recommended rota with everyone in.
    """
    scenario, _, _, _, todo = _advice_start(scenario, required_share)
    return _advice_estimate(todo, scenario.run.replications)


def _advice_estimate(todo: dict[str, set[int]], replications: int) -> int:
    first = 1 + sum(len(levels) for levels in todo.values())
    return (first + (1 + len(todo)) + 2) * replications


def staffing_advice(
    scenario: Scenario,
    required_share: float = 0.9,
    jobs: int | None = None,
    progress: Progress | Callable[[int, int], None] | None = None,
    max_rounds: int = 8,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Fewest on-site officers per station and weekday meeting the standard (``staffing.csv``).

    For each station and weekday: start from the Erlang-C estimate at that weekday's
    busiest hour (its demand multiplier included), simulate staff levels around it on
    common random numbers (the other stations fully staffed) until the smallest level whose
    mean share within target reaches ``required_share`` is found together with one fewer
    that misses it (``status = "meets"``). Where no level meets it, more officers are tried
    until one more adds less than one percentage point with 95 % confidence; the level
    from which extra officers stop helping is then given with ``status = "unreachable"``.
    Finally the recommended levels of all stations are simulated together as one rota
    (``within_target_share_together``): stations affect each other through routing.

    With fewer than :data:`MIN_ADVICE_REPLICATIONS` replications the advice runs that many
    (``attrs["replications"]`` says how many it ran).

    ``jobs`` and ``scheduler`` (the address of a Dask distributed scheduler whose workers run
    the replications, with the same results) are :func:`~simulation.runner.run_scenario`'s.
    ``progress`` is called as by ``run_scenario``, once per call of it (one per round of
    staff levels, and one for the rota); a :class:`~simulation.progress.Progress` instead
    counts every policy of every replication over all of them, from the estimate
    :func:`advice_simulations` gives.
    """
    scenario, weekdays, alike, estimates, todo = _advice_start(scenario, required_share)
    replications = scenario.run.replications
    this = part(progress, _advice_estimate(todo, replications))
    groups = sorted(set(alike.values()))
    ceilings = {st.name: max(3 * max(estimates[(st.name, wd)] for wd in weekdays) + 5, st.staff + 5)
                for st in scenario.stations}
    tried: dict[str, dict[int, pd.DataFrame]] = {st.name: {} for st in scenario.stations}
    decisions: dict[tuple[str, int], tuple[str, int | None]] = {}
    for _ in range(max_rounds):
        policies = {"full_office": {}}
        for st, levels in todo.items():
            for c in sorted(levels):
                policies[f"{st}__{c}"] = {"staff": {st: c}}
        if len(policies) == 1:
            break
        results = run_scenario(scenario.with_policies(policies), jobs=jobs,
                               progress=for_call(progress, len(policies)), scheduler=scheduler)
        for st in scenario.stations:
            if todo[st.name]:
                share = _shares_by_weekday(results, st.name, alike)
                for c in todo[st.name]:
                    tried[st.name][c] = share[share.policy == f"{st.name}__{c}"]
        todo = {st.name: set() for st in scenario.stations}
        for st in scenario.stations:
            for wd in groups:
                status, level, more = _decide(tried[st.name], wd, required_share, ceilings[st.name])
                decisions[(st.name, wd)] = (status, level)
                todo[st.name] |= more - set(tried[st.name])
    decisions = {(st, wd): decisions[(st, alike[wd])] for st, _ in decisions for wd in weekdays}
    this.remaining(2 * replications)  # only the rota is left: the bar's estimate becomes exact
    together = _simulate_rota(scenario, decisions, tried, alike, jobs, progress, scheduler)
    rows = []
    for st in scenario.stations:
        for day in weekdays:
            wd = alike[day]
            status, best = decisions[(st.name, wd)]
            at_best = tried[st.name].get(best) if best is not None else None
            below = tried[st.name].get(best - 1) if best else None
            m, lo, hi = t_interval(at_best[at_best.weekday == wd]["ok"]) if at_best is not None else (np.nan,) * 3
            tm, tlo, thi = together.get((st.name, wd), (np.nan,) * 3)  # alike weekdays pooled
            rows.append(
                {
                    "station": st.name,
                    "label": st.label,
                    "weekday": DAY_NAMES[day],
                    "staff": st.staff,
                    "erlang_c_estimate": estimates[(st.name, wd)],
                    "recommended_onsite": best if best is not None else np.nan,
                    "may_work_from_home": max(st.staff - best, 0) if best is not None else np.nan,
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
                    "note": _note(status, best, tried[st.name], wd, required_share),
                }
            )
    table = pd.DataFrame(rows)
    table.attrs["replications"] = replications
    return table


def _simulate_rota(scenario: Scenario, decisions: dict, tried: dict, alike: dict[int, int], jobs, progress,
                   scheduler: str | None = None) -> dict:
    """The recommended levels of every station together, as one policy: share within target per station and weekday.

    ``jobs``, ``progress`` and ``scheduler`` (a Dask scheduler's address) go to ``run_scenario``.
    """
    staff = {}
    for st in scenario.stations:
        week = []
        for wd in range(scenario.week_length):
            status, level = decisions.get((st.name, wd), ("meets", None))
            if level is None:  # not reached: the most tried; a weekday never simulated: as staffed
                level = max(tried[st.name]) if (st.name, wd) in decisions else st.staff
            week.append(int(level))
        staff[st.name] = week
    results = run_scenario(scenario.with_policies({"full_office": {}, "recommended": {"staff": staff}}),
                           jobs=jobs, progress=for_call(progress, 2), scheduler=scheduler)
    out = {}
    for st in scenario.stations:
        share = _shares_by_weekday(results, st.name, alike)
        share = share[share.policy == "recommended"]
        for wd in set(alike.values()):
            out[(st.name, wd)] = t_interval(share.loc[share.weekday == wd, "ok"])
    return out


def _note(status: str, best: int | None, tried: dict, weekday: int, required: float) -> str:
    if status == "meets":
        return ""
    top = max(tried)
    share = _mean(tried[top], weekday)
    if status == "unreachable":
        _, _, high = _gain(tried, top, best, weekday) if best != top else (np.nan, np.nan, 0.0)
        return (f"not reachable: at most {share:.1%} are called within the target (standard {required:.0%}); "
                f"from {best} officers on, each further officer adds less than one percentage point "
                f"({top} officers gain at most {max(high, 0):.1%} over {best}, 95 % bound): the waits come from "
                "breaks or closing time, not from staff numbers")
    return f"not reached with up to {top} officers ({share:.1%} within the target); more were not tried"


def _mean(table: pd.DataFrame | None, weekday: int) -> float:
    if table is None:
        return np.nan
    x = table.loc[table.weekday == weekday, "ok"]
    return float(x.mean()) if len(x) else np.nan
