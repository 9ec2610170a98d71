"""``loket``: the planner's command line, a thin layer over the public API.

    loket run SCENARIO [--replications N] [--seed S] [--jobs J] [--out DIR]
    loket check SCENARIO

Exit status: 0 success, 2 bad input (scenario file, command-line value, output folder),
130 interrupted. Bad input never leaves anything written.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import platform
import sys
import time
from pathlib import Path

from . import __version__
from .export import OutputError, check_output_folder, write_results_folder, write_tables
from .runner import run_scenario
from .scenario import Scenario, ScenarioError, load_scenario

EXIT_BAD_INPUT = 2


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loket",
        description="Simulate citizens queueing at public-service counters and compare staffing policies.",
    )
    parser.add_argument("--version", action="version", version=f"loket {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="simulate a scenario and write CSV results")
    run.add_argument("scenario", type=Path, help="scenario file (TOML)")
    run.add_argument("--replications", type=_positive_int, help="override [run] replications")
    run.add_argument("--seed", type=_seed, help="override [run] seed")
    run.add_argument("--jobs", type=_positive_int, help="worker processes (default: one per CPU)")
    run.add_argument("--out", type=Path, help="results folder (default: results/<name>/)")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")

    check = sub.add_parser("check", help="validate a scenario file without running it")
    check.add_argument("scenario", type=Path, help="scenario file (TOML)")
    return parser


def _load(path: Path, **run_overrides) -> Scenario:
    scenario = load_scenario(path)
    overrides = {k: v for k, v in run_overrides.items() if v is not None}
    if overrides:
        scenario = scenario.with_run(**overrides)
    return scenario


def _warn(scenario: Scenario) -> None:
    for message in scenario.warnings():
        print(f"loket: warning: {message}", file=sys.stderr)


def _progress(total: int, quiet: bool):
    if quiet:
        return None, lambda: None
    try:
        from tqdm import tqdm
    except ImportError:  # progress is a nicety, not a requirement
        return None, lambda: None
    bar = tqdm(total=total, unit="replication", desc="simulating", file=sys.stderr, disable=None, leave=False)

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close


def _run_info(scenario: Scenario, args, jobs, wall: float, started: str) -> dict:
    import numpy
    import pandas
    import simpy

    return {
        "loket_version": __version__,
        "scenario": scenario.name,
        "scenario_file": str(args.scenario),
        "seed": scenario.run.seed,
        "replications": scenario.run.replications,
        "jobs": jobs,
        "command": ["loket", *sys.argv[1:]] if sys.argv else [],
        "started_utc": started,
        "wall_time_seconds": round(wall, 3),
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
    }


def _print_summary(summary, out: Path) -> None:
    cols = [
        "policy",
        "station",
        "arrived",
        "served",
        "mean_wait",
        "mean_wait_ci_low",
        "mean_wait_ci_high",
        "p90_wait",
        "within_target_share",
        "utilization",
    ]
    table = summary[cols].copy()
    table["mean wait (95% CI), min"] = [
        f"{m:.1f} ({lo:.1f}-{hi:.1f})"
        for m, lo, hi in zip(table.mean_wait, table.mean_wait_ci_low, table.mean_wait_ci_high)
    ]
    table["within target"] = [f"{x:.0%}" for x in table.within_target_share]
    table["utilization"] = [f"{x:.0%}" for x in table.utilization]
    table = table[
        [
            "policy",
            "station",
            "arrived",
            "served",
            "mean wait (95% CI), min",
            "p90_wait",
            "within target",
            "utilization",
        ]
    ].rename(columns={"p90_wait": "p90 wait, min"})
    print(table.to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    print(f"\nResults written to {out}/ (summary.csv, replications.csv, visits.csv)")


def cmd_run(args) -> int:
    scenario = _load(args.scenario, replications=args.replications, seed=args.seed)
    out = args.out or Path("results") / scenario.name
    check_output_folder(out)
    _warn(scenario)
    import os

    jobs = args.jobs or os.cpu_count() or 1
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    update, close = _progress(scenario.run.replications, args.quiet)
    try:
        results = run_scenario(scenario, jobs=jobs, progress=update)
    finally:
        close()
    wall = time.perf_counter() - t0
    info = _run_info(scenario, args, jobs, wall, started)
    write_results_folder(out, lambda folder: write_tables(folder, results, info))
    if not args.quiet:
        _print_summary(results.summary, out)
    return 0


def cmd_check(args) -> int:
    scenario = load_scenario(args.scenario)
    _warn(scenario)
    lam = scenario.offered_load()
    print(
        f"{args.scenario}: OK — scenario {scenario.name!r}, {len(scenario.stations)} station(s), "
        f"{len(scenario.arrivals)} arrival stream(s), {scenario.run.days} day(s) x {scenario.run.replications} replications"
    )
    for st, rate in zip(scenario.stations, lam):
        rho = rate * st.service.mean / st.staff if st.staff else float("inf")
        print(
            f"  {st.name:<16} staff {st.staff:>3}  ~{rate * 60:6.1f} visits/hour  mean service {st.service.mean:5.1f} min"
            f"  load per officer {rho:.0%}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "check":
            return cmd_check(args)
    except ScenarioError as exc:
        for line in exc.lines():
            print(f"loket: error: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputError as exc:
        print(f"loket: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("loket: interrupted; nothing was written", file=sys.stderr)
        return 130
    parser.error(f"unknown command {args.command!r}")
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
