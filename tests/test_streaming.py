"""Visits kept in memory, streamed to disk, or not kept: the same statistics, tables and charts.

``run_scenario(visits="disk")`` (what ``loket run`` uses) folds each replication into the
statistics as it arrives and appends its visits to a file; the summary's percentiles come
from the exact served waits each worker sends, the class table from per-replication rows, and
the charts from the few visit columns they read, rounded as ``visits.csv`` writes them. These
tests hold each of those against the whole visit table computed the old way.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import load_scenario, run_scenario
from simulation.chart_data import load_results
from simulation.comparison import compare_policies
from simulation.summary_stats import summarise, summarise_by_class

SHIPPED = Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml"


@pytest.fixture(scope="module")
def runs():
    scenario = load_scenario(SHIPPED).with_run(replications=3, days=5)
    return {mode: run_scenario(scenario, jobs=1, visits=mode) for mode in ("memory", "disk", "none")}


TABLES = ("replications", "summary", "overall", "comparison", "by_class", "trips", "citizens", "citizen_replications")


@pytest.mark.parametrize("mode", ["disk", "none"])
def test_every_table_is_the_same_wherever_the_visits_go(runs, mode):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(runs[mode], name), getattr(runs["memory"], name), obj=name)
    pd.testing.assert_frame_equal(runs[mode].chart_visits, runs["memory"].chart_visits)
    assert runs[mode].visits is None
    assert (runs[mode].read_visits() is None) == (mode == "none")


def test_statistics_from_the_reduced_replications_equal_those_of_the_whole_visit_table(runs):
    res = runs["memory"]
    scenario, visits = res.scenario, res.visits
    assert scenario.has_priorities and len(visits) > 1000
    pd.testing.assert_frame_equal(summarise(res.replications, visits, scenario), res.summary)
    names = list(res.summary["policy"].drop_duplicates())
    pd.testing.assert_frame_equal(
        compare_policies(res.replications, res.overall, visits, scenario, names, res.citizen_replications),
        res.comparison)
    pd.testing.assert_frame_equal(summarise_by_class(visits, scenario), res.by_class)


def test_visits_on_disk_read_back_as_the_table_rounded_as_written(runs):
    memory, disk = runs["memory"].visits, runs["disk"].read_visits()
    assert list(disk.columns) == list(memory.columns)
    assert disk.dtypes.to_dict() == memory.dtypes.to_dict()
    for col in memory.columns:
        if memory[col].dtype.kind == "f":
            expected = np.array(["" if x != x else f"{x:.4f}" for x in memory[col]], dtype=object)
            got = np.array(["" if x != x else f"{x:.4f}" for x in disk[col]], dtype=object)
            assert (expected == got).all(), col
        else:
            pd.testing.assert_series_equal(disk[col], memory[col])


def test_a_saved_folder_is_the_same_bytes_from_memory_or_disk(runs, tmp_path):
    runs["memory"].save(tmp_path / "memory")
    runs["disk"].save(tmp_path / "disk")
    names = sorted(p.name for p in (tmp_path / "memory").iterdir() if p.is_file())
    assert "visits.csv" in names and "wait_distribution.png" in names
    for name in names:
        if name in ("run.json", ".loket-results.json"):
            continue
        assert (tmp_path / "disk" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name


def test_charts_read_the_same_visit_values_from_memory_as_from_visits_csv(runs, tmp_path):
    folder = runs["disk"].save(tmp_path / "out")
    from_file = load_results(folder)["visits"]
    in_memory = runs["disk"]._chart_data["visits"]
    pd.testing.assert_frame_equal(from_file, in_memory)


def test_charts_drawn_by_two_worker_processes_are_the_same_files(runs, tmp_path):
    from simulation.charts import write_charts

    folder = runs["disk"].save(tmp_path / "serial")
    data = load_results(folder)
    serial = {p.name: p.read_bytes() for p in folder.glob("*.png")}
    parallel = write_charts(folder, "en", data=data, jobs=2)
    assert sorted(p.name for p in parallel) == sorted(serial) and len(serial) >= 6
    assert {p.name: p.read_bytes() for p in parallel} == serial
