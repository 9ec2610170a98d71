"""Writing a results folder: CSV tables plus what produced them — without ever losing a file.

**Complete or not at all.** A results folder is written into a hidden temporary folder
beside its destination (``.NAME.partial-*``) and moved into place only when complete, so an
interrupted run never leaves a half-written folder that looks finished. The temporary
folder is removed on success, on failure and on SIGINT/SIGTERM (the swap itself is never
cut in half: see :func:`simulation.interrupts.deferred`); one left by a run that was killed
outright (SIGKILL, a power cut) is removed by the next run into the same folder.

**The marker.** Every results folder holds ``.loket-results.json``, written by Loket alone:
the files it wrote, with their sizes and SHA-256 digests. A folder is a Loket results folder
only if it has that marker. Replacing one (``--out`` on an earlier run):

* files Loket wrote and nobody changed are replaced;
* anything else — a note the user added, a folder, a file Loket wrote that was changed
  since — is kept: moved into the new results folder, and named on the console;
* if such a file has the name of something Loket would write (``report.html``, ``*.png``,
  ...), the run is refused before simulating (exit 2), naming the files.

Every other non-empty folder is refused (exit 2), as is the current folder or one holding
it, a file, or a folder Loket could not rename (another user's, in a sticky directory).

**One writer at a time.** A run holds an exclusive lock (``flock`` on ``.NAME.lock`` beside
the folder) from its output check to its end; a second run into the same folder stops at
once with a message naming the first (exit 2).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .fastcsv import write_csv
from .interrupts import check as check_interrupted
from .interrupts import deferred
from .scenario import scenario_to_toml

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking
    fcntl = None

__all__ = [
    "MARKER",
    "OutputError",
    "FolderPlan",
    "write_results_folder",
    "check_output_folder",
    "claim_output_folder",
    "release_output_folders",
    "take_notes",
    "committed",
    "read_marker",
    "write_marker",
    "file_record",
    "foreign_entries",
    "is_loket_output",
    "write_tables",
]

VISIT_FLOAT = "%.4f"  # times in minutes: a tenth of a second is plenty
STAT_FLOAT = "%.6f"

MARKER = ".loket-results.json"
"""The file that makes a folder a Loket results folder (see the module docstring)."""
MARKER_FORMAT = "loket-results"
PARTIAL = ".loket-partial"
"""Inside a temporary folder while it is being written: what makes a leftover safe to remove."""
REPORT_TMP = ".loket-report-"
"""Prefix of the folder ``loket report`` draws in, inside the results folder (:mod:`simulation.folders`)."""

KNOWN_OUTPUTS = frozenset({
    "visits.csv", "summary.csv", "replications.csv", "comparison.csv", "citizens.csv", "trips.csv", "classes.csv",
    "scenario.resolved.toml", "scenario.toml", "run.json", "report.html", "summary.md", "sweep.csv", "staffing.csv",
    "validation.csv", "city.csv", MARKER,
})


_OUTPUT_PATTERN = re.compile(r"^(report|summary)\.[A-Za-z_-]+\.(html|md)$|.*\.png$", re.IGNORECASE)


def is_loket_output(path: str) -> bool:
    """Whether Loket may write something at this path of a results folder (tables, charts, report)."""
    name = path.split("/")[-1]
    return name in KNOWN_OUTPUTS or bool(_OUTPUT_PATTERN.match(name))


def _files(folder: Path) -> list[str]:
    """Every regular file below ``folder`` (not following links), as relative POSIX paths, sorted."""
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        rel = Path(root).relative_to(folder)
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path) and not os.path.islink(path):
                out.append((rel / name).as_posix())
    return sorted(n for n in out if n not in (MARKER, PARTIAL))


class OutputError(Exception):
    """The results folder cannot be written where asked."""


# ---------------------------------------------------------------------------------------
# The marker


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_record(path: Path) -> dict:
    """What the marker says of one file Loket wrote: size, modification time, SHA-256."""
    info = os.lstat(path)
    return {"bytes": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": _sha256(path)}


def read_marker(folder: Path) -> dict | None:
    """The files listed in ``folder``'s marker (name -> record), or None if it is not a Loket results folder."""
    path = Path(folder) / MARKER
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 10_000_000:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT or not isinstance(data.get("files"), dict):
        return None
    files = {}
    for name, rec in data["files"].items():
        parts = name.split("/") if isinstance(name, str) else [""]
        if (not isinstance(rec, dict) or name in (MARKER, PARTIAL) or "\\" in name or "\0" in name
                or any(p in ("", ".", "..") for p in parts)):
            return None
        files[name] = rec
    return files


def write_marker(folder: Path, names: list[str] | None = None, previous: dict | None = None) -> dict:
    """Write ``folder``'s marker listing ``names`` (default: every file in it); returns the records.

    ``previous`` records are reused for files not among ``names`` that still exist unchanged
    (``loket report`` rewrites only its charts and report).
    """
    folder = Path(folder)
    files: dict = {}
    for name, rec in (previous or {}).items():
        if name not in (names or []) and _unchanged(folder / name, rec):
            files[name] = rec
    for name in names if names is not None else _files(folder):
        if name in (MARKER, PARTIAL):
            continue
        path = folder / name
        if os.path.isfile(path) and not os.path.islink(path):
            files[name] = file_record(path)
    from . import __version__

    data = {
        "format": MARKER_FORMAT,
        "version": 1,
        "written_by": f"loket {__version__}",
        "about": "Loket wrote the files listed here. When Loket replaces this folder it replaces only these files "
                 "(if unchanged); anything else in the folder is kept.",
        "files": dict(sorted(files.items())),
    }
    tmp = folder / f"{MARKER}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MARKER)
    return data["files"]


def _unchanged(path: Path, rec: dict) -> bool:
    """Whether ``path`` is still the file the marker record describes."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != rec.get("bytes"):
        return False
    if info.st_mtime_ns == rec.get("mtime_ns"):
        return True
    try:
        return _sha256(path) == rec.get("sha256")
    except OSError:
        return False


def foreign_entries(folder: Path, files: dict) -> list[str]:
    """What in ``folder`` Loket did not write, as relative paths: files not in its marker or
    changed since, links, and folders holding nothing Loket wrote (named as a whole)."""
    folder = Path(folder)
    dirs_with_files = {"/".join(n.split("/")[:i]) for n in files for i in range(1, n.count("/") + 1)}
    out = []

    def visit(rel: str) -> None:
        for name in sorted(os.listdir(folder / rel if rel else folder)):
            path = f"{rel}/{name}" if rel else name
            full = folder / path
            if path == MARKER:
                continue
            if full.is_dir() and not full.is_symlink():
                if path in dirs_with_files:
                    visit(path)
                else:
                    out.append(path)
            elif path not in files or not _unchanged(full, files[path]):
                out.append(path)

    visit("")
    return out


# ---------------------------------------------------------------------------------------
# Checking the destination


@dataclass
class FolderPlan:
    """Where a results folder will go, and what of the user's is there."""

    out: Path
    """As given (for messages)."""
    dest: Path
    """Absolute, symbolic links resolved: the folder actually replaced."""
    exists: bool = False
    """A Loket results folder (or an empty folder) is there now."""
    keep: list[str] = field(default_factory=list)
    """Entries of the existing folder that Loket did not write: they are kept."""


def _names(items: list[str], most: int = 8) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def _clash_message(out: Path, clash: list[str], files: dict) -> str:
    changed = [n for n in clash if n in files]
    theirs = [n for n in clash if n not in files]
    parts = []
    if theirs:
        parts.append(f"holds {_names(theirs)}, which Loket did not write")
    if changed:
        parts.append(f"{_names(changed)} {'was' if len(changed) == 1 else 'were'} changed since Loket wrote "
                     f"{'it' if len(changed) == 1 else 'them'}")
    return (f"{out}: {' and '.join(parts)}; Loket would overwrite {'it' if len(clash) == 1 else 'them'}: move "
            f"{'it' if len(clash) == 1 else 'them'} elsewhere first, or choose another --out")


def _destination(out: Path) -> Path:
    dest = Path(os.path.realpath(out))
    if dest == dest.parent or dest.name in ("", ".", ".."):
        raise OutputError(f"{out}: is the root of the file system; give --out a folder of its own, e.g. results/try1")
    cwd = Path(os.path.realpath(os.getcwd()))
    if dest == cwd or dest in cwd.parents:
        raise OutputError(f"{out}: is the current folder or holds it; give --out a folder of its own, "
                          "e.g. results/try1")
    return dest


def check_output_folder(out: Path) -> FolderPlan:
    """Refuse destinations whose contents a run would destroy, or that cannot be written.

    Nothing is written. Raises :class:`OutputError` with one line saying why.
    """
    out = Path(out)
    try:
        return _check(out)
    except OSError as exc:
        raise OutputError(f"{out}: cannot use this folder ({exc.strerror or exc})") from None
    except ValueError as exc:  # an embedded NUL byte
        raise OutputError(f"{out}: not a usable folder name ({exc})") from None


def _check(out: Path) -> FolderPlan:
    dest = _destination(out)
    plan = FolderPlan(out, dest)
    if os.path.lexists(dest) and not dest.is_dir():
        what = "is a broken symbolic link" if dest.is_symlink() else "exists and is not a folder"
        raise OutputError(f"{out}: {what}")
    if dest.is_dir():
        plan.exists = True
        entries = os.listdir(dest)
        if entries:
            files = read_marker(dest)
            if files is None:
                raise OutputError(f"{out}: folder exists, is not empty and is not a loket results folder (it has no "
                                  f"{MARKER}); choose another --out")
            plan.keep = foreign_entries(dest, files)
            clash = [n for n in plan.keep if is_loket_output(n)]
            if clash:
                raise OutputError(_clash_message(out, clash, files))
        if not os.access(dest, os.W_OK | os.X_OK):
            raise OutputError(f"{out}: cannot replace this folder (no permission to write in it)")
    ancestor = dest.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot write there ({ancestor} is not a writable folder)")
    if plan.exists:
        parent = os.stat(dest.parent)
        me = os.geteuid() if hasattr(os, "geteuid") else 0
        owner = os.stat(dest).st_uid
        if parent.st_mode & stat.S_ISVTX and me != 0 and me not in (owner, parent.st_uid):
            raise OutputError(f"{out}: belongs to another user, in a folder where only a file's owner may rename it; "
                              "choose another --out")
    return plan


# ---------------------------------------------------------------------------------------
# One writer at a time


@dataclass
class _Claim:
    lock: Path | None
    fd: int | None
    made: list[Path]
    """Parent folders this claim created (removed again if still empty)."""


_claims: dict[Path, _Claim] = {}
_notes: list[str] = []
_committed: list[Path] = []


def committed() -> list[Path]:
    """Results folders moved into place since the last :func:`take_notes` (as given)."""
    return list(_committed)


def take_notes() -> list[str]:
    """Notes for the console gathered while writing (files kept, leftovers removed); cleared."""
    notes = list(_notes)
    _notes.clear()
    _committed.clear()
    return notes


def claim_output_folder(out: Path) -> FolderPlan:
    """:func:`check_output_folder`, then lock the destination for this process until
    :func:`release_output_folders`; removes what a killed earlier run left beside it."""
    plan = check_output_folder(out)
    if plan.dest in _claims:
        return plan
    made = []
    try:
        missing = [p for p in [plan.dest.parent, *plan.dest.parent.parents] if not p.exists()]
        for p in reversed(missing):
            p.mkdir()
            made.append(p)
        lock, fd = _lock(plan)
    except OSError as exc:
        _remove_empty(made)
        raise OutputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    except BaseException:
        _remove_empty(made)
        raise
    _claims[plan.dest] = _Claim(lock, fd, made)
    try:
        _clean_leftovers(plan.dest)
        return check_output_folder(out)
    except BaseException:
        _release(plan.dest)
        raise


def release_output_folders() -> None:
    """Unlock every claimed destination (and remove parent folders a claim created, if still empty)."""
    for dest in list(_claims):
        _release(dest)


def _release(dest: Path) -> None:
    claim = _claims.pop(dest, None)
    if claim is None:
        return
    if claim.fd is not None:
        try:
            os.unlink(claim.lock)
        except OSError:
            pass
        os.close(claim.fd)
    _remove_empty(claim.made)


def _remove_empty(folders: list[Path]) -> None:
    for p in reversed(folders):
        try:
            p.rmdir()
        except OSError:
            break


def _lock(plan: FolderPlan) -> tuple[Path | None, int | None]:
    if fcntl is None:  # pragma: no cover
        return None, None
    path = plan.dest.parent / f".{plan.dest.name}.lock"
    for _ in range(20):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            try:
                other = os.read(fd, 32).decode("ascii", "replace").strip()
            except OSError:
                other = ""
            os.close(fd)
            who = f"(pid {other}) " if other.isdigit() else ""
            raise OutputError(f"{plan.out}: another Loket process {who}is writing this results folder; wait for it "
                              "to finish, or choose another --out") from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:  # not unlinked by the process that held it just before us
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return path, fd
        os.close(fd)
    raise OutputError(f"{plan.out}: could not lock the results folder (others keep writing it)")


def _clean_leftovers(dest: Path) -> None:
    """Remove what a killed run into ``dest`` left beside it (we hold the lock: no run is using them)."""
    parent = dest.parent
    if dest.is_dir() and not dest.is_symlink():  # what an interrupted `loket report` or marker update left inside
        for entry in os.listdir(dest):
            path = dest / entry
            if entry.startswith(REPORT_TMP) and path.is_dir() and (path / PARTIAL).is_file():
                shutil.rmtree(path, ignore_errors=True)
            elif entry.startswith(f"{MARKER}.tmp-") and path.is_file():
                path.unlink()
    partial, old = f".{dest.name}.partial-", f".{dest.name}.old-"
    for entry in sorted(os.listdir(parent)):
        path = parent / entry
        if entry.startswith(partial) and path.is_dir() and not path.is_symlink() and (path / PARTIAL).is_file():
            shutil.rmtree(path, ignore_errors=True)
            _notes.append(f"removed {path}, left by an interrupted run")
        elif entry.startswith(old) and path.is_dir() and not path.is_symlink() and read_marker(path) is not None:
            if not os.path.lexists(dest):
                os.rename(path, dest)  # the run was killed between moving the old results out and the new in
                _notes.append(f"restored {dest} from {path}, left by an interrupted run")
            else:
                left = _retire(path, read_marker(path) or {}, dest)
                if left:
                    _notes.append(f"kept {path}: it holds {_names(left)}, which Loket did not write")


def _move(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.rename(src, dest)


def _retire(old: Path, files: dict, into: Path) -> list[str]:
    """Remove Loket's own files from a replaced folder; move anything else into ``into``; remove it if empty."""
    left = []
    for name in foreign_entries(old, files):
        if not os.path.lexists(into / name):
            _move(old / name, into / name)
        else:
            left.append(name)
    for name in [MARKER, *files]:
        if name not in left and (name == MARKER or _unchanged(old / name, files[name])):
            try:
                os.unlink(old / name)
            except FileNotFoundError:
                pass
    for root, _dirs, _names in os.walk(old, topdown=False):
        if Path(root) != old and not os.listdir(root):
            os.rmdir(root)
    if not os.listdir(old):
        os.rmdir(old)
    return left


# ---------------------------------------------------------------------------------------
# Writing


def write_results_folder(out: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_folder)`` and move the finished folder to ``out`` in one step (see the module docstring)."""
    out = Path(out)
    plan = check_output_folder(out)
    own = plan.dest not in _claims
    if own:
        plan = claim_output_folder(out)
    try:
        _write(plan, write)
    finally:
        if own:
            _release(plan.dest)
    return out


def _write(plan: FolderPlan, write: Callable[[Path], None]) -> None:
    dest = plan.dest
    tmp = None
    try:
        with deferred():
            tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
            (tmp / PARTIAL).write_text(f"{os.getpid()}\n", encoding="ascii")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a results folder is not
        write(tmp)
        check_interrupted()
        (tmp / PARTIAL).unlink()
        write_marker(tmp)
        with deferred():
            kept = _swap(plan, tmp)
            tmp = None
            _committed.append(plan.out)
            if kept:
                _notes.append(f"{plan.out}: kept {len(kept)} {'entry' if len(kept) == 1 else 'entries'} Loket did "
                              f"not write: {_names(kept)}")
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{plan.out}: cannot write the results folder ({exc.strerror or exc})") from None
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(plan: FolderPlan, tmp: Path) -> list[str]:
    """Put ``tmp`` in place of ``plan.dest``, moving the user's entries of the old folder into it."""
    dest = plan.dest
    if not os.path.lexists(dest):
        os.rename(tmp, dest)
        return []
    if not dest.is_dir() or dest.is_symlink():
        raise OutputError(f"{plan.out}: exists and is not a folder")
    if not os.listdir(dest):
        os.rename(tmp, dest)  # replaces an empty folder
        return []
    files = read_marker(dest)
    if files is None:
        raise OutputError(f"{plan.out}: folder exists, is not empty and is not a loket results folder (it has no "
                          f"{MARKER}); choose another --out")
    keep = foreign_entries(dest, files)
    clash = [n for n in keep if os.path.lexists(tmp / n)]
    if clash:
        raise OutputError(_clash_message(plan.out, clash, files))
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    os.rmdir(old)
    os.rename(dest, old)
    moved = []
    try:
        for name in keep:
            _move(old / name, tmp / name)
            moved.append(name)
        os.rename(tmp, dest)
    except BaseException:
        for name in moved:
            if not os.path.lexists(old / name):
                _move(tmp / name, old / name)
        if not os.path.lexists(dest):
            os.rename(old, dest)
        raise
    left = _retire(old, files, dest)
    if left:  # pragma: no cover - only if someone writes into the old folder during the swap
        _notes.append(f"kept {old}: it holds {_names(left)}, which Loket did not write")
    return keep


TABLE_FORMATS = ("csv", "parquet")
PARQUET_TABLES = {"visits": "visits", "summary": "summary", "replications": "replications",
                  "comparison": "comparison", "citizens": "citizens", "trips": "trips", "by_class": "classes"}


def parquet_missing() -> str | None:
    """Why ``--format parquet`` cannot be written here (None when pyarrow is installed)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return "--format parquet needs pyarrow: pip install 'loket[parquet]'"
    return None


def has_visits(results) -> bool:
    """Whether ``results`` kept its per-visit table (in memory or on disk)."""
    return results.visits is not None or getattr(results, "visits_spool", None) is not None


def finish_tables(folder: Path, results, visits: bool = True, table_format: str = "csv") -> None:
    """After the charts and report: the Parquet option, and what ``run.json`` says of the visits.

    ``visits=False`` (``--no-visits``; :func:`write_tables` then wrote no per-visit table):
    every other table is unchanged, the charts and report are drawn from the visits the run
    kept in memory, and ``run.json`` says ``"visits": "not written (--no-visits)"``.
    ``table_format="parquet"`` writes every table as ``<name>.parquet`` too (pandas reads
    them back identically, categories included) and keeps visits only as
    ``visits.parquet``; the other CSVs stay, since ``loket report`` redraws from them.
    """
    if table_format not in TABLE_FORMATS:
        raise ValueError(f"table_format must be one of {TABLE_FORMATS}, not {table_format!r}")
    visits = visits and has_visits(results)
    if table_format == "parquet":
        for attr, name in PARQUET_TABLES.items():
            if attr == "visits":
                if visits:
                    _visits_parquet(results, folder / "visits.parquet")
                continue
            table = getattr(results, attr, None)
            if table is not None:
                table.to_parquet(folder / f"{name}.parquet", index=False, engine="pyarrow", compression="zstd")
        if visits:
            (folder / "visits.csv").unlink()
    if not visits:
        path = folder / "run.json"
        info = json.loads(path.read_text(encoding="utf-8"))
        info["visits"] = "not written (--no-visits)"
        path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def _visits_parquet(results, path: Path) -> None:
    """``visits.parquet``: from memory, or from the table on disk a row group at a time."""
    if results.visits is not None:
        results.visits.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        for chunk in results.visits_spool.chunks():
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:  # no visits at all: an empty table with the columns
        results.visits_spool.read().to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def write_tables(folder: Path, results, run_info: dict, visits: bool = True) -> None:
    """The standard contents of a ``loket run`` results folder (``visits=False``: no ``visits.csv``)."""
    spool = getattr(results, "visits_spool", None)
    if visits and results.visits is not None:
        write_csv(results.visits, folder / "visits.csv", VISIT_FLOAT)  # = to_csv, byte for byte, several times faster
    elif visits and spool is not None:
        spool.write_csv(folder / "visits.csv")  # written replication by replication as they came
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
