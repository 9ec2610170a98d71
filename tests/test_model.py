"""The SimPy model on hand-made citizens: exact event logs, closing time, staffing changes."""

import numpy as np
from builders import single_station
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import Citizens, Office, OfficeCalendar, draw_citizens, office_calendar
from simulation.model import NOT_MADE, OUTCOMES

SERVED, TURNED_AWAY = OUTCOMES.index("served"), OUTCOMES.index("turned_away")


def citizens(arrivals, routes, services):
    """Citizens from plain lists: ``routes[i]`` stations and ``services[i]`` minutes of citizen i."""
    counts = [len(r) for r in routes]
    return Citizens(
        arrival=np.asarray(arrivals, dtype=float),
        stream=np.zeros(len(arrivals), dtype=np.int64),
        first_visit=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        visit_station=np.concatenate([np.asarray(r, dtype=np.int64) for r in routes]),
        visit_service=np.concatenate([np.asarray(s, dtype=float) for s in services]),
    )


def one_day(close, open_=0.0):
    return OfficeCalendar(opens=np.array([open_]), closes=np.array([close]), continuous=False)


def test_fifo_single_counter_exact_log():
    cit = citizens([0, 1, 2, 3], [[0]] * 4, [[5]] * 4)
    log = Office(one_day(480), cit, [1]).run()
    assert log.wait_end.tolist() == [0, 5, 10, 15]
    assert log.service_end.tolist() == [5, 10, 15, 20]
    assert (log.outcome == SERVED).all()


def test_two_counters_and_a_second_station_exact_log():
    # Two counters at station 0 (4 min each), then one counter at station 1 (3 min).
    cit = citizens([0, 1, 2], [[0, 1], [0, 1], [0, 1]], [[4, 3], [4, 3], [4, 3]])
    log = Office(one_day(480), cit, [2, 1]).run()
    # visits in citizen-major order: (c0,s0) (c0,s1) (c1,s0) (c1,s1) (c2,s0) (c2,s1)
    assert log.arrival.tolist() == [0, 4, 1, 5, 2, 8]
    assert log.wait_end.tolist() == [0, 4, 1, 7, 4, 10]
    assert log.service_end.tolist() == [4, 7, 5, 10, 8, 13]


def test_turn_away_at_closing_time():
    # One counter, 5-minute services, doors close at minute 8.
    cit = citizens([0, 1, 2, 3], [[0]] * 4, [[5]] * 4)
    log = Office(one_day(8), cit, [1], after_close="turn_away").run()
    assert log.outcome.tolist() == [SERVED, SERVED, TURNED_AWAY, TURNED_AWAY]
    # Citizen 1 started at 5, before closing, and is finished (not interrupted).
    assert log.service_end[1] == 10
    # Those still waiting leave at closing time.
    assert log.wait_end[2:].tolist() == [8, 8]


def test_serve_after_close_finishes_everyone():
    cit = citizens([0, 1, 2, 3], [[0]] * 4, [[5]] * 4)
    log = Office(one_day(8), cit, [1], after_close="serve").run()
    assert (log.outcome == SERVED).all()
    assert log.service_end[-1] == 20


def test_citizen_reaching_next_station_after_closing_is_turned_away():
    # Service at station 0 ends at 10, after the doors closed at 8.
    cit = citizens([0], [[0, 1]], [[10, 1]])
    log = Office(one_day(8), cit, [1, 1], after_close="turn_away").run()
    assert log.outcome.tolist() == [SERVED, TURNED_AWAY]
    assert log.wait_end[1] == log.arrival[1] == 10


def test_unmade_visits_are_marked():
    cit = citizens([0, 1], [[0, 1], [0, 1]], [[10, 1], [10, 1]])
    log = Office(one_day(8), cit, [1, 1], after_close="turn_away").run()
    # Citizen 1 is turned away at station 0 and never reaches station 1.
    assert log.outcome.tolist() == [SERVED, TURNED_AWAY, TURNED_AWAY, NOT_MADE]


def test_lowering_staff_never_interrupts_a_service():
    cit = citizens([0, 0.5, 1, 1.5], [[0]] * 4, [[10]] * 4)
    office = Office(one_day(480), cit, [2])

    def shift_change(env):
        yield env.timeout(3)
        office.pools[0].set_staff(1)  # one officer leaves at minute 3
        yield env.timeout(17)
        office.pools[0].set_staff(2)  # and is back at minute 20

    office.env.process(shift_change(office.env))
    log = office.run()
    # Both services in progress at minute 3 run to the end (10 and 10.5).
    assert log.service_end[:2].tolist() == [10, 10.5]
    # One counter from minute 3: the officer who finishes at 10 goes off shift (one is
    # still serving), so the next citizen is called at 10.5; the one after that when the
    # second counter reopens at 20 (the only open counter is busy until 20.5).
    assert log.wait_end[2:].tolist() == [10.5, 20]


def test_raising_staff_calls_waiting_citizens_at_once():
    cit = citizens([0, 0, 0], [[0]] * 3, [[10]] * 3)
    office = Office(one_day(480), cit, [0])  # nobody at the counter yet

    def arrive_at_work(env):
        yield env.timeout(2)
        office.pools[0].set_staff(2)

    office.env.process(arrive_at_work(office.env))
    log = office.run()
    assert log.wait_end.tolist() == [2, 2, 12]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), staff=st.integers(1, 4))
def test_adding_a_counter_never_increases_any_wait(seed, staff):
    sc = single_station(14.0, {"dist": "lognormal", "mean": 10.0, "cv": 0.8}, staff, days=2, seed=seed,
                        open="08:00", close="16:00", replications=1)
    cal = office_calendar(sc)
    cit = draw_citizens(sc, cal, 1)
    fewer = Office(cal, cit, [staff]).run()
    more = Office(cal, cit, [staff + 1]).run()
    assert np.all(more.wait_end - more.arrival <= fewer.wait_end - fewer.arrival + 1e-9)


def test_conservation_every_arrival_has_exactly_one_outcome():
    sc = single_station(30.0, {"dist": "exponential", "mean": 8.0}, 2, days=3, open="08:00", close="16:00",
                        after_close="turn_away", replications=1)
    cal = office_calendar(sc)
    cit = draw_citizens(sc, cal, 1)
    log = Office(cal, cit, [2], after_close="turn_away").run()
    made = log.outcome != NOT_MADE
    assert made.sum() == len(cit)  # single station: one visit per citizen
    assert (log.outcome == SERVED).sum() + (log.outcome == TURNED_AWAY).sum() == len(cit)
    assert (log.outcome == TURNED_AWAY).sum() > 0  # overloaded: some are sent home
    # Nobody starts service outside opening hours.
    starts = log.wait_end[log.outcome == SERVED]
    day = cal.day_of(starts) - 1
    assert np.all((starts >= cal.opens[day]) & (starts < cal.closes[day]))
