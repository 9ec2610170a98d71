"""Sweeps and staffing advice: where service breaks down, and how many may work from home.

* :func:`sweep` runs one policy per work-from-home share at the chosen stations — all on
  the same citizens — and tabulates each station's waits against the share
  (``sweep.csv``): the curve shows where service breaks down.
* :func:`staffing_advice` finds, per station and weekday, the fewest officers at the
  counter that keep the station within its service standard (by default at least 90 % of
  citizens called within ``target_wait_minutes``). It starts from an Erlang-C estimate at
  the station's busiest hour and confirms by simulation, trying staff levels around the
  estimate on common random numbers (``staffing.csv``): the planner's question "how many
  may work from home on which day" answered station by station, the other stations fully
  staffed.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .calendar import office_calendar
from ._validation import DAY_NAMES
from .runner import Results, run_scenario
from .scenario import Scenario
from .summary_stats import t_interval
from .theory import min_staff_for_target

__all__ = ["parse_shares", "sweep", "sweep_table", "staffing_advice", "hourly_station_rates"]


def parse_shares(text: str) -> list[float]:
    """``"0,0.25,0.5"`` or the range form ``"0:1:0.25"`` (start:stop:step, stop included)."""
    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ValueError(f"a range is start:stop:step, got {text!r}")
        start, stop, step = (float(p) for p in parts)
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


def _share_name(share: float) -> str:
    return f"wfh_{share:g}"


def sweep(
    scenario: Scenario,
    stations: Sequence[str],
    shares: Sequence[float],
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Results, pd.DataFrame]:
    """Run one policy per share (work from home at ``stations``), all on the same citizens."""
    unknown = [s for s in stations if s not in scenario.station_names]
    if unknown:
        raise KeyError(f"no station named {', '.join(map(repr, unknown))}; stations are {', '.join(scenario.station_names)}")
    policies = {_share_name(x): {"wfh_share": {s: x for s in stations}} for x in shares}
    variant = scenario.with_policies(policies)
    results = run_scenario(variant, jobs=jobs, progress=progress)
    return results, sweep_table(results, shares)


def sweep_table(results: Results, shares: Sequence[float]) -> pd.DataFrame:
    """One row per share and station (``sweep.csv``)."""
    scenario = results.scenario
    summary = results.summary.set_index(["policy", "station"])
    rows = []
    for share in shares:
        name = _share_name(share)
        policy = scenario.policies[name]
        for st in scenario.stations:
            row = summary.loc[(name, st.name)]
            onsite = policy.onsite[st.name]
            rows.append(
                {
                    "wfh_share": share,
                    "policy": name,
                    "station": st.name,
                    "label": st.label,
                    "staff": st.staff,
                    "onsite": onsite[0],
                    "at_home": st.staff - onsite[0],
                    "mean_wait": row["mean_wait"],
                    "mean_wait_ci_low": row["mean_wait_ci_low"],
                    "mean_wait_ci_high": row["mean_wait_ci_high"],
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


def hourly_station_rates(scenario: Scenario) -> np.ndarray:
    """Visits per minute at each station in each open hour, ``(hours, stations)``, routing included.

    Citizens are assumed to pass through the whole route within the hour they arrive — a
    first guess for Erlang C, which the simulation then corrects.
    """
    hours = scenario.run.hours_open
    lam0 = np.zeros((hours, len(scenario.stations)))
    for arr in scenario.arrivals:
        lam0[:, scenario.station_index(arr.station)] += scenario.hourly_rates(arr) / 60
    p = scenario.routing_matrix()
    return np.linalg.solve(np.eye(len(scenario.stations)) - p.T, lam0.T).T


def _within_target_by_weekday(results: Results, station: str, target: float) -> pd.DataFrame:
    """Per policy, weekday and replication: share of the station's counter arrivals served within target."""
    cal = office_calendar(results.scenario)
    v = results.visits
    v = v[(v.station == station) & (v.outcome != "online") & (v.arrival >= results.scenario.run.warmup_minutes)]
    ok = (v.outcome == "served") & (v.wait <= target)
    frame = pd.DataFrame(
        {
            "policy": v.policy.astype(str),
            "replication": v.replication,
            "weekday": cal.weekdays[v.day.to_numpy() - 1],
            "ok": ok.astype(float),
        }
    )
    return frame.groupby(["policy", "weekday", "replication"])["ok"].mean().reset_index()


def staffing_advice(
    scenario: Scenario,
    required_share: float = 0.9,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_rounds: int = 6,
) -> pd.DataFrame:
    """Fewest on-site officers per station and weekday meeting the standard (``staffing.csv``)."""
    rates = hourly_station_rates(scenario)
    peak = rates.max(axis=0)
    estimates = {
        st.name: min_staff_for_target(peak[i], 1 / st.service.mean, st.target_wait_minutes, required_share)
        for i, st in enumerate(scenario.stations)
    }
    tried: dict[str, dict[int, pd.DataFrame]] = {st.name: {} for st in scenario.stations}
    todo = {st.name: set(range(max(estimates[st.name] - 2, 0), estimates[st.name] + 2)) for st in scenario.stations}
    weekdays = sorted(set(office_calendar(scenario).weekdays.tolist()))  # 0 = Monday
    advice: dict[tuple[str, int], int | None] = {}
    unreachable: set[tuple[str, int]] = set()
    marginal: dict[tuple[str, int], int] = {}
    for _ in range(max_rounds):
        policies = {"full_office": {}}
        for st, levels in todo.items():
            for c in sorted(levels):
                policies[f"{st}__{c}"] = {"staff": {st: c}}
        if len(policies) == 1:
            break
        results = run_scenario(scenario.with_policies(policies), jobs=jobs, progress=progress)
        for st in scenario.stations:
            if not todo[st.name]:
                continue
            share = _within_target_by_weekday(results, st.name, st.target_wait_minutes)
            for c in todo[st.name]:
                tried[st.name][c] = share[share.policy == f"{st.name}__{c}"]
        todo = {st.name: set() for st in scenario.stations}
        for st in scenario.stations:
            levels = sorted(tried[st.name])
            for wd in weekdays:
                # A weekday without visits meets any standard (NaN is not below it).
                meets = [c for c in levels if not _mean(tried[st.name][c], wd) < required_share]
                if not meets:
                    top = levels[-1]
                    if top - 1 in tried[st.name] and _no_better(tried[st.name], top, top - 1, wd):
                        # More officers no longer help: the standard is lost to breaks or closing time.
                        unreachable.add((st.name, wd))
                    else:
                        todo[st.name].add(top + 1)  # more officers needed than tried so far
                    continue
                best = meets[0]
                # Where an officer more makes no significant difference (paired over
                # replications), the shortfall is not about staff numbers: step down.
                c = best
                while c - 1 in tried[st.name] and _no_better(tried[st.name], c, c - 1, wd):
                    c -= 1
                if c < best:
                    marginal[(st.name, wd)] = best
                if c > 0 and c - 1 not in tried[st.name]:
                    todo[st.name].add(c - 1)  # make sure one fewer really fails
                advice[(st.name, wd)] = c
    rows = []
    for st in scenario.stations:
        for wd in weekdays:
            best = advice.get((st.name, wd))
            at_best = tried[st.name].get(best) if best is not None else None
            below = tried[st.name].get(best - 1) if best else None
            m, lo, hi = t_interval(at_best[at_best.weekday == wd]["ok"]) if at_best is not None else (np.nan,) * 3
            rows.append(
                {
                    "station": st.name,
                    "label": st.label,
                    "weekday": DAY_NAMES[wd],
                    "staff": st.staff,
                    "erlang_c_estimate": estimates[st.name],
                    "recommended_onsite": best if best is not None else np.nan,
                    "may_work_from_home": max(st.staff - best, 0) if best is not None else np.nan,
                    "target_wait_minutes": st.target_wait_minutes,
                    "required_share": required_share,
                    "within_target_share": m,
                    "within_target_share_ci_low": lo,
                    "within_target_share_ci_high": hi,
                    "within_target_share_one_fewer": _mean(below, wd) if below is not None else np.nan,
                    "note": _note(best, (st.name, wd) in unreachable, tried[st.name], wd,
                                  marginal.get((st.name, wd)), required_share),
                }
            )
    return pd.DataFrame(rows)


MIN_GAIN = 0.01
"""An extra officer who raises the share called within target by less than this (one
percentage point) is not counted as needed to meet the standard."""


def _no_better(tried: dict, more: int, fewer: int, weekday: int) -> bool:
    """True when ``more`` officers call no larger share within target than ``fewer`` — not
    significantly (paired over replications: both levels ran on the same citizens), or by
    less than :data:`MIN_GAIN`.
    """
    a, b = tried[more], tried[fewer]
    both = a.loc[a.weekday == weekday, ["replication", "ok"]].merge(
        b.loc[b.weekday == weekday, ["replication", "ok"]], on="replication", suffixes=("_more", "_fewer")
    )
    gain, low, _ = t_interval(both["ok_more"] - both["ok_fewer"])
    return bool(np.isfinite(low) and (low <= 0 or gain < MIN_GAIN))


def _note(best, unreachable: bool, tried: dict, weekday: int, marginal: int | None = None,
          required: float = 0.9) -> str:
    if best is not None and marginal is not None:
        return (f"as close to the standard as staffing gets: {best} officers call "
                f"{_mean(tried[best], weekday):.1%} within the target and {marginal} would be needed to reach "
                f"{required:.0%} on average, but each officer beyond {best} makes no significant difference "
                "or less than one percentage point (the shortfall comes from breaks or closing time)")
    if best is not None:
        return ""
    top = max(tried)
    share = _mean(tried[top], weekday)
    if unreachable:
        return (f"not reachable: even {top} officers call only {share:.0%} within the target; "
                "the waits come from breaks or closing time, not from staff numbers")
    return f"not reached with up to {top} officers ({share:.0%} within the target)"


def _mean(table: pd.DataFrame | None, weekday: int) -> float:
    if table is None:
        return np.nan
    x = table.loc[table.weekday == weekday, "ok"]
    return float(x.mean()) if len(x) else np.nan
