"""Every shipped office scenario: valid, runs, and its tables obey the accounting identities.

One small run per scenario (2 replications, shared by all tests of this module).
"""

from pathlib import Path

import numpy as np
import pytest

from simulation import load_scenario, run_scenario
from simulation.cli import main
from simulation.measures import CITIZEN_STATUSES

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
OFFICES = ["dukcapil", "kecamatan", "kelurahan", "mpp", "puskesmas"]


def test_every_front_line_office_has_a_scenario():
    assert [p.stem.removesuffix("_bengkulu") for p in SCENARIOS] == OFFICES


@pytest.fixture(scope="module", params=SCENARIOS, ids=[p.stem for p in SCENARIOS])
def shipped(request):
    scenario = load_scenario(request.param).with_run(replications=2)
    return scenario, run_scenario(scenario, jobs=2)


def test_check_passes_with_no_warning_but_peak_hours(capsys):
    for path in SCENARIOS:
        assert main(["check", str(path)]) == 0
        warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
        assert all("the busiest hour brings more work" in w for w in warnings), (path, warnings)


def test_required_policies(shipped):
    scenario, _ = shipped
    names = list(scenario.policies)
    assert names[0] == "full_office"
    if scenario.name != "dukcapil_bengkulu":
        assert {"wfh_25", "wfh_50"} <= set(names)
        assert any(p.wfh_officers for p in scenario.policies.values())
        assert any(p.online and p.recall for p in scenario.policies.values())


def test_utilisation_within_staffed_time_and_visits_accounted_for(shipped):
    _, res = shipped
    reps = res.replications
    assert (reps.utilization.dropna() <= 1 + 1e-12).all()
    assert (reps.served + reps.turned_away + reps.reneged + reps.balked == reps.arrived).all()
    assert (reps.overtime_minutes >= -1e-9).all()


def test_citizens_add_up_and_are_the_same_people_under_every_policy(shipped):
    _, res = shipped
    people = res.citizen_replications
    assert (people[list(CITIZEN_STATUSES)].sum(axis=1) == people.citizens).all()
    assert people.groupby("replication").citizens.nunique().eq(1).all()
    assert np.allclose(res.citizens[list(CITIZEN_STATUSES)].sum(axis=1), res.citizens.citizens)


def test_working_from_home_hurts_in_every_office(shipped):
    scenario, res = shipped
    worst = "wfh_50" if "wfh_50" in scenario.policies else "wfh_half"
    row = res.comparison[(res.comparison.policy == worst) & (res.comparison.station == "all")].iloc[0]
    assert row.policy_mean_wait_all > row.baseline_mean_wait_all
    assert row.policy_first_trip_within_target_share < row.baseline_first_trip_within_target_share


def test_nothing_in_the_repository_points_outside_it():
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    outside = ("../shared", "shared/reference", "/work/", ".library")
    for name in files:
        path = ROOT / name
        if path.suffix in (".png", ".ipynb") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if name == "tests/test_shipped_scenarios.py":
            continue  # this test names what it looks for
        for needle in outside:
            assert needle not in text, (name, needle)
