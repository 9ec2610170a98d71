"""Writing a results folder: CSV tables plus what produced them.

A results folder is written into a hidden temporary folder beside its destination and
moved into place only when complete, so an interrupted run never leaves a half-written
folder that looks finished. An existing results folder is replaced; a folder that does
not look like one (no ``run.json``) is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .scenario import scenario_to_toml

__all__ = ["OutputError", "write_results_folder", "check_output_folder", "write_tables"]

VISIT_FLOAT = "%.4f"  # times in minutes: a tenth of a second is plenty
STAT_FLOAT = "%.6f"


class OutputError(Exception):
    """The results folder cannot be written where asked."""


def check_output_folder(out: Path) -> None:
    """Refuse destinations whose contents a run would destroy."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "run.json").exists():
        raise OutputError(f"{out}: folder exists, is not empty and is not a loket results folder; choose another --out")
    ancestor = out.absolute().parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot write there ({ancestor} is not a writable folder)")


def write_results_folder(out: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_folder)`` and move the finished folder to ``out`` in one step."""
    out = Path(out)
    check_output_folder(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the results folder ({exc.strerror or exc})") from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a results folder is not
    old = None
    try:
        write(tmp)
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out.exists():
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out


def write_tables(folder: Path, results, run_info: dict) -> None:
    """The standard contents of a ``loket run`` results folder."""
    results.visits.to_csv(folder / "visits.csv", index=False, float_format=VISIT_FLOAT)
    results.summary.to_csv(folder / "summary.csv", index=False, float_format=STAT_FLOAT)
    results.replications.to_csv(folder / "replications.csv", index=False, float_format=STAT_FLOAT)
    if results.comparison is not None:
        results.comparison.to_csv(folder / "comparison.csv", index=False, float_format=STAT_FLOAT)
    if results.citizens is not None:
        results.citizens.to_csv(folder / "citizens.csv", index=False, float_format=STAT_FLOAT)
    if results.trips is not None:
        results.trips.to_csv(folder / "trips.csv", index=False, float_format=STAT_FLOAT)
    if results.by_class is not None:
        results.by_class.to_csv(folder / "classes.csv", index=False, float_format=STAT_FLOAT)
    (folder / "scenario.resolved.toml").write_text(scenario_to_toml(results.scenario), encoding="utf-8")
    (folder / "run.json").write_text(json.dumps(run_info, indent=2) + "\n", encoding="utf-8")
