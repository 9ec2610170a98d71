"""The command line as a planner uses it."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import main

SCENARIO = str(Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml")

VISIT_COLUMNS = ["policy", "replication", "day", "citizen", "station", "arrival", "service_start", "service_end",
                 "wait", "outcome"]
SUMMARY_COLUMNS = ["policy", "station", "arrived", "served", "mean_wait", "mean_wait_ci_low", "mean_wait_ci_high",
                   "p50_wait", "p90_wait", "p95_wait", "max_wait", "within_target_share", "utilization",
                   "mean_queue_length"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "res"
    code = main(["run", SCENARIO, "--replications", "3", "--seed", "5", "--jobs", "2", "--out", str(out), "--quiet"])
    assert code == 0
    return out


def test_run_writes_every_result_file(results):
    for name in ["visits.csv", "summary.csv", "replications.csv", "scenario.resolved.toml", "run.json"]:
        assert (results / name).stat().st_size > 0
    assert not list(results.parent.glob(".*partial*"))


def test_visits_and_summary_have_the_binding_columns(results):
    visits = pd.read_csv(results / "visits.csv")
    summary = pd.read_csv(results / "summary.csv")
    reps = pd.read_csv(results / "replications.csv")
    assert list(visits.columns[: len(VISIT_COLUMNS)]) == VISIT_COLUMNS
    assert set(SUMMARY_COLUMNS) <= set(summary.columns)
    assert set(SUMMARY_COLUMNS) - {"mean_wait_ci_low", "mean_wait_ci_high"} <= set(reps.columns)
    policies = ["full_office", "wfa_thu_fri", "wfh_25", "wfh_50", "wfh_rota_online"]
    assert list(summary["policy"].unique()) == policies and len(summary) == 5 * 3
    assert set(summary["station"]) == {"ektp", "kk_akta", "verifikasi"}
    assert list(visits["policy"].unique()) == policies and set(visits["replication"]) == {1, 2, 3}
    assert set(visits["outcome"]) <= {"served", "reneged", "balked", "turned_away", "online"}
    assert (summary["mean_wait_ci_low"] <= summary["mean_wait"]).all()
    assert (summary["mean_wait"] <= summary["mean_wait_ci_high"]).all()
    # The summary is what the replications say.
    for _, row in summary.iterrows():
        per_rep = reps[(reps.station == row.station) & (reps.policy == row.policy)]
        assert row.mean_wait == pytest.approx(per_rep.mean_wait.mean(), abs=1e-5)
        assert row.arrived == pytest.approx(per_rep.arrived.mean())
        counter = (visits.station == row.station) & (visits.policy == row.policy) & (visits.outcome != "online")
        assert per_rep.arrived.sum() == counter.sum()


def test_run_json_says_what_produced_the_results(results):
    info = json.loads((results / "run.json").read_text())
    assert info["seed"] == 5 and info["replications"] == 3
    assert info["loket_version"] and info["wall_time_seconds"] >= 0
    resolved = (results / "scenario.resolved.toml").read_text()
    assert "seed = 5" in resolved and "replications = 3" in resolved


def test_check_validates_without_running(tmp_path, capsys):
    assert main(["check", SCENARIO]) == 0
    assert "OK" in capsys.readouterr().out


def test_rerun_replaces_a_results_folder(results):
    # Loket's own files are replaced; a file the user put there is kept (see test_hostile_inputs.py).
    (results / "stale.txt").write_text("old")
    assert main(["run", SCENARIO, "--replications", "2", "--out", str(results), "--quiet", "--jobs", "1"]) == 0
    assert (results / "stale.txt").read_text() == "old"
    assert set(pd.read_csv(results / "visits.csv")["replication"]) == {1, 2}


def test_refuses_to_overwrite_a_folder_that_is_not_a_results_folder(tmp_path, capsys):
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    assert main(["run", SCENARIO, "--replications", "2", "--out", str(precious), "--quiet"]) == 2
    assert (precious / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in precious.iterdir()) == ["notes.txt"]
    assert "not a loket results folder" in capsys.readouterr().err


def test_overloaded_station_runs_with_a_warning(tmp_path):
    scenario = tmp_path / "busy.toml"
    scenario.write_text(
        'name = "busy"\n[run]\ndays = 1\nreplications = 2\n'
        '[[stations]]\nname = "desk"\nstaff = 1\nservice = { dist = "exponential", mean = 10 }\n'
        '[[arrivals]]\nstation = "desk"\nper_hour = 12\n'
    )
    proc = subprocess.run([sys.executable, "-m", "simulation", "run", str(scenario), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "overloaded" in proc.stderr and "desk" in proc.stderr
    assert (tmp_path / "o" / "summary.csv").exists()


def test_console_script_and_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "simulation", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "run" in proc.stdout and "check" in proc.stdout
