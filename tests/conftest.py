"""Fixtures shared across the tests.

The results folders below are written once per test session by the command line, as a planner
writes them, and read by every test module that needs them (tests that change a folder work on
a copy). Each records what the command printed (``out``, ``err``).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import scenario_dict

from simulation import parse_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture
def small_scenario():
    return parse_scenario(scenario_dict())


@dataclass(frozen=True)
class Ran:
    """A results folder written by ``loket``, and what the command printed."""

    folder: Path
    out: str
    err: str


def _loket(args: list[str]) -> Ran:
    from simulation.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code == 0, err.getvalue()
    return Ran(Path(args[args.index("--out") + 1]), out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def dukcapil_run(tmp_path_factory) -> Ran:
    """``loket run`` of the shipped Dukcapil scenario (three desks, five policies), 3 replications, English."""
    out = tmp_path_factory.mktemp("dukcapil") / "run"
    return _loket(["run", str(SCENARIOS / "dukcapil_bengkulu.toml"), "--replications", "3", "--out", str(out),
                   "--quiet"])


@pytest.fixture(scope="session")
def kelurahan_run(tmp_path_factory) -> Ran:
    """``loket run`` of the shipped Kelurahan scenario (one desk, six policies), 3 replications, both languages."""
    out = tmp_path_factory.mktemp("kelurahan") / "run"
    return _loket(["run", str(SCENARIOS / "kelurahan_bengkulu.toml"), "--replications", "3", "--lang", "en,id",
                   "--out", str(out)])


@pytest.fixture(scope="session")
def dukcapil_staffing(tmp_path_factory) -> Ran:
    """``loket staff`` of the shipped Dukcapil scenario (the advice's 20 replications), both languages."""
    out = tmp_path_factory.mktemp("dukcapil") / "staffing"
    return _loket(["staff", str(SCENARIOS / "dukcapil_bengkulu.toml"), "--replications", "2", "--lang", "en,id",
                   "--out", str(out)])


@pytest.fixture(scope="session")
def dukcapil_sweep(tmp_path_factory) -> Ran:
    """``loket sweep`` of two Dukcapil desks, each alone, at 0, 50 and 67 % at home; 5 replications, both languages."""
    out = tmp_path_factory.mktemp("dukcapil") / "sweep"
    return _loket(["sweep", str(SCENARIOS / "dukcapil_bengkulu.toml"), "--station", "kk_akta", "--station", "ektp",
                   "--wfh-share", "0,0.5,0.67", "--replications", "5", "--lang", "en,id", "--out", str(out)])


@pytest.fixture(scope="session")
def shipped_runs(tmp_path_factory, dukcapil_run, kelurahan_run) -> dict[str, Path]:
    """Every shipped office's run with its report in both languages: file stem -> results folder
    holding ``report.html`` (English) and ``report.id.html``.

    Kelurahan and Dukcapil are the folders above (Dukcapil copied, its Indonesian report added);
    the other offices run here with 2 replications, ``--lang en,id`` — the reports' words, not
    their numbers, are what the tests of this fixture read.
    """
    import shutil

    from simulation.report import write_report

    root = tmp_path_factory.mktemp("shipped")
    out = {"kelurahan_bengkulu": kelurahan_run.folder}
    copy = root / "dukcapil_bengkulu"
    shutil.copytree(dukcapil_run.folder, copy)
    write_report(copy, "id")
    out["dukcapil_bengkulu"] = copy
    for path in sorted(SCENARIOS.glob("*.toml")):
        if path.stem not in out:
            out[path.stem] = _loket(["run", str(path), "--replications", "2", "--lang", "en,id", "--jobs", "1",
                                     "--out", str(root / path.stem), "--quiet"]).folder
    return out
