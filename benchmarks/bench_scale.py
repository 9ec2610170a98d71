"""Speed and scale of Loket end to end (issue 13), side by side in one run.

On the issue's workload — a 24-hour office, one desk of c = 3 officers, Poisson arrivals at
162 an hour, exponential service with mean 1 minute (rho = 0.90), 52 days (about 202,000
citizens), one replication, ``--jobs 1`` — this script times, interleaved so that changes in
machine load hit each alike:

* ``bare SimPy``   a minimal SimPy M/M/c loop fed the engine's own arrival and service times
                   (``bench_replication.bare_mmc``; the waits are checked to be identical);
* ``engine``       the engine's SimPy model alone, ``Office(...).run()``;
* ``loket run``    the whole command line in a fresh subprocess: start-up imports,
                   simulation, every CSV, the charts and report.html;
* ``Ciw``          Ciw 3.x (``pip install ciw``; not a Loket dependency) on the same M/M/3
                   workload with its own random numbers, on fewer days (it is much slower);
                   skipped with a note when it is not installed.

Then: peak RSS of ``loket run --jobs 1`` (``os.wait4`` of the child) at about 1 million and 3
million visits (5 and 15 replications of the workload); the ``--jobs 2`` over ``--jobs 1``
speed-up of ``loket run`` on the shipped scenario (scenarios/dukcapil_bengkulu.toml) at 100
replications; and the top lines of a profile of the end-to-end run (pyinstrument when it is
installed, else cProfile).

Targets (from the issue) are printed beside the measurements; nothing here is asserted.

Run from the project root::

    python benchmarks/bench_scale.py [--repeats 3] [--quick]

``--quick`` skips the 3-million-visit run and uses 30 replications for the speed-up.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_replication import bare_mmc, bare_waits  # noqa: E402

from simulation import Office, draw_citizens, office_calendar, parse_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "scenarios" / "dukcapil_bengkulu.toml"
STAFF, PER_HOUR, MEAN_SERVICE, DAYS = 3, 162.0, 1.0, 52
TARGETS = {"end_to_end": 1.5, "engine": 1.2, "rss_3m_mib": 1024, "speedup": 1.8}

SCENARIO_TOML = f"""\
name = "bench_mmc"
[run]
days = {{days}}
open = "00:00"
close = "24:00"
replications = {{replications}}
seed = 1
[[stations]]
name = "desk"
staff = {STAFF}
service = {{{{ dist = "exponential", mean = {MEAN_SERVICE} }}}}
[[arrivals]]
station = "desk"
per_hour = {PER_HOUR:g}
"""


def scenario_text(days: int = DAYS, replications: int = 1) -> str:
    return SCENARIO_TOML.format(days=days, replications=replications)


def child_env() -> dict:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_child(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes, the child itself) of one subprocess; raises if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return seconds, usage.ru_maxrss * 1024


def loket_cmd(scenario: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "simulation", "run", str(scenario), "--out", str(out), "--quiet", *extra]


def ciw_mmc(days: int, seed: int = 1) -> int:
    """Ciw's M/M/3 on the same rates for ``days`` 24-hour days; returns the customers served."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=PER_HOUR / 60)],
        service_distributions=[ciw.dists.Exponential(rate=1 / MEAN_SERVICE)],
        number_of_servers=[STAFF],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(days * 24 * 60)
    return len(sim.get_all_records())


def profile_lines(scenario: Path, work: Path, lines: int) -> list[str]:
    out = work / "profiled"
    try:
        import pyinstrument  # noqa: F401

        cmd = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o",
               str(work / "profile.txt"), "-m", "simulation", "run", str(scenario), "--out", str(out), "--quiet",
               "--jobs", "1"]
        tool = "pyinstrument"
    except ImportError:
        cmd = [sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "simulation", "run", str(scenario),
               "--out", str(out), "--quiet", "--jobs", "1"]
        tool = "cProfile (cumulative)"
    proc = subprocess.run(cmd, cwd=work, env=child_env(), capture_output=True, text=True)
    text = (work / "profile.txt").read_text() if tool == "pyinstrument" else proc.stdout
    kept = [ln for ln in text.splitlines() if ln.strip()]
    return [f"profile of loket run --jobs 1 by {tool}:"] + kept[:lines]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each contender (default 3)")
    parser.add_argument("--quick", action="store_true", help="skip the 3M-visit run; 30 replications for --jobs")
    parser.add_argument("--profile-lines", type=int, default=45)
    parser.add_argument("--markdown", action="store_true",
                        help="end with the README's table (Markdown), each target marked met or not met")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    try:
        return _main(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _main(args, work: Path) -> int:
    one = work / "mmc.toml"
    one.write_text(scenario_text())
    scenario = parse_scenario(__import__("tomllib").loads(scenario_text()))
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, replication=1)
    n = len(citizens)
    arrival, service = citizens.arrival, citizens.visit_service

    log = Office(calendar, citizens, [STAFF], after_close="serve").run()
    worst = float(np.max(np.abs(bare_waits(bare_mmc(arrival, service, STAFF), n) - (log.wait_end - log.arrival))))
    if not worst <= 1e-9:
        sys.exit(f"error: bare loop and engine disagree on the waits (largest difference {worst:.3g} min)")

    try:
        import ciw

        ciw_version = ciw.__version__
    except ImportError:
        ciw_version = None

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    print(f"Python {platform.python_version()}, SimPy {simpy.__version__}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs ({cpu}), load average {os.getloadavg()[0]:.2f} at start")
    print(f"workload: 24-hour office, M/M/{STAFF}, {PER_HOUR:g} arrivals/h, mean service {MEAN_SERVICE:g} min "
          f"(rho = {PER_HOUR / 60 * MEAN_SERVICE / STAFF:.2f}), {DAYS} days: {n:,} citizens, one replication")
    print(f"bare SimPy loop and engine give identical waits (largest difference {worst:.1e} min)")
    print()

    ciw_days = 5
    times: dict[str, list[float]] = {"bare SimPy": [], "engine (Office.run)": [], "loket run (CLI, all outputs)": []}
    if ciw_version:
        times[f"Ciw {ciw_version} ({ciw_days} days)"] = []
    ciw_customers = 0
    for r in range(args.repeats):
        gc.collect()
        t0 = time.perf_counter()
        bare_mmc(arrival, service, STAFF)
        times["bare SimPy"].append(time.perf_counter() - t0)
        gc.collect()
        t0 = time.perf_counter()
        Office(calendar, citizens, [STAFF], after_close="serve").run()
        times["engine (Office.run)"].append(time.perf_counter() - t0)
        seconds, _ = run_child(loket_cmd(one, work / f"e2e{r}", "--jobs", "1"), work)
        times["loket run (CLI, all outputs)"].append(seconds)
        if ciw_version:
            gc.collect()
            t0 = time.perf_counter()
            ciw_customers = ciw_mmc(ciw_days)
            times[f"Ciw {ciw_version} ({ciw_days} days)"].append(time.perf_counter() - t0)
    counts = {name: n for name in times}
    if ciw_version:
        counts[f"Ciw {ciw_version} ({ciw_days} days)"] = ciw_customers
    visits_mb = (work / "e2e0" / "visits.csv").stat().st_size / 1e6

    bare = min(times["bare SimPy"])
    table: list[tuple[str, str, str, str]] = []  # (what, measured, x bare or per visit, target)
    print(f"best (median) of {args.repeats} interleaved runs; visits.csv {visits_mb:.1f} MB")
    header = f"{'':34} {'best s':>7} {'median s':>9} {'customers/s':>12} {'x bare':>7}  target"
    print(header)
    print("-" * len(header))
    for name, ts in times.items():
        best = min(ts)
        rate = counts[name] / best
        ratio = rate and (n / bare) / rate
        target = {"engine (Office.run)": f"<= {TARGETS['engine']}x",
                  "loket run (CLI, all outputs)": f"<= {TARGETS['end_to_end']}x"}.get(name, "")
        print(f"{name:34} {best:7.2f} {statistics.median(ts):9.2f} {rate:12,.0f} {ratio:7.2f}  {target}")
        limit = {"engine (Office.run)": TARGETS["engine"], "loket run (CLI, all outputs)": TARGETS["end_to_end"]}
        verdict = "" if name not in limit else ("≤ {}×: met" if ratio <= limit[name] else "≤ {}×: **not met**")
        table.append((name, f"{best:.2f} s ({rate:,.0f} customers/s)", f"{ratio:.2f}×",
                      verdict.format(limit[name]) if verdict else ""))
    if not ciw_version:
        print("Ciw: not installed (pip install ciw to compare; it is not a Loket dependency)")
    print("(x bare = bare SimPy's customers/s over the contender's; Ciw runs fewer days, same rates)")
    print()

    print("peak RSS of `loket run --jobs 1` (the process itself, os.wait4):")
    sizes = [5] if args.quick else [5, 15]
    for reps in sizes:
        path = work / f"mmc_{reps}.toml"
        path.write_text(scenario_text(replications=reps))
        seconds, rss = run_child(loket_cmd(path, work / f"rss{reps}", "--jobs", "1"), work)
        visits = sum(1 for _ in open(work / f"rss{reps}" / "visits.csv", "rb")) - 1
        target = f"  target < {TARGETS['rss_3m_mib']} MiB" if reps == 15 else ""
        print(f"  {visits:>10,} visits ({reps:2} replications): {rss / 2**20:7.0f} MiB, "
              f"{rss / visits:5.0f} bytes/visit, {seconds:6.1f} s{target}")
        verdict = ""
        if reps == 15:
            verdict = f"< {TARGETS['rss_3m_mib']} MiB: " + ("met" if rss / 2**20 < TARGETS["rss_3m_mib"] else
                                                          "**not met**")
        table.append((f"peak RSS, `loket run --jobs 1`, {visits:,} visits", f"{rss / 2**20:,.0f} MiB",
                      f"{rss / visits:.0f} bytes/visit", verdict))
        shutil.rmtree(work / f"rss{reps}", ignore_errors=True)
    print()

    reps = 30 if args.quick else 100
    print(f"--jobs speed-up of `loket run` on {SHIPPED.name} at {reps} replications (whole command):")
    walls = {}
    for jobs in ("1", "2"):
        walls[jobs], _ = run_child(loket_cmd(SHIPPED, work / f"jobs{jobs}", "--jobs", jobs, "--replications",
                                             str(reps)), work)
    sims = {j: json.loads((work / f"jobs{j}" / "run.json").read_text())["wall_time_seconds"] for j in walls}
    print(f"  whole command: --jobs 1 {walls['1']:.1f} s, --jobs 2 {walls['2']:.1f} s: "
          f"{walls['1'] / walls['2']:.2f}x (target >= {TARGETS['speedup']}x on 2 cores)")
    print(f"  simulation only (run.json wall_time_seconds): {sims['1']:.1f} s, {sims['2']:.1f} s: "
          f"{sims['1'] / sims['2']:.2f}x")
    print()
    whole = walls["1"] / walls["2"]
    table.append((f"`--jobs 2` over `--jobs 1`, {SHIPPED.name}, {reps} replications, whole command",
                  f"{walls['1']:.1f} s → {walls['2']:.1f} s", f"{whole:.2f}×",
                  f"≥ {TARGETS['speedup']}×: " + ("met" if whole >= TARGETS["speedup"] else "**not met**")))
    table.append(("the same, simulation only (run.json `wall_time_seconds`)", f"{sims['1']:.1f} s → {sims['2']:.1f} s",
                  f"{sims['1'] / sims['2']:.2f}×", ""))

    for line in profile_lines(one, work, args.profile_lines):
        print(line)
    if args.markdown:
        print()
        print(f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} CPUs ({cpu}), Python "
              f"{platform.python_version()}, SimPy {simpy.__version__}, load average {os.getloadavg()[0]:.2f} "
              f"at the end; best of {args.repeats} interleaved runs.")
        print()
        print("| measured | result | ratio | target |")
        print("|---|---|---|---|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
