"""Same seed, same numbers; serial equals parallel; streams independent and stable."""

from pathlib import Path

import numpy as np
import pandas as pd
from builders import scenario_dict

from simulation import draw_citizens, office_calendar, parse_scenario, run_scenario
from simulation.cli import main

SCENARIO = str(Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml")
FILES = ["visits.csv", "summary.csv", "replications.csv", "comparison.csv", "trips.csv", "classes.csv",
         "scenario.resolved.toml", "standard_met.png", "wait_by_hour.png", "queue_over_day.png", "report.html"]


def test_same_seed_gives_byte_identical_files_whatever_the_workers(tmp_path):
    outs = []
    for i, jobs in enumerate(["1", "2", "2"]):
        out = tmp_path / f"run{i}"
        assert main(["run", SCENARIO, "--replications", "4", "--jobs", jobs, "--out", str(out), "--quiet"]) == 0
        outs.append(out)
    for name in FILES:
        first = (outs[0] / name).read_bytes()
        assert len(first) > 100
        for other in outs[1:]:
            assert (other / name).read_bytes() == first, name


def test_different_seed_gives_different_citizens(tmp_path):
    sc = parse_scenario(scenario_dict())
    a = run_scenario(sc, jobs=1).visits
    b = run_scenario(sc.with_run(seed=8), jobs=1).visits
    assert not np.array_equal(a["arrival"].to_numpy()[:50], b["arrival"].to_numpy()[:50])


def test_replications_are_independent_and_do_not_depend_on_how_many_are_run():
    sc = parse_scenario(scenario_dict(replications=5))
    few = run_scenario(sc.with_run(replications=2), jobs=1).visits
    many = run_scenario(sc, jobs=2).visits
    for r in (1, 2):
        pd.testing.assert_frame_equal(
            few[few.replication == r].reset_index(drop=True),
            many[many.replication == r].reset_index(drop=True),
        )
    cal = office_calendar(sc)
    t1, t2 = draw_citizens(sc, cal, 1).arrival, draw_citizens(sc, cal, 2).arrival
    assert len(t1) != len(t2) or not np.allclose(t1, t2)


def test_adding_a_station_and_stream_leaves_other_citizens_unchanged():
    base = parse_scenario(scenario_dict())
    data = scenario_dict()
    data["stations"].insert(0, {"name": "kk", "staff": 1, "service": {"dist": "exponential", "mean": 9.0}})
    data["arrivals"].append({"station": "kk", "per_hour": 5.0})
    bigger = parse_scenario(data)
    a = draw_citizens(base, office_calendar(base), 3)
    b = draw_citizens(bigger, office_calendar(bigger), 3)
    mine = b.stream == 0
    assert np.array_equal(a.arrival, b.arrival[mine])
    # Same service requirements for the same citizens.
    b_services = np.split(b.visit_service, b.first_visit[1:-1])
    a_services = np.split(a.visit_service, a.first_visit[1:-1])
    kept = [s for s, m in zip(b_services, mine) if m]
    assert all(np.array_equal(x, y) for x, y in zip(a_services, kept))


def test_staffing_does_not_change_the_citizens():
    """Common random numbers: the same citizens whatever the staffing."""
    sc = parse_scenario(scenario_dict())
    data = scenario_dict()
    data["stations"][1]["staff"] = 1
    fewer = parse_scenario(data)
    a = run_scenario(sc, jobs=1).visits
    b = run_scenario(fewer, jobs=1).visits
    key = ["replication", "citizen", "step"]
    a, b = a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    assert np.array_equal(a["arrival"][a.step == 1], b["arrival"][b.step == 1])
    np.testing.assert_allclose(a["service_end"] - a["service_start"], b["service_end"] - b["service_start"], rtol=1e-9)
    assert (b["wait"].to_numpy() >= a["wait"].to_numpy() - 1e-9).all()
