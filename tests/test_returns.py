"""Citizens sent home unserved come back another working day: repeat trips and citizen-hours lost."""

import numpy as np
import pytest

from simulation import draw_citizens, office_calendar, parse_scenario, run_scenario

DAY = 1440


def busy_office(return_probability=0.8, replications=3, holidays=(3,), max_trips=3, **run):
    return parse_scenario({
        "name": "busy",
        "run": {"days": 8, "open": "08:00", "close": "16:00", "after_close": "turn_away",
                "replications": replications, "seed": 13, **run},
        "calendar": {"holidays": list(holidays)},
        "stations": [{"name": "desk", "staff": 1, "service": {"dist": "exponential", "mean": 6.0},
                      "daily_quota": 60, "patience": {"dist": "exponential", "mean": 90.0}}],
        "arrivals": [{"station": "desk", "per_hour": 12.0, "return_probability": return_probability,
                      "max_trips": max_trips, "travel": {"dist": "gamma", "mean": 30.0, "cv": 0.5}}],
    })


def test_returns_come_on_a_later_working_day_never_a_closed_one():
    sc = busy_office()
    cal = office_calendar(sc)
    v = run_scenario(sc, jobs=1).visits
    later = v[v.trip > 1]
    assert len(later) > 50
    # Each return is on a working day (its arrival lies inside that day's opening hours) ...
    day = later.day.to_numpy() - 1
    assert np.all((later.arrival >= cal.opens[day]) & (later.arrival < cal.closes[day]))
    # ... the working day after the trip that failed, skipping the holiday and the weekend.
    prev = v.set_index(["replication", "citizen", "trip"])
    for (r, c, t), row in later.set_index(["replication", "citizen", "trip"]).iterrows():
        before = prev.loc[(r, c, t - 1)]
        before_day = int(np.atleast_1d(before["day"])[-1])
        assert row["day"] == before_day + 1
    calendar_day = cal.calendar_days[later.day.to_numpy() - 1]
    assert not set(calendar_day) & {2, 5, 6}  # holiday (day 3) and the weekend


def test_every_trip_but_the_last_ended_unserved_and_no_citizen_is_lost():
    sc = busy_office()
    res = run_scenario(sc, jobs=1)
    v = res.visits
    failed = {"turned_away", "reneged", "balked"}
    for _, g in v.groupby(["replication", "citizen"]):
        trips = g.trip.to_numpy()
        assert list(trips) == list(range(1, len(trips) + 1))  # one station: one visit per trip
        assert set(g.outcome.iloc[:-1]) <= failed
        assert len(trips) <= 3
    # Conservation per replication: counts of outcomes add up to visits made.
    reps = res.replications
    assert (reps.served + reps.reneged + reps.balked + reps.turned_away == reps.arrived).all()
    first_trips = v[v.trip == 1].groupby("replication").size()
    for r in first_trips.index:
        assert first_trips[r] == len(draw_citizens(sc, office_calendar(sc), r))


def test_return_probability_is_honoured():
    sc = busy_office(return_probability=0.5, replications=4, holidays=(), max_trips=2)
    cal = office_calendar(sc)
    v = run_scenario(sc, jobs=1).visits
    first = v[(v.trip == 1) & v.outcome.isin(["turned_away", "reneged", "balked"]) & (v.day < cal.days)]
    came_back = v[v.trip == 2].set_index(["replication", "citizen"]).index
    share = first.set_index(["replication", "citizen"]).index.isin(came_back).mean()
    assert share == pytest.approx(0.5, abs=4 * np.sqrt(0.25 / len(first)))


def test_repeat_trips_and_citizen_hours_lost_are_counted_from_the_visits():
    sc = busy_office()
    res = run_scenario(sc, jobs=1)
    v, reps = res.visits, res.replications
    for r, g in v.groupby("replication"):
        row = reps[reps.replication == r].iloc[0]
        assert row.repeat_trips == (g.trip > 1).sum()
        citizens = draw_citizens(sc, office_calendar(sc), r)
        travel = 2 * citizens.travel[g.citizen.to_numpy() - 1].sum()  # every trip is a journey
        assert g.travel.sum() == pytest.approx(travel)
        assert row.citizen_hours_lost == pytest.approx((g.wait.sum() + travel) / 60)
    trips = res.trips.set_index("trips")
    assert trips.share.sum() == pytest.approx(1.0)
    assert trips.loc["2", "citizens"] > 0


def test_no_returns_without_a_return_probability():
    v = run_scenario(busy_office(return_probability=0.0, replications=2), jobs=1).visits
    assert (v.trip == 1).all()


def test_work_from_home_costs_citizen_hours_on_the_shipped_scenario():
    from pathlib import Path

    from simulation import load_scenario

    sc = load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml")
    res = run_scenario(sc.with_run(replications=4), jobs=2)
    comp = res.comparison.set_index(["policy", "station"])
    row = comp.loc[("wfh_50", "all")]
    assert row.policy_repeat_trips > row.baseline_repeat_trips
    assert row.diff_citizen_hours_lost_ci_low > 0
    assert set(res.trips.policy) == {"full_office", "wfa_thu_fri", "wfh_25", "wfh_50", "wfh_rota_online"}
