"""``loket report FOLDER``: check a saved results folder, then redraw its charts and report.

The folder is checked completely before anything is drawn, and nothing in it changes unless
the whole redraw succeeds:

* it must be a Loket results folder (it has the marker ``.loket-results.json``, see
  :mod:`simulation.export`) of a run, sweep or staffing advice;
* every table Loket listed in the marker must still be there, with the size and contents
  Loket wrote (a ``visits.csv`` cut mid-row, an edited ``summary.csv`` are refused), and must
  read as what it is: UTF-8 CSV with the columns the charts use and the same number of
  fields on every row, ``run.json`` a JSON object, ``scenario.resolved.toml`` a valid
  scenario;
* the folder must be writable, and no file of the user's may have the name of a chart or
  ``report.html``.

The charts and report are then drawn in a hidden folder inside it (``.loket-report-*``) from
links to the tables, and moved into place together, with the marker updated, only when all
are drawn. A problem is one line and exit status 2; the folder is left as it was.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import tempfile
import tomllib
from pathlib import Path

from ._validation import one_line, shorten
from .export import (
    MARKER,
    PARTIAL,
    REPORT_TMP,
    FolderPlan,
    OutputError,
    _files,
    _lock,
    _unchanged,
    foreign_entries,
    is_loket_output,
    read_marker,
    write_marker,
)
from .interrupts import deferred

__all__ = ["REPORT_TMP", "check_results_folder", "redraw", "redraw_to"]

# The columns the charts and the report read from each table (see simulation.chart_data).
REQUIRED_COLUMNS = {
    "summary.csv": ("policy", "station"),
    "replications.csv": ("policy", "replication", "station"),
    "visits.csv": ("policy", "replication", "day", "station", "arrival", "wait", "outcome"),
    "comparison.csv": ("policy", "station"),
    "citizens.csv": ("policy",),
    "sweep.csv": ("wfh_share", "station"),
    "staffing.csv": ("station", "weekday"),
    "city.csv": ("office", "policy"),
    "city_staffing.csv": ("office", "station", "weekday"),
}
NUMERIC_COLUMNS = {
    "visits.csv": ("replication", "day", "arrival", "wait"),
    "replications.csv": ("replication",),
}
KINDS = (("city.csv", "city"), ("staffing.csv", "staffing"), ("sweep.csv", "sweep"), ("summary.csv", "run"))


def _refuse(folder: Path, what: str) -> OutputError:
    return OutputError(one_line(f"{folder}: {what}"))


def check_results_folder(folder: Path, writable: bool = True) -> dict:
    """Check ``folder`` as described in the module docstring; returns its marker's file records.

    ``writable=False``: the folder is only read (``loket report --out`` writes elsewhere).

    Raises :class:`simulation.export.OutputError` (exit status 2) naming the first problem.
    """
    folder = Path(folder)
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise _refuse(folder, "no such folder") from None
    except OSError as exc:
        raise _refuse(folder, f"cannot read it ({exc.strerror or exc})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise _refuse(folder, "not a folder; give the results folder written by loket run, sweep or staff")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise _refuse(folder, "cannot read this folder (no permission)")
    files = read_marker(folder)
    if files is None:
        raise _refuse(folder, f"not a loket results folder (it has no {MARKER}, or a damaged one); loket report "
                              "redraws folders written by loket run, sweep or staff")
    kind = next((k for name, k in KINDS if name in files), None)
    if kind is None:
        raise _refuse(folder, "has no summary.csv, sweep.csv, staffing.csv or city.csv: nothing to redraw")
    for name in sorted(files):
        if "/" in name or not name.endswith(TABLE_SUFFIXES):
            continue  # charts and the report are redrawn
        path = folder / name
        if not os.path.lexists(path):
            raise _refuse(folder, f"{name} is missing (Loket wrote it); re-run loket to write the folder again")
        if not _unchanged(path, files[name]):
            size = os.lstat(path).st_size
            raise _refuse(folder, f"{name} has changed since Loket wrote it ({size:,} bytes, Loket wrote "
                                  f"{files[name].get('bytes', '?'):,} bytes): damaged or edited; re-run loket to "
                                  "write the folder again")
        _check_table(folder, name)
    if not writable:
        return files
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(folder, "cannot write in this folder (read-only); copy it somewhere writable first")
    theirs = [n for n in foreign_entries(folder, files) if is_loket_output(n)]
    if theirs:
        raise _refuse(folder, f"holds {', '.join(theirs[:8])}, which Loket did not write (or which changed since) "
                              "but would write now; move them elsewhere first")
    return files


TABLE_SUFFIXES = (".csv", ".json", ".toml", ".parquet")
"""The files of a results folder charts and reports are drawn from (the rest is drawn anew)."""

_FULL_CHECK_BYTES = 20_000_000
"""Tables up to this size are read row by row; of larger ones (whose contents the marker's
digest vouches for) the header and the last rows."""


def _read_text(folder: Path, name: str) -> str:
    path = folder / name
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size <= _FULL_CHECK_BYTES or not name.endswith(".csv"):
                raw = f.read()
            else:
                head = f.readline()
                f.seek(max(size - 65_536, 0))
                tail = f.read()
                raw = head + tail[tail.find(b"\n") + 1:]
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(folder, f"{name} is not UTF-8 text (damaged?)") from None
    except OSError as exc:
        raise _refuse(folder, f"cannot read {name} ({exc.strerror or exc})") from None
    if "\0" in text:
        raise _refuse(folder, f"{name} holds binary data (damaged?)")
    return text


def _check_table(folder: Path, name: str) -> None:
    if not name.endswith((".csv", ".json", ".toml")):
        return
    text = _read_text(folder, name)
    if name == "run.json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise _refuse(folder, f"run.json is not valid JSON ({shorten(exc, 80)})") from None
        if not isinstance(data, dict):
            raise _refuse(folder, "run.json is not a JSON object")
        return
    if name == "scenario.resolved.toml":
        from .scenario import ScenarioError, parse_scenario

        try:
            parse_scenario(tomllib.loads(text), source=name)
        except tomllib.TOMLDecodeError as exc:
            raise _refuse(folder, f"scenario.resolved.toml is not valid TOML ({shorten(exc, 80)})") from None
        except ScenarioError as exc:
            raise _refuse(folder, f"scenario.resolved.toml is not a valid scenario: {exc.lines()[0]}") from None
        except (RecursionError, ValueError) as exc:
            raise _refuse(folder, f"scenario.resolved.toml cannot be read ({shorten(exc, 80)})") from None
        return
    if not name.endswith(".csv"):
        return
    if not text.strip():
        raise _refuse(folder, f"{name} is empty")
    if not text.endswith("\n"):
        raise _refuse(folder, f"{name} ends in the middle of a row (cut short?)")
    try:
        rows = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(rows)
        width = len(header)
        numeric = [header.index(c) for c in NUMERIC_COLUMNS.get(name, ()) if c in header]
        for i, row in enumerate(rows, start=2):
            if len(row) != width:
                raise _refuse(folder, f"{name} row {i} has {len(row)} fields, the header {width} (damaged?)")
            for j in numeric:
                if row[j] != "":
                    try:
                        float(row[j])
                    except ValueError:
                        raise _refuse(folder, f"{name} row {i}: {header[j]} is not a number "
                                              f"({shorten(row[j], 30)!r})") from None
    except csv.Error as exc:
        raise _refuse(folder, f"{name} is not valid CSV ({exc})") from None
    missing = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in header]
    if missing:
        raise _refuse(folder, f"{name} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")


def _clean_report_leftovers(folder: Path) -> None:
    for entry in os.listdir(folder):
        path = folder / entry
        if entry.startswith(REPORT_TMP) and path.is_dir() and not path.is_symlink() and (path / PARTIAL).is_file():
            shutil.rmtree(path, ignore_errors=True)
        elif entry.startswith(f"{MARKER}.tmp-") and path.is_file():
            path.unlink()


def _keep_drawn_charts(folder: Path, files: dict, lang: str, into: Path) -> None:
    """Copy the charts ``folder`` holds in ``lang`` (as Loket wrote them) to where ``into`` keeps
    charts in ``lang``. Those its tables can still give are drawn again over the copies; the
    others (the visit charts of a ``--no-visits`` folder) stay as ``loket run`` drew them."""
    from .charts import charts_folder

    source = charts_folder(folder, lang)
    target = charts_folder(into, lang)
    for path in sorted(source.glob("*.png")):
        name = path.relative_to(folder).as_posix()
        if name in files and _unchanged(path, files[name]):
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.name)


def redraw_to(folder: Path, out: Path, lang: str | None = None) -> list[str]:
    """A copy of the results ``folder`` at ``out`` with its charts and report in ``lang``.

    ``folder`` is only read (its files keep their bytes); ``out`` is a new results folder
    whose own language is ``lang``: its tables are the source's, its ``report.html``,
    ``summary.md`` and charts are drawn in ``lang``. Returns the names written.
    """
    import json

    from .charts import write_charts
    from .export import write_results_folder
    from .report import default_lang, write_report

    folder, out = Path(folder), Path(out)
    if os.path.realpath(folder) == os.path.realpath(out):
        raise _refuse(folder, "--out is the folder itself; leave out --out to add the language beside the "
                              "existing report, or give another folder")
    files = check_results_folder(folder, writable=False)
    lang = lang or default_lang(folder)
    written: list[str] = []

    def write(tmp: Path) -> None:
        for name in sorted(files):
            if "/" in name or not name.endswith(TABLE_SUFFIXES):
                continue  # charts and the report are drawn anew
            data = (folder / name).read_bytes()
            if name == "run.json":
                info = json.loads(data)
                info["lang"] = lang
                info["copied_from"] = str(folder)
                data = (json.dumps(info, indent=2) + "\n").encode("utf-8")
            (tmp / name).write_bytes(data)
        _keep_drawn_charts(folder, files, lang, tmp)
        write_charts(tmp, lang)
        write_report(tmp, lang)
        written.extend(_files(tmp))

    write_results_folder(out, write)
    return written


def redraw(folder: Path, lang: str | None = None) -> list[str]:
    """Check ``folder``, redraw its charts and report in ``lang`` in it; returns their names.

    ``lang`` defaults to the scenario's language. The folder's own language is drawn at its
    top (``report.html``); another is added beside it (``report.<lang>.html``,
    ``charts/<lang>/``), leaving the files already there as they are.
    """
    from .charts import write_charts
    from .report import default_lang, write_report

    folder = Path(folder)
    files = check_results_folder(folder)
    lock = fd = None
    try:
        lock, fd = _lock(FolderPlan(folder, Path(os.path.realpath(folder))))
    except OSError:
        pass  # the folder's parent is not writable: no lock, the folder itself is
    try:
        _clean_report_leftovers(folder)
        lang = lang or default_lang(folder)
        tmp = None
        try:
            with deferred():
                tmp = Path(tempfile.mkdtemp(prefix=REPORT_TMP, dir=folder))
                (tmp / PARTIAL).write_text(f"{os.getpid()}\n", encoding="ascii")
            for name in files:
                if "/" not in name and name.endswith(TABLE_SUFFIXES):
                    os.symlink(os.path.realpath(folder / name), tmp / name)
            _keep_drawn_charts(folder, files, lang, tmp)
            try:
                write_charts(tmp, lang)
                write_report(tmp, lang)
            except (MemoryError, OSError):
                raise
            except Exception as exc:  # the tables passed the checks but still cannot be drawn
                raise _refuse(folder, f"cannot redraw the charts and report from its tables "
                                      f"({type(exc).__name__}: {shorten(one_line(str(exc)), 160)})") from None
            written = _files(tmp)
            clash = [n for n in written if os.path.lexists(folder / n)
                     and (n not in files or not _unchanged(folder / n, files[n]))]
            if clash:
                raise _refuse(folder, f"holds {', '.join(clash[:8])}, which Loket did not write (or which changed "
                                      "since) but would write now; move them elsewhere first")
            with deferred():
                for name in written:
                    (folder / name).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(tmp / name, folder / name)
                write_marker(folder, names=written, previous=files)
        except OSError as exc:
            raise _refuse(folder, f"cannot write the charts and report ({exc.strerror or exc})") from None
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if fd is not None:
            try:
                os.unlink(lock)
            except OSError:
                pass
            os.close(fd)
    return written
