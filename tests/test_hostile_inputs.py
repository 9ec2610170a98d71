"""Hostile input: scenario files, command-line values, output folders and damaged results folders.

The contract (README, "Errors and guarantees"): bad input exits with status 2 and one line per
problem, ``loket: error: FILE: key.path: what is wrong``; no traceback; nothing written; no file
Loket did not write is ever deleted; `loket check` accepts only what `loket run` can run.

Signals and concurrent runs are in test_signals.py, fuzzing in test_fuzz.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from simulation import charts as charts_module
from simulation import cli, export, folders
from simulation import report as report_module
from simulation.cli import main
from simulation.export import MARKER, read_marker, write_marker, write_results_folder

BASE = """\
name = "base"
[run]
days = 1
replications = 2
seed = 1
[[stations]]
name = "desk"
staff = 2
service = { dist = "exponential", mean = 5 }
[[arrivals]]
station = "desk"
per_hour = 10
"""

TWO_POLICIES = BASE + "[policies.office]\n[policies.home]\n"


def _error_lines(err: str) -> list[str]:
    lines = err.splitlines()
    assert lines, "no message"
    assert "Traceback" not in err
    for line in lines:
        assert line.startswith(("loket: error: ", "loket: note: ", "loket: warning: ")), line
    return [line for line in lines if line.startswith("loket: error: ")]


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def no_simulation(monkeypatch):
    """Bad input is refused before anything is simulated."""

    def refuse(*args, **kwargs):
        raise AssertionError("simulated despite bad input")

    monkeypatch.setattr(cli, "run_scenario", refuse)


@pytest.fixture
def fast_charts(monkeypatch):
    """Output-folder tests do not need real charts: a placeholder PNG and report."""

    def charts(folder, lang="en", **kwargs):
        (Path(folder) / "standard_met.png").write_bytes(b"png")
        return [Path(folder) / "standard_met.png"]

    def report(folder, lang="en", **kwargs):
        (Path(folder) / "report.html").write_text("<html></html>")
        return Path(folder) / "report.html"

    # Where the command line and Results.save import them from when they draw.
    monkeypatch.setattr(charts_module, "write_charts", charts)
    monkeypatch.setattr(report_module, "write_report", report)


# ---------------------------------------------------------------------------------------
# 1. Scenario files


def _edit(old: str, new: str, base: str = BASE) -> str:
    assert old in base
    return base.replace(old, new, 1)


DIGITS_5000 = "9" * 5000
DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"

# (case id, file text, text the message must contain: the key path and what is wrong)
BAD_FILES = [
    ("bool as staff", _edit("staff = 2", "staff = true"),
     "stations.desk.staff: must be a whole number (got true)"),
    ("bool as quota", _edit("staff = 2", "staff = 2\ndaily_quota = false"),
     "stations.desk.daily_quota: must be a whole number (got false)"),
    ("string as target", _edit("staff = 2", 'staff = 2\ntarget_wait_minutes = "30"'),
     'stations.desk.target_wait_minutes: must be a number (got "30")'),
    ("string as rate", _edit("per_hour = 10", 'per_hour = "10"'), "arrivals.desk.per_hour"),
    ("float as days", _edit("days = 1", "days = 2.0"), "run.days: must be a whole number (got 2.0)"),
    ("number as boolean", _edit("staff = 2", "staff = 2\nin_person_only = 1"),
     "stations.desk.in_person_only: must be true or false (got 1)"),
    ("bool as share", TWO_POLICIES + "wfh_share = { desk = true }\n", "policies.home.wfh_share.desk"),
    ("bool as priority", BASE + 'classes = [{ name = "lansia", share = 0.1, priority = true }]\n',
     "arrivals.desk.classes.lansia.priority: must be a whole number (got true)"),
    ("share above 1", TWO_POLICIES + "wfh_share = { desk = 1.5 }\n",
     "policies.home.wfh_share.desk: must be 1 or less (got 1.5)"),
    ("nan in a rota", TWO_POLICIES + "wfh_share = { desk = [0, nan, 0, 0, 0] }\n",
     "policies.home.wfh_share.desk[1]: must be a finite number (got nan)"),
    ("5000-digit integer", _edit("seed = 1", f"seed = {DIGITS_5000}"), "a whole number has more than 4,300 digits"),
    ("400-digit rate", _edit("per_hour = 10", "per_hour = " + "9" * 400),
     "arrivals.desk.per_hour: the number is too large"),
    ("400-digit float rate", _edit("per_hour = 10", "per_hour = " + "9" * 400 + ".0"), "arrivals.desk.per_hour"),
    ("seed of 2**63", _edit("seed = 1", f"seed = {2**63}"), "run.seed: the number is too large"),
    ("gamma cv 1e-200", _edit('{ dist = "exponential", mean = 5 }', '{ dist = "gamma", mean = 5, cv = 1e-200 }'),
     "stations.desk.service.cv: must be 0.001 or more"),
    ("lognormal cv 1e6", _edit('{ dist = "exponential", mean = 5 }', '{ dist = "lognormal", mean = 5, cv = 1e6 }'),
     "stations.desk.service.cv: must be 10 or less"),
    ("mean 1e300", _edit("mean = 5", "mean = 1e300"), "stations.desk.service.mean: must be 10080 or less"),
    ("mean 1e6 (typo)", _edit("mean = 5", "mean = 1e6"), "stations.desk.service.mean: must be 10080 or less"),
    ("patience 1e9", _edit("staff = 2", 'staff = 2\npatience = { dist = "exponential", mean = 1e9 }'),
     "stations.desk.patience.mean"),
    ("empirical 1e9", _edit('{ dist = "exponential", mean = 5 }', '{ dist = "empirical", values = [1e9, 2] }'),
     "stations.desk.service.values[0]"),
    ("triangular max 1e12", _edit('{ dist = "exponential", mean = 5 }',
                                  '{ dist = "triangular", min = 1, mode = 2, max = 1e12 }'),
     "stations.desk.service.max"),
    ("self-loop 0.999", _edit("staff = 2", "staff = 2\nnext = { desk = 0.999 }"),
     "stations.desk.next: a citizen at 'desk' would make about 1,000 visits"),
    ("two-desk loop", BASE.replace("staff = 2", "staff = 2\nnext = { b = 0.995 }") +
     '[[stations]]\nname = "b"\nstaff = 1\nservice = { dist = "exponential", mean = 1 }\nnext = { desk = 0.995 }\n',
     "visits on average before leaving"),
    ("days 100000", _edit("days = 1", "days = 100000"), "run.days: must be 2000 or less"),
    ("replications 100001", _edit("replications = 2", "replications = 100001"),
     "run.replications: must be 10000 or less"),
    ("rate 1e7 per hour", _edit("per_hour = 10", "per_hour = 1e7"), "arrivals.desk.per_hour: must be at most"),
    ("demand 1e300", BASE + "[calendar]\ndemand = { monday = 1e300 }\n", "citizens per replication"),
    ("balk wait 1e308", _edit("staff = 2", "staff = 2\nbalk_at_wait_minutes = 1e308"),
     "stations.desk.balk_at_wait_minutes"),
    ("holiday 1e11", BASE + "[calendar]\nholidays = [99999999999]\n", "calendar.holidays[0]"),
    ("nested 5000 deep", BASE + DEEP, "nested too deeply"),
    ("nested 30 deep", BASE.replace('name = "base"', 'name = "base"\ndescription = ' + "[" * 30 + "]" * 30),
     "description: tables or lists nested more than 20 deep"),
    ("newline in a label", _edit("staff = 2", 'staff = 2\nlabel = "Loket\\nsatu"'),
     "stations.desk.label: must be one line of plain text"),
    ("newline in a policy label", TWO_POLICIES + 'label = "Half\\nat home"\n',
     "policies.home.label: must be one line of plain text"),
    ("newline in a stream name", _edit('station = "desk"', 'station = "desk"\nname = "walk\\nin"'),
     "arrivals (entry 1: 'walk\\nin').name: must be a name of letters"),
    ("newline in a station name", _edit('name = "desk"', 'name = "de\\nsk"'), "(entry 1: 'de\\nsk')"),
    ("newline in a policy name", BASE + '[policies.office]\n[policies."a\\nb"]\n', "policies"),
    ("escape code in the description", BASE.replace('name = "base"', 'name = "base"\ndescription = "\\u001b[31mred"'),
     "description: contains the control character \\x1b"),
    ("label of 10,000 characters", _edit("staff = 2", f'staff = 2\nlabel = "{"x" * 10_000}"'),
     "stations.desk.label: must be at most 200 characters"),
    ("time of day unquoted", _edit("days = 1", "days = 1\nopen = 08:00:00"), "run.open: must be text in quotes"),
    ("empty file", "", "name: required key is missing"),
    ("wrong type name", _edit('name = "base"', "name = 1"), "name: must be text in quotes (got 1)"),
]


@pytest.mark.parametrize("case, text, expected", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_hostile_scenario_file_is_one_clear_line_and_exit_2(tmp_path, capsys, no_simulation, case, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert any(expected in line for line in errors), errors
    assert all(line.startswith(f"loket: error: {path}: ") for line in errors), errors
    assert not any(word in line for line in errors for word in ("constrained-", "tuple[", "function-", "Input should"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]  # nothing written
    # `loket check` refuses it the same way.
    assert main(["check", str(path)]) == 2
    assert any(expected in line for line in _error_lines(capsys.readouterr().err))


BAD_BYTES = [
    ("latin-1 text", BASE.replace('name = "base"', 'name = "kantor café"').encode("latin-1"), "not a text file"),
    ("binary garbage", bytes(range(256)) * 4, "not a text file"),
    ("NUL in the middle", BASE.encode() + b"\0\n", "not valid TOML"),
    ("over a megabyte", BASE.encode() + b"# " + b"x" * 1_000_001 + b"\n", "at most 1,000,000 bytes"),
]


@pytest.mark.parametrize("case, raw, expected", BAD_BYTES, ids=[c[0] for c in BAD_BYTES])
def test_hostile_file_bytes(tmp_path, capsys, case, raw, expected):
    path = tmp_path / "bad.toml"
    path.write_bytes(raw)
    assert main(["check", str(path)]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1 and expected in errors[0], errors


@pytest.mark.parametrize("kind", ["device", "fifo", "folder", "missing"])
def test_non_regular_files_are_refused_before_reading(tmp_path, capsys, kind):
    if kind == "device":
        path, expected = Path("/dev/zero"), "it is a device"
        if not path.exists():
            pytest.skip("no /dev/zero")
    elif kind == "fifo":
        path, expected = tmp_path / "pipe.toml", "named pipe"
        os.mkfifo(path)  # reading it would block for ever
    elif kind == "folder":
        path, expected = tmp_path, "it is a folder"
    else:
        path, expected = tmp_path / "nope.toml", "cannot read the file"
    assert main(["check", str(path)]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1 and expected in errors[0] and "cannot read" in errors[0], errors


@pytest.mark.parametrize("case, raw", [
    ("byte-order mark", ("\ufeff" + BASE).encode("utf-8")),
    ("CRLF line ends", BASE.replace("\n", "\r\n").encode("utf-8")),
], ids=["bom", "crlf"])
def test_files_that_editors_write_are_accepted(tmp_path, capsys, case, raw):
    path = tmp_path / "ok.toml"
    path.write_bytes(raw)
    assert main(["check", str(path)]) == 0
    assert "OK" in capsys.readouterr().out


def test_a_message_never_spans_lines(tmp_path, capsys):
    # A newline in a name that also labels the key path of another problem.
    path = tmp_path / "bad.toml"
    path.write_text(_edit('name = "desk"\nstaff = 2', 'name = "de\\nsk"\nstaff = -1'))
    assert main(["check", str(path)]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 2
    assert "stations (entry 1: 'de\\nsk').staff: must be 0 or more (got -1)" in errors[1]


# ---------------------------------------------------------------------------------------
# 2. `loket check` says OK only for what `loket run` can run


COLLIDING_STREAMS = BASE.replace(
    '[[arrivals]]\nstation = "desk"\nper_hour = 10\n',
    '[[arrivals]]\nstation = "desk"\nname = "walkin"\nper_hour = 2\n'
    '[[arrivals]]\nstation = "desk"\nname = "walkin_3"\nper_hour = 2\n'
    '[[arrivals]]\nstation = "desk"\nname = "walkin"\nper_hour = 2\n')
EXTREMES = BASE.replace('service = { dist = "exponential", mean = 5 }',
                        'service = { dist = "gamma", mean = 10080, cv = 0.001 }\n'
                        'patience = { dist = "lognormal", mean = 10080, cv = 10 }\n'
                        "target_wait_minutes = 10080\nbalk_at_wait_minutes = 10080").replace("per_hour = 10",
                                                                                           "per_hour = 0.5")


@pytest.mark.parametrize("text", [COLLIDING_STREAMS, EXTREMES], ids=["colliding stream names", "extreme values"])
def test_what_check_accepts_runs(tmp_path, capsys, text):
    path = tmp_path / "ok.toml"
    path.write_text(text)
    assert main(["check", str(path)]) == 0
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet", "--jobs", "1"]) == 0, capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err
    assert (out / "summary.csv").exists() and (out / "report.html").exists()
    if text is COLLIDING_STREAMS:
        streams = set(__import__("pandas").read_csv(out / "visits.csv")["stream"])
        assert len(streams) == 3 and {"walkin", "walkin_3"} <= streams


def test_mathtext_in_a_label_is_drawn_as_plain_text(tmp_path, capsys):
    path = tmp_path / "ok.toml"
    path.write_text(_edit("staff = 2", 'staff = 2\nlabel = "$\\\\frac{1}{$"'))
    assert main(["check", str(path)]) == 0
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet", "--jobs", "1"]) == 0
    assert "internal error" not in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# 3. Command-line values


BAD_ARGS = [
    (["run", "S", "--replications", "100001"], "must be at most 10,000"),
    (["run", "S", "--replications", "0"], "must be 1 or more"),
    (["run", "S", "--replications", "-1"], "--replications"),
    (["run", "S", "--replications", DIGITS_5000], "expected a whole number"),
    (["run", "S", "--replications", "1e3"], "expected a whole number, got '1e3'"),
    (["run", "S", "--replications", ""], "expected a whole number"),
    (["run", "S", "--seed", "-1"], "must be 0 or more"),
    (["run", "S", "--seed", str(2**63)], "must be at most"),
    (["run", "S", "--jobs", "0"], "must be 1 or more"),
    (["run", "S", "--jobs", "two"], "expected a whole number"),
    (["run", "S", "--out", ""], "--out: empty"),
    (["run", ""], "scenario: empty"),
    (["run", "S", "--lang", "fr"], "--lang"),
    (["sweep", "S", "--station", "desk", "--wfh-share", "0:inf:0.1"], "--wfh-share"),
    (["sweep", "S", "--station", "desk", "--wfh-share", "0:1:1e-12"], "a sweep tries at most 101"),
    (["sweep", "S", "--station", "desk", "--wfh-share", "nan"], "--wfh-share"),
    (["sweep", "S", "--station", "desk", "--wfh-share", ""], "no shares given"),
    (["sweep", "S", "--station", "desk", "--wfh-share", "a,b"], "expected shares between 0 and 1"),
    (["sweep", "S", "--station", "desk", "--wfh-share", "0:1"], "a range is start:stop:step"),
    (["sweep", "S", "--station", "desk", "--wfh-share", "1:0:0.1"], "stop >= start"),
    (["sweep", "S", "--station", "desk", "--wfh-share", "0,1.5"], "between 0 and 1"),
    (["staff", "S", "--share", "nan"], "expected a number between 0 and 1"),
    (["staff", "S", "--share", "2"], "must be more than 0 and at most 1"),
    (["staff", "S", "--share", "inf"], "expected a number between 0 and 1"),
    (["frobnicate"], "invalid choice"),
]


@pytest.mark.parametrize("argv, expected", BAD_ARGS, ids=[" ".join(a)[:40] for a, _ in BAD_ARGS])
def test_bad_command_line_value_is_one_line_and_exit_2(tmp_path, capsys, no_simulation, argv, expected):
    scenario = tmp_path / "s.toml"
    scenario.write_text(BASE)
    argv = [str(scenario) if a == "S" else a for a in argv]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1 and expected in errors[0], errors
    assert len(errors[0]) < 300  # a 5,000-digit value is not echoed back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_jobs_above_the_cpus_is_capped_with_a_note(tmp_path, capsys, fast_charts):
    path = tmp_path / "s.toml"
    path.write_text(BASE)
    out = tmp_path / "out"
    assert main(["run", str(path), "--jobs", "1000000", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "loket: note: --jobs 1,000,000 is more than the" in err
    assert json.loads((out / "run.json").read_text())["jobs"] <= (os.cpu_count() or 1)


def test_a_run_override_out_of_range_is_one_line_too(tmp_path):
    # The command line bounds --replications; an override that still fails is one line, not a pydantic dump.
    from simulation import load_scenario

    path = tmp_path / "s.toml"
    path.write_text(BASE)
    with pytest.raises(cli.UsageError, match="replications"):
        cli._load(path, replications=100_001)
    assert load_scenario(path).run.replications == 2


# ---------------------------------------------------------------------------------------
# 4. Output folders


def _loket_folder(path: Path, files: dict[str, str]) -> Path:
    """A results folder as Loket writes it (marker included), with the given files."""

    def write(folder):
        for name, text in files.items():
            (folder / name).write_text(text)

    write_results_folder(path, write)
    return path


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(BASE)
    return path


def _refused(argv, capsys, expected):
    assert main(argv) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1 and expected in errors[0], errors
    return errors[0]


@pytest.mark.parametrize("where", [".", "..", "/"])
def test_out_is_never_the_current_folder_an_ancestor_or_the_root(tmp_path, capsys, scenario_file, no_simulation,
                                                                  monkeypatch, where):
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("mine")
    monkeypatch.chdir(work)
    expected = "root of the file system" if where == "/" else "is the current folder or holds it"
    _refused(["run", str(scenario_file), "--out", where], capsys, expected)
    assert (work / "keep.txt").read_text() == "mine"


def test_run_json_does_not_make_a_results_folder(tmp_path, capsys, scenario_file, no_simulation):
    # The data-loss case of the issue: any folder with a run.json used to be replaced.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "run.json").write_text("{}")
    (docs / "notes.txt").write_text("x")
    _refused(["run", str(scenario_file), "--out", str(docs)], capsys, "is not a loket results folder")
    assert sorted(p.name for p in docs.iterdir()) == ["notes.txt", "run.json"]


@pytest.mark.parametrize("case", ["a file", "below a file", "link loop", "forged marker"])
def test_unusable_destinations_are_refused_before_simulating(tmp_path, capsys, scenario_file, no_simulation, case):
    if case == "a file":
        out = tmp_path / "notes.txt"
        out.write_text("mine")
        expected = "exists and is not a folder"
    elif case == "below a file":
        (tmp_path / "notes.txt").write_text("mine")
        out = tmp_path / "notes.txt" / "sub"
        expected = "not a writable folder"
    elif case == "link loop":
        out = tmp_path / "loop"
        out.symlink_to(out)
        expected = "broken symbolic link"
    else:
        out = tmp_path / "forged"
        out.mkdir()
        (out / MARKER).write_text('{"format": "something else"}')
        (out / "thesis.docx").write_text("mine")
        expected = "is not a loket results folder"
    before = _listing(tmp_path)
    _refused(["run", str(scenario_file), "--out", str(out)], capsys, expected)
    assert _listing(tmp_path) == before


def test_a_users_file_with_a_loket_name_is_refused_and_named(tmp_path, capsys, scenario_file, no_simulation):
    out = _loket_folder(tmp_path / "res", {"summary.csv": "a,b\n"})
    (out / "report.html").write_text("my own report")  # not in the marker
    (out / "summary.csv").write_text("edited,by,hand\n")  # in the marker, but changed
    err = _refused(["run", str(scenario_file), "--out", str(out)], capsys,
                   "holds report.html, which Loket did not write")
    assert "summary.csv was changed since Loket wrote it" in err
    assert (out / "report.html").read_text() == "my own report"
    assert (out / "summary.csv").read_text() == "edited,by,hand\n"


def test_rerun_keeps_files_loket_did_not_write(tmp_path, capsys, scenario_file, fast_charts):
    out = tmp_path / "res"
    assert main(["run", str(scenario_file), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    (out / "notes_for_mayor.txt").write_text("keep me")
    (out / "drafts").mkdir()
    (out / "drafts" / "letter.txt").write_text("keep me too")
    assert main(["run", str(scenario_file), "--out", str(out), "--jobs", "1", "--seed", "9"]) == 0
    err = capsys.readouterr().err
    assert "loket: note:" in err and "kept 2 entries Loket did not write: drafts, notes_for_mayor.txt" in err
    assert (out / "notes_for_mayor.txt").read_text() == "keep me"
    assert (out / "drafts" / "letter.txt").read_text() == "keep me too"
    assert json.loads((out / "run.json").read_text())["seed"] == 9
    listed = read_marker(out)
    assert "notes_for_mayor.txt" not in listed and "summary.csv" in listed
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_stale_loket_files_are_replaced_but_nothing_else(tmp_path, scenario_file, fast_charts):
    out = _loket_folder(tmp_path / "res", {"comparison.csv": "old\n", "summary.csv": "old\n"})
    assert main(["run", str(scenario_file), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    assert not (out / "comparison.csv").exists()  # Loket's, unchanged, not written by this run
    assert (out / "summary.csv").read_text() != "old\n"


def test_out_through_a_symbolic_link_replaces_the_target_and_keeps_the_link(tmp_path, scenario_file, fast_charts):
    target = _loket_folder(tmp_path / "real", {"summary.csv": "old\n"})
    link = tmp_path / "link"
    link.symlink_to(target)
    assert main(["run", str(scenario_file), "--out", str(link), "--jobs", "1", "--quiet"]) == 0
    assert link.is_symlink() and (link / "summary.csv").read_text() != "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real", "s.toml"]


def test_out_through_a_dangling_link_writes_where_it_points(tmp_path, scenario_file, fast_charts):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere" / "deeper")
    assert main(["run", str(scenario_file), "--out", str(link), "--jobs", "1", "--quiet"]) == 0
    assert link.is_symlink() and (tmp_path / "nowhere" / "deeper" / MARKER).exists()


def test_an_empty_folder_is_used(tmp_path, scenario_file, fast_charts):
    out = tmp_path / "empty"
    out.mkdir()
    assert main(["run", str(scenario_file), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    assert (out / MARKER).exists()


def test_leftovers_of_a_killed_run_are_cleaned_up(tmp_path, capsys, scenario_file, fast_charts):
    out = _loket_folder(tmp_path / "res", {"summary.csv": "old\n"})
    partial = tmp_path / ".res.partial-x1"
    partial.mkdir()
    (partial / export.PARTIAL).write_text("1\n")
    (partial / "visits.csv").write_text("big\n")
    old = _loket_folder(tmp_path / "other", {"summary.csv": "older\n"})
    (old / "keepme.txt").write_text("mine")
    old = old.rename(tmp_path / ".res.old-x2")
    (tmp_path / ".res.lock").write_text("99999\n")  # left by a SIGKILLed run: no one holds it
    mine = tmp_path / ".res.partial-mine"  # looks similar, but not Loket's: kept
    mine.mkdir()
    assert main(["run", str(scenario_file), "--out", str(out), "--jobs", "1"]) == 0
    assert "removed" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [".res.partial-mine", "res", "s.toml"]
    assert (out / "keepme.txt").read_text() == "mine"


def test_a_run_killed_mid_swap_gets_its_previous_results_back(tmp_path, capsys, scenario_file, fast_charts):
    # Killed (SIGKILL) after moving the old results aside, before moving the new ones in.
    old = _loket_folder(tmp_path / "x", {"summary.csv": "old\n"})
    (old / "keepme.txt").write_text("mine")
    old.rename(tmp_path / ".res.old-77")
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "res"), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "restored" in err and "kept 1 entry Loket did not write: keepme.txt" in err
    assert (tmp_path / "res" / "keepme.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res", "s.toml"]


def test_another_process_writing_the_folder_is_named(tmp_path, capsys, scenario_file, no_simulation):
    out = tmp_path / "res"
    with open(tmp_path / ".res.lock", "w") as f:
        f.write("4242\n")
        f.flush()
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _refused(["run", str(scenario_file), "--out", str(out)], capsys,
                 "another Loket process (pid 4242) is writing this results folder")
    assert not out.exists()


def test_another_users_folder_in_a_sticky_directory_is_refused_before_simulating(tmp_path, capsys, scenario_file,
                                                                                   no_simulation, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    out = _loket_folder(shared / "res", {"summary.csv": "theirs\n"})
    shared.chmod(shared.stat().st_mode | stat.S_ISVTX)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(out).st_uid + 4321)  # we are someone else
    _refused(["run", str(scenario_file), "--out", str(out)], capsys, "belongs to another user")
    assert (out / "summary.csv").read_text() == "theirs\n"


def test_a_read_only_destination_is_refused_before_simulating(tmp_path, capsys, scenario_file, no_simulation,
                                                              monkeypatch):
    parent = tmp_path / "ro"
    parent.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == parent else real_access(p, mode, **kw))
    _refused(["run", str(scenario_file), "--out", str(parent / "res")], capsys, "is not a writable folder")


def test_a_run_too_large_for_memory_is_refused_before_simulating(tmp_path, capsys, no_simulation):
    path = tmp_path / "big.toml"
    path.write_text(BASE.replace("days = 1", 'days = 20\nopen = "00:00"\nclose = "24:00"')
                    .replace("replications = 2", "replications = 5000").replace("per_hour = 10", "per_hour = 5000")
                    .replace("staff = 2", "staff = 500"))
    err = _refused(["run", str(path), "--out", str(tmp_path / "o")], capsys, "too large to run")
    assert "of memory" in err
    assert main(["check", str(path)]) == 2  # check refuses it too
    assert "too large to run" in capsys.readouterr().err


def test_results_that_would_not_fit_on_the_disk_are_refused(tmp_path, capsys, scenario_file, no_simulation,
                                                             monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10, 10, 1))
    _refused(["run", str(scenario_file), "--out", str(tmp_path / "o")], capsys, "would not fit on the disk")


# ---------------------------------------------------------------------------------------
# 5. `loket report` on damaged folders


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """One real results folder (two policies: comparison.csv too), copied for each case."""
    base = tmp_path_factory.mktemp("saved")
    path = base / "s.toml"
    path.write_text(TWO_POLICIES + "wfh_share = { desk = 0.5 }\n")
    assert main(["run", str(path), "--out", str(base / "res"), "--jobs", "1", "--quiet"]) == 0
    return base / "res"


@pytest.fixture
def copy(saved, tmp_path):
    dest = tmp_path / "res"
    shutil.copytree(saved, dest)
    return dest


def _garble(text: str) -> str:
    return "\x00\x01\x02" + text


DAMAGE = [
    ("no marker", lambda f: (f / MARKER).unlink(), "not a loket results folder"),
    ("garbage marker", lambda f: (f / MARKER).write_text("{not json"), "not a loket results folder"),
    ("summary.csv missing", lambda f: (f / "summary.csv").unlink(), "summary.csv is missing"),
    ("summary.csv empty", lambda f: (f / "summary.csv").write_text(""), "summary.csv has changed since Loket wrote it"),
    ("visits.csv cut mid-row", lambda f: os.truncate(f / "visits.csv", os.path.getsize(f / "visits.csv") - 7),
     "visits.csv has changed since Loket wrote it"),
    ("comparison.csv corrupt", lambda f: (f / "comparison.csv").write_text("policy,station\nx\n"),
     "comparison.csv has changed"),
    ("run.json bad", lambda f: (f / "run.json").write_text("{"), "run.json has changed"),
]

# The same damage with the marker rewritten to match: the tables' contents are checked too.
FORGED = [
    ("summary.csv empty", lambda f: (f / "summary.csv").write_text(""), "summary.csv is empty"),
    ("summary.csv garbage", lambda f: (f / "summary.csv").write_bytes(b"\xff\xfe\x00\x00"), "summary.csv is not UTF-8"),
    ("summary.csv binary", lambda f: (f / "summary.csv").write_text("policy,station\n\x00\x00\n"),
     "summary.csv holds binary data"),
    ("visits.csv binary", lambda f: (f / "visits.csv").write_bytes(bytes(range(256)) * 64), "visits.csv is not UTF-8"),
    ("summary.csv without columns", lambda f: (f / "summary.csv").write_text("a,b\n1,2\n"),
     "summary.csv lacks the columns policy, station"),
    ("visits.csv cut mid-row", lambda f: os.truncate(f / "visits.csv", os.path.getsize(f / "visits.csv") - 7),
     "visits.csv ends in the middle of a row"),
    ("visits.csv ragged", lambda f: (f / "visits.csv").write_text(
        (f / "visits.csv").read_text().replace("\n", ",extra\n", 3)), "fields, the header"),
    ("visits.csv replication not a number", lambda f: (f / "visits.csv").write_text(
        (f / "visits.csv").read_text().replace("\noffice,1,", "\noffice,one,", 1)), "replication is not a number"),
    ("comparison.csv corrupt quoting", lambda f: (f / "comparison.csv").write_text('policy,station\n"x\n'),
     "comparison.csv"),
    ("run.json bad", lambda f: (f / "run.json").write_text("{"), "run.json is not valid JSON"),
    ("run.json a list", lambda f: (f / "run.json").write_text("[1, 2]"), "run.json is not a JSON object"),
    ("scenario.resolved.toml bad", lambda f: (f / "scenario.resolved.toml").write_text("name = "),
     "scenario.resolved.toml is not valid TOML"),
    ("scenario.resolved.toml invalid", lambda f: (f / "scenario.resolved.toml").write_text(
        (f / "scenario.resolved.toml").read_text().replace("staff = 2", "staff = -2", 1)),
     "scenario.resolved.toml is not a valid scenario"),
]


def _check_report_refused(folder: Path, capsys, expected: str, before: dict):
    assert main(["report", str(folder)]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1 and expected in errors[0], errors
    assert _listing(folder) == before  # untouched


@pytest.mark.parametrize("case, damage, expected", DAMAGE, ids=[c[0] for c in DAMAGE])
def test_report_refuses_a_damaged_folder_and_leaves_it_alone(copy, capsys, case, damage, expected):
    damage(copy)
    _check_report_refused(copy, capsys, expected, _listing(copy))


@pytest.mark.parametrize("case, damage, expected", FORGED, ids=[c[0] for c in FORGED])
def test_report_checks_the_tables_themselves(copy, capsys, case, damage, expected):
    files = read_marker(copy)
    damage(copy)
    write_marker(copy, previous={k: v for k, v in files.items()})
    _check_report_refused(copy, capsys, expected, _listing(copy))


@pytest.mark.parametrize("case", ["missing", "a file", "empty folder", "sweep of nothing", "users report.html",
                                  "read-only"])
def test_report_refuses_what_it_cannot_redraw(copy, capsys, monkeypatch, tmp_path, case):
    folder = copy
    if case == "missing":
        folder, expected = tmp_path / "nope", "no such folder"
    elif case == "a file":
        folder, expected = copy / "summary.csv", "not a folder"
    elif case == "empty folder":
        folder, expected = tmp_path / "empty", "not a loket results folder"
        folder.mkdir()
    elif case == "sweep of nothing":
        folder, expected = _loket_folder(tmp_path / "v", {"validation.csv": "a\n1\n"}), "nothing to redraw"
    elif case == "users report.html":
        files = read_marker(copy)
        files.pop("report.html")
        write_marker(copy, names=[], previous=files)
        (copy / "report.html").write_text("my own")
        expected = "holds report.html, which Loket did not write"
    else:
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, m, **k: False if Path(p) == copy and m & os.W_OK else real(p, m))
        expected = "read-only"
    before = _listing(folder) if folder.is_dir() else None
    assert main(["report", str(folder)]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert len(errors) == 1 and expected in errors[0], errors
    if before is not None:
        assert _listing(folder) == before


def test_report_that_fails_while_drawing_leaves_the_folder_as_it_was(copy, capsys, monkeypatch):
    import simulation.charts as charts

    real = charts.write_charts

    def half(folder, lang="en"):
        real(folder, lang)  # some charts are drawn, then one fails
        raise ValueError("a chart could not be drawn")

    monkeypatch.setattr(charts, "write_charts", half)
    before = _listing(copy)
    assert main(["report", str(copy), "--lang", "id"]) == 2
    errors = _error_lines(capsys.readouterr().err)
    assert "cannot redraw the charts and report" in errors[0]
    assert _listing(copy) == before
    assert not [p for p in copy.iterdir() if p.name.startswith(folders.REPORT_TMP)]


def test_report_redraws_in_place_and_updates_the_marker(copy, capsys):
    (copy / "notes.txt").write_text("mine")
    written = []
    for argv in (["report", str(copy), "--lang", "id"], ["report", str(copy)]):
        assert main(argv) == 0
        out = capsys.readouterr().out.strip()
        written += out.split(": wrote ", 1)[1].split(", ")
    assert any(name.startswith("report") and name.endswith(".html") for name in written)
    listed = read_marker(copy)
    for name in written:  # everything redrawn is Loket's, as the marker says
        assert export._unchanged(copy / name, listed[name]), name
    assert "notes.txt" not in listed and (copy / "notes.txt").read_text() == "mine"
    assert not [p for p in copy.iterdir() if p.name.startswith(".") and p.name != MARKER]
    # And the folder can still be replaced by a new run (the redrawn files are Loket's).
    assert export.check_output_folder(copy).keep == ["notes.txt"]


def test_no_traceback_from_a_real_process(tmp_path):
    # The end-to-end contract on a real process: a bad value, a damaged folder.
    import subprocess

    path = tmp_path / "bad.toml"
    path.write_text(BASE.replace("staff = 2", "staff = true"))
    for argv in (["check", str(path)], ["report", str(tmp_path)], ["run", str(path), "--replications", "1e9"]):
        proc = subprocess.run([sys.executable, "-m", "simulation", *argv], capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("loket: error: "), proc.stderr
        assert proc.stdout == ""


def test_a_wrong_weekday_name_as_a_key_is_said_plainly():
    from simulation import ScenarioError, parse_scenario

    data = {"name": "x", "stations": [{"name": "d", "staff": 1, "service": {"dist": "exponential", "mean": 3}}],
            "arrivals": [{"station": "d", "per_hour": 3}], "calendar": {"demand": {"funday": 1.0}}}
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data, "f.toml")
    line = err.value.lines()[0]
    assert line.startswith("f.toml: calendar.demand.funday: must be 'monday', ") and "Input should" not in line
