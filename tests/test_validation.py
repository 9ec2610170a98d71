"""``loket validate``: the built-in check of the engine against theory and published studies.

The quick suite runs once (module fixture, about half a minute on two cores); the other
tests use shrunken copies of cheap cases, swapped in for the suite with monkeypatch.
"""

import dataclasses
import json
import math

import pandas as pd
import pytest

from simulation import validation
from simulation.cli import main

COLUMNS = ["case", "kind", "reference", "reference_value", "simulated_mean", "ci_low", "ci_high", "tolerance",
           "passed", "gating", "source"]
SOURCES = {"printed in a paper", "computed from theory", "independent simulator", "documented event"}


def tiny(name: str, **changes) -> validation.Case:
    """A suite case, shrunk to a few short replications (wide intervals, fast)."""
    case = next(c for c in validation.CASES if c.name == name)
    return dataclasses.replace(case, **{"days": 3, "warmup_days": 1, "replications": 4, **changes})


def perturbed(case: validation.Case, index: int, factor: float) -> validation.Case:
    """``case`` with the reference of check ``index`` multiplied by ``factor``."""
    checks = list(case.checks)
    checks[index] = dataclasses.replace(checks[index], reference_value=checks[index].reference_value * factor)
    return dataclasses.replace(case, checks=tuple(checks))


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("validate") / "quick"
    code = main(["validate", "--quick", "--jobs", "2", "--out", str(out)])
    return code, out


def test_quick_suite_passes_and_writes_the_table_and_chart(quick):
    code, out = quick
    assert code == 0
    table = pd.read_csv(out / "validation.csv")
    assert list(table.columns) == COLUMNS
    assert table["passed"].all(), table[~table["passed"]]
    quick = validation.select_cases(quick=True)
    quick_cases = [c.name for c in quick]
    assert list(dict.fromkeys(table["case"])) == quick_cases
    # Every steady-state case has Little's law, measured from the queue-length trajectory.
    steady = {c.name for c in quick if c.office is None}
    assert set(table.loc[table["kind"] == "little", "case"]) == steady
    # Every behaviour behind the headline is in the quick suite.
    assert set(table["kind"]) == set(validation.KINDS) - {"field_study", "jackson"}
    assert set(table["source"]) <= SOURCES and len(set(table["source"])) == 3
    assert (table["ci_low"] <= table["simulated_mean"]).all() and (table["simulated_mean"] <= table["ci_high"]).all()
    assert (table["tolerance"] >= 0).all()
    # Gating: everything allowed is at most 10 % of the reference; the documented event is information.
    allowance = (table["ci_high"] - table["ci_low"]) / 2 + table["tolerance"]
    assert table["gating"].equals(allowance <= 0.1 * table["reference_value"].abs())
    assert not table.loc[table["kind"] == "documented_event", "gating"].any()
    assert table["gating"].sum() >= 20
    png = (out / "validation.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    info = json.loads((out / "run.json").read_text())
    assert info["seed"] == validation.DEFAULT_SEED and info["quick"] is True
    assert info["loket_version"] and info["checks"] == info["passed"] == len(table)
    assert info["gating_checks"] == info["gating_passed"] == table["gating"].sum() and info["skipped"] == []


def test_quick_rows_are_the_full_suites_rows():
    # The quick subset runs the very same cases with the same seeds as the full suite.
    full = {c.name: c for c in validation.select_cases(quick=False)}
    for case in validation.select_cases(quick=True):
        assert full[case.name] is case
    assert len(full) == len(validation.CASES) >= 30


def test_suite_cases_are_well_formed():
    names = [c.name for c in validation.CASES]
    assert len(set(names)) == len(names)
    for case in validation.CASES:
        scenario = validation.case_scenario(case)
        assert case.checks
        if case.office is None:
            assert 0 < case.warmup_days < case.days
            assert scenario.run.continuous and scenario.run.warmup_minutes == case.warmup_days * 1440
        else:
            assert not scenario.run.continuous and scenario.run.days == case.office.days
        for check in case.checks:
            assert check.kind in validation.KINDS and check.kind != "little"
            assert check.station in scenario.station_names and check.source in SOURCES
            if check.kind == "independent":  # the reference simulator's mean, computed at run time
                assert case.reference_model in ("office", "ciw") and case.reference_replications >= 30
                assert check.quantity in validation.MEASURES and check.source == "independent simulator"
                continue
            assert math.isfinite(check.reference_value) and check.reference_value > 0
            assert 0 < check.tolerance < abs(check.reference_value) and check.why
    groups = {c.group for c in validation.CASES}
    assert len(groups) == 9
    # Erlang C over c = 1..10 and loads 0.5..0.95.
    grid = [c for c in validation.CASES if c.name.startswith("M/M/") and "+M" not in c.name]
    assert {c.stations[0]["staff"] for c in grid} >= {1, 10} and len(grid) >= 16


def test_published_tolerance_states_the_rounding():
    h2 = next(c for c in validation.CASES if c.name.startswith("H2"))
    published = next(k for k in h2.checks if k.kind == "field_study")
    # The paper prints its load, not a mean wait: rho = 0.789, printed to three decimals.
    assert published.quantity == "utilization" and published.reference_value == 0.789
    assert published.tolerance == pytest.approx(0.0005)
    sigi = [c for c in validation.CASES if c.name.startswith("D1")]
    assert [next(k for k in c.checks if k.kind == "field_study").reference_value for c in sigi] == [2, 1, 5]
    # rounding_allowance: published half-unit plus the formula's spread over the rounding box.
    assert validation.rounding_allowance(lambda x, y: x * y, {"x": 2.0, "y": 3.0}, {"x": 0.5, "y": 0.5}, 0.1) \
        == pytest.approx(0.1 + 2.5 * 3.5 - 6.0)


def test_case_seed_depends_on_seed_and_name():
    a = validation.case_seed(1, "M/M/1 rho=0.5")
    assert a == validation.case_seed(1, "M/M/1 rho=0.5")
    assert a != validation.case_seed(2, "M/M/1 rho=0.5") and a != validation.case_seed(1, "M/M/2 rho=0.5")


def test_sources_are_honest():
    # A number a paper prints is "printed in a paper"; one Loket computes, even from a paper's inputs, is theory.
    for case in validation.CASES:
        for check in case.checks:
            printed = check.reference.startswith("published")
            assert (check.source == "printed in a paper") == printed, (case.name, check.reference)
            if check.kind in ("erlang_c", "erlang_a", "cobham", "mmck", "jackson", "pollaczek_khinchine"):
                assert check.source == "computed from theory"


def test_a_wrong_reference_fails_the_check():
    case = tiny("D1 Disdukcapil Sigi B M/M/2", days=6)
    engine = [validation._engine_replication((validation.case_scenario(case), r, True))
              for r in range(1, case.replications + 1)]
    rows = validation.evaluate_case(case, engine)
    assert [r["passed"] for r in rows] == [True, True, True]
    erlang_c = next(i for i, k in enumerate(case.checks) if k.kind == "erlang_c")
    rows = validation.evaluate_case(perturbed(case, erlang_c, 1.3), engine)
    assert [r["passed"] for r in rows] == [True, False, True]
    assert rows[erlang_c]["reference_value"] > rows[erlang_c]["ci_high"] + rows[erlang_c]["tolerance"]


def test_cli_exits_1_and_names_the_failing_case(monkeypatch, tmp_path, capsys):
    good = tiny("D1 Disdukcapil Sigi B M/M/2")
    bad = perturbed(tiny("M/M/3+M rho=1.0"), 0, 1.5)  # P(give up) half as large again as Erlang A says
    monkeypatch.setattr(validation, "CASES", (good, bad))
    code = main(["validate", "--jobs", "1", "--out", str(tmp_path / "v")])
    captured = capsys.readouterr()
    assert code == 1
    assert "M/M/3+M rho=1.0" in captured.err and "Sigi" not in captured.err
    assert "5 of 6 checks passed" in captured.out and "gating checks agree" in captured.out
    table = pd.read_csv(tmp_path / "v" / "validation.csv")
    assert table.loc[~table["passed"], "case"].tolist() == [bad.name]
    assert (tmp_path / "v" / "validation.png").is_file()


def test_validation_csv_is_identical_whatever_the_number_of_jobs(monkeypatch, tmp_path):
    cases = (tiny("Branching route"), tiny("M/M/2 rho=0.7", replications=3))
    monkeypatch.setattr(validation, "CASES", cases)
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        assert main(["validate", "--jobs", jobs, "--out", str(out), "--seed", "7"]) == 0
        outs[jobs] = out
    assert (outs["1"] / "validation.csv").read_bytes() == (outs["2"] / "validation.csv").read_bytes()
    assert json.loads((outs["2"] / "run.json").read_text())["seed"] == 7
    # Another seed, other numbers.
    assert main(["validate", "--jobs", "2", "--out", str(tmp_path / "seed8"), "--seed", "8"]) == 0
    assert (tmp_path / "seed8" / "validation.csv").read_bytes() != (outs["1"] / "validation.csv").read_bytes()


def test_bad_output_folder_is_bad_input(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(validation, "run_validation", lambda *a, **k: pytest.fail("simulated despite bad input"))
    target = tmp_path / "a_file"
    target.write_text("not a folder")
    assert main(["validate", "--quick", "--out", str(target)]) == 2
    assert capsys.readouterr().err.startswith("loket: error: ")
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--jobs", "0"])
    assert exc.value.code == 2


def test_ciw_cases_are_skipped_and_named_without_ciw(monkeypatch, tmp_path, capsys):
    ciw_case = next(c for c in validation.CASES if c.reference_model == "ciw")
    good = tiny("D1 Disdukcapil Sigi B M/M/2")
    monkeypatch.setattr(validation, "CASES", (good, ciw_case))
    monkeypatch.setattr(validation, "ciw_missing", lambda: "Ciw is not installed (pip install 'loket[validate]')")
    assert main(["validate", "--jobs", "1", "--out", str(tmp_path / "v")]) == 0
    out = capsys.readouterr().out
    assert f"skipped: {ciw_case.name}: Ciw is not installed" in out
    table = pd.read_csv(tmp_path / "v" / "validation.csv")
    assert ciw_case.name not in set(table["case"])
    info = json.loads((tmp_path / "v" / "run.json").read_text())
    assert info["skipped"] == [{"case": ciw_case.name, "why": "Ciw is not installed (pip install 'loket[validate]')"}]


def test_information_checks_are_not_counted_in_the_title():
    rows = pd.DataFrame({"passed": [True, True, False], "gating": [True, False, False]})
    assert validation.finding(rows) == "1 of 1 gating checks agree (+2 for information only)"
    rows["passed"] = [False, True, True]
    assert validation.finding(rows).startswith("1 of 1 gating checks disagree")


def test_the_ciw_reference_depends_on_its_seed_alone():
    """Ciw draws a PoissonIntervals' arrival dates when the network is built: the seed must be set
    before, or a replication's reference values depend on what its worker process ran before
    (``loket validate --jobs 1`` and ``--jobs 2`` then wrote different validation.csv files)."""
    pytest.importorskip("ciw")
    from simulation.reference_models import simulate_ciw
    from simulation.validation import _CIW_WEEK

    first = simulate_ciw(_CIW_WEEK, 7)
    simulate_ciw(_CIW_WEEK, 8)  # another replication in the same process
    assert simulate_ciw(_CIW_WEEK, 7) == first
