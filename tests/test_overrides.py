"""Scenario variants by dotted keys: ``Scenario.with_overrides`` and ``loket ... --set KEY=VALUE``.

A variant is validated exactly like a file: the same problems, with the same key paths and
messages, as the same change written into the file — and the override is named.
"""

import json
from pathlib import Path

import pytest

from simulation import ScenarioError, load_scenario
from simulation.cli import main
from simulation.overrides import origin, parse_assignment

DUKCAPIL = Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml"

SMALL = """\
name = "small"

[run]
days = 1
replications = 2
seed = 3
after_close = "serve"

[[stations]]
name = "ektp"
staff = 3
service = { dist = "exponential", mean = 5 }

[[arrivals]]
name = "ektp"
station = "ektp"
per_hour = 10

[policies.full_office]

[policies.wfh_half]
wfh_share = { ektp = 0.5 }
"""


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_each_kind_of_key_changes_what_it_names():
    scenario = load_scenario(DUKCAPIL)
    variant = scenario.with_overrides({
        "stations.ektp.staff": 4,
        "arrivals.ektp.per_hour": 12.5,
        "policies.wfh_50.wfh_share.ektp": 0.25,
        "run.replications": 7,
        "calendar.demand.monday": 1.4,
        "stations.kk_akta.service.mean": 9.0,
    })
    ektp = variant.stations[variant.station_index("ektp")]
    assert ektp.staff == 4
    assert variant.arrivals[0].per_hour == 12.5
    assert variant.policies["wfh_50"].wfh_share["ektp"] == 0.25
    assert variant.run.replications == 7
    assert variant.calendar.demand["monday"] == 1.4
    assert variant.stations[variant.station_index("kk_akta")].service.mean == 9.0
    # The computed on-site staff follows the new keys: floor(4 x 0.25) = 1 at home.
    assert variant.policies["wfh_50"].onsite["ektp"] == (3, 3, 3, 3, 3)
    # The original is untouched; everything else is as it was.
    assert scenario.stations[scenario.station_index("ektp")].staff == 3
    assert variant.with_overrides({"stations.ektp.staff": 3, "arrivals.ektp.per_hour": scenario.arrivals[0].per_hour,
                                   "policies.wfh_50.wfh_share.ektp": 0.5, "run.replications": 30,
                                   "calendar.demand.monday": 1.25, "stations.kk_akta.service.mean": 8.0}) == scenario


def test_overrides_are_remembered_in_order():
    variant = load_scenario(DUKCAPIL).with_overrides({"stations.ektp.staff": 4}).with_run(replications=3)
    variant = variant.with_overrides({"run.days": 5, "stations.ektp.staff": 5})
    assert origin(variant).overrides == (("stations.ektp.staff", 5), ("run.days", 5))
    assert origin(variant).path == str(DUKCAPIL)
    assert origin(variant).raw == DUKCAPIL.read_bytes()


def test_a_missing_table_is_added_and_none_removes_a_key(small):
    scenario = load_scenario(small)
    variant = scenario.with_overrides({"calendar.demand.monday": 1.5, "stations.ektp.patience":
                                       {"dist": "exponential", "mean": 20}})
    assert variant.calendar.demand == {"monday": 1.5}
    assert variant.stations[0].patience.mean == 20
    assert variant.with_overrides({"stations.ektp.patience": None}).stations[0].patience is None


# The same mistake as an override and written into the file: (key, value, text in the file, replacement).
SAME_AS_FILE = [
    ("stations.ektp.staff", -2, "staff = 3", "staff = -2"),
    ("stations.ektp.staff", True, "staff = 3", "staff = true"),
    ("stations.ektp.staff", "3", "staff = 3", 'staff = "3"'),
    ("stations.ektp.staf", 3, "staff = 3", "staff = 3\nstaf = 3"),
    ("run.replicaton", 3, "replications = 2", "replications = 2\nreplicaton = 3"),
    ("run.after_close", "later", 'after_close = "serve"', 'after_close = "later"'),
    ("arrivals.ektp.per_hour", [1, 2], "per_hour = 10", "per_hour = [1, 2]"),
    ("arrivals.ektp.per_hour", -1, "per_hour = 10", "per_hour = -1"),
    ("policies.wfh_half.wfh_share.ektq", 0.5, "wfh_share = { ektp = 0.5 }", "wfh_share = { ektp = 0.5, ektq = 0.5 }"),
    ("policies.wfh_half.wfh_share.ektp", 1.5, "wfh_share = { ektp = 0.5 }", "wfh_share = { ektp = 1.5 }"),
    ("stations.ektp.service.dist", "weibull", 'dist = "exponential"', 'dist = "weibull"'),
    ("runn", {"days": 2}, "[run]", "[runn]\ndays = 2\n[run]"),
]


@pytest.mark.parametrize("key, value, old, new", SAME_AS_FILE, ids=[f"{k}={v!r}" for k, v, *_ in SAME_AS_FILE])
def test_a_bad_override_gets_the_files_message(small, tmp_path, key, value, old, new):
    edited = tmp_path / "edited.toml"
    edited.write_text(SMALL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as from_file:
        load_scenario(edited)
    with pytest.raises(ScenarioError) as from_override:
        load_scenario(small).with_overrides({key: value})
    assert from_override.value.problems == from_file.value.problems
    # The source names the scenario and the override.
    assert from_override.value.source.startswith(f"{small} with {key}=")
    for line, problem in zip(from_override.value.lines(), from_file.value.lines()):
        assert line.endswith(problem.removeprefix(f"{edited}: "))


@pytest.mark.parametrize("key, message", [
    ("stations.ektq.staff", "stations.ektq: no station named 'ektq' (did you mean 'ektp'?); stations are 'ektp'"),
    ("arrivals.ektq.per_hour", "arrivals.ektq: no arrival stream named 'ektq' (did you mean 'ektp'?)"),
    ("policies.wfh_hlf.wfh_share.ektp", "policies.wfh_hlf: no policy named 'wfh_hlf' (did you mean 'wfh_half'?)"),
    ("run.days.monday", "run.days: is 1, not a table: it has no key 'monday'"),
    ("stations..staff", "is not a dotted key"),
])
def test_keys_that_lead_nowhere_are_explained(small, key, message):
    with pytest.raises(ScenarioError) as exc:
        load_scenario(small).with_overrides({key: 1})
    assert len(exc.value.lines()) == 1
    assert message in exc.value.lines()[0]
    assert exc.value.lines()[0].startswith(f"{small} with {key}=1: ")


@pytest.mark.parametrize("text, expected", [
    ("stations.ektp.staff=4", ("stations.ektp.staff", 4)),
    ("arrivals.ektp.per_hour=[20, 30.5]", ("arrivals.ektp.per_hour", [20, 30.5])),
    ('run.after_close="turn_away"', ("run.after_close", "turn_away")),
    ("run.after_close=turn_away", ("run.after_close", "turn_away")),
    ("run.open=09:00", ("run.open", "09:00")),
    ("stations.ektp.patience={dist = 'exponential', mean = 30}",
     ("stations.ektp.patience", {"dist": "exponential", "mean": 30})),
    (" stations.ektp.in_person_only = true ", ("stations.ektp.in_person_only", True)),
])
def test_set_values_are_toml(text, expected):
    assert parse_assignment(text) == expected


@pytest.mark.parametrize("text", ["stations.ektp.staff", "=4", "stations.ektp.staff=", "a..b=1", "x=[1,",
                                  "x=two words"])
def test_set_without_a_usable_key_or_value_is_refused(text):
    with pytest.raises(ValueError):
        parse_assignment(text)


# ---------------------------------------------------------------------------------------
# The command line


@pytest.mark.parametrize("command", [["run"], ["sweep", "--station", "ektp", "--wfh-share", "0,0.5"], ["staff"]])
def test_set_with_an_unknown_key_exits_2_with_the_files_message(small, tmp_path, capsys, command):
    out = tmp_path / "out"
    code = main([command[0], str(small), *command[1:], "--set", "stations.ektp.staf=4", "--out", str(out), "--quiet"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"loket: error: {small} with --set stations.ektp.staf=4: stations.ektp.staf: "
                   "unknown key (did you mean 'staff'?)"]
    assert not out.exists() and not list(tmp_path.glob(".out*"))


@pytest.mark.parametrize("option, message", [
    ("stations.ektp.staff=-1", "stations.ektp.staff: must be 0 or more (got -1)"),
    ("stations.ektp.staff=2.5", "stations.ektp.staff: must be a whole number (got 2.5)"),
    ("stations.ektq.staff=1", "stations.ektq: no station named 'ektq'"),
    ("stations.ektp.staff", "argument --set: expected KEY=VALUE"),
    ("stations.ektp.staff=[1,", "argument --set: stations.ektp.staff: '[1,' is not a TOML value"),
])
def test_set_with_a_bad_value_exits_2_in_one_line(small, tmp_path, capsys, option, message):
    out = tmp_path / "out"
    try:
        code = main(["run", str(small), "--set", option, "--out", str(out), "--quiet"])
    except SystemExit as exc:  # argparse: a malformed option
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("loket: error: ") and message in err[0]
    assert not out.exists()


def test_set_is_recorded_in_the_results_folder(small, tmp_path):
    out = tmp_path / "out"
    code = main(["run", str(small), "--set", "stations.ektp.staff=4", "--set", "arrivals.ektp.per_hour=[8, 9, 10, 11,"
                 " 12, 11, 10, 9]", "--set", "stations.ektp.staff=5", "--out", str(out), "--quiet"])
    assert code == 0
    info = json.loads((out / "run.json").read_text())
    assert info["overrides"] == {"stations.ektp.staff": 5, "arrivals.ektp.per_hour": [8, 9, 10, 11, 12, 11, 10, 9]}
    # The resolved scenario is what was simulated, and reads back as the variant.
    resolved = load_scenario(out / "scenario.resolved.toml")
    assert resolved.stations[0].staff == 5 and resolved.arrivals[0].per_hour == (8, 9, 10, 11, 12, 11, 10, 9)
    assert resolved == load_scenario(small).with_overrides(info["overrides"])
    # The copy of the input keeps the file as written, headed by a comment naming the overrides.
    saved = (out / "scenario.toml").read_text(encoding="utf-8")
    head, _, rest = saved.partition("\n\n")
    assert rest == SMALL
    assert all(line.startswith("#") for line in head.splitlines())
    assert "#   stations.ektp.staff = 5" in head and "#   arrivals.ektp.per_hour = [8, 9, 10" in head


def test_without_set_the_input_is_copied_as_it_is(small, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(small), "--out", str(out), "--quiet"]) == 0
    assert (out / "scenario.toml").read_bytes() == small.read_bytes()
    assert json.loads((out / "run.json").read_text())["overrides"] == {}


@pytest.mark.parametrize("command", [["sweep", "--station", "ektp", "--wfh-share", "0,0.5"], ["staff"]])
def test_sweep_and_staff_take_set_too(small, tmp_path, command):
    out = tmp_path / "out"
    assert main([command[0], str(small), *command[1:], "--set", "stations.ektp.staff=4", "--replications", "2",
                 "--out", str(out), "--quiet"]) == 0
    assert json.loads((out / "run.json").read_text())["overrides"] == {"stations.ektp.staff": 4}
    assert load_scenario(out / "scenario.resolved.toml").stations[0].staff == 4
