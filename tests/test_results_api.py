"""The public API's results object: tables, every registered chart, and ``save`` = ``loket run``."""

import json
import os
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

import simulation
from simulation import Results, load_scenario, run_scenario
from simulation.chart_data import load_results, queue_over_day_table, results_data
from simulation.charts import CHARTS
from simulation.cli import main
from simulation.export import MARKER, OutputError

DUKCAPIL = Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml"
RUN_CHARTS = [name for name, spec in CHARTS.items() if spec.kind == "run"]


@pytest.fixture(scope="module")
def results() -> Results:
    # Two days (so the weekday chart applies) with priority classes (so the class chart does).
    scenario = load_scenario(DUKCAPIL).with_overrides({"run.days": 2}).with_run(replications=2, seed=5)
    return run_scenario(scenario, jobs=1)


@pytest.fixture(scope="module")
def folders(results, tmp_path_factory):
    base = tmp_path_factory.mktemp("save")
    cli = base / "cli"
    assert main(["run", str(DUKCAPIL), "--replications", "2", "--seed", "5", "--set", "run.days=2", "--jobs", "2",
                 "--out", str(cli), "--quiet"]) == 0
    api = results.save(base / "api")
    return cli, api


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_the_public_api_is_documented():
    for name in simulation.__all__:
        obj = getattr(simulation, name)
        if callable(obj):
            assert obj.__doc__, name
    for name in ["load_scenario", "run_scenario", "Results", "Scenario", "ScenarioError"]:
        assert name in simulation.__all__
    for method in ["with_overrides", "with_run", "with_policies"]:
        assert "Returns\n" in getattr(simulation.Scenario, method).__doc__
    for method in ["chart", "save"]:
        assert "Parameters\n" in getattr(Results, method).__doc__
    assert "Parameters\n" in run_scenario.__doc__ and "Returns\n" in simulation.load_scenario.__doc__


def test_save_writes_what_loket_run_writes(folders):
    cli, api = folders
    assert _files(api) == _files(cli)
    assert {"visits.csv", "summary.csv", "comparison.csv", "citizens.csv", "scenario.toml", "scenario.resolved.toml",
            "run.json", "report.html", "standard_met.png", MARKER} <= _files(api)
    # Same seed, same bytes: every table, the scenario files, the charts and the report.
    for name in sorted(_files(api) - {"run.json", MARKER}):
        assert (api / name).read_bytes() == (cli / name).read_bytes(), name


def test_save_records_the_run(folders, results):
    cli, api = folders
    from_cli = json.loads((cli / "run.json").read_text())
    from_api = json.loads((api / "run.json").read_text())
    assert from_api["overrides"] == from_cli["overrides"] == {"run.days": 2}
    for key in ["loket_version", "scenario", "seed", "replications", "policies", "lang", "scenario_file"]:
        assert from_api[key] == from_cli[key], key
    assert from_api["jobs"] == 1 and from_api["wall_time_seconds"] == results.run_info["wall_time_seconds"]
    assert set(from_cli) <= set(from_api)


def test_every_registered_chart_is_reachable(results):
    assert results.chart_names() == RUN_CHARTS  # these results have every run chart
    assert sorted(dir(results.plot)) == sorted(RUN_CHARTS)
    for name in RUN_CHARTS:
        assert isinstance(results.chart(name, lang="en"), Figure)
        method = getattr(results.plot, name)
        assert method.__name__ == name and name in method.__doc__
        fig = method(lang="id")
        assert isinstance(fig, Figure) and fig.axes
    charts = results.charts()
    assert list(charts) == RUN_CHARTS and all(isinstance(f, Figure) for f in charts.values())


def test_a_chart_the_results_do_not_have_is_refused(results):
    with pytest.raises(ValueError, match="no chart named 'nope'"):
        results.chart("nope")
    with pytest.raises(AttributeError, match="no chart named"):
        results.plot.nope  # noqa: B018
    with pytest.raises(ValueError, match="lang"):
        results.chart("standard_met", lang="fr")
    one_day = run_scenario(load_scenario(DUKCAPIL).with_overrides({"run.days": 1}).with_run(replications=2), jobs=1)
    assert "wait_by_weekday" not in one_day.chart_names()
    with pytest.raises(ValueError, match="no 'wait_by_weekday' chart"):
        one_day.chart("wait_by_weekday")


def test_charts_in_memory_read_what_the_folder_holds(results, folders):
    _, api = folders
    loaded = load_results(api)
    data = results_data(results, run_info={"seed": 5})
    for key in set(data) | set(loaded):  # a table the folder lacks is None in both
        assert (data[key] is None) == (loaded[key] is None) or key == "folder", key
    assert data["kind"] == loaded["kind"] == "run" and data["scenario"] == loaded["scenario"]
    for name in ["summary", "replications", "comparison", "citizens", "visits"]:
        assert list(data[name].columns) == list(loaded[name].columns), name
        assert len(data[name]) == len(loaded[name]), name
    for col in ["policy", "station", "outcome", "class"]:
        assert list(data["visits"][col]) == list(loaded["visits"][col])


def test_queue_length_is_the_queue_chart_series(results, folders):
    _, api = folders
    loaded = load_results(api)
    from_folder = queue_over_day_table(loaded["visits"], loaded["summary"], loaded["scenario"])
    table = results.queue_length
    assert list(table.columns) == ["policy", "station", "label", "minute", "x_hours", "mean_queue", "band_low",
                                   "band_high"]
    assert list(table.columns) == list(from_folder.columns) and len(table) == len(from_folder)
    # The folder's times are rounded to 1e-4 minutes: a sample may rarely fall on the other side.
    assert np.abs(table["mean_queue"].to_numpy() - from_folder["mean_queue"].to_numpy()).mean() < 0.01


def test_results_read_briefly(results):
    text = repr(results)
    assert len(text) < 600 and "dukcapil_bengkulu" in text and "full_office" in text


def test_save_never_destroys_a_folder_that_is_not_loket_results(results, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    with pytest.raises(OutputError, match="not a loket results folder"):
        results.save(mine)
    assert os.listdir(mine) == ["thesis.docx"]


def test_save_in_two_languages(results, tmp_path):
    out = results.save(tmp_path / "both", lang=["id", "en"])
    assert (out / "report.html").exists() and (out / "report.en.html").exists()
    assert (out / "charts" / "en" / "standard_met.png").exists()
    assert json.loads((out / "run.json").read_text())["lang"] == "id"
