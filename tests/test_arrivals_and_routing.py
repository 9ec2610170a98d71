"""Arrivals follow the declared hourly profile; routing follows the declared probabilities;
Little's law holds at every station."""

import numpy as np
import pytest
from builders import scenario_dict

from simulation import Office, draw_citizens, office_calendar, parse_scenario, run_scenario
from simulation.citizens import poisson_arrivals


def hourly_counts(sc, replications):
    cal = office_calendar(sc)
    counts = []
    for r in range(1, replications + 1):
        t = draw_citizens(sc, cal, r).arrival
        day = cal.day_of(t) - 1
        hour = ((t - cal.opens[day]) // 60).astype(int)
        c = np.zeros((cal.days, sc.run.hours_open))
        np.add.at(c, (day, hour), 1)
        counts.append(c)
    return np.concatenate(counts)  # one row per simulated day


def test_hourly_arrival_counts_follow_the_profile():
    profile = [12, 18, 15, 10, 4, 8, 6, 3]
    sc = parse_scenario(scenario_dict(days=100))
    counts = hourly_counts(sc, replications=4)
    n = len(counts)
    mean, var = counts.mean(axis=0), counts.var(axis=0, ddof=1)
    # Poisson: mean within 4 standard errors of the rate, variance/mean close to 1.
    assert np.all(np.abs(mean - profile) <= 4 * np.sqrt(np.array(profile) / n))
    assert np.all(np.abs(var / mean - 1) < 0.25)


def test_partial_last_hour_and_zero_rate_hours():
    data = scenario_dict(days=200, open="07:30", close="16:00")
    data["arrivals"][0]["per_hour"] = [10, 0, 10, 10, 10, 10, 10, 10, 20]  # last hour: 30 min
    sc = parse_scenario(data)
    counts = hourly_counts(sc, replications=2)
    assert counts[:, 1].sum() == 0  # nobody in a zero-rate hour
    expected_last = 20 * 0.5  # half an hour at 20/h
    assert abs(counts[:, 8].mean() - expected_last) <= 4 * np.sqrt(expected_last / len(counts))


def test_poisson_arrivals_are_exact_on_each_segment():
    rng = np.random.default_rng(0)
    starts, ends, rates = np.array([0.0, 10.0, 30.0]), np.array([10.0, 30.0, 35.0]), np.array([1.0, 0.0, 4.0])
    t = np.concatenate([poisson_arrivals(starts, ends, rates, rng) for _ in range(2000)])
    assert np.all(np.diff(poisson_arrivals(starts, ends, rates, rng)) > 0)
    assert ((t >= 10) & (t < 30)).sum() == 0
    assert ((t >= 0) & (t < 10)).sum() / 2000 == pytest.approx(10.0, rel=0.03)
    assert ((t >= 30) & (t < 35)).sum() / 2000 == pytest.approx(20.0, rel=0.03)


def branching_scenario(days=30):
    return parse_scenario(
        {
            "name": "branching",
            "run": {"days": days, "open": "00:00", "close": "24:00", "replications": 1, "seed": 9},
            "stations": [
                {"name": "a", "staff": 2, "service": {"dist": "exponential", "mean": 4.0},
                 "next": {"b": 0.6, "c": 0.3}},
                {"name": "b", "staff": 2, "service": {"dist": "gamma", "mean": 5.0, "cv": 0.7}, "next": {"c": 0.5}},
                {"name": "c", "staff": 1, "service": {"dist": "deterministic", "mean": 2.0}},
            ],
            "arrivals": [{"station": "a", "per_hour": 12.0}],
        }
    )


def test_branching_network_visit_counts_match_probabilities():
    sc = branching_scenario()
    cit = draw_citizens(sc, office_calendar(sc), 1)
    n = len(cit)
    visits = np.bincount(cit.visit_station, minlength=3) / n
    expected = np.array([1.0, 0.6, 0.3 + 0.6 * 0.5])
    assert np.all(np.abs(visits - expected) <= 4 * np.sqrt(expected * (1 - np.minimum(expected, 0.99)) / n))
    # Every route starts at a; b is only reached from a, and c never leads anywhere.
    steps = np.split(cit.visit_station, cit.first_visit[1:-1])
    assert all(s[0] == 0 for s in steps)
    assert all(list(s) in ([0], [0, 1], [0, 2], [0, 1, 2]) for s in steps)
    # The offered load of the traffic equations agrees with what was drawn.
    per_minute = np.bincount(cit.visit_station, minlength=3) / office_calendar(sc).end
    assert per_minute == pytest.approx(sc.offered_load(), rel=0.03)


def test_every_citizen_is_served_in_route_order():
    sc = branching_scenario(days=5)
    res = run_scenario(sc.with_run(replications=2), jobs=1)
    v = res.visits.sort_values(["replication", "citizen", "step"])
    assert (v["outcome"] == "served").all()
    same = (v["replication"].to_numpy()[1:] == v["replication"].to_numpy()[:-1]) & (
        v["citizen"].to_numpy()[1:] == v["citizen"].to_numpy()[:-1])
    # A citizen arrives at the next station the moment the previous service ends.
    assert np.allclose(v["arrival"].to_numpy()[1:][same], v["service_end"].to_numpy()[:-1][same])
    assert np.allclose(v["service_start"] - v["arrival"], v["wait"])


def test_littles_law_holds_at_every_station():
    sc = branching_scenario(days=30)
    cal = office_calendar(sc)
    cit = draw_citizens(sc, cal, 1)
    office = Office(cal, cit, [s.staff for s in sc.stations])
    samples = []

    def monitor(env):  # an independent observer: counts the queue every 0.25 minute
        while env.now < cal.end:
            samples.append([len(p.queue) for p in office.pools])
            yield env.timeout(0.25)

    office.env.process(monitor(office.env))
    log = office.run()
    samples = np.array(samples)
    for s in range(3):
        at = (cit.visit_station == s) & (log.arrival < cal.end)
        lam = at.sum() / cal.end
        mean_wait = float(np.mean(log.wait_end[at] - log.arrival[at]))
        assert samples[:, s].mean() == pytest.approx(lam * mean_wait, rel=0.03, abs=0.002)
