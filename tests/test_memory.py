"""Memory of ``loket run`` grows by a stated budget per visit, not by the whole visit table.

The run keeps, per visit, only the columns its charts read (about 36 bytes) and the exact
waits of served visits (8 bytes, for the percentiles); every replication's full visits go to
``visits.csv`` as they arrive. So the extra peak memory of a run with more replications,
divided by the extra visits, must stay under :data:`BYTES_PER_VISIT`. Gathering every
replication's full visit table first (as Loket did before) costs about 550 bytes a visit
and fails this check.
"""

import os
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

BYTES_PER_VISIT = 200
"""The budget: kept columns (~44 bytes a visit) plus the copies made while combining them and
drawing the charts; about 130 bytes measured on the project's 2-core machine (the old way: 554)."""

SCENARIO = textwrap.dedent("""\
    name = "memory_check"
    [run]
    days = 10
    open = "00:00"
    close = "24:00"
    replications = {replications}
    seed = 3
    [[stations]]
    name = "desk"
    staff = 3
    service = {{ dist = "exponential", mean = 1.0 }}
    [[arrivals]]
    station = "desk"
    per_hour = 162
""")


def _peak_rss(tmp_path, replications: int) -> tuple[int, int]:
    """Peak RSS (bytes) of ``loket run --jobs 1`` in a fresh process, and the visits it wrote."""
    src = tmp_path / f"r{replications}.toml"
    src.write_text(SCENARIO.format(replications=replications))
    out = tmp_path / f"out{replications}"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.Popen([sys.executable, "-m", "simulation", "run", str(src), "--out", str(out), "--quiet",
                             "--jobs", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert os.waitstatus_to_exitcode(status) == 0, err
    visits = len(pd.read_csv(out / "visits.csv", usecols=["wait"]))
    return usage.ru_maxrss * 1024, visits


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak RSS of a child via os.wait4 (Linux)")
def test_peak_memory_grows_by_less_than_the_budget_per_visit(tmp_path):
    small_peak, small_visits = _peak_rss(tmp_path, 2)
    large_peak, large_visits = _peak_rss(tmp_path, 12)
    assert large_visits > 5 * small_visits > 0
    per_visit = (large_peak - small_peak) / (large_visits - small_visits)
    assert per_visit < BYTES_PER_VISIT, (
        f"{per_visit:.0f} bytes of peak memory per extra visit ({small_visits:,} visits: "
        f"{small_peak / 2**20:.0f} MiB; {large_visits:,} visits: {large_peak / 2**20:.0f} MiB)")
