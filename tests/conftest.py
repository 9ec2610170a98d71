"""Fixtures shared across the tests."""

from pathlib import Path

import pytest
from builders import scenario_dict

from simulation import parse_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture
def small_scenario():
    return parse_scenario(scenario_dict())


@pytest.fixture(scope="session")
def shipped_runs(tmp_path_factory) -> dict[str, Path]:
    """Every shipped office run as ``loket run --replications 2 --lang en,id`` does it: file stem ->
    results folder, with ``report.html`` (English) and ``report.id.html`` beside the tables.

    Two replications keep it quick (about a minute for all five offices); the reports' words,
    not their numbers, are what the tests of this fixture read.
    """
    from simulation.cli import main

    root = tmp_path_factory.mktemp("shipped")
    out = {}
    for path in sorted(SCENARIOS.glob("*.toml")):
        folder = root / path.stem
        assert main(["run", str(path), "--replications", "2", "--lang", "en,id", "--jobs", "1", "--out", str(folder),
                     "--quiet"]) == 0
        out[path.stem] = folder
    return out
