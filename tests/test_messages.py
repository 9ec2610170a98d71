"""Messages (issue 23): a refusal is its error alone, a missing file gets a suggestion,
``--lang`` ignores case, a share above 1 says what a share is, ``loket check --set``, and
entries named by name as ``--set`` names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import cli
from simulation.cli import main

REPO = Path(__file__).resolve().parent.parent

OFFICE = """\
name = "msg"
[run]
days = 1
replications = 2
[[stations]]
name = "desk"
staff = 2
service = { dist = "exponential", mean = 5 }
[[stations]]
name = "kasir"
staff = 1
service = { dist = "exponential", mean = 2 }
[[arrivals]]
station = "desk"
per_hour = 10
[policies.office]
[policies.home]
wfh_share = { desk = 0.5 }
"""


@pytest.fixture
def office(tmp_path) -> Path:
    path = tmp_path / "msg.toml"
    path.write_text(OFFICE)
    return path


@pytest.fixture
def not_results(tmp_path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    return folder


def _only_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("loket: error: ") and "Traceback" not in err, err
    return lines[0]


def test_a_refused_run_prints_its_error_alone_not_the_warnings_before_it(office, not_results, capsys):
    # loket staff warns that 2 replications are too few, and --jobs above the CPUs gets a note;
    # the folder is then refused: the error line alone.
    assert main(["staff", str(office), "--out", str(not_results), "--jobs", "999"]) == 2
    line = _only_error(capsys.readouterr().err)
    assert "is not a loket results folder" in line


def test_the_warnings_are_said_once_the_checks_pass_before_simulating(office, tmp_path, capsys, monkeypatch):
    def simulating(*args, **kwargs):
        raise RuntimeError("simulating now")

    monkeypatch.setattr(cli, "staffing_advice", simulating)
    assert main(["staff", str(office), "--out", str(tmp_path / "out"), "--jobs", "999"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("loket: warning: staffing advice compares staff levels")
    assert lines[1].startswith("loket: note: --jobs 999 is more than the")
    assert lines[-1].startswith("loket: internal error: RuntimeError: simulating now")


def test_a_missing_scenario_suggests_the_nearest_file_in_scenarios(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert main(["check", "scenarios/kelurahan.toml"]) == 2
    line = _only_error(capsys.readouterr().err)
    assert line == ("loket: error: scenarios/kelurahan.toml: cannot read the file (No such file or directory); "
                    "did you mean "
                    "scenarios/kelurahan_bengkulu.toml?")
    assert main(["run", "scenarios/dukcapil_bengkulu.tml", "--out", "results/never"]) == 2
    assert "did you mean scenarios/dukcapil_bengkulu.toml?" in _only_error(capsys.readouterr().err)
    assert not (REPO / "results" / "never").exists()


def test_a_missing_scenario_with_nothing_like_it_says_so_plainly(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "zzzz/qqqq.toml"]) == 2
    line = _only_error(capsys.readouterr().err)
    assert line == "loket: error: zzzz/qqqq.toml: cannot read the file (No such file or directory)"


@pytest.mark.parametrize("typed, langs", [("ID", ["id"]), ("En,Id", ["en", "id"]), (" id ", ["id"])])
def test_lang_ignores_case(typed, langs):
    parser = cli._parser()
    assert parser.parse_args(["run", "x.toml", "--lang", typed]).lang == langs
    if "," not in typed:
        assert parser.parse_args(["report", "folder", "--lang", typed.strip()]).lang == langs[0]


@pytest.mark.parametrize("edit, where", [
    (("wfh_share = { desk = 0.5 }", "wfh_share = { desk = 50 }"), "policies.home.wfh_share.desk: must be 1 or less"),
    (("per_hour = 10", 'per_hour = 10\nclasses = [{ name = "lansia", share = 20 }]'),
     "arrivals.desk.classes.lansia.share: must be 1 or less"),
    (("wfh_share = { desk = 0.5 }", "wfh_share = { desk = [0.5, 0.5, 50, 0.5, 0.5] }"),
     "policies.home.wfh_share.desk[2]: must be 1 or less"),
])
def test_a_share_above_one_says_what_a_share_is(tmp_path, capsys, edit, where):
    path = tmp_path / "share.toml"
    path.write_text(OFFICE.replace(*edit))
    assert main(["check", str(path)]) == 2
    line = _only_error(capsys.readouterr().err)
    assert where in line and line.endswith("(a share: 0.5 = half)"), line


@pytest.mark.parametrize("argv", [["staff", "{f}", "--share", "90"],
                                  ["sweep", "{f}", "--station", "desk", "--wfh-share", "0,50"]])
def test_a_share_above_one_on_the_command_line_says_what_a_share_is(office, capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main([a.format(f=office) for a in argv])
    assert exc.value.code == 2
    assert "(a share: 0.5 = half)" in _only_error(capsys.readouterr().err)


def test_a_share_of_one_or_less_gets_no_hint(tmp_path, capsys):
    path = tmp_path / "share.toml"
    path.write_text(OFFICE.replace("wfh_share = { desk = 0.5 }", "wfh_share = { desk = -0.5 }"))
    assert main(["check", str(path)]) == 2
    assert "a share" not in _only_error(capsys.readouterr().err)


def test_check_takes_set(office, capsys):
    assert main(["check", str(office), "--set", "stations.desk.staff=4", "--set", "run.days=2"]) == 0
    out = capsys.readouterr().out
    assert "1 station" not in out and "desk             staff   4" in out and "2 day(s)" in out
    assert main(["check", str(office), "--set", "stations.kasir.staff=-1"]) == 2
    line = _only_error(capsys.readouterr().err)
    assert line == (f"loket: error: {office} with --set stations.kasir.staff=-1: stations.kasir.staff: must be 0 "
                    "or more (got -1)")


def test_stations_are_named_by_name_never_by_position(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(OFFICE.replace("staff = 1", "staff = -1").replace("mean = 2 }", "mean = 2, sd = 1 }"))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "stations.kasir.staff: must be 0 or more (got -1)" in err
    assert "stations.kasir.service.sd: unknown key" in err
    assert "stations[" not in err
