"""Each staffing policy against the baseline, on the same citizens.

Every policy of a scenario is simulated on the same citizens in each replication (common
random numbers), so the policy's effect in replication ``r`` is simply the difference of
two numbers measured on identical demand. The confidence interval of the mean effect is a
paired Student-t interval over those replication-wise differences — much narrower than
comparing two independent sets of runs, because the day-to-day luck of the draw (a busy
Monday, a run of long services) cancels out.

``comparison.csv`` has one row per non-baseline policy and station, plus a row
``station = "all"`` for all counter visits together (each judged by its own station's
standard). The ``all`` row also compares *citizens* (:mod:`simulation.measures`): how many
were never served or still had to come back, and the share whose whole business was done
on the first trip within standard — measures whose denominator, the citizens who came,
is the same under every policy. With a single replication no interval is given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .scenario import Scenario
from .summary_stats import pooled_waits, t_interval

__all__ = ["compare_policies", "ALL_STATIONS"]

ALL_STATIONS = "all"


def _paired(base: pd.DataFrame, pol: pd.DataFrame, column: str, confidence: float):
    """Mean of each side and paired interval of the difference, over replications where both are defined."""
    both = base[["replication", column]].merge(pol[["replication", column]], on="replication", suffixes=("_b", "_p"))
    both = both.dropna()
    diff = both[f"{column}_p"] - both[f"{column}_b"]
    mean, lo, hi = t_interval(diff, confidence)
    return float(both[f"{column}_b"].mean()), float(both[f"{column}_p"].mean()), mean, lo, hi


def _p90(waits: np.ndarray | None) -> float:
    return float(np.percentile(waits, 90)) if waits is not None and len(waits) else np.nan


def compare_policies(
    replications: pd.DataFrame,
    overall: pd.DataFrame,
    visits: pd.DataFrame,
    scenario: Scenario,
    policies: list[str],
    citizens: pd.DataFrame | None = None,
    confidence: float = 0.95,
    pooled: dict | None = None,
) -> pd.DataFrame:
    """The comparison table (see the module docstring); ``policies[0]`` is the baseline.

    ``citizens``: citizen counts per policy and replication (for the ``all`` row).
    ``pooled``: the served waits per policy and station (as :func:`pooled_waits` gives them
    by ``["policy", "station"]``), when ``visits`` are not at hand (then None).
    """
    baseline = policies[0]
    labels = {s.name: s.label for s in scenario.stations}
    if pooled is None:
        pooled = pooled_waits(visits, scenario, ["policy", "station"])
    # All stations together: each policy's waits, station after station (percentiles ignore order).
    pooled_all = {(p,): np.concatenate([w for (q, _), w in pooled.items() if q == p]) for p in policies
                  if any(q == p for q, _ in pooled)}
    rows = []
    for policy in policies[1:]:
        groups = [(s.name, replications[replications.station == s.name]) for s in scenario.stations]
        groups.append((ALL_STATIONS, overall))
        for station, table in groups:
            base = table[table.policy == baseline]
            pol = table[table.policy == policy]
            b_wait, p_wait, d_wait, d_lo, d_hi = _paired(base, pol, "mean_wait", confidence)
            b_all, p_all, d_all, a_lo, a_hi = _paired(base, pol, "mean_wait_all", confidence)
            b_share, p_share, d_share, s_lo, s_hi = _paired(base, pol, "within_target_share", confidence)
            b_ns, p_ns, d_ns, n_lo, n_hi = _paired(base, pol, "not_served", confidence)
            b_rt, p_rt, d_rt, _, _ = _paired(base, pol, "repeat_trips", confidence)
            b_hl, p_hl, d_hl, h_lo, h_hi = _paired(base, pol, "citizen_hours_lost", confidence)
            if station == ALL_STATIONS:
                b90, p90 = _p90(pooled_all.get((baseline,))), _p90(pooled_all.get((policy,)))
            else:
                b90, p90 = _p90(pooled.get((baseline, station))), _p90(pooled.get((policy, station)))
            rows.append(
                {
                    "policy": policy,
                    "station": station,
                    "label": labels.get(station, "All stations"),
                    "baseline": baseline,
                    "replications": int(min(len(base), len(pol))),
                    "baseline_mean_wait": b_wait,
                    "policy_mean_wait": p_wait,
                    "diff_mean_wait": d_wait,
                    "diff_ci_low": d_lo,
                    "diff_ci_high": d_hi,
                    "relative_change": d_wait / b_wait if b_wait > 0 else np.nan,
                    "ci_excludes_zero": bool(d_lo > 0 or d_hi < 0) if np.isfinite(d_lo) else False,
                    "baseline_mean_wait_all": b_all,
                    "policy_mean_wait_all": p_all,
                    "diff_mean_wait_all": d_all,
                    "diff_mean_wait_all_ci_low": a_lo,
                    "diff_mean_wait_all_ci_high": a_hi,
                    "baseline_p90_wait": b90,
                    "policy_p90_wait": p90,
                    "diff_p90_wait": p90 - b90,
                    "baseline_within_target_share": b_share,
                    "policy_within_target_share": p_share,
                    "diff_within_target_share": d_share,
                    "diff_within_target_share_ci_low": s_lo,
                    "diff_within_target_share_ci_high": s_hi,
                    "baseline_not_served": b_ns,
                    "policy_not_served": p_ns,
                    "diff_not_served": d_ns,
                    "baseline_reneged": float(base["reneged"].mean()),
                    "policy_reneged": float(pol["reneged"].mean()),
                    "baseline_balked": float(base["balked"].mean()),
                    "policy_balked": float(pol["balked"].mean()),
                    "baseline_turned_away": float(base["turned_away"].mean()),
                    "policy_turned_away": float(pol["turned_away"].mean()),
                    "baseline_repeat_trips": b_rt,
                    "policy_repeat_trips": p_rt,
                    "diff_repeat_trips": d_rt,
                    "baseline_citizen_hours_lost": b_hl,
                    "policy_citizen_hours_lost": p_hl,
                    "diff_citizen_hours_lost": d_hl,
                    "diff_citizen_hours_lost_ci_low": h_lo,
                    "diff_citizen_hours_lost_ci_high": h_hi,
                    **_citizen_columns(citizens, baseline, policy, station, confidence),
                }
            )
    return pd.DataFrame(rows)


def _citizen_columns(citizens: pd.DataFrame | None, baseline: str, policy: str, station: str,
                     confidence: float) -> dict:
    """Citizen measures of the ``all`` row (NaN on station rows: citizens are not per station)."""
    names = ["baseline_citizens", "baseline_never_served", "policy_never_served", "diff_never_served",
             "diff_never_served_ci_low", "diff_never_served_ci_high", "baseline_still_to_return",
             "policy_still_to_return", "baseline_first_trip_within_target_share",
             "policy_first_trip_within_target_share", "diff_first_trip_within_target_share",
             "diff_first_trip_within_target_share_ci_low", "diff_first_trip_within_target_share_ci_high"]
    if citizens is None or station != ALL_STATIONS:
        return dict.fromkeys(names, np.nan)
    base = citizens[citizens.policy == baseline]
    pol = citizens[citizens.policy == policy]
    b_ns, p_ns, d_ns, ns_lo, ns_hi = _paired(base, pol, "never_served", confidence)
    b_st, p_st, _, _, _ = _paired(base, pol, "still_to_return", confidence)
    b_ok, p_ok, d_ok, ok_lo, ok_hi = _paired(base, pol, "first_trip_within_target_share", confidence)
    values = [float(base["citizens"].mean()), b_ns, p_ns, d_ns, ns_lo, ns_hi, b_st, p_st, b_ok, p_ok, d_ok,
              ok_lo, ok_hi]
    return dict(zip(names, values))
