"""``--scheduler``: replications on a Dask cluster's workers, byte for byte the results of a local run.

A two-worker ``LocalCluster`` (separate processes, as on real machines) is started once for
the module; the commands run as a planner runs them, in a subprocess. Skipped, saying why,
only where Dask's distributed scheduler is not installed (``pip install 'loket[dask]'``).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import write_one_desk_office

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "kelurahan_bengkulu.toml"  # the smallest shipped office: one desk
# What may differ between two runs of the same work: how it ran (run.json) and the folder's
# manifest of file times and run.json's checksum.
HOW_IT_RAN = {"run.json", ".loket-results.json"}
UNREACHABLE = "tcp://127.0.0.1:1"


@pytest.fixture(scope="module")
def scheduler():
    distributed = pytest.importorskip(
        "distributed", reason="Dask's distributed scheduler is not installed (pip install 'loket[dask]')")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _loket(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulation", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def _ok(*args) -> subprocess.CompletedProcess:
    proc = _loket(*args, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return proc


def _assert_same_results(a: Path, b: Path, table: str) -> None:
    """Every file of two results folders byte-identical, but those saying how the work ran."""
    def files(folder: Path) -> list[Path]:
        return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.name not in HOW_IT_RAN)

    names = files(a)
    assert names == files(b)
    assert Path(table) in names and Path("report.html") in names, names
    assert (a / table).stat().st_size > 100
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


def _run_json(folder: Path) -> dict:
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))


def _office(path: Path, name: str, staff: int, per_hour: float) -> Path:
    return write_one_desk_office(path, name, staff, per_hour)


def test_run_on_the_cluster_is_byte_identical_to_local_processes(scheduler, tmp_path):
    outs = {}
    for how in (["--jobs", "1"], ["--jobs", "2"], ["--scheduler", scheduler]):
        out = outs[how[1]] = tmp_path / how[0].strip("-") / how[1].replace(":", "_").replace("/", "")
        _ok("run", SCENARIO, "--replications", "4", "--seed", "5", "--out", out, *how)
    local, parallel, cluster = outs.values()
    _assert_same_results(local, parallel, "visits.csv")
    _assert_same_results(local, cluster, "visits.csv")
    info = _run_json(cluster)
    assert info["scheduler"] == scheduler and info["jobs"] is None
    assert "scheduler" not in _run_json(local) and _run_json(local)["jobs"] == 1


def test_sweep_on_the_cluster_matches_local(scheduler, tmp_path):
    sweep = ("sweep", SCENARIO, "--station", "pelayanan", "--wfh-share", "0,0.5", "--replications", "3")
    _ok(*sweep, "--jobs", "1", "--out", tmp_path / "local")
    _ok(*sweep, "--scheduler", scheduler, "--out", tmp_path / "cluster")
    _assert_same_results(tmp_path / "local", tmp_path / "cluster", "sweep.csv")
    assert _run_json(tmp_path / "cluster")["scheduler"] == scheduler


def test_staff_on_the_cluster_matches_local(scheduler, tmp_path):
    office = _office(tmp_path / "busy.toml", "busy_office", 2, 10.0)
    _ok("staff", office, "--jobs", "1", "--out", tmp_path / "local")
    _ok("staff", office, "--scheduler", scheduler, "--out", tmp_path / "cluster")
    _assert_same_results(tmp_path / "local", tmp_path / "cluster", "staffing.csv")
    assert _run_json(tmp_path / "cluster")["scheduler"] == scheduler


def test_city_on_the_cluster_matches_local(scheduler, tmp_path):
    quiet = _office(tmp_path / "quiet.toml", "quiet_office", 4, 8.0)
    busy = _office(tmp_path / "busy.toml", "busy_office", 2, 10.0)
    _ok("city", quiet, busy, "--jobs", "1", "--out", tmp_path / "local")
    _ok("city", quiet, busy, "--scheduler", scheduler, "--out", tmp_path / "cluster")
    _assert_same_results(tmp_path / "local", tmp_path / "cluster", "city.csv")
    assert _run_json(tmp_path / "cluster")["scheduler"] == scheduler


def _one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("loket: error: "), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    return lines[0]


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    line = _one_line_error(_loket("run", SCENARIO, "--replications", "2", "--scheduler", UNREACHABLE, "--out", out))
    assert not out.exists()
    try:
        import distributed  # noqa: F401
    except ImportError:
        assert "pip install 'loket[dask]'" in line
    else:
        assert f"cannot reach the Dask scheduler at '{UNREACHABLE}'" in line


@pytest.mark.parametrize("command", ["run", "sweep", "staff", "city"])
def test_jobs_and_scheduler_together_are_a_usage_error(tmp_path, command):
    extra = ["--station", "pelayanan", "--wfh-share", "0,0.5"] if command == "sweep" else []
    out = tmp_path / "out"
    line = _one_line_error(_loket(command, SCENARIO, *extra, "--jobs", "2", "--scheduler", UNREACHABLE,
                                  "--out", out))
    assert "--jobs" in line and "--scheduler" in line
    assert not out.exists()


def test_without_dask_the_option_says_what_to_install(tmp_path):
    out = tmp_path / "out"
    hide_dask = ("import sys; sys.modules['distributed'] = None; from simulation.cli import main; "
                 "sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", hide_dask, "run", str(SCENARIO), "--replications", "2",
                           "--scheduler", "tcp://10.0.0.5:8786", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    line = _one_line_error(proc)
    assert "pip install 'loket[dask]'" in line and not out.exists()
