"""Notes on figures (issue 23): estimates marked by comments are kept as data.

``scenario.resolved.toml`` and the web page's plan file carry a ``[notes]`` table, so a run
from them lists the same estimates as the run they came from; ``loket check`` validates it.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from simulation import load_scenario, parse_scenario
from simulation.cli import main
from simulation.notes import comment_notes, estimates, scenario_notes
from simulation.report import assumptions
from simulation.scenario import scenario_to_toml

OFFICE = '''\
# A small office. Figures are measured unless a note says otherwise.
name = "noted"
description = "Not a comment: # estimate"   # the office
[run]
days = 2
replications = 2
seed = 3
close = "15:00"             # (estimate: as the office next door)

[[stations]]
name = "loket"
staff = 2                   # (estimate, from the roster)
# A registration desk takes about 3 minutes; CV 0.5 is an assumption.
service = { dist = "lognormal", mean = 3.0, cv = 0.5 }
target_wait_minutes = 15    # the city's standard

[[stations]]
name = "kasir"
staff = 1
service = { dist = "exponential", mean = 2.0 }

# Perkiraan: arrivals per hour from opening
[[arrivals]]
station = "loket"
per_hour = [
    10, 12, 9,   # morning (perkiraan)
    5, 6, 8, 4,
]

[policies.office]
[policies.home]
wfh_share = { loket = 0.5 }  # an assumption, a what-if
'''


def test_comments_that_mark_estimates_become_notes_by_dotted_key():
    notes = comment_notes(OFFICE)
    assert list(notes) == ["run.close", "stations.loket.staff", "stations.loket.service", "arrivals.loket.per_hour",
                           "policies.home.wfh_share"]
    assert notes["stations.loket.service"] == "A registration desk takes about 3 minutes; CV 0.5 is an assumption."
    assert notes["arrivals.loket.per_hour"] == "morning (perkiraan)"  # the header above reset the comment run
    assert "description" not in notes  # a '#' inside a string is not a comment


def test_the_resolved_scenario_carries_the_notes_as_data(tmp_path):
    path = tmp_path / "noted.toml"
    path.write_text(OFFICE)
    scenario = load_scenario(path)
    assert scenario.notes == {}  # the file has no [notes] table: the comments are read when written out
    resolved = tomllib.loads(scenario_to_toml(scenario))
    assert resolved["notes"] == comment_notes(OFFICE)
    again = parse_scenario(resolved)
    assert again == scenario and again.notes == resolved["notes"]
    assert scenario_notes(again) == scenario_notes(scenario)
    shown = estimates(resolved)
    assert [e["key"] for e in shown] == list(resolved["notes"])
    assert shown[1] == {"key": "stations.loket.staff", "value": "2", "comment": "(estimate, from the roster)"}
    assert shown[2]["value"] == '{ dist = "lognormal", mean = 3.0, cv = 0.5 }'


def test_a_note_on_a_figure_set_on_the_command_line_is_not_carried(tmp_path):
    path = tmp_path / "noted.toml"
    path.write_text(OFFICE)
    variant = load_scenario(path).with_overrides({"stations.loket.staff": 4})
    notes = scenario_notes(variant)
    assert "stations.loket.staff" not in notes and "stations.loket.service" in notes


@pytest.mark.parametrize("table, message", [
    ('"stations.nope.staff" = "estimate"', "notes.stations.nope.staff: names no key of the scenario"),
    ('"stations.loket.staf" = "estimate"', "notes.stations.loket.staf: names no key of the scenario"),
    ('"stations.loket.staff" = "two\\nlines"', "notes.stations.loket.staff: must be one line of plain text"),
    ('"stations.loket.staff" = 3', "notes.stations.loket.staff: must be text in quotes"),
    ('"stations.loket.staff" = "' + "x" * 401 + '"', "notes.stations.loket.staff: must be at most 400 characters"),
])
def test_loket_check_validates_the_notes_table(tmp_path, capsys, table, message):
    path = tmp_path / "bad.toml"
    path.write_text(OFFICE + "\n[notes]\n" + table + "\n")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err, err


def test_loket_check_accepts_notes_on_any_key_as_set_names_it(tmp_path, capsys):
    path = tmp_path / "ok.toml"
    path.write_text(OFFICE + '\n[notes]\n"stations.kasir.service" = "estimate: timed once"\n'
                             '"policies.home.wfh_share.loket" = "the city\'s cap"\n"run.days" = "two days"\n')
    assert main(["check", str(path)]) == 0
    notes = scenario_notes(load_scenario(path))
    assert notes["stations.kasir.service"] == "estimate: timed once"  # the table first, then the comments
    assert "stations.loket.staff" in notes


def _run(scenario: Path, out: Path) -> None:
    assert main(["run", str(scenario), "--out", str(out), "--jobs", "1", "--quiet"]) == 0


def test_a_run_from_the_saved_resolved_scenario_gives_the_same_report(tmp_path):
    path = tmp_path / "noted.toml"
    path.write_text(OFFICE)
    first, second = tmp_path / "first", tmp_path / "second"
    _run(path, first)
    _run(first / "scenario.resolved.toml", second)
    # The same report, tables, charts and resolved scenario; only run.json (when, how long,
    # which file) and the copy of the input file differ.
    names = sorted(p.name for p in first.iterdir() if p.is_file() and not p.name.startswith("."))
    assert names == sorted(p.name for p in second.iterdir() if p.is_file() and not p.name.startswith("."))
    differ = [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert differ == ["run.json", "scenario.toml"], differ
    one, two = (json.loads((f / "run.json").read_text()) for f in (first, second))
    for key in ("started_utc", "wall_time_seconds", "scenario_file", "command"):
        one.pop(key, None)
        two.pop(key, None)
    assert one == two
    listed = [e["key"] for e in assumptions(second, {"scenario": tomllib.loads(
        (second / "scenario.resolved.toml").read_text())})["estimates"]]
    assert listed == list(comment_notes(OFFICE)) and "stations.loket.staff" in (second / "report.html").read_text()


def test_a_folder_written_before_notes_were_kept_reads_them_from_the_comments(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "scenario.toml").write_text(OFFICE)
    resolved = tomllib.loads(scenario_to_toml(parse_scenario(tomllib.loads(OFFICE))))
    resolved.pop("notes", None)  # as Loket wrote it before
    listed = assumptions(folder, {"scenario": resolved})
    assert [e["key"] for e in listed["estimates"]] == list(comment_notes(OFFICE)) and listed["source_saved"]


def test_the_web_page_plan_file_keeps_the_office_notes():
    pytest.importorskip("streamlit")
    from simulation.app import Plan, build_variant, shipped_scenarios, variant_toml

    path = shipped_scenarios()["dukcapil_bengkulu"]
    office = load_scenario(path)
    data = build_variant(office, Plan(officers={"verifikasi": 3}))
    plan = parse_scenario(tomllib.loads(variant_toml(data)))
    expected = {k: v for k, v in scenario_notes(office).items()
                if k != "stations.verifikasi.staff" and not k.startswith("policies.")}
    assert plan.notes == expected and len(expected) >= 10


# -- Both languages: [notes_id] (issue 22) ------------------------------------------------------------------

INDONESIAN_NOTES = '''
[notes_id]
"stations.loket.staff" = "(perkiraan, dari jadwal petugas)"
"stations.kasir.staff" = "perkiraan: satu kasir"
'''


def test_notes_in_bahasa_indonesia_round_trip_and_fall_back_to_the_other_language(tmp_path):
    path = tmp_path / "noted.toml"
    path.write_text(OFFICE + INDONESIAN_NOTES, encoding="utf-8")
    scenario = load_scenario(path)
    resolved = tomllib.loads(scenario_to_toml(scenario))
    assert resolved["notes_id"] == {"stations.loket.staff": "(perkiraan, dari jadwal petugas)",
                                    "stations.kasir.staff": "perkiraan: satu kasir"}
    assert resolved["notes"] == comment_notes(OFFICE)  # the comments stay the English notes
    english = {e["key"]: e["comment"] for e in estimates(resolved, "en")}
    indonesian = {e["key"]: e["comment"] for e in estimates(resolved, "id")}
    assert list(english) == list(indonesian)
    # A figure noted in both languages shows each reader their own note ...
    assert english["stations.loket.staff"] == "(estimate, from the roster)"
    assert indonesian["stations.loket.staff"] == "(perkiraan, dari jadwal petugas)"
    # ... one noted in one language only shows that note to both.
    assert indonesian["run.close"] == english["run.close"] == "(estimate: as the office next door)"
    assert english["stations.kasir.staff"] == indonesian["stations.kasir.staff"] == "perkiraan: satu kasir"
    # The resolved file reads back to the same notes in both languages.
    again = parse_scenario(resolved)
    assert dict(again.notes_id) == resolved["notes_id"] and scenario_to_toml(again) == scenario_to_toml(scenario)


def test_a_note_in_bahasa_indonesia_on_no_figure_is_refused():
    from simulation import ScenarioError

    with pytest.raises(ScenarioError, match=r"notes_id\.stations\.nope\.staff: names no key"):
        from simulation.scenario import loads_scenario

        loads_scenario((OFFICE + '[notes_id]\n"stations.nope.staff" = "perkiraan"\n').encode())


def test_the_report_names_each_estimate_in_words_in_its_own_language(shipped_runs):
    """``staff = 2 — estimate`` three times told the reader nothing: each estimate now names its
    desk by the label of the report's language and the quantity in words, then the note in that
    language; one line per figure the resolved scenario marks (in either language)."""
    import re

    from simulation.notes import ESTIMATE

    folder = shipped_runs["dukcapil_bengkulu"]
    resolved = tomllib.loads((folder / "scenario.resolved.toml").read_text(encoding="utf-8"))
    marked = [k for k in dict.fromkeys([*resolved.get("notes", {}), *resolved.get("notes_id", {})])
              if any(ESTIMATE.search(resolved.get(t, {}).get(k, "")) for t in ("notes", "notes_id"))]
    stations = {st["name"]: st for st in resolved["stations"]}
    for lang, report, label_key, officers in (("en", "report.html", "label", "officers at the counter"),
                                              ("id", "report.id.html", "label_id", "petugas di loket")):
        page = (folder / report).read_text(encoding="utf-8")
        items = re.findall(r'<li title="([^"]+)">(.*?)</li>', page)
        assert [key for key, _ in items] == marked
        for key, text in items:
            assert key not in text  # no TOML line
            parts = key.split(".")
            if parts[0] == "stations":
                label = stations[parts[1]][label_key]
                assert text.startswith(f"{label.replace('&', '&amp;')}: "), (lang, text)
            if parts[0] == "stations" and parts[2] == "staff":
                assert f"{stations[parts[1]]['staff']} {officers} — " in text
            note = resolved["notes_id" if lang == "id" else "notes"][key]
            assert note.strip("()").replace("&", "&amp;").replace('"', "&#34;") in text


def test_figures_in_words_in_both_languages():
    from simulation.figure_words import figure_in_words

    scenario = load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "kelurahan_bengkulu.toml")
    data = tomllib.loads(scenario_to_toml(scenario))
    words = {lang: {key: figure_in_words(data, key, lang) for key in
                    ("stations.pelayanan.staff", "stations.pelayanan.service", "arrivals.warga.return_probability",
                     "arrivals.warga.per_hour", "run.open", "calendar.demand", "policies.wfh_50.wfh_share")}
             for lang in ("en", "id")}
    en, id_ = words["en"], words["id"]
    assert en["stations.pelayanan.staff"] == "Kelurahan front desk: 2 officers at the counter"
    assert id_["stations.pelayanan.staff"] == "Loket pelayanan kelurahan: 2 petugas di loket"
    assert en["stations.pelayanan.service"].endswith("service time, mean 10 min (lognormal, coefficient of "
                                                     "variation 0.5)")
    assert id_["stations.pelayanan.service"].endswith("rata-rata 10 menit (lognormal, koefisien variasi 0,5)")
    assert en["arrivals.warga.return_probability"] == ("Citizens coming to Kelurahan front desk: 80 % of those sent "
                                                       "home unserved come back the next working day")
    # 24 a day: the hourly rates over the eight open hours; Indonesian lists numbers with ";" (the comma is decimal).
    per_hour = en["arrivals.warga.per_hour"], id_["arrivals.warga.per_hour"]
    assert "4.32, 5.04, 4.32" in per_hour[0] and "(about 24 a day)" in per_hour[0]
    assert "4,32; 5,04; 4,32" in per_hour[1] and "(sekitar 24 sehari)" in per_hour[1]
    assert (en["run.open"], id_["run.open"]) == ("Opening time: 08:00", "Jam buka: pukul 08.00")
    assert id_["calendar.demand"].endswith("Sen ×1,25; Sel ×1,1; Rab ×1; Kam ×0,95; Jum ×0,7")
    # A key without words of its own: what it belongs to (the policy by its label), the rest of the key, the value.
    assert en["policies.wfh_50.wfh_share"] == "Hypothetical: half at home: wfh share: pelayanan 0.5"
    assert id_["policies.wfh_50.wfh_share"] == "Hipotetis: separuh di rumah: wfh share: pelayanan 0,5"


def test_a_long_comment_becomes_a_note_that_check_accepts(tmp_path):
    """A comment block longer than a note may be is cut to MAX_NOTE characters, its length said,
    so the resolved scenario it goes into can be read back (the Puskesmas file's header is
    1,120 characters)."""
    from simulation.notes import MAX_NOTE

    for extra in (MAX_NOTE - 20, MAX_NOTE, MAX_NOTE + 1, 1120, 50_000):
        text = f'# {"x" * extra} (estimate)\nname = "long"\n' + OFFICE.split("\n", 2)[2]
        note = comment_notes(text)["name"]
        assert len(note) <= MAX_NOTE
        if extra + 11 > MAX_NOTE:
            assert note.endswith(f"({extra + 11:,} characters)")
        data = tomllib.loads(text)
        data["notes"] = {"name": note}
        assert parse_scenario(data).notes["name"] == note
