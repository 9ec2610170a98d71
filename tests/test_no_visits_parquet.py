"""--no-visits keeps every other output; --format parquet holds the same values as the CSVs."""

import json

import pandas as pd
import pytest
from builders import scenario_dict

from simulation import parse_scenario, run_scenario
from simulation.cli import main

pytest.importorskip("pyarrow")

SAME_EXCEPT = {"run.json", ".loket-results.json", "visits.csv", "visits.parquet"}


def _scenario_file(tmp_path):
    import tomli_w

    path = tmp_path / "office.toml"
    path.write_text(tomli_w.dumps(scenario_dict(replications=3, days=2)))
    return path


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_visits_leaves_every_other_output_unchanged(tmp_path):
    src = _scenario_file(tmp_path)
    assert main(["run", str(src), "--out", str(tmp_path / "full"), "--quiet", "--jobs", "1"]) == 0
    assert main(["run", str(src), "--out", str(tmp_path / "nov"), "--quiet", "--jobs", "1", "--no-visits"]) == 0
    full, nov = _files(tmp_path / "full"), _files(tmp_path / "nov")
    assert "visits.csv" in full and "visits.csv" not in nov
    assert {k for k in full if k not in SAME_EXCEPT} == {k for k in nov if k not in SAME_EXCEPT}
    for name in nov:
        if name not in SAME_EXCEPT:
            assert nov[name] == full[name], name
    assert json.loads(nov["run.json"])["visits"] == "not written (--no-visits)"


def test_parquet_holds_the_csv_values_and_is_the_same_for_any_jobs(tmp_path):
    src = _scenario_file(tmp_path)
    assert main(["run", str(src), "--out", str(tmp_path / "csv"), "--quiet", "--jobs", "1"]) == 0
    for jobs in ("1", "2"):
        assert main(["run", str(src), "--out", str(tmp_path / f"pq{jobs}"), "--quiet", "--jobs", jobs,
                     "--format", "parquet"]) == 0
    pq1, pq2 = _files(tmp_path / "pq1"), _files(tmp_path / "pq2")
    assert "visits.parquet" in pq1 and "visits.csv" not in pq1
    for name in pq1:
        if name.endswith(".parquet"):
            assert pq1[name] == pq2[name], name
    csv = tmp_path / "csv"
    names = [n for n in ("summary", "replications", "comparison", "citizens", "trips") if (csv / f"{n}.csv").exists()]
    for name in ["visits", *names]:
        from_parquet = pd.read_parquet(tmp_path / "pq1" / f"{name}.parquet")
        from_csv = pd.read_csv(csv / f"{name}.csv")
        assert list(from_parquet.columns) == list(from_csv.columns)
        assert len(from_parquet) == len(from_csv), name
        for col in from_csv.columns:
            a, b = from_parquet[col], from_csv[col]
            if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
                pd.testing.assert_series_equal(a.astype(float), b.astype(float), atol=5e-4, check_names=False)
            else:  # text in the CSV: the same words (missing values read back empty)
                assert a.astype(object).where(a.notna(), "").astype(str).tolist() == \
                    b.astype(object).where(b.notna(), "").astype(str).tolist(), (name, col)


def test_parquet_reads_back_as_the_results_tables(tmp_path):
    results = run_scenario(parse_scenario(scenario_dict(replications=2, days=2)), jobs=1)
    results.save(tmp_path / "out", table_format="parquet")
    back = pd.read_parquet(tmp_path / "out" / "visits.parquet")
    pd.testing.assert_frame_equal(back, results.visits)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / "summary.parquet"), results.summary)


def test_a_parquet_folder_redraws_every_chart_from_visits_parquet(tmp_path):
    src = _scenario_file(tmp_path)
    out = tmp_path / "pq"
    assert main(["run", str(src), "--out", str(out), "--quiet", "--jobs", "1", "--format", "parquet"]) == 0
    drawn = {p.name: p.read_bytes() for p in out.glob("*.png")}
    assert "wait_distribution.png" in drawn and not (out / "visits.csv").exists()
    assert main(["report", str(out)]) == 0  # the same language, redrawn in place: the same pictures
    assert {p.name: p.read_bytes() for p in out.glob("*.png")} == drawn
    assert main(["report", str(out), "--lang", "id"]) == 0
    assert sorted(p.name for p in (out / "charts" / "id").glob("*.png")) == sorted(drawn)


def test_a_folder_without_visits_says_which_charts_another_language_lacks(tmp_path):
    src = _scenario_file(tmp_path)
    out = tmp_path / "nov"
    assert main(["run", str(src), "--out", str(out), "--quiet", "--jobs", "1", "--no-visits"]) == 0
    own = (out / "report.html").read_text(encoding="utf-8")
    assert own.count("<img") == len(list(out.glob("*.png"))) and "--no-visits" not in own
    pictures = {p.name: p.read_bytes() for p in out.glob("*.png")}
    assert main(["report", str(out)]) == 0  # its own language again: the charts loket run drew are kept
    assert (out / "report.html").read_text(encoding="utf-8") == own
    assert {p.name: p.read_bytes() for p in out.glob("*.png")} == pictures
    assert main(["report", str(out), "--lang", "id"]) == 0
    other = (out / "report.id.html").read_text(encoding="utf-8")
    redrawn = sorted(p.name for p in (out / "charts" / "id").glob("*.png"))
    assert "wait_by_hour.png" not in redrawn and "standard_met.png" in redrawn
    assert "Tidak digambar di sini: wait_distribution.png, wait_by_hour.png" in other
    assert "loket run --no-visits" in other
