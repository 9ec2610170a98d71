"""The office week: hours per weekday, breaks, demand by weekday, holidays, rosters."""

import numpy as np
import pytest

from simulation import Office, draw_citizens, office_calendar, parse_scenario, run_scenario
from simulation.policies import staffing_plan

DAY = 1440


def office(days=10, calendar=None, roster=None, staff=3, per_hour=None, after_close="turn_away", policies=None,
           replications=3, **run):
    station = {"name": "desk", "staff": staff, "service": {"dist": "exponential", "mean": 8.0}}
    if roster is not None:
        station["roster"] = roster
    data = {
        "name": "week",
        "run": {"days": days, "open": "08:00", "close": "16:00", "after_close": after_close,
                "replications": replications, "seed": 5, **run},
        "stations": [station],
        "arrivals": [{"station": "desk", "per_hour": per_hour or [20, 25, 22, 18, 8, 14, 10, 5]}],
    }
    if calendar is not None:
        data["calendar"] = calendar
    if policies is not None:
        data["policies"] = policies
    return parse_scenario(data)


BENGKULU_WEEK = {
    "hours": {"friday": ["08:00", "15:30"]},
    "breaks": [
        {"days": ["monday", "tuesday", "wednesday", "thursday"], "start": "12:00", "end": "13:00"},
        {"days": ["friday"], "start": "11:30", "end": "13:00"},
    ],
    "demand": {"monday": 1.25, "tuesday": 1.10, "wednesday": 1.0, "thursday": 0.95, "friday": 0.70},
    "holidays": [3],
}


def test_calendar_follows_the_week_with_weekends_and_holidays():
    sc = office(days=8, calendar=BENGKULU_WEEK)
    cal = office_calendar(sc)
    # Calendar day 3 (Wednesday) is a holiday, days 6-7 the weekend.
    assert cal.calendar_days.tolist() == [0, 1, 3, 4, 7, 8, 9, 10]
    assert cal.weekdays.tolist() == [0, 1, 3, 4, 0, 1, 2, 3]
    assert cal.opens.tolist() == [d * DAY for d in cal.calendar_days]
    friday = cal.weekdays == 4
    assert ((cal.closes - cal.opens)[friday] == 450).all() and ((cal.closes - cal.opens)[~friday] == 480).all()
    assert cal.breaks[0] == ((240.0, 300.0),) and cal.breaks[3] == ((4 * DAY + 210.0, 4 * DAY + 300.0),)


def test_no_visit_on_a_closed_day_and_no_service_in_a_break_or_outside_hours():
    sc = office(days=8, calendar=BENGKULU_WEEK)
    cal = office_calendar(sc)
    v = run_scenario(sc, jobs=1).visits
    # Arrivals only inside opening hours of working days (holidays/weekends have none).
    day = cal.day_of(v.arrival.to_numpy()) - 1
    assert np.all((v.arrival >= cal.opens[day]) & (v.arrival < cal.closes[day]))
    calendar_day = np.floor((v.arrival.to_numpy() + 8 * 60) / DAY)
    assert not set(calendar_day.astype(int)) & {2, 5, 6}
    starts = v.service_start.dropna().to_numpy()
    sday = cal.day_of(starts) - 1
    assert np.all((starts >= cal.opens[sday]) & (starts < cal.closes[sday]))
    for d in range(cal.days):
        for b0, b1 in cal.breaks[d]:
            assert not np.any((starts >= b0) & (starts < b1)), (d, b0, b1)
    # ... but citizens keep arriving in the break and are served after it.
    assert any(((v.arrival >= b0) & (v.arrival < b1)).any() for br in cal.breaks for b0, b1 in br)


def test_friday_hours_differ_and_demand_follows_the_weekday():
    sc = office(days=60, calendar={"hours": {"friday": ["08:00", "11:00"]},
                                   "demand": {"monday": 1.5, "wednesday": 1.0, "friday": 1.0}},
                per_hour=10.0, replications=2)
    cal = office_calendar(sc)
    v = run_scenario(sc, jobs=1).visits
    weekday = cal.weekdays[v.day.to_numpy() - 1]
    per_day = v.assign(weekday=weekday).groupby(["replication", "day", "weekday"]).size().groupby("weekday").mean()
    assert per_day[0] == pytest.approx(1.5 * 80, rel=0.06)  # Monday: 8 h x 10/h x 1.5
    assert per_day[2] == pytest.approx(80, rel=0.06)
    assert per_day[4] == pytest.approx(30, rel=0.08)  # Friday: 3 hours only
    fri = v[weekday == 4]
    assert ((fri.arrival - cal.opens[fri.day.to_numpy() - 1]) < 180).all()


def test_staff_follow_the_roster_exactly_and_shift_ends_never_interrupt():
    roster = [1, 3, 3, 2, 2, 2, 1, 1]
    sc = office(days=2, roster=roster, staff=3, after_close="serve", replications=1)
    cal = office_calendar(sc)
    cit = draw_citizens(sc, cal, 1)
    off = Office(cal, cit, plan=staffing_plan(sc, "baseline", cal))
    log = off.run()
    # Event log: every roster change happens exactly on the hour, to exactly the roster's number.
    changes = [(t, n) for t, s, n in off.staff_changes]
    expected = [(0.0, 1)]
    for d in range(2):
        for h, n in enumerate(roster):
            t = cal.opens[d] + 60 * h
            if n != expected[-1][1]:
                expected.append((t, n))
    assert changes == expected
    # Never more citizens in service than the roster allows when a service starts, and every
    # service runs its full length (nobody is interrupted by a shift change).
    np.testing.assert_allclose(log.service_end - log.wait_end, cit.visit_service, rtol=1e-9)
    # A citizen is only called when fewer than the rostered number are busy (officers going
    # off shift finish their citizen first, so a lower roster delays the next call).
    starts, ends = log.wait_end, log.service_end
    for d in range(2):
        today = starts[(starts >= cal.opens[d]) & (starts < cal.closes[d])]
        for t in today:
            h = int((t - cal.opens[d]) // 60)
            busy_before = np.sum((starts < t) & (ends > t))
            assert busy_before < roster[h]


def test_wfh_share_applies_hour_by_hour_on_top_of_the_roster():
    sc = office(days=1, roster=[2, 4, 4, 3, 1, 4, 4, 2], staff=4,
                policies={"full": {}, "half": {"wfh_share": {"desk": 0.5}}})
    plan = staffing_plan(sc, "half", office_calendar(sc))
    assert plan.hourly_onsite[0, :, 0].tolist() == [1, 2, 2, 2, 1, 2, 2, 1]  # r - floor(r / 2)
    assert plan.hourly_at_home[0, :, 0].tolist() == [1, 2, 2, 1, 0, 2, 2, 1]


def test_bad_calendar_input_is_rejected():
    from simulation import ScenarioError

    for cal, key in [({"hours": {"friday": ["12:00", "11:00"]}}, "calendar.hours.friday"),
                     ({"breaks": [{"start": "13:00", "end": "12:00"}]}, "calendar.breaks[0].end"),
                     ({"breaks": [{"start": "17:00", "end": "18:00"}]}, "calendar.breaks[0]"),
                     ({"demand": {"funday": 1.0}}, "calendar.demand.funday"),
                     ({"open_days": []}, "calendar.open_days"),
                     ({"holidays": [0]}, "calendar.holidays[0]")]:
        with pytest.raises(ScenarioError) as exc:
            office(calendar=cal)
        assert key in str(exc.value), (key, str(exc.value))
    with pytest.raises(ScenarioError) as exc:
        office(roster=[1, 2, 3])
    assert "stations.desk.roster" in str(exc.value)
