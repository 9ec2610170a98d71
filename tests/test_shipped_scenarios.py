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


STANDARD_POLICIES = ["full_office", "wfa_thu_fri", "wfh_25", "wfh_50"]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_office_carries_the_standard_policies_first_and_keeps_its_own(path):
    scenario = load_scenario(path)
    names = list(scenario.policies)
    assert names[:4] == STANDARD_POLICIES
    own = names[4:]
    assert own, "an office keeps at least one policy of its own"
    assert any(scenario.policies[n].online and scenario.policies[n].recall for n in own)
    policies = scenario.staffing_policies()
    for name in names:
        assert policies[name].label and policies[name].label != name, f"{name} needs a human label"
    for name in ("wfh_25", "wfh_50"):
        assert "hypothetical" in policies[name].label.lower(), name


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_wfa_thu_fri_is_the_provinces_scheme_at_the_counters(path):
    """Monday-Wednesday as full_office; Thursday and Friday one officer at every desk that has more."""
    scenario = load_scenario(path)
    policies = scenario.staffing_policies()
    full, wfa = policies["full_office"].onsite, policies["wfa_thu_fri"].onsite
    for station in scenario.stations:
        assert wfa[station.name][:3] == full[station.name][:3], station.name
        assert wfa[station.name][3:] == (min(station.staff, 1),) * 2, station.name


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
    worst = "wfh_50"
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
