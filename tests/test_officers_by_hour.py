"""Officers at the counter by hour: what the simulation staffs, shown per policy, and said in words
where a policy leaves a desk with nobody at the counter; desks that only look better say why."""

import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from simulation import Office, charts, draw_citizens, load_scenario, office_calendar
from simulation import chart_data as cd
from simulation.cli import main
from simulation.model import StationRules
from simulation.policies import staffing_plan
from simulation.report import empty_desk_sentences, report_context
from simulation.scenario import scenario_to_toml

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
KELURAHAN = SCENARIOS / "kelurahan_bengkulu.toml"
SHIPPED = sorted(SCENARIOS.glob("*_bengkulu.toml"))


def resolved(path: Path) -> dict:
    """The resolved scenario as a results folder keeps it (scenario.resolved.toml), read back."""
    return tomllib.loads(scenario_to_toml(load_scenario(path)))


@pytest.fixture(scope="module")
def kelurahan():
    return resolved(KELURAHAN)


@pytest.fixture(scope="module")
def kel_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("obh") / "kel"
    assert main(["run", str(KELURAHAN), "--replications", "2", "--out", str(out), "--quiet", "--lang", "en,id"]) == 0
    return out


# ---------------------------------------------------------------------------------------
# The table is what the simulation staffs


@pytest.mark.parametrize("path", [KELURAHAN, SCENARIOS / "dukcapil_bengkulu.toml"], ids=lambda p: p.stem)
def test_the_table_is_what_the_counters_are_staffed_with_in_the_simulation(path):
    """Every open minute of every simulated day, the engine's own record of staffed counters
    (Office.staff_timeline, after breaks and roster changes) equals the table's hour; in a
    break nobody calls. Policies that recall officers from home are left out (recalls add
    counters as the queue grows, which the plan does not count)."""
    sc = load_scenario(path)
    table = cd.officers_by_hour_table(resolved(path))
    cal = office_calendar(sc)
    citizens = draw_citizens(sc, cal, 1)
    rules = StationRules.from_scenario(sc)
    checked = 0
    for policy in [p for p in sc.staffing_policies() if not sc.policies[p].recall]:
        office = Office(cal, citizens, after_close=sc.run.after_close, plan=staffing_plan(sc, policy, cal),
                        rules=rules)
        office.run()
        for j, st in enumerate(sc.stations):
            times, levels = office.staff_timeline(j)
            mine = table[(table.policy == policy) & (table.station == st.name)]
            for d in range(cal.days):
                wd = int(cal.weekdays[d])
                day = mine[mine.weekday_index == wd].set_index("hour")
                minutes = np.arange(cal.opens[d], cal.closes[d]) + 0.5  # the middle of every open minute
                staffed = levels[np.searchsorted(times, minutes, side="right") - 1]
                hour = ((minutes - cal.opens[d]) // 60).astype(int)
                in_break = np.array([any(b0 <= m < b1 for b0, b1 in cal.breaks[d]) for m in minutes])
                expected = np.where(in_break, 0, day.loc[hour, "onsite"].to_numpy())
                np.testing.assert_array_equal(staffed, expected, err_msg=f"{policy} {st.name} day {d + 1}")
                # open minutes of each hour: those outside a break
                per_hour = pd.Series(~in_break).groupby(hour).sum()
                np.testing.assert_array_equal(day.loc[per_hour.index, "open_minutes"], per_hour.to_numpy())
                checked += 1
    assert checked > 20


def test_kelurahan_hours_follow_the_rounding_rule_on_the_roster(kelurahan):
    """By hand from the scenario file: the roster [2, 2, 2, 2, 2, 1, 1, 1] from 08:00; half at
    home sends floor(n / 2) home (nobody in the afternoon), one officer at home sends one home
    every hour (nobody at the desk after lunch), a quarter sends one home on Tuesday and Thursday."""
    roster = next(s for s in kelurahan["stations"] if s["name"] == "pelayanan")["roster"]
    table = cd.officers_by_hour_table(kelurahan)

    def hours(policy, weekday):
        rows = table[(table.policy == policy) & (table.weekday == weekday)].sort_values("hour")
        return rows["onsite"].tolist()

    for weekday in ("monday", "tuesday", "wednesday", "thursday", "friday"):
        assert hours("full_office", weekday) == roster
        assert hours("wfh_50", weekday) == [n - math.floor(n * 0.5) for n in roster]
        assert hours("wfh_satu", weekday) == [n - 1 for n in roster]
        home = 1 if weekday in ("tuesday", "thursday") else 0
        assert hours("wfh_25", weekday) == [n - min(home, n) for n in roster]
    # The same per-weekday numbers, but not the same hours: that is why their results differ.
    weekly = cd.policy_onsite_table(kelurahan).set_index("policy")["onsite"]
    assert weekly["wfh_50"] == weekly["wfh_satu"]
    assert hours("wfh_50", "monday") != hours("wfh_satu", "monday")
    # 13:00-16:00 is empty under wfh_satu every day; the lunch hour is a break, not an empty desk
    empty = table[table.empty_desk]
    assert set(empty.policy) == {"wfh_25", "wfh_satu"}
    assert set(empty.loc[empty.policy == "wfh_satu", "start"]) == {13 * 60, 14 * 60, 15 * 60}
    assert set(empty.loc[empty.policy == "wfh_25", "weekday"]) == {"tuesday", "thursday"}
    lunch = table[(table.start == 12 * 60) & (table.weekday == "monday")]
    assert (lunch.open_minutes == 0).all() and not lunch.empty_desk.any()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_hours_agree_with_the_per_weekday_table_where_it_is_defined(path):
    """The per-weekday table applies a policy to the station's staff: in every hour where the
    roster has the station's whole staff (every hour, without a roster) the table by hour has
    that day's number, and summed over the day's open hours it gives that number times the hours."""
    data = resolved(path)
    table = cd.officers_by_hour_table(data)
    weekly = cd.policy_onsite_table(data)
    staff = {s["name"]: (s["staff"], s.get("roster")) for s in data["stations"]}
    own = {name: (p.get("staff") or {}) for name, p in (data.get("policies") or {}).items()}
    assert set(table.policy) == set(weekly.policy)
    for r in weekly.itertuples(index=False):
        full, roster = staff[r.station]
        if r.station in own[r.policy]:
            continue  # the policy's own number of officers replaces the roster
        rows = table[(table.policy == r.policy) & (table.station == r.station)]
        for wd, day in rows.groupby("weekday_index"):
            whole = day if roster is None else day[[roster[h] == full for h in day.hour]]
            assert len(whole)
            assert (whole.onsite == r.onsite[wd]).all(), (r.policy, r.station, wd)
            if roster is None:
                assert (day.onsite * (day.end - day.start)).sum() == r.onsite[wd] * (day.end - day.start).sum()


def test_a_note_too_long_for_the_loader_does_not_cost_the_charts_the_calendar(kelurahan):
    data = {**kelurahan, "notes": {**(kelurahan.get("notes") or {}), "name": "x" * 900}}
    run = cd.run_settings(data)
    assert run["day_opens"][5] == 7 * 1440  # the second Monday, after a weekend
    assert len(cd.officers_by_hour_table(data))


# ---------------------------------------------------------------------------------------
# Said in words, in both languages


DESK = {"en": "Kelurahan front desk", "id": "Loket pelayanan kelurahan"}
"""The Kelurahan desk's label in each language (label / label_id of the shipped file)."""


def test_the_policies_that_leave_a_desk_empty_are_named_and_no_other(kelurahan):
    for lang, days, hours, every in (("en", "Tue and Thu", "13:00–16:00", "every day"),
                                     ("id", "Sel dan Kam", "13.00–16.00", "setiap hari")):
        labels = cd.policy_labels(kelurahan, lang)
        found = empty_desk_sentences(kelurahan, lang)
        assert list(found) == ["wfh_25", "wfh_satu"]
        for policy, sentence in found.items():
            assert labels[policy] in sentence and DESK[lang] in sentence and hours in sentence
        assert days in found["wfh_25"] and every in found["wfh_satu"]
        assert every not in found["wfh_25"]
        others = [labels[p] for p in labels if p not in found]
        for sentence in found.values():
            assert not any(f"{label}," in sentence for label in others)
    assert "works from home" in empty_desk_sentences(kelurahan, "en")["wfh_satu"]
    assert "bekerja dari rumah" in empty_desk_sentences(kelurahan, "id")["wfh_satu"]
    # only the policies a run simulated
    assert list(empty_desk_sentences(kelurahan, "en", ["full_office", "wfh_50"])) == []


@pytest.mark.parametrize("path", [p for p in SHIPPED if p != KELURAHAN], ids=lambda p: p.stem)
def test_offices_that_keep_every_desk_staffed_name_no_policy(path):
    data = resolved(path)
    assert not cd.officers_by_hour_table(data)["empty_desk"].any()
    assert empty_desk_sentences(data, "en") == {} and empty_desk_sentences(data, "id") == {}


def test_a_desk_with_nobody_rostered_is_named_with_that_reason(kelurahan):
    data = {k: v for k, v in kelurahan.items() if k != "notes"}
    data["stations"] = [{**s, "roster": [2, 2, 2, 2, 2, 1, 1, 0]} for s in data["stations"]]
    data["policies"] = {"full_office": {}}
    assert list(empty_desk_sentences(data, "en")) == ["full_office"]
    sentence = empty_desk_sentences(data, "en")["full_office"]
    assert "every day 15:00–16:00" in sentence and "nobody is rostered there then" in sentence


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_report_says_it_and_shows_the_hours(kel_folder, kelurahan, lang):
    ctx = report_context(kel_folder, lang)
    labels = cd.policy_labels(kelurahan, lang)
    hours = "13:00–16:00" if lang == "en" else "13.00–16.00"
    nobody = "Nobody at the counter at" if lang == "en" else "Tidak ada petugas di"
    # each policy's own bullet says where it leaves the desk empty; no other bullet says it
    bullets = {p: [b for b in ctx["executive"] if b.startswith(f"“{labels[p]}”")] for p in labels}
    for policy, found in bullets.items():
        assert len(found) == 1, (policy, ctx["executive"])
        empty = policy in ("wfh_25", "wfh_satu")
        assert (nobody in found[0] and hours in found[0] and DESK[lang] in found[0]) == empty, found
    # the table by hour follows the per-weekday one; red (empty) cells exactly where the table says
    captions = [tb["caption"] for tb in ctx["tables"]]
    by_hour = ctx["tables"][captions.index(next(c for c in captions if c.startswith(
        "Officers at the counter by hour" if lang == "en" else "Petugas di loket per jam")))]
    assert captions.index(by_hour["caption"]) == 1
    marked = {(row[0], row[2]) for row, marks in zip(by_hour["rows"], by_hour["classes"]) if "empty" in marks}
    assert marked == {(labels["wfh_25"], "Tue and Thu" if lang == "en" else "Sel dan Kam"),
                      (labels["wfh_satu"], "Mon–Fri" if lang == "en" else "Sen–Jum")}
    html = (kel_folder / ("report.html" if lang == "en" else "report.id.html")).read_text(encoding="utf-8")
    assert html.count('class="num empty"') == 6  # 13:00, 14:00, 15:00 in two rows
    assert 'id="chart-officers_by_hour"' in html


def test_the_chart_marks_empty_hours_red_and_says_so_in_its_title(kel_folder, kelurahan):
    data = cd.load_results(kel_folder)
    for lang in ("en", "id"):
        fig = charts.draw_chart("officers_by_hour", data, lang)
        red = [a for a in fig.findobj(lambda a: str(a.get_gid()).startswith("cell/"))
               if np.allclose(a.get_facecolor()[:3], to_rgb(charts.EMPTY_COLOUR))]
        cells = {tuple(a.get_gid().split("/")[1:3]) for a in red}
        assert cells == {("wfh_25", "pelayanan"), ("wfh_satu", "pelayanan")} and len(red) == 6
        title = fig.get_label()
        labels = cd.policy_labels(kelurahan, lang)
        assert labels["wfh_25"] in title and labels["wfh_satu"] in title and labels["wfh_50"] not in title
        assert ("13:00–16:00" if lang == "en" else "13.00–16.00") in title
    table = cd.officers_by_hour_table(kelurahan)
    # every hour of the table is drawn: per policy, a row per desk and weekday group it changes
    rows = cd.officers_by_hour_rows(table)
    assert rows.loc[rows.policy == "wfh_25", "days"].tolist() == [["tuesday", "thursday"]]
    assert rows.loc[rows.policy == "full_office", "days"].tolist() == [["monday", "tuesday", "wednesday",
                                                                         "thursday", "friday"]]


# ---------------------------------------------------------------------------------------
# A desk that only looks better, because citizens are held up before it


def _comparison(rows):
    cols = ["policy", "station", "label", "baseline_mean_wait_all", "policy_mean_wait_all", "diff_mean_wait_all",
            "diff_mean_wait_all_ci_low", "diff_mean_wait_all_ci_high"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def test_a_downstream_desk_that_only_looks_better_is_named_on_the_charts():
    data = resolved(SCENARIOS / "puskesmas_bengkulu.toml")
    labels = cd.policy_labels(data)
    comparison = _comparison([
        # Pendaftaran's wait rises under wfh_25, Poli Umum (after it) falls: held up before it
        ("wfh_25", "pendaftaran", "Pendaftaran", 3.0, 9.0, 6.0, 5.0, 7.0),
        ("wfh_25", "poli_umum", "Poli Umum", 9.0, 6.0, -3.0, -3.5, -2.5),
        # the fall is not significant: not named
        ("wfh_25", "poli_gigi", "Poli Gigi", 9.0, 7.0, -2.0, -4.0, 0.5),
        # Farmasi falls under wfh_rota_1 but no desk before it waits longer: a real change, not named
        ("wfh_rota_1", "pendaftaran", "Pendaftaran", 3.0, 3.1, 0.1, -0.2, 0.4),
        ("wfh_rota_1", "farmasi", "Farmasi (obat jadi)", 2.0, 1.0, -1.0, -1.5, -0.5),
    ])
    notes = cd.downstream_notes(comparison, data)
    assert len(notes) == 1
    args = notes[0]["args"]
    assert args["label"] == ("text", "Poli Umum") and args["stations"] == ("list", ["Pendaftaran"])
    assert args["policies"] == ("list", [labels["wfh_25"]])
    # not when the policy puts more officers at that desk in some hour (its improvement is real)
    more = {**data, "policies": {**data["policies"], "wfh_25": {**data["policies"]["wfh_25"],
                                                               "staff": {"poli_umum": 4}}}}
    more["policies"]["wfh_25"].pop("onsite", None)
    assert cd.downstream_notes(comparison, more) == []
    # said under the headline chart, in each language
    summary = pd.DataFrame({"policy": ["full_office", "wfh_25"], "station": "poli_umum", "label": "Poli Umum",
                            "target_wait_minutes": 60.0, "within_target_share": [0.95, 0.97],
                            "within_target_share_ci_low": [0.9, 0.95], "within_target_share_ci_high": [1.0, 0.99]})
    for lang, words in (("en", "only because citizens are held up at Pendaftaran"),
                        ("id", "hanya karena warga tertahan di Pendaftaran")):
        table = cd.standard_met_table(summary)
        table.attrs["downstream"] = notes
        table.attrs["policy_labels"] = labels
        fig = charts.chart_standard_met(table, lang)
        xlabel = fig.axes[0].get_xlabel().replace("\n", " ")
        assert words in xlabel and "Poli Umum" in xlabel and labels["wfh_25"] in xlabel
        # and the desk itself is starred where it is drawn
        assert [x.get_text().split("\n")[0] for x in fig.axes[0].get_yticklabels()] == ["Poli Umum *"]


def test_the_shipped_puskesmas_run_notes_its_downstream_desks(tmp_path):
    """From a real (short) run: notes name only desks after another whose waits rose, and only
    where both changes are outside their intervals (recomputed here from comparison.csv)."""
    out = tmp_path / "pusk"
    assert main(["run", str(SCENARIOS / "puskesmas_bengkulu.toml"), "--replications", "3", "--out", str(out),
                 "--quiet", "--no-visits"]) == 0
    data = cd.load_results(out)
    comparison = data["comparison"]
    notes = cd.downstream_notes(comparison, data["scenario"])
    assert notes  # patients held up at registration: a clinic after it waits less
    labels = cd.policy_labels(data["scenario"])
    by_label = {v: k for k, v in labels.items()}
    station_of = dict(zip(comparison.label, comparison.station))
    for note in notes:
        desk = station_of[note["args"]["label"][1]]
        for policy in note["args"]["policies"][1]:
            row = comparison[(comparison.policy == by_label[policy]) & (comparison.station == desk)].iloc[0]
            assert row.diff_mean_wait_all_ci_high < 0 and row.policy_mean_wait_all < 0.9 * row.baseline_mean_wait_all
            ups = comparison[(comparison.policy == by_label[policy])
                             & comparison.label.isin(note["args"]["stations"][1])]
            assert (ups.diff_mean_wait_all_ci_low > 0).all() and len(ups)
    fig = charts.draw_chart("standard_met", data, "en")
    assert "not better service" in " ".join(fig.axes[0].get_xlabel().split())
