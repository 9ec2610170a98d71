"""`loket city` on the five shipped offices, beside the separate runs it stands for (issue 19).

In one session, each as a fresh subprocess (start-up included), timed with its peak RSS
(``os.wait4``; the largest of the command and its worker processes is not visible there, so
the workers' own peak is read from ``resource.getrusage(RUSAGE_CHILDREN)`` too):

* ``loket city scenarios/*_bengkulu.toml`` with its defaults;
* the same work as separate commands: ``loket run --no-visits`` and ``loket staff`` on each
  office, at the same seeds and the city's 20 replications (``city.csv`` and
  ``city_staffing.csv`` give the same numbers as these; tests/test_city.py checks it on small
  offices).

Targets (issue 19): the city command in under 60 s on two cores, peak memory under 1 GB.
Nothing is asserted. Run from the project root::

    python benchmarks/bench_city.py [--jobs 2] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICES = sorted((ROOT / "scenarios").glob("*_bengkulu.toml"))
TARGET_SECONDS, TARGET_MIB = 60.0, 1024


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a command and its worker processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(usage.ru_maxrss, after if after > before else 0) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--markdown", action="store_true", help="end with the README's table")
    args = parser.parse_args(argv)
    loket = [sys.executable, "-m", "simulation"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        wall, rss = timed([*loket, "city", *map(str, OFFICES), "--jobs", str(args.jobs), "--quiet",
                           "--out", str(out / "city")])
        rows.append(("loket city, five offices", wall, rss))
        print(f"city: {wall:.1f} s, peak {rss:.0f} MiB", flush=True)
        total, most = 0.0, 0.0
        for path in OFFICES:
            for command in (["run", "--no-visits"], ["staff"]):
                w, r = timed([*loket, command[0], str(path), *command[1:], "--jobs", str(args.jobs), "--quiet",
                              "--replications", "20", "--out", str(out / f"{path.stem}_{command[0]}")])
                total, most = total + w, max(most, r)
                print(f"{command[0]} {path.stem}: {w:.1f} s, peak {r:.0f} MiB", flush=True)
        rows.append(("separate run --no-visits + staff, five offices", total, most))
    if args.markdown:
        print("\n| command | wall time | peak RSS | target |\n|---|---|---|---|")
        for name, wall, rss in rows:
            target = ""
            if name.startswith("loket city"):
                target = (f"< {TARGET_SECONDS:.0f} s: {'met' if wall < TARGET_SECONDS else '**not met**'}; "
                          f"< 1 GB: {'met' if rss < TARGET_MIB else '**not met**'}")
            print(f"| {name} | {wall:.1f} s | {rss:.0f} MiB | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
