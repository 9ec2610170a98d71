"""From visit records to the numbers a planner quotes.

Statistics are computed per replication first (``replications.csv``, and the citizen
counts of ``citizens.csv``), then summarised across replications (``summary.csv``,
``citizens.csv``) with a Student-t confidence interval over the replication values —
replications are independent, visits within one are not. What each measure means is
defined once, in :mod:`simulation.measures`; this module only groups and summarises.

Statistics cover visits (and citizens) arriving at or after ``warmup_minutes``.
``mean_queue_length`` is the time-average number of citizens waiting (not yet at a
counter) during opening hours.

In ``summary.csv``, counts, means, shares and utilisation are means over replications
(counts are therefore per replication: one simulated period); ``p50/p90/p95/max_wait``
pool the served visits of all replications. With fewer than :data:`MIN_REPLICATIONS_FOR_CI`
replications no interval is given (the columns are empty).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from .calendar import OfficeCalendar
from .measures import (
    CITIZEN_STATUSES,
    citizen_counts,
    citizen_status,
    staffed_busy_minutes,
    visit_measures,
    within_target,
)
from .scenario import Scenario

__all__ = [
    "MIN_REPLICATIONS_FOR_CI",
    "citizen_stats",
    "class_replication_rows",
    "overall_stats",
    "pooled_waits",
    "replication_stats",
    "summarise",
    "summarise_by_class",
    "summarise_citizens",
    "t_interval",
    "t_quantile",
    "trips_until_served",
]

MIN_REPLICATIONS_FOR_CI = 2
"""A confidence interval over replications needs at least this many."""


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes 6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom, t >= 0."""
    return 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


@lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (``p`` in (0, 1)).

    Solved by bisection on the distribution function, itself from the regularised
    incomplete beta function, to double precision (it agrees with ``scipy.stats.t.ppf`` to
    about 1e-12; tests check it). Written out here because importing SciPy for this one
    number took a quarter of a second of every run.
    """
    if not 0.0 < p < 1.0 or not df > 0:
        return math.nan
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    tail = 1.0 - p
    lo, hi = 0.0, 1.0
    while _t_upper_tail(hi, df) > tail:
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if _t_upper_tail(mid, df) > tail:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


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
    if n < MIN_REPLICATIONS_FOR_CI:
        return (mean, np.nan, np.nan)
    half = float(t_quantile(0.5 + confidence / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return (mean, mean - half, mean + half)


def sum_interval(means, ci_lows, ci_highs, replications, scales=None,
                 confidence: float = 0.95) -> tuple[float, float, float]:
    """``(total, low, high)``: the sum of independent means, each given with its Student-t interval.

    Offices are simulated independently, so the variance of a sum of their means is the sum of
    their variances. Each standard error is read back from its interval (half-width over the
    t quantile with ``replications - 1`` degrees of freedom); the sum's interval uses the
    Welch–Satterthwaite degrees of freedom. ``scales`` multiply each mean first (e.g. 1/weeks
    simulated, for a figure per week). An interval that is undefined for any part (one
    replication) leaves the total's undefined.
    """
    m = np.asarray(means, dtype=float)
    scale = np.ones_like(m) if scales is None else np.asarray(scales, dtype=float)
    n = np.asarray(replications, dtype=float)
    total = float((m * scale).sum())
    half = (np.asarray(ci_highs, dtype=float) - np.asarray(ci_lows, dtype=float)) / 2 * scale
    if not len(m) or np.isnan(half).any() or (n < MIN_REPLICATIONS_FOR_CI).any():
        return total, np.nan, np.nan
    t_each = np.array([t_quantile(0.5 + confidence / 2, k - 1) for k in n])
    var = (half / t_each) ** 2
    if var.sum() == 0:
        return total, total, total
    df = var.sum() ** 2 / (var ** 2 / (n - 1)).sum()
    spread = float(t_quantile(0.5 + confidence / 2, df) * np.sqrt(var.sum()))
    return total, total - spread, total + spread


def _quantiles(w: np.ndarray) -> tuple[float, float, float, float]:
    if len(w) == 0:
        return (np.nan, np.nan, np.nan, np.nan)
    p50, p90, p95 = np.percentile(w, [50, 90, 95])
    return (float(p50), float(p90), float(p95), float(w.max()))


def _with_trip_starts(visits: pd.DataFrame) -> pd.DataFrame:
    """Mark the first visit of each trip of each citizen (visits of one policy and replication)."""
    return visits.assign(trip_start=~visits.duplicated(["citizen", "trip"]))


def _targets(visits: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    """Each visit's standard: its station's ``target_wait_minutes``."""
    targets = {s.name: s.target_wait_minutes for s in scenario.stations}
    return visits["station"].map(targets).to_numpy(dtype=float)


def _open_overlap(calendar: OfficeCalendar, t0: np.ndarray, t1: np.ndarray, warmup: float) -> float:
    """Total minutes of the intervals [t0, t1] inside opening hours after the warm-up."""
    a = np.maximum(t0, warmup)
    b = np.maximum(t1, warmup)
    return float((calendar.open_minutes_before(b) - calendar.open_minutes_before(a)).sum())


def replication_stats(
    visits: pd.DataFrame,
    scenario: Scenario,
    calendar: OfficeCalendar,
    staff_timelines: list[tuple[np.ndarray, np.ndarray]],
) -> pd.DataFrame:
    """One row per station for the visits of one policy in one replication.

    ``staff_timelines[s]`` is ``(times, officers)``: officers at station ``s``'s counters
    from each time on (:meth:`simulation.model.Office.staff_timeline`), for utilisation
    and overtime. Online requests are counted apart from counter visits (``online``,
    ``online_mean_wait``, ``online_unprocessed``).
    """
    warmup = scenario.run.warmup_minutes
    window_open = float(np.diff(calendar.open_minutes_before(np.array([warmup, calendar.end])))[0])
    marked = _with_trip_starts(visits)
    by_station_all = dict(tuple(marked.groupby("station", observed=True, sort=False)))
    kept = marked[marked["arrival"] >= warmup]
    by_station = dict(tuple(kept.groupby("station", observed=True, sort=False)))
    rows = []
    for s_idx, st in enumerate(scenario.stations):
        v_all = by_station.get(st.name, kept.iloc[:0])
        is_online = (v_all["outcome"] == "online").to_numpy()
        v = v_all[~is_online]
        online = v_all[is_online]
        row = {"station": st.name}
        row.update(visit_measures(v, np.full(len(v), st.target_wait_minutes)))
        # Every citizen waiting or served after the warm-up counts, whoever arrived when (those
        # already queueing when the warm-up ends included).
        everyone = by_station_all.get(st.name, marked.iloc[:0])
        counter = everyone[(everyone["outcome"] != "online").to_numpy()]
        arrival = counter["arrival"].to_numpy()
        waiting = _open_overlap(calendar, arrival, arrival + counter["wait"].to_numpy(), warmup)
        served = (everyone["outcome"] == "served").to_numpy()
        times, levels = staff_timelines[s_idx]
        staffed, busy_staffed, busy = staffed_busy_minutes(
            calendar, times, levels, everyone["service_start"].to_numpy()[served],
            everyone["service_end"].to_numpy()[served], warmup)
        row["utilization"] = busy_staffed / staffed if staffed > 0 else np.nan
        # Serving outside staffed time: into a break, past a shift's end, after closing.
        row["overtime_minutes"] = busy - busy_staffed
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
    return visit_measures(v, _targets(v, scenario))


def citizen_stats(visits: pd.DataFrame, scenario: Scenario, still_to_return: np.ndarray) -> tuple[dict, dict]:
    """Citizen counts (``citizens.csv``) and trips until served (``trips.csv``) of one policy
    in one replication: citizens whose first arrival is at or after the warm-up.

    ``still_to_return``: citizens (numbered as in ``visits.csv``) sent home who would have
    come back after the simulated period (:attr:`simulation.model.VisitLog.still_to_return`).
    """
    status = citizen_status(visits, still_to_return, _targets(visits, scenario))
    status = status[status["arrival"] >= scenario.run.warmup_minutes]
    served = status["status"].isin(CITIZEN_STATUSES[:2]).to_numpy()
    label = np.where(served, status["trips"].astype(str).to_numpy(), status["status"].to_numpy())
    trips = pd.Series(label).value_counts().to_dict()
    return citizen_counts(status), trips


def pooled_waits(visits: pd.DataFrame, scenario: Scenario, by: list[str]) -> dict:
    """Waits of served counter visits after the warm-up, pooled over replications, per group."""
    served = visits[(visits["outcome"] == "served") & (visits["arrival"] >= scenario.run.warmup_minutes)]
    return {key: g["wait"].to_numpy() for key, g in served.groupby(by, observed=True)}


def summarise(replications: pd.DataFrame, visits: pd.DataFrame | None, scenario: Scenario, confidence=0.95,
              pooled: dict | None = None) -> pd.DataFrame:
    """One row per policy and station, across replications (see the module docstring).

    The wait percentiles pool the served waits of ``visits``, or come from ``pooled``
    (:func:`pooled_waits` by ``["policy", "station"]``) when the visits are not at hand.
    """
    if pooled is None:
        pooled = pooled_waits(visits, scenario, ["policy", "station"])
    labels = {s.name: s.label for s in scenario.stations}
    targets = {s.name: s.target_wait_minutes for s in scenario.stations}
    rows = []
    for (policy, station), g in replications.groupby(["policy", "station"], sort=False, observed=True):
        mean, lo, hi = t_interval(g["mean_wait"], confidence)
        mean_all, lo_all, hi_all = t_interval(g["mean_wait_all"], confidence)
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
                "mean_wait_all": mean_all,
                "mean_wait_all_ci_low": lo_all,
                "mean_wait_all_ci_high": hi_all,
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


CITIZEN_COLUMNS = ["policy", "label", "replications", "citizens", *CITIZEN_STATUSES,
                   "first_trip_within_target_share", "first_trip_within_target_share_ci_low",
                   "first_trip_within_target_share_ci_high"]


def summarise_citizens(per_replication: pd.DataFrame, scenario: Scenario, confidence: float = 0.95) -> pd.DataFrame:
    """``citizens.csv``: one row per policy, means per replication of the citizen counts.

    ``per_replication``: one row per policy and replication with the counts of
    :func:`citizen_stats`. The four outcome counts add up to ``citizens`` in every
    replication, hence also in their means.
    """
    labels = {name: p.label or name for name, p in scenario.staffing_policies().items()}
    rows = []
    for policy, g in per_replication.groupby("policy", sort=False):
        share, lo, hi = t_interval(g["first_trip_within_target_share"], confidence)
        rows.append({"policy": policy, "label": labels.get(policy, policy), "replications": len(g),
                     "citizens": g["citizens"].mean(), **{s: g[s].mean() for s in CITIZEN_STATUSES},
                     "first_trip_within_target_share": share, "first_trip_within_target_share_ci_low": lo,
                     "first_trip_within_target_share_ci_high": hi})
    return pd.DataFrame(rows, columns=CITIZEN_COLUMNS)


def class_replication_rows(visits: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Counter visits per policy, station, citizen class and replication (what ``classes.csv`` summarises).

    Columns: policy, station, class, replication, arrived, served, ok (share called within
    standard), mean_wait (served visits), mean_wait_all (every visit). One replication's
    rows depend only on its own visits, so a worker computes them and sends only these.
    """
    v = visits[(visits["arrival"] >= scenario.run.warmup_minutes) & (visits["outcome"] != "online")]
    v = v.assign(is_served=v["outcome"] == "served", ok=within_target(v, _targets(v, scenario)),
                 served_wait=v["wait"].where(v["outcome"] == "served"))
    per_rep = (
        v.groupby(["policy", "station", "class", "replication"], observed=True)
        .agg(arrived=("ok", "size"), served=("is_served", "sum"), ok=("ok", "mean"),
             mean_wait=("served_wait", "mean"), mean_wait_all=("wait", "mean"))
        .reset_index()
    )
    return per_rep.astype({"policy": str})


def summarise_by_class(visits: pd.DataFrame | None, scenario: Scenario, confidence: float = 0.95,
                       per_replication: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counter visits per policy, station and citizen class: waits and the standard, across replications.

    From ``visits``, or from the rows of :func:`class_replication_rows` of every replication
    (``per_replication``; any order).
    """
    per_rep = class_replication_rows(visits, scenario) if per_replication is None else per_replication
    policies = list(dict.fromkeys(per_rep["policy"]))
    rank = {p: i for i, p in enumerate(scenario.staffing_policies())}
    stations = {s: i for i, s in enumerate(scenario.station_names)}
    classes = {c: i for i, c in enumerate(scenario.class_names)}
    order = np.lexsort((per_rep["replication"].to_numpy(), per_rep["class"].astype(str).map(classes).to_numpy(),
                        per_rep["station"].astype(str).map(stations).to_numpy(),
                        per_rep["policy"].map(lambda p: rank.get(p, len(rank) + policies.index(p))).to_numpy()))
    per_rep = per_rep.iloc[order]
    rows = []
    for (policy, station, klass), g in per_rep.groupby(["policy", "station", "class"], observed=True, sort=False):
        mean, lo, hi = t_interval(g["mean_wait"], confidence)
        share, s_lo, s_hi = t_interval(g["ok"], confidence)
        rows.append({
            "policy": policy, "station": station, "class": klass, "replications": len(g),
            "arrived": g["arrived"].mean(), "served": g["served"].mean(),
            "mean_wait": mean, "mean_wait_ci_low": lo, "mean_wait_ci_high": hi,
            "mean_wait_all": g["mean_wait_all"].mean(),
            "within_target_share": share, "within_target_share_ci_low": s_lo, "within_target_share_ci_high": s_hi,
        })
    return pd.DataFrame(rows)


def trips_until_served(per_replication: pd.DataFrame, policies: list[str]) -> pd.DataFrame:
    """How many trips citizens needed: one row per policy and number of trips (``trips.csv``).

    ``per_replication``: columns ``policy, replication, trips, count`` (from
    :func:`citizen_stats`); ``trips`` is ``"1"``, ``"2"``, ... for citizens served on that
    trip, else ``never_served`` or ``still_to_return``. ``citizens`` is the mean per
    replication, ``share`` of all citizens arriving after the warm-up.
    """
    reps = per_replication.groupby("policy")["replication"].nunique()
    counts = per_replication.groupby(["policy", "trips"], sort=False)["count"].sum().reset_index()
    counts["citizens"] = counts["count"] / counts["policy"].map(reps)
    out = counts.drop(columns="count")
    out["share"] = out["citizens"] / out.groupby("policy")["citizens"].transform("sum")
    rank = {p: i for i, p in enumerate(policies)}
    order = {"never_served": 10**6, "still_to_return": 10**6 + 1}
    out["_p"] = out["policy"].map(rank)
    out["_t"] = out["trips"].map(lambda t: int(t) if t.isdigit() else order.get(t, 10**7))
    return out.sort_values(["_p", "_t"]).drop(columns=["_p", "_t"]).reset_index(drop=True)
