"""``loket``: the planner's command line, a thin layer over the public API.

    loket run SCENARIO [--replications N] [--seed S] [--jobs J | --scheduler ADDRESS] [--out DIR]
    loket check SCENARIO

Exit status: 0 success, 1 an internal error, 2 bad input (scenario file, command-line value,
output folder, a damaged results folder for ``loket report``), 130 interrupted (SIGINT, Ctrl-C),
143 stopped (SIGTERM). Each is one line on the error output; bad input never leaves anything
written, and an interruption leaves no worker process and no temporary folder behind.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import difflib
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from . import __version__, limits
from ._validation import one_line, shorten
from .advice import (
    MIN_ADVICE_REPLICATIONS,
    advice_simulations,
    parse_shares,
    staffing_advice,
    sweep,
    sweep_groups,
    sweep_simulations,
)
from .export import (
    STAT_FLOAT,
    OutputError,
    check_output_folder,
    claim_output_folder,
    committed,
    parquet_missing,
    release_output_folders,
    take_notes,
    write_results_folder,
)
from .folders import redraw, redraw_to
from .interrupts import Interrupted, deferred, exit_status, handlers, received
from .interrupts import ignore as ignore_signals
from .lead import per_period, staffing_notes
from .overrides import apply_overrides
from .progress import Progress
from .runner import run_scenario, select_policies
from .scenario import SHARE_HINT, Scenario, ScenarioError, load_scenario, scenario_to_toml
from .workers import SchedulerError, close_clients, dask_client

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A command-line value that does not fit the scenario."""


def _shown(text: str) -> str:
    """A command-line value quoted for a message: one line, shortened."""
    return repr(shorten(one_line(text), 40))


def _whole_number(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number of at least ``minimum`` (and at most ``maximum``)."""

    def parse(text: str) -> int:
        digits = text.strip()
        if len(digits) > 30 or not digits.lstrip("+-").isdigit() or not digits.isascii():
            raise argparse.ArgumentTypeError(f"expected a whole number, got {_shown(text)}")
        value = int(digits)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, got {value:,}")
        return value

    return parse


_positive_int = _whole_number(1)
_seed = _whole_number(0, limits.MAX_SEED)
_replications = _whole_number(1, limits.MAX_REPLICATIONS)


def _number(text: str) -> float:
    if len(text) > 40:
        raise ValueError(text)
    value = float(text)
    if not np.isfinite(value):
        raise ValueError(text)
    return value


def _share(text: str) -> float:
    try:
        value = _number(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {_shown(text)}") from None
    if not 0 < value <= 1:
        hint = f" ({SHARE_HINT})" if value > 1 else ""
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1, got {value:g}{hint}")
    return value


def _wfh_shares(text: str) -> str:
    """``--wfh-share``: checked here (finite shares, at most MAX_SWEEP_POINTS of them), parsed by the sweep."""
    if len(text) > 2000:
        raise argparse.ArgumentTypeError(f"too long ({len(text):,} characters)")
    parts = text.strip().split(":") if ":" in text else [p for p in text.split(",") if p.strip()]
    try:
        numbers = [_number(p.strip()) for p in parts]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected shares between 0 and 1 like 0,0.25,0.5 or 0:1:0.25, got "
                                         f"{_shown(exc.args[0] if exc.args else text)}") from None
    above = [x for x in (numbers if ":" not in text else numbers[:2]) if x > 1]
    if above:
        raise argparse.ArgumentTypeError(f"shares must be between 0 and 1, got {above[0]:g} ({SHARE_HINT})")
    if ":" in text:
        if len(numbers) != 3:
            raise argparse.ArgumentTypeError(f"a range is start:stop:step, got {_shown(text)}")
        start, stop, step = numbers
        if step <= 0 or stop < start:
            raise argparse.ArgumentTypeError(f"a range needs step > 0 and stop >= start, got {_shown(text)}")
        count = (stop - start) / step + 1
    else:
        count = len(numbers)
    if count > limits.MAX_SWEEP_POINTS:
        raise argparse.ArgumentTypeError(f"{count:,.0f} shares; a sweep tries at most {limits.MAX_SWEEP_POINTS}")
    try:
        parse_shares(text)
    except (ValueError, ArithmeticError) as exc:
        raise argparse.ArgumentTypeError(one_line(shorten(str(exc), 120))) from None
    return text


def _out_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("empty; give a folder, e.g. results/try1")
    if "\0" in text:
        raise argparse.ArgumentTypeError("contains a NUL character")
    return Path(text)


def _scenario_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("empty; give a scenario file, e.g. scenarios/dukcapil_bengkulu.toml")
    return Path(text)


class _Parser(argparse.ArgumentParser):
    """Command-line mistakes are one line, like every other error: ``loket: error: ...``."""

    def error(self, message: str):
        self.exit(2, f"loket: error: {one_line(message)} (see: {self.prog} --help)\n")


def _langs(text: str) -> list[str]:
    """``--lang``: ``en``, ``id`` or both, ``en,id`` (the first is the folder's own language)."""
    langs = [x.strip().lower() for x in text.split(",") if x.strip()]
    bad = [x for x in langs if x not in ("en", "id")]
    if not langs or bad or len(set(langs)) != len(langs):
        raise argparse.ArgumentTypeError(f"expected en, id or en,id; got {text!r}")
    return langs


def _assignment(text: str) -> tuple[str, object, str]:
    """``--set KEY=VALUE``: the key, the value read as TOML, and the option as typed (for messages)."""
    from .overrides import parse_assignment

    try:
        key, value = parse_assignment(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(one_line(str(exc))) from None
    return key, value, f"--set {shorten(one_line(text.strip()), 80)}"


def _scheduler_address(text: str) -> str:
    """``--scheduler``: a Dask scheduler's address as typed (reached before anything is written)."""
    address = text.strip()
    if not address:
        raise argparse.ArgumentTypeError("empty; give a Dask scheduler's address, e.g. tcp://10.0.0.5:8786")
    if len(address) > 300 or not address.isprintable() or any(c.isspace() for c in address):
        raise argparse.ArgumentTypeError(f"not an address: {_shown(text)}; e.g. tcp://10.0.0.5:8786")
    return address


def _common(cmd: argparse.ArgumentParser, default_out: str) -> None:
    cmd.add_argument("--lang", type=_langs, metavar="LANGS",
                     help="language of charts and report: en, id, or both as en,id (report.html in the first, "
                          "report.id.html and charts/id/ for the second; default: the scenario's lang, else en)")
    cmd.add_argument("--replications", type=_replications,
                     help=f"override [run] replications (at most {limits.MAX_REPLICATIONS:,})")
    cmd.add_argument("--seed", type=_seed, help="override [run] seed")
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=_positive_int, help="worker processes (default and most: one per CPU)")
    where.add_argument("--scheduler", type=_scheduler_address, metavar="ADDRESS",
                       help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786: the replications run on "
                            "its workers, with the same results (needs: pip install 'loket[dask]', and Loket on "
                            "every worker)")
    cmd.add_argument("--out", type=_out_path, help=f"results folder (default: {default_out})")
    cmd.add_argument("--quiet", action="store_true", help="print nothing but errors")
    cmd.add_argument("--set", action="append", type=_assignment, metavar="KEY=VALUE", dest="set",
                     help="change one key of the scenario, e.g. stations.ektp.staff=4 or 'arrivals.ektp.per_hour=[20, "
                          "30]' (repeatable; VALUE is TOML; list entries and policies by name)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="loket",
        description="Simulate citizens queueing at public-service counters and compare staffing policies.",
    )
    parser.add_argument("--version", action="version", version=f"loket {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="simulate a scenario and write CSV results")
    run.add_argument("scenario", type=_scenario_path, help="scenario file (TOML)")
    _common(run, "results/<name>/")

    run.add_argument("--no-visits", action="store_true",
                     help="do not keep the per-visit table (visits.csv); charts and every other table are unchanged")
    run.add_argument("--format", choices=["csv", "parquet"], default="csv",
                     help="parquet: every table also as <name>.parquet, visits only as visits.parquet "
                          "(needs: pip install 'loket[parquet]')")
    run.add_argument("--policy", action="append", metavar="NAME",
                     help="run only this policy (repeatable; the baseline is always run too)")

    sw = sub.add_parser("sweep", help="waits against the work-from-home share at some stations")
    sw.add_argument("scenario", type=_scenario_path, help="scenario file (TOML)")
    sw.add_argument("--station", action="append", required=True, metavar="NAME",
                    help="station whose staff work from home (repeatable)")
    sw.add_argument("--wfh-share", required=True, metavar="SHARES", type=_wfh_shares,
                    help='shares to try: "0,0.25,0.5,0.75" or start:stop:step, e.g. "0:1:0.25"')
    sw.add_argument("--together", action="store_true",
                    help="send the same share home at every named station at once (default: each station alone)")
    _common(sw, "results/<name>_sweep/")

    staff = sub.add_parser("staff", help="fewest on-site staff per station and weekday that meet the standard")
    staff.add_argument("scenario", type=_scenario_path, help="scenario file (TOML)")
    staff.add_argument("--share", type=_share, default=0.9,
                       help="required share of citizens called within target_wait_minutes (default 0.9)")
    _common(staff, "results/<name>_staffing/")

    city = sub.add_parser("city", help="every office at once: who could work from home, and what WFH costs citizens")
    city.add_argument("scenario", nargs="+", type=_scenario_path, help="scenario files (TOML), one per office")
    city.add_argument("--share", type=_share, default=0.9,
                      help="required share of visits called within target_wait_minutes (default 0.9)")
    _common(city, "results/city/")

    rep = sub.add_parser("report", help="redraw charts and report.html from a saved results folder")
    rep.add_argument("folder", type=_out_path, help="a results folder written by loket run, sweep or staff")
    rep.add_argument("--lang", type=str.lower, choices=["en", "id"],
                     help="en or id (default: the scenario's lang, else en); a language other than the folder's "
                          "own is added beside it (report.<lang>.html, charts/<lang>/)")
    rep.add_argument("--out", type=_out_path,
                     help="write a copy of the folder with the charts and report in --lang here instead, "
                          "leaving FOLDER exactly as it is")

    check = sub.add_parser("check", help="validate a scenario file without running it")
    check.add_argument("scenario", type=_scenario_path, help="scenario file (TOML)")
    check.add_argument("--set", action="append", type=_assignment, metavar="KEY=VALUE", dest="set",
                       help="check the scenario with this key changed, as loket run --set would run it (repeatable)")

    val = sub.add_parser("validate", help="check the simulator against queueing theory and published studies")
    val.add_argument("--quick", action="store_true", help="a few cheap cases (well under a minute), e.g. for CI")
    val.add_argument("--out", type=_out_path, help="results folder (default: results/validation/)")
    val.add_argument("--jobs", type=_positive_int, help="worker processes (default: one per CPU)")
    val.add_argument("--seed", type=_seed, help="base seed of the suite (default 20261130)")
    app = sub.add_parser("app", help="the web page for planners, in your browser (needs: pip install 'loket[app]')")
    app.add_argument("--port", type=int, default=8501, help="port of the page (default 8501)")
    app.add_argument("--host", default="127.0.0.1",
                     help="address to serve on (default 127.0.0.1: this computer only; 0.0.0.0: the network)")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    return parser


def _nearest_scenario(path: Path) -> str | None:
    """For a scenario path that does not exist: the closest file name in its folder or in
    ``scenarios/`` (here, or the shipped ones), as a path to type."""
    folders = [path.parent, Path("scenarios"), Path(__file__).resolve().parent.parent / "scenarios"]
    found: dict[str, Path] = {}
    for folder in folders:
        try:
            files = sorted(p for p in folder.glob("*.toml") if p.is_file())
        except OSError:
            continue
        for p in files[:500]:
            found.setdefault(p.name, p)
    match = difflib.get_close_matches(path.name, list(found), n=1, cutoff=0.5)
    if not match:
        return None
    hit = found[match[0]]
    try:
        return str(hit.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(hit)


def _load(path: Path, sets: list | None = None, **run_overrides) -> Scenario:
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        hint = _nearest_scenario(path) if not os.path.lexists(path) else None
        if hint:
            (where, message), *rest = exc.problems
            raise ScenarioError(exc.source, [(where, f"{message}; did you mean {hint}?"), *rest]) from None
        raise
    if sets:  # --set KEY=VALUE, in order (a later one for the same key wins)
        values = {key: value for key, value, _ in sets}
        shown = {key: typed for key, _, typed in sets}
        scenario = apply_overrides(scenario, values, source=str(path), shown=shown)
    overrides = {k: v for k, v in run_overrides.items() if v is not None}
    if overrides:
        try:
            scenario = scenario.with_run(**overrides)
        except ValidationError as exc:
            err = exc.errors()[0]
            ctx = (err.get("ctx") or {}).get("error")
            what = str(ctx) if ctx is not None else err["msg"].removeprefix("Value error, ")
            given = " ".join(f"--{k} {v}" for k, v in overrides.items())
            raise UsageError(one_line(f"{path} with {given}: {what}")) from None
    return scenario


_held: list[str] = []
"""Warnings and notes said before the command's checks are done: printed once they pass
(:func:`_warn`), dropped if the command is refused — a refusal is its error line alone."""


def _hold(line: str) -> None:
    _held.append(line)


def _say_held() -> None:
    """The command's checks have passed: say the lines held until now."""
    for line in _held:
        print(line, file=sys.stderr)
    _held.clear()


def _warn(scenario: Scenario, policies: list[str] | None = None) -> None:
    """The checks have passed: the held lines, then the scenario's warnings — those about
    particular policies only for ``policies``, the ones the command runs (None: every one)."""
    _say_held()
    for message in scenario.warnings(policies):
        print(f"loket: warning: {message}", file=sys.stderr)


def _run_info(scenario: Scenario, args, jobs, wall: float, started: str) -> dict:
    from .results_api import run_record

    scheduler = getattr(args, "scheduler", None)
    return run_record(scenario, command=["loket", *sys.argv[1:]] if sys.argv else [], started_utc=started,
                      wall_time_seconds=wall, jobs=jobs, scenario_file=str(args.scenario),
                      **({"scheduler": scheduler} if scheduler else {}))


def _num(x: float) -> str:
    return f"{x:.1f}" if np.isfinite(x) else "-"


def _pct(x: float) -> str:
    return f"{x:.0%}" if np.isfinite(x) else "-"


def _with_ci(text: str, lo: float, hi: float, fmt: str = "{:.1f}") -> str:
    """``text (lo-hi)`` when the interval exists (two or more replications), else ``text``."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return text
    return f"{text} ({fmt.format(lo)} to {fmt.format(hi)})"


def _print_summary(results, out: Path) -> None:
    summary = results.summary
    labels = {name: p.label or name for name, p in results.scenario.staffing_policies().items()}
    table = pd.DataFrame(
        {
            "policy": summary.policy,
            "station": summary.station,
            "visits": summary.arrived.round(1),
            "mean wait, all visits (95% CI), min": [
                _with_ci(_num(m), lo, hi)
                for m, lo, hi in zip(summary.mean_wait_all, summary.mean_wait_all_ci_low,
                                     summary.mean_wait_all_ci_high)
            ],
            "mean wait, served, min": [_num(x) for x in summary.mean_wait],
            "p90 wait, served, min": [_num(x) for x in summary.p90_wait],
            "visits within standard": [_pct(x) for x in summary.within_target_share],
            "utilisation": [_pct(x) for x in summary.utilization],  # the CSV column keeps its name
            "visits sent home": summary.not_served.round(1),
        }
    )
    per = per_period(results.scenario.run.days, "en")  # "per 10 working days": what the means are per
    print("Per station (counter visits; repeat trips count again):")
    print(table.to_string(index=False))
    citizens = results.citizens
    if citizens is not None and len(citizens):
        print(f"\nCitizens (each person once, {per}):")
        people = pd.DataFrame({
            "policy": citizens.policy,
            "citizens": citizens.citizens.round(1),
            "served on 1st trip": citizens.served_first_trip.round(1),
            "served later": citizens.served_later_trip.round(1),
            "never served": citizens.never_served.round(1),
            "still to return": citizens.still_to_return.round(1),
            "done on 1st trip within standard (95% CI)": [
                _with_ci(_pct(m), lo, hi, "{:.0%}") for m, lo, hi in zip(
                    citizens.first_trip_within_target_share, citizens.first_trip_within_target_share_ci_low,
                    citizens.first_trip_within_target_share_ci_high)],
        })
        print(people.to_string(index=False))
    if results.comparison is not None:
        print()
        for _, row in results.comparison[results.comparison.station == "all"].iterrows():
            name, base = labels.get(row.policy, row.policy), labels.get(row.baseline, row.baseline)
            if not np.isfinite(row.diff_mean_wait_all):
                print(f"{name} vs {base}: no citizen came under both, nothing to compare")
                continue
            diff = f"difference {row.diff_mean_wait_all:+.1f}"
            if np.isfinite(row.diff_mean_wait_all_ci_low):
                diff += f", 95% CI {row.diff_mean_wait_all_ci_low:+.1f} to {row.diff_mean_wait_all_ci_high:+.1f}"
            else:
                diff += ", no interval from one replication"
            print(f"{name} vs {base}: mean wait of every counter visit {row.baseline_mean_wait_all:.1f} -> "
                  f"{row.policy_mean_wait_all:.1f} min ({diff}); citizens done on their first trip within "
                  f"standard {_pct(row.baseline_first_trip_within_target_share)} -> "
                  f"{_pct(row.policy_first_trip_within_target_share)}; citizens never served "
                  f"{row.baseline_never_served:.1f} -> {row.policy_never_served:.1f} {per}")
    tables = ["summary.csv", "citizens.csv"] + (["comparison.csv"] if results.comparison is not None else [])
    tables += ["replications.csv"] + [name for name in ("visits.csv", "visits.parquet") if (out / name).exists()]
    print(f"\nResults written to {out}/ — open report.html; tables: {', '.join(tables)}")


def cmd_run(args) -> int:
    scenario = _load(args.scenario, args.set, replications=args.replications, seed=args.seed)
    try:
        policies = select_policies(scenario, args.policy)
    except KeyError as exc:
        raise UsageError(f"--policy: {exc.args[0]}") from None
    if args.format == "parquet" and parquet_missing():
        raise UsageError(parquet_missing())
    out, results, info = _timed(
        args, scenario, Path("results") / scenario.name,
        # The visits go to disk replication by replication (memory stays flat), or nowhere.
        lambda jobs, progress: run_scenario(scenario, jobs=jobs, progress=progress, policies=policies,
                                            scheduler=args.scheduler, visits="none" if args.no_visits else "disk"),
        scenario.run.replications, unit="replication", warn_policies=policies,
    )
    info["policies"] = policies
    # The same code path as the Python API: tables, scenario.toml (the input file, comments
    # included: the report lists its estimates), charts and report, complete or not at all.
    results.save(out, args.lang or [scenario.lang], run_info=info, visits=not args.no_visits,
                 table_format=args.format)
    if not args.quiet:
        _print_summary(results, out)
    return 0


def _jobs(args) -> int:
    """Worker processes: ``--jobs``, at most one per CPU (more would only cost memory)."""
    cpus = limits.available_cpus()
    if args.jobs is not None and args.jobs > cpus and not getattr(args, "quiet", False):
        _hold(f"loket: note: --jobs {args.jobs:,} is more than the {cpus} CPU(s) here; using {cpus}")
    return min(args.jobs or cpus, cpus)


def _policy_count(args, scenario: Scenario) -> int:
    if args.command == "sweep":
        shares = [x for x in parse_shares(args.wfh_share) if x > 0]
        return 1 + len(sweep_groups(args.station, args.together)) * len(shares)
    if args.command == "run":
        try:
            return len(select_policies(scenario, args.policy))
        except KeyError:
            pass
    return len(scenario.staffing_policies()) if args.command == "run" else 2


def _timed(args, scenario: Scenario, default_out: Path, work, total_runs: int, simulations: int | None = None,
           unit: str = "simulation", warn_policies: list[str] | None = None):
    """Shared frame of run/sweep/staff/city: output and size checks, the Dask scheduler reached,
    lock, progress, timing, run information.

    ``work(jobs, progress)`` does the simulating; ``progress`` is the command's one bar
    (:class:`~simulation.progress.Progress`) over ``simulations`` (default ``total_runs``).
    With ``--scheduler`` the scheduler is reached before the folder is claimed, so an
    unreachable one leaves nothing written, and ``jobs`` (local processes) is None.
    ``warn_policies``: the scenario's policies the command runs, the only ones warned about
    (None: every one).
    """
    out = args.out or default_out
    check_output_folder(out)
    jobs = None if args.scheduler else _jobs(args)
    try:
        limits.check_run(scenario, replications=total_runs, policies=_policy_count(args, scenario), jobs=jobs or 1,
                         out=out)
    except limits.SizeError as exc:
        raise UsageError(f"{args.scenario}: too large to run: {exc}") from None
    if args.scheduler:
        dask_client(args.scheduler)  # SchedulerError (exit 2) now, before anything is written
    claim_output_folder(out)
    _warn(scenario, warn_policies)
    started = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    with Progress(total_runs if simulations is None else simulations, args.quiet, unit=unit) as progress:
        value = work(jobs, progress)
        progress.finish()
    info = _run_info(scenario, args, jobs, time.perf_counter() - t0, started)
    return out, value, info


def _finish_folder(folder: Path, info: dict, langs: list[str]) -> None:
    """The end of every results folder but a run's: ``run.json``, then charts and report per language."""
    from .charts import write_charts  # matplotlib: imported only when there is something to draw
    from .report import write_report

    (folder / "run.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    for lang in langs:
        write_charts(folder, lang)
        write_report(folder, lang)


def _everyone_in(scenario: Scenario) -> list[str]:
    """The scenario's policies whose warnings hold for ``loket sweep`` and ``loket staff``.

    Both simulate policies of their own, never the scenario's, starting from every officer at
    the counter (the sweep's share 0, the advice's current staff): only the scenario's
    baseline, and only when it is just that — nobody at home, no other staff numbers, no online
    channel, no recall.
    """
    name = scenario.baseline
    p = scenario.staffing_policies()[name]
    return [] if (p.wfh_share or p.wfh_officers or p.staff or p.online or p.recall) else [name]


def cmd_sweep(args) -> int:
    scenario = _load(args.scenario, args.set, replications=args.replications, seed=args.seed)
    try:
        shares = parse_shares(args.wfh_share)
    except ValueError as exc:
        raise UsageError(f"--wfh-share: {exc}") from None
    unknown = [s for s in args.station if s not in scenario.station_names]
    if unknown:
        raise UsageError(f"--station: no station named {', '.join(map(repr, unknown))}; "
                         f"stations are {', '.join(scenario.station_names)}")
    out, (results, table), info = _timed(
        args, scenario, Path("results") / f"{scenario.name}_sweep",
        lambda jobs, progress: sweep(scenario, args.station, shares, jobs=jobs, progress=progress,
                                     together=args.together, scheduler=args.scheduler),
        scenario.run.replications,
        sweep_simulations(args.station, shares, scenario.run.replications, args.together),
        warn_policies=_everyone_in(scenario),
    )
    info["sweep"] = {"stations": args.station, "wfh_shares": shares, "together": bool(args.together)}
    langs = args.lang or [scenario.lang]
    info["lang"] = langs[0]

    def write(folder: Path) -> None:
        table.to_csv(folder / "sweep.csv", index=False, float_format=STAT_FLOAT)
        results.summary.to_csv(folder / "summary.csv", index=False, float_format=STAT_FLOAT)
        results.replications.to_csv(folder / "replications.csv", index=False, float_format=STAT_FLOAT)
        (folder / "scenario.resolved.toml").write_text(scenario_to_toml(results.scenario), encoding="utf-8")
        _finish_folder(folder, info, langs)

    write_results_folder(out, write)
    if not args.quiet:
        cols = ["swept", "wfh_share", "station", "onsite", "mean_wait_all", "p90_wait", "within_target_share",
                "not_served"]
        print(table[cols].to_string(index=False, float_format=lambda x: f"{x:.2f}"))
        print(f"\nSweep written to {out}/sweep.csv")
    return 0


def cmd_staff(args) -> int:
    scenario = _load(args.scenario, args.set, replications=args.replications, seed=args.seed)
    if scenario.run.replications < MIN_ADVICE_REPLICATIONS and not args.quiet:
        _hold(f"loket: warning: staffing advice compares staff levels by confidence intervals over replications and "
              f"needs at least {MIN_ADVICE_REPLICATIONS}; running {MIN_ADVICE_REPLICATIONS} instead of "
              f"{scenario.run.replications}")
    runs = max(scenario.run.replications, MIN_ADVICE_REPLICATIONS)
    out, table, info = _timed(
        args, scenario, Path("results") / f"{scenario.name}_staffing",
        lambda jobs, progress: staffing_advice(scenario, args.share, jobs=jobs, progress=progress,
                                               scheduler=args.scheduler),
        runs, advice_simulations(scenario, args.share), warn_policies=_everyone_in(scenario),
    )
    info["required_share"] = args.share
    info["replications"] = table.attrs.get("replications", runs)
    langs = args.lang or [scenario.lang]
    info["lang"] = langs[0]

    def write(folder: Path) -> None:
        table.to_csv(folder / "staffing.csv", index=False, float_format=STAT_FLOAT)
        resolved = scenario.with_run(replications=info["replications"])
        (folder / "scenario.resolved.toml").write_text(scenario_to_toml(resolved), encoding="utf-8")
        _finish_folder(folder, info, langs)

    write_results_folder(out, write)
    if not args.quiet:
        shown = pd.DataFrame({
            "station": table.station, "weekday": table.weekday, "staff": table.staff,
            "Erlang C": table.erlang_c_estimate,
            "recommended": [str(int(x)) if np.isfinite(x) else "-" for x in table.recommended_onsite],
            "may WFH": [str(int(x)) if np.isfinite(x) else "-" for x in table.may_work_from_home],
            "status": table.status,
            "visits within standard": [_with_ci(_pct(m), lo, hi, "{:.0%}") for m, lo, hi in zip(
                table.within_target_share, table.within_target_share_ci_low, table.within_target_share_ci_high)],
            "all stations together": [_pct(x) for x in table.within_target_share_together],
        })
        print(shown.to_string(index=False))
        for note in staffing_notes(table, "en"):  # each note with the desk and weekdays it is about
            print(f"note: {note}")
        print(f"\nStaffing advice ({info['replications']} replications) written to {out}/staffing.csv")
    return 0


def cmd_city(args) -> int:
    from .city import city_answer, city_simulations, office_seeds

    if args.set:
        raise UsageError("--set: not taken by loket city (it would change every office); vary one scenario with "
                         "loket run --set, or edit the office's file")
    # The city view needs the staffing advice, which needs 20 replications: every office runs
    # that many unless --replications says otherwise (the same for its policies and its advice).
    reps = args.replications if args.replications is not None else MIN_ADVICE_REPLICATIONS
    scenarios = [_load(path, replications=reps, seed=args.seed) for path in args.scenario]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise UsageError(f"two scenarios have the same name ({', '.join(n for n in names if names.count(n) > 1)}); "
                         "each office needs its own")
    scenarios = office_seeds(scenarios)
    runs = sum(max(s.run.replications, MIN_ADVICE_REPLICATIONS) for s in scenarios)
    args.command, first = "staff", args.scenario
    args.scenario = first[0]  # the size checks and run.json of the shared frame look at one scenario
    try:
        out, answer, info = _timed(args, scenarios[0], Path("results") / "city",
                                   lambda jobs, progress: city_answer(scenarios, args.share, jobs=jobs,
                                                                      progress=progress, scheduler=args.scheduler),
                                   runs, city_simulations(scenarios, args.share))
    finally:
        args.command, args.scenario = "city", first
    cities = {s.city for s in scenarios}
    info.update(scenario=names, scenario_file=[str(p) for p in first], required_share=args.share,
                offices={s.name: s.office_name for s in scenarios},
                city=cities.pop() if len(cities) == 1 else "",
                # One seed and replication count per office (city.csv has them too), never one for all.
                seed=None, replications=None, office_seeds={s.name: s.run.seed for s in scenarios},
                office_replications={s.name: s.run.replications for s in scenarios})
    langs = args.lang or [scenarios[0].lang]
    info["lang"] = langs[0]

    def write(folder: Path) -> None:
        answer.city.to_csv(folder / "city.csv", index=False, float_format=STAT_FLOAT)
        answer.staffing.to_csv(folder / "city_staffing.csv", index=False, float_format=STAT_FLOAT)
        _finish_folder(folder, info, langs)

    write_results_folder(out, write)
    if not args.quiet:
        from .report import city_sentences

        print(f"City answer ({len(scenarios)} offices), per week:")
        for sentence in city_sentences(answer.city, answer.staffing, info["offices"], "en"):
            print(f"- {sentence}")
        print(f"Written to {out}/city.csv and {out}/city_staffing.csv")
    return 0


def cmd_report(args) -> int:
    if args.out is not None:
        written = redraw_to(args.folder, args.out, args.lang)
        print(one_line(f"{args.out}: wrote a copy of {args.folder} with {', '.join(written)}"))
        _say_what_was_not_drawn(Path(args.out), args.lang)
        return 0
    written = redraw(args.folder, args.lang)
    print(one_line(f"{args.folder}: wrote {', '.join(written)}"))
    _say_what_was_not_drawn(Path(args.folder), args.lang)
    return 0


def _say_what_was_not_drawn(folder: Path, lang: str | None) -> None:
    """A run folder without its per-visit table (``--no-visits``) cannot give every chart: say which."""
    from .chart_data import load_results
    from .report import charts_left_out, default_lang

    missing = charts_left_out(folder, load_results(folder), lang or default_lang(folder))
    if missing:
        print(f"loket: note: {folder} keeps no per-visit table (loket run --no-visits), so "
              f"{', '.join(f'{n}.png' for n in missing)} could not be drawn again; the report says so",
              file=sys.stderr)


def cmd_validate(args) -> int:
    from . import validation

    out = args.out or Path("results") / "validation"
    claim_output_folder(out)  # checked and locked before simulating
    cases = validation.select_cases(args.quick)
    seed = validation.DEFAULT_SEED if args.seed is None else args.seed
    jobs = _jobs(args)
    _say_held()
    started = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    try:
        from tqdm import tqdm
    except ImportError:  # progress is a nicety, not a requirement
        tqdm = None
    bar = (tqdm(total=len(cases), unit="case", desc="validating", file=sys.stderr, disable=None, leave=False)
           if tqdm else None)
    try:
        table = validation.run_validation(cases, seed=seed, jobs=jobs,
                                          progress=(lambda done, _total: bar.update(done - bar.n)) if bar else None)
    finally:
        if bar:
            bar.close()
    import simpy

    passed = table["passed"].astype(bool)
    gating = table["gating"].astype(bool)
    skipped = table.attrs.get("skipped", {})
    info = {
        "loket_version": __version__,
        "command": ["loket", *sys.argv[1:]] if sys.argv else [],
        "seed": seed,
        "quick": bool(args.quick),
        "jobs": jobs,
        "cases": [c.name for c in cases],
        "checks": len(table),
        "passed": int(passed.sum()),
        "gating_checks": int(gating.sum()),
        "gating_passed": int((passed & gating).sum()),
        "gating_share": validation.GATING_SHARE,
        "skipped": [{"case": name, "why": why} for name, why in skipped.items()],
        "confidence": validation.CONFIDENCE,
        "tolerances": validation.tolerance_notes(cases),
        "started_utc": started,
        "wall_time_seconds": round(time.perf_counter() - t0, 3),
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }
    write_results_folder(out, lambda folder: validation.write_validation(folder, table, info, cases))
    shown = pd.DataFrame({
        "case": table["case"],
        "reference": table["reference"],
        "reference value": [f"{x:.4g}" for x in table["reference_value"]],
        "simulated (99% CI)": [f"{m:.4g} ({lo:.4g}-{hi:.4g})"
                               for m, lo, hi in zip(table["simulated_mean"], table["ci_low"], table["ci_high"])],
        "allowance": [f"±{x:.2g}" for x in table["tolerance"]],
        "passed": ["yes" if ok else "NO" for ok in passed],
        "counts": ["yes" if g else "info" for g in gating],
        "source": table["source"],
    })
    widths = [max(len(col), *(len(v) for v in shown[col])) for col in shown.columns]
    for line in [list(shown.columns), *shown.itertuples(index=False)]:
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths)).rstrip())
    n_gating = int(gating.sum())
    print(f"\n{int((passed & gating).sum())} of {n_gating} gating checks agree; {int(passed.sum())} of {len(table)} "
          f"checks passed in all ({len(table) - n_gating} for information only: allowance above "
          f"{validation.GATING_SHARE:.0%} of the reference) ({len(cases) - len(skipped)} cases, seed {seed}); "
          f"written to {out}/ (validation.csv, validation.png)")
    for name, why in skipped.items():
        print(f"skipped: {name}: {why}")
    failing = table[~passed]
    for _, row in failing.iterrows():
        print(f"loket: validation failed: {row.case}: {row.reference}: reference {row.reference_value:.4g} is "
              f"outside the simulated 99% CI {row.ci_low:.4g}-{row.ci_high:.4g} widened by ±{row.tolerance:.2g}",
              file=sys.stderr)
    if len(failing):
        names = validation.failing_cases(table)
        print(f"loket: {len(names)} case(s) failed: {', '.join(names)}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args) -> int:
    scenario = _load(args.scenario, args.set)
    try:  # what `loket run` would refuse, `loket check` refuses too
        size = limits.check_run(scenario, jobs=limits.available_cpus())
    except limits.SizeError as exc:
        raise UsageError(f"{args.scenario}: too large to run: {exc}") from None
    _warn(scenario)
    lam = scenario.offered_load()
    print(one_line(
        f"{args.scenario}: OK — scenario {scenario.name!r}, {len(scenario.stations)} station(s), "
        f"{len(scenario.arrivals)} arrival stream(s), {scenario.run.days} day(s) x {scenario.run.replications} "
        "replications"
    ))
    for st, rate in zip(scenario.stations, lam):
        rho = rate * st.service.mean / st.staff if st.staff else float("inf")
        print(
            f"  {st.name:<16} staff {st.staff:>3}  ~{rate * 60:6.1f} visits/hour  mean service "
            f"{st.service.mean:5.1f} min  load per officer {rho:.0%}"
        )
    print(f"  about {size.visits:,.0f} visits per replication and policy; memory needed about "
          f"{(size.parent_bytes + size.jobs * size.worker_bytes) / 2**20:,.0f} MB")
    return 0


def cmd_app(args) -> int:
    """``loket app``: the planners' web page (``simulation/app.py``, a Streamlit script) on ``--host:--port``.

    Safe settings: this computer only unless ``--host`` says otherwise, uploads of at most 1 MB,
    no usage statistics sent, no tracebacks in the page, no reloading of files from disk.
    """
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port: must be 1 to 65535, got {args.port}")
    try:
        from streamlit.web import cli as streamlit_cli
    except ImportError:
        raise UsageError("the web page needs Streamlit: pip install 'loket[app]' (in a clone: pip install '.[app]')"
                         ) from None
    import socket

    try:  # a port already taken is bad input: one line now, not a server that fails to start
        with socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((args.host, args.port))
    except OSError as exc:
        raise UsageError(f"--host {args.host} --port {args.port}: cannot serve there ({exc.strerror or exc}); "
                         "choose another --port") from None
    page = Path(__file__).resolve().with_name("app.py")
    options = {
        "server.address": args.host,
        "server.port": args.port,
        "browser.serverAddress": args.host if args.host not in ("0.0.0.0", "::") else "localhost",
        "browser.serverPort": args.port,
        "browser.gatherUsageStats": "false",
        "server.showEmailPrompt": "false",
        "server.maxUploadSize": 1,
        "server.enableXsrfProtection": "true",
        "server.enableCORS": "true",
        "server.fileWatcherType": "none",
        "server.runOnSave": "false",
        "global.developmentMode": "false",
        "client.toolbarMode": "minimal",
        "client.showErrorDetails": "none",
        "theme.primaryColor": "#0f6e6e",
    }
    if args.no_browser:
        options["server.headless"] = "true"
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"loket: the web page is at http://{host}:{args.port}/ — Ctrl-C stops it", file=sys.stderr)
    streamlit_cli.main(["run", str(page), *(f"--{k}={v}" for k, v in options.items())], prog_name="streamlit",
                       standalone_mode=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # As the program (argv None), signals arriving after the command are ignored: it is exiting.
    with handlers(restore=argv is not None):
        try:
            try:
                code = _guarded(parser, args)
            finally:
                with deferred():  # a signal during the clean-up is held until it is done
                    _clean_up(args)
        except Interrupted as exc:  # arrived while reporting another problem, or just before the clean-up
            ignore_signals()
            code = _interrupted(exc.signum)
            _clean_up(args)
    return code


def _clean_up(args) -> None:
    """Unlock the results folder; say what was kept or removed (unless --quiet)."""
    release_output_folders()
    close_clients()  # disconnect from a Dask scheduler (the cluster goes on)
    for note in take_notes():
        if not getattr(args, "quiet", False):
            print(one_line(f"loket: note: {note}"), file=sys.stderr)


def _interrupted(signum: int) -> int:
    import signal

    name = {signal.SIGINT: "SIGINT (Ctrl-C)", signal.SIGTERM: "SIGTERM"}.get(signum, f"signal {signum}")
    done = committed()
    if done:
        print(one_line(f"loket: interrupted by {name} after {done[-1]} was written completely"), file=sys.stderr)
    else:
        print(f"loket: interrupted by {name}; nothing was written", file=sys.stderr)
    return exit_status(signum)


def _late_signal() -> int | None:
    """A signal that killed the workers may reach the main process a moment after it noticed."""
    if received() is None:
        try:
            time.sleep(0.5)
        except Interrupted as exc:
            return exc.signum
        except KeyboardInterrupt:
            import signal

            return signal.SIGINT
    return received()


def _guarded(parser, args) -> int:
    """Run the command; every failure becomes one line and an exit status."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return _dispatch_holding(parser, args)
    except ScenarioError as exc:
        for line in exc.lines():
            print(f"loket: error: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OutputError, UsageError, SchedulerError) as exc:
        print(one_line(f"loket: error: {exc}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Interrupted as exc:
        return _interrupted(exc.signum)
    except KeyboardInterrupt:
        import signal

        return _interrupted(signal.SIGINT)
    except BrokenProcessPool:
        signum = _late_signal()
        if signum is not None:
            return _interrupted(signum)
        print("loket: error: a worker process stopped unexpectedly (killed, or out of memory?); nothing was written",
              file=sys.stderr)
        return 1
    except MemoryError:
        print("loket: error: out of memory; nothing was written. Use fewer replications, days or --jobs",
              file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line, the details on request
        if received() is not None:
            return _interrupted(received())
        if os.environ.get("LOKET_DEBUG"):
            raise
        print(one_line(f"loket: internal error: {type(exc).__name__}: {shorten(str(exc), 300)} (run again with "
                       "LOKET_DEBUG=1 for the details, and please report it)"), file=sys.stderr)
        return 1


def _dispatch_holding(parser, args) -> int:
    """The command; the lines it held (:func:`_hold`) are dropped if it fails, said if it never said them."""
    try:
        code = _dispatch(parser, args)
    except BaseException:
        _held.clear()  # refused or stopped: the error alone, not the warnings said on the way
        raise
    _say_held()
    return code


def _dispatch(parser, args) -> int:
    commands = {"run": cmd_run, "check": cmd_check, "report": cmd_report, "sweep": cmd_sweep, "staff": cmd_staff,
                "city": cmd_city}
    command = commands.get(args.command) or globals().get(f"cmd_{args.command}")
    if command is None:
        parser.error(f"unknown command {args.command!r}")
    return command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
