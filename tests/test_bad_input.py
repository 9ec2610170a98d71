"""Bad scenario files: one clear message naming the file and key, exit status 2, nothing written."""

import subprocess
import sys

import pytest
import tomli_w
from builders import scenario_dict

from simulation.cli import main


def _set(path, value):
    def edit(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def _delete(path):
    def edit(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit


# (case id, edit of a valid scenario, text that must appear in the message: the key path)
CASES = [
    ("missing staff", _delete(["stations", 0, "staff"]), "stations.verifikasi.staff"),
    ("missing stations", _delete(["stations"]), "stations"),
    ("missing arrivals", _delete(["arrivals"]), "arrivals"),
    ("missing service", _delete(["stations", 1, "service"]), "stations.ektp.service"),
    ("unknown top-level key", _set(["nmae"], "x"), "nmae"),
    ("unknown run key", _set(["run", "replication"], 3), "run.replication"),
    ("unknown station key", _set(["stations", 1, "staf"], 3), "stations.ektp.staf"),
    ("unknown distribution key", _set(["stations", 0, "service", "sd"], 1.0), "stations.verifikasi.service.sd"),
    ("wrong type staff", _set(["stations", 0, "staff"], "two"), "stations.verifikasi.staff"),
    ("wrong type days", _set(["run", "days"], 2.5), "run.days"),
    ("wrong type per_hour", _set(["arrivals", 0, "per_hour"], "many"), "arrivals.verifikasi.per_hour"),
    ("negative rate", _set(["arrivals", 0, "per_hour"], [12, 18, -15, 10, 4, 8, 6, 3]),
     "arrivals.verifikasi.per_hour[2]"),
    ("negative single rate", _set(["arrivals", 0, "per_hour"], -1), "arrivals.verifikasi.per_hour"),
    ("negative staff", _set(["stations", 1, "staff"], -2), "stations.ektp.staff"),
    ("next names no station", _set(["stations", 0, "next"], {"ektpp": 0.5}), "stations.verifikasi.next.ektpp"),
    ("probability over 1", _set(["stations", 0, "next"], {"ektp": 1.2}), "stations.verifikasi.next.ektp"),
    ("probabilities sum over 1",
     lambda d: (d["stations"].append({"name": "x", "staff": 1, "service": {"dist": "exponential", "mean": 1}}),
                d["stations"][0].update(next={"ektp": 0.7, "x": 0.6})),
     "stations.verifikasi.next"),
    ("close before open", _set(["run", "close"], "07:00"), "run.close"),
    ("bad time", _set(["run", "open"], "8 pagi"), "run.open"),
    ("arrival station unknown", _set(["arrivals", 0, "station"], "loket9"), "arrivals.loket9.station"),
    ("wrong number of hourly rates", _set(["arrivals", 0, "per_hour"], [1, 2, 3]), "arrivals.verifikasi.per_hour"),
    ("negative service mean", _set(["stations", 0, "service"], {"dist": "exponential", "mean": -3}),
     "stations.verifikasi.service.mean"),
    ("unknown distribution", _set(["stations", 0, "service"], {"dist": "weibull", "mean": 3}),
     "stations.verifikasi.service"),
    ("duplicate station", _set(["stations", 1, "name"], "verifikasi"), "stations (entry 2: 'verifikasi')"),
    ("endless routing loop",
     lambda d: (d["stations"][0].update(next={"ektp": 1.0}), d["stations"][1].update(next={"verifikasi": 1.0})),
     "stations"),
    ("zero replications", _set(["run", "replications"], 0), "run.replications"),
    ("bad after_close", _set(["run", "after_close"], "close"), "run.after_close"),
    ("infinite service mean", _set(["stations", 0, "service"], {"dist": "exponential", "mean": float("inf")}),
     "stations.verifikasi.service.mean"),
    ("nan rate", _set(["arrivals", 0, "per_hour"], float("nan")), "arrivals.verifikasi.per_hour"),
    ("absurd demand", _set(["arrivals", 0, "per_hour"], 1e9), "arrivals"),
    ("warm-up longer than the run", _set(["run", "warmup_minutes"], 1e7), "run.warmup_minutes"),
    ("negative patience", _set(["stations", 0, "patience"], {"dist": "exponential", "mean": -5}),
     "stations.verifikasi.patience.mean"),
    ("return probability above 1", _set(["arrivals", 0, "return_probability"], 1.5),
     "arrivals.verifikasi.return_probability"),
    ("negative quota", _set(["stations", 0, "daily_quota"], -1), "stations.verifikasi.daily_quota"),
    ("class shares above 1", _set(["arrivals", 0, "classes"], [{"name": "lansia", "share": 0.7},
                                                                {"name": "disabilitas", "share": 0.5}]),
     "arrivals.verifikasi.classes"),
    ("unknown language", _set(["lang"], "fr"), "lang"),
]


@pytest.mark.parametrize("case, edit, key", CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_is_rejected_with_a_clear_message(tmp_path, capsys, case, edit, key):
    data = scenario_dict()
    edit(data)
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(data))
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert key in err, err
    assert "Traceback" not in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.toml"]
    # `loket check` says the same and fails the same way.
    assert main(["check", str(path)]) == 2
    assert key in capsys.readouterr().err


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"name = 'x'\n[run\ndays = 3\n", "not valid TOML"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b"name = 'x'\nname = 'y'\n", "not valid TOML"),
    ],
    ids=["syntax error", "binary", "duplicate key"],
)
def test_unparseable_file(tmp_path, capsys, content, expected):
    path = tmp_path / "broken.toml"
    path.write_bytes(content)
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and expected in err
    assert not (tmp_path / "out").exists()


def test_missing_file(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err
    assert "nope.toml" in err and "cannot read" in err


def test_directory_instead_of_file(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_bad_command_line_values_exit_2(capsys):
    for argv in (["run", "x.toml", "--replications", "0"], ["run", "x.toml", "--jobs", "two"],
                 ["run", "x.toml", "--seed", "-1"], ["frobnicate"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2


def test_real_process_prints_no_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    data = scenario_dict()
    data["stations"][0]["staff"] = -1
    path.write_text(tomli_w.dumps(data))
    proc = subprocess.run([sys.executable, "-m", "simulation", "run", str(path), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("loket: error: ") and "staff" in proc.stderr
    assert proc.stdout == ""
    assert not (tmp_path / "o").exists()
