"""From visit records to the numbers a planner quotes.

Statistics are computed per replication first (``replications.csv``), then summarised
across replications (``summary.csv``) with a Student-t confidence interval over the
replication means — replications are independent, visits within one are not.

Definitions (all over visits that arrive at or after ``warmup_minutes``):

* ``arrived`` — visits to the station; ``served`` — those served.
* ``mean_wait`` — mean time from arrival at the station to the start of service, over
  served visits, minutes. Percentiles and the maximum likewise.
* ``within_target_share`` — share of *arrivals* whose service started within the station's
  ``target_wait_minutes``; a citizen sent home unserved counts as not within target.
* ``utilization`` — officer time spent serving during opening hours / officer time staffed
  during opening hours.
* ``mean_queue_length`` — time-average number of citizens waiting (not yet at a counter)
  during opening hours.
* ``overtime_minutes`` — officer-minutes spent serving outside opening hours (finishing the
  queue after closing with ``after_close = "serve"``).

In ``summary.csv``, counts, means, shares and utilisation are means over replications
(counts are therefore per replication: one simulated period); ``p50/p90/p95/max_wait``
pool the served visits of all replications.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .calendar import OfficeCalendar
from .scenario import Scenario

__all__ = ["t_interval", "replication_stats", "overall_stats", "pooled_waits", "summarise", "summarise_by_class", "trips_until_served"]



def t_interval(values, confidence: float = 0.95) -> tuple[float, float, float]:
    """``(mean, low, high)``: Student-t interval for the mean of independent values.

    NaNs are ignored; with fewer than two values the interval is undefined (NaN).
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if n < 2:
        return (mean, np.nan, np.nan)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return (mean, mean - half, mean + half)


def _quantiles(w: np.ndarray) -> tuple[float, float, float, float]:
    if len(w) == 0:
        return (np.nan, np.nan, np.nan, np.nan)
    p50, p90, p95 = np.percentile(w, [50, 90, 95])
    return (float(p50), float(p90), float(p95), float(w.max()))


def _visit_stats(v: pd.DataFrame, targets: np.ndarray) -> dict:
    """Counter-visit statistics of a set of visits (``targets``: each visit's standard)."""
    outcome = v["outcome"].to_numpy()
    is_online = outcome == "online"  # waiting at home for an officer costs no citizen time here
    served = outcome == "served"
    wait = v["wait"].to_numpy()
    w_served = wait[served]
    arrived = len(v)
    p50, p90, p95, pmax = _quantiles(w_served)
    return {
        "arrived": arrived,
        "served": int(served.sum()),
        "turned_away": int((outcome == "turned_away").sum()),
        "reneged": int((outcome == "reneged").sum()),
        "balked": int((outcome == "balked").sum()),
        "not_served": int(arrived - served.sum()),
        "mean_wait": float(w_served.mean()) if len(w_served) else np.nan,
        "p50_wait": p50,
        "p90_wait": p90,
        "p95_wait": p95,
        "max_wait": pmax,
        "within_target_share": float((w_served <= targets[served]).sum() / arrived) if arrived else np.nan,
        # Trips beyond a citizen's first that began here, and the hours citizens spent:
        # waiting, plus the journeys of the trips that began here (wasted ones included).
        "repeat_trips": int(((v["trip"].to_numpy() > 1) & v["trip_start"].to_numpy()).sum()),
        "citizen_hours_lost": float((np.nan_to_num(wait[~is_online]).sum() + v["travel"].to_numpy().sum()) / 60),
    }


def _with_trip_starts(visits: pd.DataFrame) -> pd.DataFrame:
    """Mark the first visit of each trip of each citizen (visits of one policy and replication)."""
    return visits.assign(trip_start=~visits.duplicated(["citizen", "trip"]))


def _open_overlap(calendar: OfficeCalendar, t0: np.ndarray, t1: np.ndarray, warmup: float) -> float:
    """Total minutes of the intervals [t0, t1] inside opening hours after the warm-up."""
    a = np.maximum(t0, warmup)
    b = np.maximum(t1, warmup)
    return float((calendar.open_minutes_before(b) - calendar.open_minutes_before(a)).sum())


def replication_stats(
    visits: pd.DataFrame,
    scenario: Scenario,
    calendar: OfficeCalendar,
    staffed_minutes: np.ndarray,
) -> pd.DataFrame:
    """One row per station for the visits of one policy in one replication.

    ``staffed_minutes[s]`` is the officer time staffed at station ``s`` during opening
    hours from the end of the warm-up on (the denominator of utilisation). Online requests
    are counted apart from counter visits (``online``, ``online_mean_wait``,
    ``online_unprocessed``).
    """
    warmup = scenario.run.warmup_minutes
    window_open = float(np.diff(calendar.open_minutes_before(np.array([warmup, calendar.end])))[0])
    kept = _with_trip_starts(visits)[visits["arrival"] >= warmup]
    by_station = dict(tuple(kept.groupby("station", observed=True, sort=False)))
    rows = []
    for s_idx, st in enumerate(scenario.stations):
        v_all = by_station.get(st.name, kept.iloc[:0])
        is_online = (v_all["outcome"] == "online").to_numpy()
        v = v_all[~is_online]
        online = v_all[is_online]
        row = {"station": st.name}
        row.update(_visit_stats(v, np.full(len(v), st.target_wait_minutes)))
        served = (v["outcome"] == "served").to_numpy()
        arrival = v["arrival"].to_numpy()
        waiting = _open_overlap(calendar, arrival, arrival + v["wait"].to_numpy(), warmup)
        s0, s1 = v["service_start"].to_numpy()[served], v["service_end"].to_numpy()[served]
        busy = _open_overlap(calendar, s0, s1, warmup)
        row["utilization"] = busy / staffed_minutes[s_idx] if staffed_minutes[s_idx] > 0 else np.nan
        # Officer time spent serving after closing (after_close = "serve" finishes the queue).
        row["overtime_minutes"] = float((np.maximum(s1, warmup) - np.maximum(s0, warmup)).sum()) - busy
        row["mean_queue_length"] = waiting / window_open if window_open > 0 else np.nan
        picked = online["service_start"].notna().to_numpy()
        row["online"] = len(online)
        row["online_mean_wait"] = float(online["wait"].to_numpy()[picked].mean()) if picked.any() else np.nan
        row["online_unprocessed"] = int((~picked).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def overall_stats(visits: pd.DataFrame, scenario: Scenario) -> dict:
    """All counter visits of one policy in one replication together, each judged by its station's standard."""
    warmup = scenario.run.warmup_minutes
    v = _with_trip_starts(visits)
    v = v[(v["arrival"] >= warmup) & (v["outcome"] != "online")]
    targets = {s.name: s.target_wait_minutes for s in scenario.stations}
    return _visit_stats(v, v["station"].map(targets).to_numpy(dtype=float))


def pooled_waits(visits: pd.DataFrame, scenario: Scenario, by: list[str]) -> dict:
    """Waits of served counter visits after the warm-up, pooled over replications, per group."""
    served = visits[(visits["outcome"] == "served") & (visits["arrival"] >= scenario.run.warmup_minutes)]
    return {key: g["wait"].to_numpy() for key, g in served.groupby(by, observed=True)}


def summarise(replications: pd.DataFrame, visits: pd.DataFrame, scenario: Scenario, confidence=0.95) -> pd.DataFrame:
    """One row per policy and station, across replications (see the module docstring)."""
    pooled = pooled_waits(visits, scenario, ["policy", "station"])
    labels = {s.name: s.label for s in scenario.stations}
    targets = {s.name: s.target_wait_minutes for s in scenario.stations}
    rows = []
    for (policy, station), g in replications.groupby(["policy", "station"], sort=False, observed=True):
        mean, lo, hi = t_interval(g["mean_wait"], confidence)
        share, share_lo, share_hi = t_interval(g["within_target_share"], confidence)
        p50, p90, p95, pmax = _quantiles(pooled.get((policy, station), np.empty(0)))
        rows.append(
            {
                "policy": policy,
                "station": station,
                "label": labels[station],
                "replications": len(g),
                "arrived": g["arrived"].mean(),
                "served": g["served"].mean(),
                "turned_away": g["turned_away"].mean(),
                "reneged": g["reneged"].mean(),
                "balked": g["balked"].mean(),
                "not_served": g["not_served"].mean(),
                "repeat_trips": g["repeat_trips"].mean(),
                "citizen_hours_lost": g["citizen_hours_lost"].mean(),
                "mean_wait": mean,
                "mean_wait_ci_low": lo,
                "mean_wait_ci_high": hi,
                "p50_wait": p50,
                "p90_wait": p90,
                "p95_wait": p95,
                "max_wait": pmax,
                "target_wait_minutes": targets[station],
                "within_target_share": share,
                "within_target_share_ci_low": share_lo,
                "within_target_share_ci_high": share_hi,
                "utilization": g["utilization"].mean(),
                "overtime_minutes": g["overtime_minutes"].mean(),
                "mean_queue_length": g["mean_queue_length"].mean(),
                "online": g["online"].mean(),
                "online_mean_wait": g["online_mean_wait"].mean(),
                "online_unprocessed": g["online_unprocessed"].mean(),
            }
        )
    return pd.DataFrame(rows)


def summarise_by_class(visits: pd.DataFrame, scenario: Scenario, confidence: float = 0.95) -> pd.DataFrame:
    """Counter visits per policy, station and citizen class: waits and the standard, across replications."""
    v = visits[(visits["arrival"] >= scenario.run.warmup_minutes) & (visits["outcome"] != "online")]
    targets = {s.name: s.target_wait_minutes for s in scenario.stations}
    v = v.assign(
        is_served=v["outcome"] == "served",
        ok=(v["outcome"] == "served") & (v["wait"] <= v["station"].map(targets).astype(float)),
    )
    per_rep = (
        v.groupby(["policy", "station", "class", "replication"], observed=True)
        .agg(arrived=("ok", "size"), served=("is_served", "sum"), ok=("ok", "mean"),
             mean_wait=("wait", lambda w: w[v.loc[w.index, "is_served"]].mean()))
        .reset_index()
    )
    rows = []
    for (policy, station, klass), g in per_rep.groupby(["policy", "station", "class"], observed=True, sort=False):
        mean, lo, hi = t_interval(g["mean_wait"], confidence)
        rows.append({
            "policy": policy, "station": station, "class": klass, "replications": len(g),
            "arrived": g["arrived"].mean(), "served": g["served"].mean(),
            "mean_wait": mean, "mean_wait_ci_low": lo, "mean_wait_ci_high": hi,
            "within_target_share": g["ok"].mean(),
        })
    return pd.DataFrame(rows)


def trips_until_served(visits: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """How many trips citizens needed: one row per policy and number of trips (``trips.csv``).

    A citizen is served when their last visit was served (at the counter or online); one
    whose last visit sent them home never was (``trips = "not_served"``). ``citizens`` is
    per replication (mean), ``share`` of the citizens arriving after the warm-up.
    """
    v = visits[visits["arrival"] >= scenario.run.warmup_minutes]
    last = v.drop_duplicates(["policy", "replication", "citizen"], keep="last")
    served = last["outcome"].isin(["served", "online"]).to_numpy()
    label = np.where(served, last["trip"].astype(str).to_numpy(), "not_served")
    counts = (
        pd.DataFrame({"policy": last["policy"].astype(str).to_numpy(), "replication": last["replication"].to_numpy(),
                      "trips": label})
        .groupby(["policy", "trips", "replication"]).size().unstack("replication", fill_value=0)
    )
    reps = visits["replication"].nunique()
    out = counts.sum(axis=1).div(reps).rename("citizens").reset_index()
    out["share"] = out["citizens"] / out.groupby("policy")["citizens"].transform("sum")
    policies = list(dict.fromkeys(visits["policy"].astype(str)))
    rank = {p: i for i, p in enumerate(policies)}
    out["_p"] = out["policy"].map(rank)
    out["_t"] = out["trips"].map(lambda t: int(t) if t.isdigit() else 10**6)
    return out.sort_values(["_p", "_t"]).drop(columns=["_p", "_t"]).reset_index(drop=True)
