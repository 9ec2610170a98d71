"""The fast CSV writer writes exactly what DataFrame.to_csv writes."""

import numpy as np
import pandas as pd
import pytest
from builders import scenario_dict

from simulation import parse_scenario, run_scenario
from simulation.fastcsv import csv_text, write_csv


def _frames():
    rng = np.random.default_rng(3)
    n = 500
    floats = rng.exponential(10, n) * rng.choice([1, -1, 1e-6, 1e9], n)
    floats[::7] = np.nan
    floats[1] = -0.0
    floats[2] = np.inf
    floats[3] = -np.inf
    floats[4] = 0.00005  # half-way cases go the way printf goes
    floats[5] = 2.5e-5
    yield "mixed", pd.DataFrame({
        "cat": pd.Categorical.from_codes(rng.integers(-1, 3, n), categories=["a", "b,c", 'say "hi"']),
        "i": rng.integers(-(10**12), 10**12, n),
        "f": floats,
        "f32": floats.astype(np.float32),
        "b": rng.random(n) < 0.5,
        "s": pd.Series(rng.choice(["x", "y z", "new\nline", "", "é"], n), dtype=object),
        "t": pd.Series(rng.choice(["p", "q"], n)),
    })
    yield "empty", pd.DataFrame({"a": pd.Series([], dtype=float), "b": pd.Series([], dtype=np.int64)})
    yield "one column with blanks", pd.DataFrame({"x": [1.0, np.nan, 3.0]})
    yield "odd names", pd.DataFrame({"a,b": [1, 2], 'q"': [0.1, 0.2]})
    yield "dates fall back", pd.DataFrame({"d": pd.date_range("2020-01-01", periods=3), "v": [1.5, 2.5, 3.5]})
    yield "nullable ints fall back", pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64"), "v": [1.0, 2, 3]})


@pytest.mark.parametrize("fmt", ["%.4f", "%.6f", None])
@pytest.mark.parametrize("name,df", list(_frames()), ids=[n for n, _ in _frames()])
def test_same_text_as_pandas(name, df, fmt):
    assert csv_text(df, fmt) == df.to_csv(index=False, float_format=fmt)


def test_visits_of_a_real_run_byte_identical_also_in_chunks(tmp_path):
    scenario = parse_scenario(scenario_dict(replications=3, days=3))
    visits = run_scenario(scenario, jobs=1).visits
    assert len(visits) > 50
    expected = tmp_path / "pandas.csv"
    visits.to_csv(expected, index=False, float_format="%.4f")
    for chunk in (7, 10**6):
        ours = tmp_path / f"ours{chunk}.csv"
        write_csv(visits, ours, "%.4f", chunk_rows=chunk)
        assert ours.read_bytes() == expected.read_bytes()
