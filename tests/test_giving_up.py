"""Citizens who give up or are sent away: reneging (Erlang A), balking, daily quotas,
and conservation — every arrival has exactly one outcome."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import draw_citizens, office_calendar, parse_scenario, run_scenario, t_interval, theory

DAY = 1440


def desk(staff, per_hour, service, days, replications=10, seed=1, open_="00:00", close="24:00",
         after_close="serve", warmup=0.0, **station):
    return parse_scenario({
        "name": "desk",
        "run": {"days": days, "open": open_, "close": close, "replications": replications, "seed": seed,
                "after_close": after_close, "warmup_minutes": warmup},
        "stations": [{"name": "desk", "staff": staff, "service": service, **station}],
        "arrivals": [{"station": "desk", "per_hour": per_hour}],
    })


@pytest.mark.parametrize("lam_h, mean_service, c, mean_patience", [(20.0, 10.0, 3, 15.0), (8.0, 10.0, 1, 20.0)])
def test_mmc_with_exponential_patience_matches_erlang_a(lam_h, mean_service, c, mean_patience):
    # Overloaded without abandonment (rho = 1.11 and 1.33): only giving up keeps it stable.
    sc = desk(c, lam_h, {"dist": "exponential", "mean": mean_service}, days=20, replications=12, seed=4,
              warmup=DAY, patience={"dist": "exponential", "mean": mean_patience})
    res = run_scenario(sc, jobs=2)
    v = res.visits[res.visits.arrival >= DAY]
    theory_a = theory.erlang_a(lam_h / 60, 1 / mean_service, c, 1 / mean_patience)
    per_rep = v.groupby("replication").agg(
        p_abandon=("outcome", lambda o: float((o == "reneged").mean())),
        mean_wait=("wait", "mean"),
    )
    for col, expected in [("p_abandon", theory_a["p_abandon"]), ("mean_wait", theory_a["mean_wait"])]:
        mean, lo, hi = t_interval(per_rep[col], 0.99)
        assert lo <= expected <= hi, (col, mean, lo, hi, expected)
    mean, lo, hi = t_interval(res.replications["mean_wait"], 0.99)  # served citizens only
    assert lo <= theory_a["mean_wait_served"] <= hi
    mean, lo, hi = t_interval(res.replications["mean_wait_all"], 0.99)  # every arrival, those who gave up too
    assert lo <= theory_a["mean_wait"] <= hi
    # Reneging citizens leave exactly when their patience runs out, never after being called.
    reneged = v[v.outcome == "reneged"]
    assert reneged.service_start.isna().all() and (reneged.wait > 0).all()


def test_balking_by_queue_length():
    sc = desk(1, 12.0, {"dist": "exponential", "mean": 10.0}, days=3, replications=3, balk_at_queue=3,
              open_="08:00", close="16:00")
    v = run_scenario(sc, jobs=1).visits
    assert (v.outcome == "balked").sum() > 0
    assert_balked_exactly_when_queue_at_least(v, 3)


def assert_balked_exactly_when_queue_at_least(v, threshold):
    """Reconstruct the queue each arrival saw — earlier arrivals who joined and were not yet
    called — and check that exactly those who saw ``threshold`` or more balked."""
    for _, g in v.groupby("replication"):
        arr = g.arrival.to_numpy()
        end_wait = (g.arrival + g.wait).to_numpy()
        balked = (g.outcome == "balked").to_numpy()
        for i, t in enumerate(arr):
            waiting = ((arr < t) & (end_wait > t) & ~balked).sum()
            assert balked[i] == (waiting >= threshold), (t, waiting)


def test_balking_by_displayed_wait():
    sc = desk(2, 16.0, {"dist": "exponential", "mean": 10.0}, days=3, replications=3, balk_at_wait_minutes=30,
              open_="08:00", close="16:00")
    v = run_scenario(sc, jobs=1).visits
    assert (v.outcome == "balked").sum() > 0
    # 2 officers, 10-minute services: the display shows (waiting + 1) x 10 / 2 >= 30 at 5 waiting.
    assert_balked_exactly_when_queue_at_least(v, 5)


def test_daily_quota_is_never_exceeded():
    sc = desk(2, 20.0, {"dist": "exponential", "mean": 6.0}, days=4, replications=3, daily_quota=100,
              open_="08:00", close="16:00")
    v = run_scenario(sc, jobs=1).visits
    per_day = v[v.outcome != "turned_away"].groupby(["replication", "day"]).size()
    assert per_day.max() == 100  # 160 arrive a day: the quota binds
    # Those turned away came after the 100th number of their day.
    for _, g in v.groupby(["replication", "day"]):
        g = g.sort_values("arrival")
        first_away = np.flatnonzero((g.outcome == "turned_away").to_numpy())
        assert len(first_away) and first_away[0] == 100 and (g.outcome.iloc[100:] == "turned_away").all()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 1000), staff=st.integers(0, 3), after_close=st.sampled_from(["serve", "turn_away"]),
       quota=st.integers(0, 80), balk=st.integers(1, 10))
def test_conservation_no_citizen_is_lost(seed, staff, after_close, quota, balk):
    sc = desk(staff, 14.0, {"dist": "lognormal", "mean": 8.0, "cv": 0.7}, days=2, replications=1, seed=seed,
              open_="08:00", close="16:00", after_close=after_close, daily_quota=quota, balk_at_queue=balk,
              patience={"dist": "gamma", "mean": 25.0, "cv": 0.5})
    res = run_scenario(sc, jobs=1)
    row = res.replications.iloc[0]
    assert row.served + row.reneged + row.balked + row.turned_away == row.arrived
    assert row.arrived == len(draw_citizens(sc, office_calendar(sc), 1))


def test_priority_citizens_wait_less_in_a_loaded_station():
    data = desk(2, 11.0, {"dist": "exponential", "mean": 10.0}, days=5, replications=6,
                open_="08:00", close="16:00").model_dump(by_alias=True)
    data["arrivals"][0]["classes"] = [{"name": "lansia", "share": 0.15, "priority": 0},
                                      {"name": "ibu_hamil", "share": 0.05, "priority": 0}]
    sc = parse_scenario(data)
    res = run_scenario(sc, jobs=1)
    v = res.visits
    shares = v["class"].value_counts(normalize=True)
    assert shares["lansia"] == pytest.approx(0.15, abs=0.03) and shares["ibu_hamil"] == pytest.approx(0.05, abs=0.02)
    by = res.by_class.set_index("class")
    assert by.loc["lansia", "mean_wait"] < 0.5 * by.loc["umum", "mean_wait"]
    assert by.loc["lansia", "mean_wait_ci_high"] < by.loc["umum", "mean_wait_ci_low"]
    # Non-preemptive: a priority citizen never interrupts a service, so nobody's service is
    # cut short — every service lasts exactly the citizen's requirement.
    cit = draw_citizens(sc, office_calendar(sc), 1)
    v1 = v[v.replication == 1].sort_values("citizen")
    np.testing.assert_allclose((v1.service_end - v1.service_start).to_numpy(), cit.visit_service, rtol=1e-9)
    # Replication 1 has the same citizens and classes however many replications run.
    more = run_scenario(sc.with_run(replications=1), jobs=1).visits
    assert (more["class"].to_numpy() == v1["class"].to_numpy()).all()


def test_overtime_is_the_service_time_after_closing():
    sc = desk(1, 14.0, {"dist": "exponential", "mean": 6.0}, days=2, replications=2, open_="08:00", close="16:00")
    res = run_scenario(sc, jobs=1)
    cal = office_calendar(sc)
    for r, g in res.visits.groupby("replication"):
        day = g.day.to_numpy() - 1
        close = cal.closes[day]
        after = np.clip(g.service_end.to_numpy(), close, None) - np.clip(g.service_start.to_numpy(), close, None)
        row = res.replications[res.replications.replication == r].iloc[0]
        assert row.overtime_minutes == pytest.approx(np.nansum(after))
        assert row.overtime_minutes > 0  # overloaded: the queue runs past 16:00
