"""Day boundaries, breaks and utilisation: the instants where "what happened" is easy to get wrong.

Each test builds the smallest office that shows one boundary and checks the event log
exactly: the office opens (new day, fresh quota, staff at the counters) before anyone
who arrives or returns at that instant is looked at; closing dismisses the queue before
any counter could call again; a citizen arriving in a break sees a displayed wait that
counts the rest of the break; utilisation counts only service inside staffed time.
"""

import numpy as np
import pytest

from simulation import parse_scenario, run_scenario

DAY = 1440


def _one_desk(run: dict, station: dict, arrivals: dict | None = None, calendar: dict | None = None,
              policies: dict | None = None):
    data = {
        "name": "edge",
        "run": {"days": 3, "open": "08:00", "close": "16:00", "replications": 2, "seed": 3, **run},
        "stations": [{"name": "desk", "staff": 1, **station}],
        "arrivals": [{"station": "desk", "per_hour": 12.0, **(arrivals or {})}],
    }
    if calendar is not None:
        data["calendar"] = calendar
    if policies is not None:
        data["policies"] = policies
    return parse_scenario(data)


SHORT_TUESDAY = {"hours": {"tuesday": ["08:00", "08:30"]}}


def _assert_no_two_trips_at_one_instant(visits):
    """A citizen's next trip starts strictly later than the one before."""
    prev = visits[["replication", "citizen", "trip", "arrival"]].assign(trip=lambda d: d.trip + 1)
    both = visits[visits.trip > 1].merge(prev, on=["replication", "citizen", "trip"], suffixes=("", "_prev"))
    assert len(both) > 0
    assert (both.arrival > both.arrival_prev).all()


def _returns(visits):
    return visits[visits.trip > 1]


def test_returns_at_the_opening_instant_find_the_office_open_not_yesterdays_state():
    # Monday's last hour is overloaded; everyone still waiting at closing is sent home and
    # comes back on Tuesday, a 30-minute day, at opening (their Monday offset is longer
    # than Tuesday); Tuesday's failures come back at Wednesday's opening.
    sc = _one_desk({"after_close": "turn_away", "days": 3},
                   {"service": {"dist": "exponential", "mean": 10.0}},
                   {"per_hour": [0, 0, 0, 0, 0, 0, 0, 40], "return_probability": 1.0, "max_trips": 3},
                   calendar=SHORT_TUESDAY)
    v = run_scenario(sc, jobs=1).visits
    back = _returns(v)
    at_open = back[np.isclose(back.arrival % DAY, 0.0)]
    assert len(at_open) > 20
    # Nobody who returns at the opening instant is turned away at that instant.
    refused_at_once = at_open[(at_open.outcome == "turned_away") & (at_open.wait == 0)]
    assert len(refused_at_once) == 0
    _assert_no_two_trips_at_one_instant(v)


def test_the_daily_quota_is_fresh_for_returns_at_the_opening_instant():
    sc = _one_desk({"after_close": "turn_away", "days": 3},
                   {"service": {"dist": "exponential", "mean": 2.0}, "daily_quota": 5},
                   {"per_hour": [0, 0, 0, 0, 0, 0, 0, 60], "return_probability": 1.0, "max_trips": 3},
                   calendar=SHORT_TUESDAY)
    v = run_scenario(sc, jobs=1).visits
    for (rep, day), g in v.groupby(["replication", "day"]):
        assert (g.outcome != "turned_away").sum() == 5, (rep, day)  # the quota binds every day, returners included
    _assert_no_two_trips_at_one_instant(v)
    back = _returns(v)
    at_open = back[np.isclose(back.arrival % DAY, 0.0)]
    assert len(at_open) > 20
    # Returners at the opening instant take the new day's first numbers.
    for (rep, day), g in at_open.groupby(["replication", "day"]):
        assert (g.outcome == "served").sum() == 5, (rep, day)


def test_a_break_ending_at_closing_calls_nobody_at_or_after_closing():
    sc = _one_desk({"after_close": "turn_away", "days": 2},
                   {"service": {"dist": "deterministic", "mean": 20.0}},
                   {"per_hour": 6.0},
                   calendar={"breaks": [{"start": "15:00", "end": "16:00"}]})
    v = run_scenario(sc, jobs=1).visits
    served = v[v.outcome == "served"]
    close = (served.day - 1) * DAY + 480
    assert (served.service_start < close).all()
    assert len(v[(v.outcome == "turned_away") & (v.arrival >= (v.day - 1) * DAY + 420)]) > 0


def test_nobody_is_called_at_the_closing_instant_when_a_service_ends_exactly_then():
    # Deterministic 30-minute services from 08:00 end on the half hour: one ends at 16:00.
    sc = _one_desk({"after_close": "turn_away", "days": 2},
                   {"service": {"dist": "deterministic", "mean": 30.0}}, {"per_hour": 6.0})
    v = run_scenario(sc, jobs=1).visits
    served = v[v.outcome == "served"]
    close = (served.day - 1) * DAY + 480
    assert (served.service_start < close).all()


def test_no_balking_in_a_break_when_the_displayed_wait_cannot_reach_the_threshold():
    sc = _one_desk({"days": 3}, {"service": {"dist": "exponential", "mean": 3.0}, "balk_at_wait_minutes": 10000},
                   {"per_hour": 6.0}, calendar={"breaks": [{"start": "12:00", "end": "13:00"}]})
    v = run_scenario(sc, jobs=1).visits
    assert (v.outcome == "balked").sum() == 0
    in_break = v[((v.arrival % DAY) >= 240) & ((v.arrival % DAY) < 300)]
    assert len(in_break) > 5


def test_displayed_wait_in_a_break_counts_the_rest_of_the_break():
    # Threshold 30 min, 1 officer, mean service 3: outside the break nobody balks with a
    # short queue; in a 60-minute break, arrivals with more than 30 min of break left balk.
    sc = _one_desk({"days": 3}, {"service": {"dist": "deterministic", "mean": 3.0}, "balk_at_wait_minutes": 30},
                   {"per_hour": 4.0}, calendar={"breaks": [{"start": "12:00", "end": "13:00"}]})
    v = run_scenario(sc, jobs=1).visits
    minute = v.arrival % DAY
    early_break = v[(minute >= 240) & (minute < 265)]
    late_break = v[(minute >= 275) & (minute < 300)]
    assert len(early_break) > 3 and len(late_break) > 3
    assert (early_break.outcome == "balked").all()
    assert (late_break.outcome != "balked").all()


def test_utilisation_never_exceeds_one_and_service_outside_staffed_time_is_overtime():
    # Open 11:00-14:00 with a 12:00-13:00 break, one officer, 50-minute services.
    sc = _one_desk({"open": "11:00", "close": "14:00", "days": 4, "replications": 3},
                   {"service": {"dist": "deterministic", "mean": 50.0}}, {"per_hour": 3.0},
                   calendar={"breaks": [{"start": "12:00", "end": "13:00"}]})
    res = run_scenario(sc, jobs=1)
    reps = res.replications
    assert (reps.utilization <= 1 + 1e-12).all()
    # Busy time is split exactly: inside staffed time (utilisation) plus overtime.
    for rep, row in reps.set_index("replication").iterrows():
        v = res.visits[(res.visits.replication == rep) & (res.visits.outcome == "served")]
        busy = float((v.service_end - v.service_start).sum())
        staffed = 4 * 120.0  # 2 staffed hours a day, 4 days
        assert row.utilization * staffed + row.overtime_minutes == pytest.approx(busy)
    assert (reps.overtime_minutes > 0).all()  # services run into the break and past closing
