"""Fuzzing (hypothesis): the scenario loader never crashes, and small random offices run correctly.

* Any file, any TOML, any value at any key: :func:`load_scenario` / :func:`parse_scenario`
  either return a scenario or raise :class:`ScenarioError` whose lines are single lines naming
  the source. A scenario that loads also writes and reads back (``scenario.resolved.toml``)
  and gets a size estimate without error.
* Random small valid offices (stations, routing with loops, patience, balking, quotas, rosters,
  priority classes, returns, breaks, work-from-home policies): every arrival ends with exactly
  one outcome, waits are never negative, service never starts before arrival, and the
  officers at a counter never outnumber the roster.

Examples are derandomised (the same every run) so that CI is reproducible.
"""

from __future__ import annotations

import copy
import math
import tomllib

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import ScenarioError, load_scenario, parse_scenario
from simulation.calendar import office_calendar
from simulation.citizens import draw_citizens
from simulation.limits import SizeError, check_run
from simulation.model import Office, StationRules
from simulation.outcomes import OUTCOMES
from simulation.policies import staffing_plan
from simulation.runner import visits_frame
from simulation.scenario import scenario_to_toml

FUZZ = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))

VALID = {
    "name": "fuzz",
    "description": "a small office",
    "run": {"days": 1, "open": "08:00", "close": "12:00", "replications": 2, "seed": 3},
    "calendar": {"breaks": [{"start": "10:00", "end": "10:30"}], "demand": {"monday": 1.2}},
    "stations": [
        {"name": "a", "label": "Desk A", "staff": 2, "service": {"dist": "lognormal", "mean": 4.0, "cv": 0.5},
         "next": {"b": 0.5}, "patience": {"dist": "exponential", "mean": 20}, "daily_quota": 50},
        {"name": "b", "staff": 1, "service": {"dist": "triangular", "min": 1, "mode": 2, "max": 5},
         "roster": [1, 1, 2, 1], "balk_at_queue": 8},
    ],
    "arrivals": [{"station": "a", "per_hour": [5, 8, 6, 4], "return_probability": 0.5, "max_trips": 2,
                  "classes": [{"name": "lansia", "share": 0.2, "priority": 0}]}],
    "policies": {"office": {}, "home": {"label": "Half at home", "wfh_share": {"a": 0.5}, "min_onsite": {"a": 1}}},
}

# Every place a value sits in VALID (and a few that do not exist yet).
PATHS = []


def _collect(node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            _collect(v, path + (k,))
        PATHS.append(path + ("extra_key",))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _collect(v, path + (i,))
    PATHS.append(path)


_collect(VALID, ())

leaves = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.5, 1e300, 1e-300, 10081, 2001, 10**5, "", "08:00", "24:00", "25:00", "a\nb",
                     "$\\frac{1}{$", "exponential", "ektp", "monday"]),
    st.text(max_size=12),
)
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=8)


def _set(data, path, value):
    node = data
    for key in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(key, {})
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return
    if not path:
        return
    key = path[-1]
    if isinstance(node, dict):
        node[key] = value
    elif isinstance(node, list) and isinstance(key, int) and key < len(node):
        node[key] = value


def _delete(data, path):
    node = data
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return
    try:
        del node[path[-1]]
    except (KeyError, IndexError, TypeError):
        pass


def _assert_good_error(exc: ScenarioError, source: str) -> None:
    lines = exc.lines()
    assert lines
    for line in lines:
        assert "\n" not in line and "\r" not in line
        assert line.startswith(f"{source}: ")
        assert "Input should" not in line and "constrained-" not in line and "tuple[" not in line, line


def _accepted(scenario) -> None:
    again = parse_scenario(tomllib.loads(scenario_to_toml(scenario)), source="resolved")
    assert again.name == scenario.name
    try:
        check_run(scenario, jobs=2)
    except SizeError:
        pass


@settings(FUZZ, max_examples=150)
@given(edits=st.lists(st.tuples(st.sampled_from(PATHS), values, st.booleans()), min_size=1, max_size=3))
def test_any_value_at_any_key_is_accepted_or_explained(edits):
    data = copy.deepcopy(VALID)
    for path, value, delete in edits:
        if delete:
            _delete(data, path)
        else:
            _set(data, path, value)
    try:
        scenario = parse_scenario(data, source="fuzz.toml")
    except ScenarioError as exc:
        _assert_good_error(exc, "fuzz.toml")
    else:
        _accepted(scenario)


@settings(FUZZ, max_examples=60)
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8")),
                     st.sampled_from([b"[[stations]]\n" * 5, b"name = 1e999", b"a = [" * 50, b"\xef\xbb\xbf",
                                      b"name = 'x'\n" + b"[run]\ndays = 1\n" * 2])))
def test_any_file_is_loaded_or_explained(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "f.toml"
    path.write_bytes(raw)
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        _assert_good_error(exc, str(path))
    else:  # pragma: no cover - random bytes are rarely a scenario
        _accepted(scenario)


# ---------------------------------------------------------------------------------------
# Random small offices that run


def _dist(draw):
    kind = draw(st.sampled_from(["exponential", "deterministic", "lognormal", "gamma", "triangular", "uniform",
                                 "empirical"]))
    mean = draw(st.floats(0.5, 8))
    if kind in ("exponential", "deterministic"):
        return {"dist": kind, "mean": mean}
    if kind in ("lognormal", "gamma"):
        return {"dist": kind, "mean": mean, "cv": draw(st.floats(0.001, 3))}
    if kind == "triangular":
        return {"dist": kind, "min": 0.2, "mode": mean, "max": mean + draw(st.floats(0.1, 5))}
    if kind == "uniform":
        return {"dist": kind, "min": 0.1, "max": mean + 0.5}
    return {"dist": kind, "values": draw(st.lists(st.floats(0, 10), min_size=1, max_size=5))}


@st.composite
def offices(draw):
    n = draw(st.integers(1, 3))
    hours = 4
    stations = []
    for i in range(n):
        station = {"name": f"s{i}", "staff": draw(st.integers(1, 3)), "service": _dist(draw)}
        nxt = {}
        for j in range(n):
            if j > i and draw(st.booleans()):
                nxt[f"s{j}"] = draw(st.floats(0, 0.45))
        if draw(st.integers(0, 4)) == 0:
            nxt[f"s{i}"] = draw(st.floats(0, 0.4))  # a loop back to the same desk
        if nxt:
            station["next"] = nxt
        if draw(st.booleans()):
            station["patience"] = _dist(draw)
        if draw(st.integers(0, 3)) == 0:
            station["balk_at_queue"] = draw(st.integers(1, 6))
        if draw(st.integers(0, 3)) == 0:
            station["balk_at_wait_minutes"] = draw(st.floats(1, 60))
        if draw(st.integers(0, 3)) == 0:
            station["daily_quota"] = draw(st.integers(0, 30))
        if draw(st.integers(0, 2)) == 0:
            station["roster"] = draw(st.lists(st.integers(1, 3), min_size=hours, max_size=hours))
        stations.append(station)
    arrivals = []
    for _ in range(draw(st.integers(1, 2))):
        stream = {"station": f"s{draw(st.integers(0, n - 1))}",
                  "per_hour": draw(st.one_of(st.floats(0, 15), st.lists(st.floats(0, 15), min_size=hours,
                                                                        max_size=hours)))}
        if draw(st.booleans()):
            stream["return_probability"] = draw(st.floats(0, 1))
            stream["max_trips"] = draw(st.integers(1, 3))
        if draw(st.booleans()):
            stream["classes"] = [{"name": "lansia", "share": draw(st.floats(0, 0.5)), "priority": 0}]
        if draw(st.booleans()):
            stream["travel"] = {"dist": "exponential", "mean": 20}
        arrivals.append(stream)
    data = {
        "name": "fuzzrun",
        "run": {"days": draw(st.integers(1, 2)), "open": "08:00", "close": "12:00", "replications": 1,
                "seed": draw(st.integers(0, 2**32)), "after_close": draw(st.sampled_from(["serve", "turn_away"]))},
        "stations": stations,
        "arrivals": arrivals,
    }
    if draw(st.booleans()):
        data["calendar"] = {"breaks": [{"start": "10:00", "end": "10:30"}]}
    if draw(st.booleans()):
        target = f"s{draw(st.integers(0, n - 1))}"
        data["policies"] = {"office": {}, "home": {"wfh_share": {target: draw(st.floats(0, 1))}}}
    return data


@settings(FUZZ, max_examples=100)
@given(data=offices())
def test_random_small_offices_keep_every_invariant(data):
    scenario = parse_scenario(data)
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, 1)
    rules = StationRules.from_scenario(scenario)
    for name in scenario.staffing_policies():
        office = Office(calendar, citizens, after_close=scenario.run.after_close,
                        plan=staffing_plan(scenario, name, calendar), rules=rules)
        log = office.run()
        v = visits_frame(scenario, calendar, citizens, log, name, 1)
        # Every visit made ends in exactly one outcome, and every citizen made their first visit.
        assert set(v["outcome"].astype(str)) <= set(OUTCOMES)
        assert not v.duplicated(["citizen", "trip", "step"]).any()
        first = v[(v.trip == 1) & (v.step == 1)]
        assert sorted(first.citizen) == list(range(1, len(citizens) + 1))
        # A trip goes on after a visit only if the citizen was served there.
        for (_, _), trip in v.groupby(["citizen", "trip"], sort=False):
            steps = trip.step.to_numpy()
            assert list(steps) == list(range(1, len(steps) + 1))
            assert (trip.outcome.astype(str).to_numpy()[:-1] == "served").all()
        # Waits are never negative; service never starts before arrival nor ends before it starts.
        wait = v["wait"].to_numpy(dtype=float)
        assert (wait[~np.isnan(wait)] >= -1e-9).all()
        served = v[v.outcome.astype(str) == "served"]
        assert (served.service_start >= served.arrival - 1e-9).all()
        assert (served.service_end >= served.service_start - 1e-9).all()
        # Officers at a counter never outnumber the roster (or the staff, without one).
        for s, station in enumerate(scenario.stations):
            most = max(station.roster) if station.roster else station.staff
            _, levels = office.staff_timeline(s)
            assert len(levels) == 0 or levels.max() <= most
            assert math.isfinite(levels.sum())


def test_the_fuzzing_base_office_runs_through_the_public_api():
    # The office every loader example starts from, end to end: what `loket run` does, without the folder.
    from simulation import run_scenario

    data = copy.deepcopy(VALID)
    results = run_scenario(parse_scenario(data), jobs=1)
    assert len(results.visits) and results.summary["arrived"].ge(0).all()
