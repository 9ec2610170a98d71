"""The simulator against queueing theory, in a 24-hour office over many days.

A 24-hour office (open 00:00, close 24:00) is one continuous queue, so long runs reach
steady state. Each check runs independent replications (one day of warm-up discarded) and
asks whether the 99 % t-interval over replication means covers the formula — a wrong
model is rejected, a right one passes except with about 1 % probability per check (the
seeds are fixed, so the suite itself is deterministic).
"""

import numpy as np
import pytest
from builders import single_station

from simulation import run_scenario, t_interval, theory

DAY = 1440


def covers(values, expected, confidence=0.99):
    mean, lo, hi = t_interval(values, confidence)
    return lo <= expected <= hi, (mean, lo, hi, expected)


@pytest.mark.parametrize(
    "per_hour, mean_service, staff",
    [
        (4.0, 10.0, 1),  # M/M/1, rho = 0.67
        (15.0, 10.0, 3),  # M/M/3, rho = 0.83
        (24.0, 10.0, 5),  # M/M/5, rho = 0.80
        (49.3, 1.92, 2),  # RSUP Dr. Kariadi registration counter (reference H2), rho = 0.79
    ],
)
def test_mmc_mean_wait_matches_erlang_c(per_hour, mean_service, staff):
    sc = single_station(per_hour, {"dist": "exponential", "mean": mean_service}, staff,
                        days=25, replications=20, seed=11, warmup_minutes=DAY, target=10.0)
    res = run_scenario(sc, jobs=2)
    reps = res.replications
    lam, mu = per_hour / 60, 1 / mean_service

    ok, info = covers(reps["mean_wait"], theory.mmc_mean_wait(lam, mu, staff))
    assert ok, f"mean wait {info}"
    ok, info = covers(reps["within_target_share"], float(theory.mmc_wait_cdf(10.0, lam, mu, staff)))
    assert ok, f"P(wait <= 10) {info}"
    ok, info = covers(reps["utilization"], lam / (staff * mu))
    assert ok, f"utilisation {info}"
    ok, info = covers(reps["mean_queue_length"], theory.mmc_mean_queue_length(lam, mu, staff))
    assert ok, f"queue length {info}"


@pytest.mark.parametrize(
    "service",
    [
        {"dist": "deterministic", "mean": 10.0},  # M/D/1
        {"dist": "gamma", "mean": 10.0, "cv": 0.5},  # M/G/1
        {"dist": "uniform", "min": 5.0, "max": 15.0},  # M/G/1
    ],
    ids=["M/D/1", "M/Gamma/1", "M/U/1"],
)
def test_mg1_mean_wait_matches_pollaczek_khinchine(service):
    sc = single_station(4.0, service, 1, days=25, replications=20, seed=5, warmup_minutes=DAY)
    res = run_scenario(sc, jobs=2)
    dist = sc.stations[0].service
    expected = theory.mg1_mean_wait(4.0 / 60, dist.mean, dist.variance)
    ok, info = covers(res.replications["mean_wait"], expected)
    assert ok, info


def test_waiting_time_distribution_matches_erlang_c_at_several_points():
    sc = single_station(15.0, {"dist": "exponential", "mean": 10.0}, 3, days=25, replications=10, seed=3,
                        warmup_minutes=DAY)
    res = run_scenario(sc, jobs=2)
    waits = res.visits.loc[res.visits["arrival"] >= DAY, ["replication", "wait"]]
    for t in (0.0, 5.0, 20.0, 60.0):
        per_rep = (waits["wait"] <= t).groupby(waits["replication"]).mean()
        ok, info = covers(per_rep, float(theory.mmc_wait_cdf(t, 0.25, 0.1, 3)))
        assert ok, (t, info)


def test_queue_carries_on_across_midnight_in_a_24_hour_office():
    # An overloaded-at-night pattern is impossible here; instead check that citizens who
    # arrive just before midnight are served after it, without being sent home.
    sc = single_station(30.0, {"dist": "exponential", "mean": 10.0}, 4, days=3, replications=1, seed=2,
                        after_close="turn_away")
    v = run_scenario(sc, jobs=1).visits
    crossing = v[(v["arrival"] % DAY > DAY - 30) & (v["service_start"] // DAY > v["arrival"] // DAY)]
    assert len(crossing) > 0
    assert (crossing["outcome"] == "served").all()
    # Only the very end of the simulation closes the doors: nobody is sent home before it.
    gone = v[v["outcome"] == "turned_away"]
    assert np.allclose(gone["arrival"] + gone["wait"], 3 * DAY)
