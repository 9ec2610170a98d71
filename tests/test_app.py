"""The planners' web page (``loket app``, simulation/app.py).

Streamlit's own headless harness (``AppTest``) drives the page as a planner would: choose
the shipped Dukcapil office, send one e-KTP officer home, run 3 replications, and find on
the page the numbers ``run_scenario`` gives for the same plan and seed; an invalid upload
shows exactly what ``loket check`` says and no traceback; the language switch changes the
labels; the downloaded plan is a scenario file ``loket run`` reads unchanged. One test
(marked ``browser``) starts ``loket app`` and drives it in a real headless Chromium.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("streamlit", reason="the web page needs Streamlit: pip install '.[app]'")

from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from simulation import ScenarioError, load_scenario, parse_scenario, run_scenario  # noqa: E402
from simulation import app as page  # noqa: E402
from simulation.cli import main as loket  # noqa: E402
from simulation.strings import fmt_clock, fmt_minutes, fmt_number, fmt_pct, t  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "simulation" / "app.py"
DUKCAPIL = ROOT / "scenarios" / "dukcapil_bengkulu.toml"


def new_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def key(at: AppTest, name: str) -> str:
    """The widget key of the control ``name`` for the office the page shows now (see page.widget_key)."""
    visit = at.session_state["_office_visit"] if "_office_visit" in at.session_state else 0
    return page.widget_key(name, visit)


def reference_plan(replications: int = 3) -> dict:
    """The plan "one e-KTP officer at home every day", written by hand from the shipped file."""
    data = load_scenario(DUKCAPIL).model_dump(by_alias=True, mode="json", exclude_none=True)
    data["run"]["replications"] = replications
    data["policies"] = {"full_office": {}, "plan": {"wfh_officers": {"ektp": 1}}}
    return data


def table(at: AppTest, caption_key: str, lang: str = "en"):
    """The st.table shown under the report's caption ``caption_key``."""
    caption = f"**{page._md(t(caption_key, lang))}**"
    markdown = [m.value for m in at.markdown]
    assert caption in markdown, f"no table {caption_key!r} on the page"
    # Bold lines are table captions, but for the lead sentence the results open with.
    result = at.session_state["result"] if "result" in at.session_state else None
    lead = (result or {}).get("langs", {}).get(lang, {}).get("context", {}).get("lead")
    skip = {f"**{page._md(lead)}**"} if lead else set()
    captions = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")
                and m.value not in skip]
    return at.table[captions.index(caption)].value


@pytest.fixture(scope="module")
def dukcapil_run():
    """The page after a run: Dukcapil, one e-KTP officer at home, 3 replications. Also what
    the download buttons served (file name -> bytes) and the reference run."""
    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            served[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
        at = new_page()
        assert at.selectbox(key="office.en").value == "dukcapil_bengkulu"
        at.number_input(key="o.home.ektp").set_value(1)
        at.number_input(key="o.replications").set_value(3)
        at.run()
        started = time.perf_counter()
        at.button(key="run").click().run()
        seconds = time.perf_counter() - started
    reference = run_scenario(parse_scenario(reference_plan()), jobs=1)
    return {"at": at, "served": served, "reference": reference, "seconds": seconds}


def test_page_shows_the_numbers_of_run_scenario_for_the_same_plan(dukcapil_run):
    at, ref = dukcapil_run["at"], dukcapil_run["reference"]
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    all_row = ref.comparison[(ref.comparison.station == "all") & (ref.comparison.policy == "plan")].iloc[0]

    # The headline numbers: the comparison's "all" row, each with its change against the full office.
    shown = {m.label: (m.value, m.delta) for m in at.metric}
    wait = shown[page.A("metric_wait")]
    assert wait[0] == t("minutes_short", "en", value=fmt_minutes(all_row.policy_mean_wait_all))
    assert wait[1] == t("minutes_short", "en", value=fmt_minutes(all_row.diff_mean_wait_all, sign=True)
                        ).replace("−", "-")
    assert shown[page.A("metric_done")][0] == fmt_pct(all_row.policy_first_trip_within_target_share)
    # People in whole numbers (half up), the change between the whole numbers shown.
    never, before = (math.floor(all_row[f"{side}_never_served"] + 0.5) for side in ("policy", "baseline"))
    assert shown[page.A("metric_never")][0] == fmt_number(never, 0)
    assert shown[page.A("metric_never")][1] == fmt_number(never - before, 0, sign=True).replace("−", "-")
    assert all_row.policy_mean_wait_all > all_row.baseline_mean_wait_all  # one officer fewer: longer waits

    # The comparison table (as in report.html): the "all" row, mean wait before -> after and the paired CI.
    comparison = table(at, "report_comparison_caption")
    row = comparison[comparison.iloc[:, 1] == t("all_stations")].iloc[0]
    assert row.iloc[2] == t("arrow", a=fmt_minutes(all_row.baseline_mean_wait_all),
                            b=fmt_minutes(all_row.policy_mean_wait_all))
    assert row.iloc[3] == t("diff_ci", value=fmt_minutes(all_row.diff_mean_wait_all, sign=True),
                            lo=fmt_minutes(all_row.diff_mean_wait_all_ci_low, sign=True),
                            hi=fmt_minutes(all_row.diff_mean_wait_all_ci_high, sign=True))

    # The per-station table: every station's mean wait (with its CI) under the plan.
    summary = table(at, "report_summary_caption")
    for r in ref.summary[ref.summary.policy == "plan"].itertuples(index=False):
        shown_row = summary[(summary.iloc[:, 0] == page.A("plan_label")) & (summary.iloc[:, 1] == r.label)].iloc[0]
        assert shown_row.iloc[3] == t("value_ci", value=fmt_minutes(r.mean_wait_all),
                                      lo=fmt_minutes(r.mean_wait_all_ci_low), hi=fmt_minutes(r.mean_wait_all_ci_high))

    # The headline chart is drawn and shown first, every chart once; no caption repeats a chart's title
    # (the title is in the picture).
    result = at.session_state["result"]
    charts = result["langs"]["en"]["charts"]
    headline = next(rel for rel in charts if rel.endswith("standard_met.png"))
    png = result["files"][headline]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        title = im.text.get("Title")
        assert im.size[0] > 600
    assert title and title == result["langs"]["en"]["context"]["headline"]["alt"]
    assert len(at.image) == len(charts)
    assert not [c for img in at.image for c in img.captions if c]
    assert result["numbers"]["policy_mean_wait_all"] == pytest.approx(all_row.policy_mean_wait_all, rel=1e-12)
    print(f"page run: {dukcapil_run['seconds']:.1f} s")


def test_downloaded_plan_is_a_scenario_loket_runs_unchanged(dukcapil_run, tmp_path, capsys):
    at, served = dukcapil_run["at"], dukcapil_run["served"]
    button = at.download_button(key="dl.toml")
    assert button.label == page.A("dl_toml")
    toml = served["dukcapil_bengkulu_plan.toml"]
    path = tmp_path / "dukcapil_bengkulu_plan.toml"
    path.write_bytes(toml)
    plan = load_scenario(path)
    ref = parse_scenario(reference_plan())
    assert (plan.run, plan.stations, plan.arrivals, plan.calendar) == (ref.run, ref.stations, ref.arrivals,
                                                                       ref.calendar)
    assert list(plan.policies) == ["full_office", "plan"]
    assert dict(plan.policies["plan"].wfh_officers) == {"ektp": 1}
    assert plan.policies["plan"].onsite["ektp"] == (2, 2, 2, 2, 2)
    assert plan.policies["full_office"].onsite == ref.policies["full_office"].onsite
    assert loket(["check", str(path)]) == 0
    # The zip holds the whole results folder and the plan.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(served["dukcapil_bengkulu_plan.zip"])) as z:
        names = set(z.namelist())
    assert {"dukcapil_bengkulu_plan.toml", "dukcapil_bengkulu_plan/comparison.csv",
            "dukcapil_bengkulu_plan/standard_met.png", "dukcapil_bengkulu_plan/report.html"} <= names


@pytest.mark.parametrize("case", ["toml_syntax", "bad_value", "unknown_key", "too_big"])
def test_invalid_upload_shows_the_cli_message_and_no_traceback(case, tmp_path):
    text = DUKCAPIL.read_text(encoding="utf-8")
    bad = {
        "toml_syntax": text.replace('name = "dukcapil_bengkulu"', 'name = "dukcapil_bengkulu'),
        "bad_value": text.replace("staff = 3 ", "staff = -2 "),
        "unknown_key": text.replace("replications = 30", "replicaton = 30"),
        "too_big": text + "#" * (page.MAX_UPLOAD_BYTES + 10),
    }[case].encode("utf-8")
    path = tmp_path / "x.toml"
    path.write_bytes(bad)
    try:
        load_scenario(path)
    except ScenarioError as cli:
        expected = [line.replace(str(path), "x.toml", 1) for line in cli.lines()]
    else:  # a Loket without a size limit on scenario files: the page keeps its own, in the same words
        assert case == "too_big"
        expected = [f"x.toml: the file is {len(bad):,} bytes; a scenario file may be at most "
                    f"{page.MAX_UPLOAD_BYTES:,} bytes"]

    at = new_page()
    at.selectbox(key="office.en").set_value("__upload__").run()
    at.file_uploader(key="upload").upload("x.toml", bad, "application/toml").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [page.A("upload_bad")]
    assert at.code[0].value.splitlines() == expected
    assert "run" not in [b.key for b in at.button]  # nothing to run until the file is right


def test_a_good_upload_can_be_run(tmp_path):
    raw = (ROOT / "scenarios" / "kelurahan_bengkulu.toml").read_bytes()
    at = new_page()
    at.selectbox(key="office.en").set_value("__upload__").run()
    at.file_uploader(key="upload").upload("my office.toml", raw, "application/toml").run()
    assert not at.exception and not at.error
    assert [n.key for n in at.number_input][:2] == [key(at, "staff.pelayanan"), key(at, "home.pelayanan")]


def test_language_switch_changes_the_labels_and_tabs_are_independent():
    at = new_page()
    other = new_page()
    assert at.button(key="run").label == "Run"
    assert [tab.label for tab in at.tabs] == [page.A("tab_compare"), page.A("tab_advice")]
    at.radio(key="lang").set_value("id").run()
    assert not at.exception
    assert at.button(key="run").label == page.A("run", "id") == "Jalankan"
    assert [tab.label for tab in at.tabs] == [page.A("tab_compare", "id"), page.A("tab_advice", "id")]
    assert at.number_input(key="o.staff.ektp").label == page.A("officers", "id")
    at.radio(key="o.mode.ektp.id").set_value("week").run()
    # Weekday names come from the strings the charts and report use.
    assert [at.number_input(key=f"o.home.ektp.{d}").label for d in range(5)] == [
        t(f"weekday_{w}", "id") for w in ("monday", "tuesday", "wednesday", "thursday", "friday")]
    assert at.number_input(key="o.home.ektp.0").label == "Sen"
    # A link can open the page in Bahasa Indonesia.
    linked = AppTest.from_file(str(APP), default_timeout=120)
    linked.query_params["lang"] = "id"
    linked.run()
    assert linked.button(key="run").label == "Jalankan"
    # Another browser tab is another session: still in English, nothing changed there.
    other.run()
    assert other.button(key="run").label == "Run"
    assert other.radio(key="o.mode.ektp.en").value == "day"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_page_speaks_one_language_all_the_way(lang):
    """Before a run, in each language: the office's description, its desks, the controls and the
    warning box (here: the afternoon desk left empty) carry no sentence of the other language."""
    from test_language import other_language

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.selectbox(key=f"office.{lang}").set_value("kelurahan_bengkulu").run()
    at.number_input(key=key(at, "home.pelayanan")).set_value(1).run()
    assert not at.exception, [e.value for e in at.exception]
    scenario = load_scenario(ROOT / "scenarios" / "kelurahan_bengkulu.toml")
    warnings = [w.value for w in at.warning]
    # The busiest-hour warning names the plan and the desk by their labels in the page's language.
    assert len(warnings) == 1 and page.A("plan_label", lang) in warnings[0]
    assert scenario.stations[0].label_in(lang) in warnings[0]
    texts = [m.value for m in at.markdown if not m.value.lstrip().startswith("<")] + [c.value for c in at.caption]
    texts += warnings + [e.label for e in at.expander] + [n.label for n in at.number_input]
    texts += [w.label for w in [*at.slider, *at.button, *at.tabs, *at.toggle]]
    assert scenario.description_in(lang) in texts
    found = other_language(texts, lang)
    assert not found, found


def test_a_cancelled_run_stops_its_workers_and_leaves_no_folder():
    class Cancelled(Exception):
        pass

    data = page.build_variant(load_scenario(ROOT / "scenarios" / "kelurahan_bengkulu.toml"),
                              page.Plan(at_home={"pelayanan": 1}, replications=6))
    before = set(Path(tempfile.gettempdir()).glob("loket-app-*"))
    calls = []

    def progress(done, total):
        calls.append(done)
        raise Cancelled  # what Streamlit does when the Cancel button is pressed: the next update raises

    with pytest.raises(Cancelled):
        page.simulate(data, progress=progress, jobs=2)
    assert calls == [1]
    assert set(Path(tempfile.gettempdir()).glob("loket-app-*")) == before
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not multiprocessing.active_children()


def test_plan_settings_become_policy_keys():
    base = load_scenario(DUKCAPIL)
    data = page.build_variant(base, page.Plan(officers={"kk_akta": 3}, at_home={"verifikasi": [0, 1, 1, 1, 0]},
                                              share={"kk_akta": 0.5}, online={"kk_akta": 0.3}, demand=1.2,
                                              replications=5, seed=7, compare=False), lang="id")
    scenario = parse_scenario(data)
    assert list(scenario.policies) == ["plan"]
    policy = scenario.policies["plan"]
    # Named in both languages: the plan's file and results read in either.
    assert (policy.label, policy.label_id) == ("Your plan", "Rencana Anda")
    assert policy.label_in("id") == page.A("plan_label", "id")
    assert dict(policy.wfh_officers) == {"verifikasi": (0, 1, 1, 1, 0)}
    assert dict(policy.wfh_share) == {"kk_akta": 0.5}
    assert policy.online["kk_akta"].share == 0.3
    assert policy.onsite["kk_akta"] == (2, 2, 2, 2, 2)  # 3 officers, half at home: the odd one stays
    assert scenario.stations[2].staff == 3
    assert (scenario.run.replications, scenario.run.seed, scenario.lang) == (5, 7, "id")
    assert scenario.arrivals[0].per_hour[0] == pytest.approx(base.arrivals[0].per_hour[0] * 1.2)
    # The e-KTP desk follows a roster: its officers are not changed from the page.
    same = page.build_variant(base, page.Plan(officers={"ektp": 9}))
    assert parse_scenario(same).stations[1].staff == base.stations[1].staff


def test_loket_app_command_line(capsys):
    from simulation.cli import _parser

    args = _parser().parse_args(["app"])
    assert (args.host, args.port, args.no_browser) == ("127.0.0.1", 8501, False)
    assert loket(["app", "--port", "70000"]) == 2
    assert "--port: must be 1 to 65535" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert loket(["app", "--port", str(port), "--no-browser"]) == 2
    assert f"--port {port}: cannot serve there" in capsys.readouterr().err


def test_staffing_advice_tab():
    at = new_page()
    at.selectbox(key="office.en").set_value("kelurahan_bengkulu").run()
    at.number_input(key=key(at, "replications")).set_value(3).run()
    at.button(key="advise").click().run()
    assert not at.exception and not at.error, [e.value for e in at.exception]
    advice = at.session_state["advice"]
    assert advice["replications"] == 20  # advice needs at least 20 replications; the page says so
    staffing = advice["files"]["staffing.csv"].decode("utf-8").splitlines()
    assert staffing[0].startswith("station,")
    shown = table(at, "report_staffing_caption")
    assert list(shown.iloc[:, 1]) == [t(f"weekday_long_{d}") for d in ("monday", "tuesday", "wednesday", "thursday",
                                                                      "friday")]
    assert any(rel.endswith("staffing.png") for rel in advice["langs"]["en"]["charts"])
    assert [b.key for b in at.download_button] == ["dl.advice.report", "dl.advice.csv", "dl.advice.zip"]
    at.radio(key="lang").set_value("id").run()  # drawn again in Bahasa Indonesia; the advice still holds
    assert not at.exception and not at.info
    assert table(at, "report_staffing_caption", "id").iloc[0, 1] == t("weekday_long_monday", "id")


def test_results_switch_language_after_the_run(dukcapil_run):
    """Last: it switches the shared page to Bahasa Indonesia (charts and report drawn again in it)."""
    at = dukcapil_run["at"]
    at.radio(key="lang").set_value("id").run()
    assert not at.exception, [e.value for e in at.exception]
    assert page.A("metric_wait", "id") in [m.label for m in at.metric]
    assert table(at, "report_comparison_caption", "id") is not None
    assert not at.info  # the same plan in another language is not "changed settings"
    summary = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert summary and all(page.A("plan_label", "id") in line for line in summary[:1])
    assert not any(page.A("plan_label", "en") in line for line in summary)
    result = at.session_state["result"]
    assert set(result["langs"]) == {"en", "id"}
    # The estimates the office's file marks, listed in each language's words (as the report lists them).
    from test_language import other_language

    estimates = {lang: result["langs"][lang]["context"]["estimates"] for lang in ("en", "id")}
    assert len(estimates["en"]) == len(estimates["id"]) > 10
    assert estimates["en"][0].startswith("Opening time: 08:00 — ") and estimates["id"][0].startswith("Jam buka: ")
    assert other_language(estimates["id"], "id") == [] and other_language(estimates["en"], "en") == []
    assert any(f"- {page._md(estimates['id'][0])}" in m.value for m in at.markdown)  # on the page, under the office
    assert any(c.endswith("standard_met.png") and "/id/" in f"/{c}" for c in result["langs"]["id"]["charts"])


def as_a_browser_would(at: AppTest, before: dict) -> AppTest:
    """Run again sending what a browser sends after the page changed under it.

    A browser keeps a widget's value while the page draws a widget of the same key, unless
    the page orders a new value (``set_value``), and sends it back with the next click.
    AppTest reads a fresh widget's default instead, so this puts the old values back where a
    browser would keep them. ``before``: key -> value before the change.
    """
    for widget in at.number_input:
        if widget.key in before and not widget.proto.set_value and widget.value != before[widget.key]:
            widget.set_value(before[widget.key])
    return at.run()


def test_a_new_office_brings_its_own_seed_and_gives_the_numbers_of_loket_run():
    at = new_page()
    assert at.number_input(key=key(at, "seed")).value == load_scenario(DUKCAPIL).run.seed
    at.number_input(key=key(at, "seed")).set_value(5).run()
    at.number_input(key=key(at, "replications")).set_value(4).run()
    before = {w.key: w.value for w in at.number_input}
    at.selectbox(key="office.en").set_value("kelurahan_bengkulu").run()
    as_a_browser_would(at, before)
    assert not at.exception, [e.value for e in at.exception]
    kelurahan = load_scenario(ROOT / "scenarios" / "kelurahan_bengkulu.toml")
    # Fresh controls: no widget of the previous office's page is drawn again.
    assert not set(before) & {w.key for w in at.number_input}
    assert at.number_input(key=key(at, "seed")).value == kelurahan.run.seed != 5
    assert at.number_input(key=key(at, "replications")).value == kelurahan.run.replications
    # A click that still carries Dukcapil's seed (a browser that had not yet redrawn) changes nothing.
    at.session_state[page.widget_key("seed")] = 5
    at.run()
    assert at.number_input(key=key(at, "seed")).value == kelurahan.run.seed
    # One officer at home every day, 3 replications: the numbers of run_scenario for that plan.
    at.number_input(key=key(at, "home.pelayanan")).set_value(1).run()
    at.number_input(key=key(at, "replications")).set_value(3).run()
    at.button(key="run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.exception]
    data = kelurahan.model_dump(by_alias=True, mode="json", exclude_none=True)
    data["run"]["replications"] = 3
    data["policies"] = {"full_office": {}, "plan": {"wfh_officers": {"pelayanan": 1}}}
    ref = run_scenario(parse_scenario(data), jobs=1)
    row = ref.comparison[(ref.comparison.station == "all") & (ref.comparison.policy == "plan")].iloc[0]
    numbers = at.session_state["result"]["numbers"]
    for name in ("mean_wait_all", "first_trip_within_target_share", "never_served", "citizen_hours_lost"):
        assert numbers[f"policy_{name}"] == pytest.approx(row[f"policy_{name}"], rel=1e-12), name
        assert numbers[f"baseline_{name}"] == pytest.approx(row[f"baseline_{name}"], rel=1e-12), name
    shown = {m.label: m.value for m in at.metric}
    assert shown[page.A("metric_wait")] == t("minutes_short", "en", value=fmt_minutes(row.policy_mean_wait_all))
    assert page.A("results_for", office=page.office_name("kelurahan_bengkulu", "en"), replications=3,
                  seed=kelurahan.run.seed) in [c.value for c in at.caption]
    # Back to Dukcapil: its own seed again, not the 5 set on the first visit.
    at.selectbox(key="office.en").set_value("dukcapil_bengkulu").run()
    assert at.number_input(key=key(at, "seed")).value == load_scenario(DUKCAPIL).run.seed


def test_no_stray_text_at_the_top_of_the_page():
    """Streamlit writes a bare expression at a script's top level on the page ("magic"): a
    docstring under a constant would appear above the title. Only the module docstring may be one."""
    import ast

    tree = ast.parse(APP.read_text(encoding="utf-8"))
    assert [n.lineno for n in tree.body[1:] if isinstance(n, ast.Expr)] == []
    at = new_page()
    assert at.title[0].value == page.A("page_title")
    assert not [m.value for m in at.markdown if ":func:" in m.value]


# What a planner must never read on the page: the plan's internal names, key paths, file names.
INTERNAL = re.compile(r"policy '|'plan'|station\(s\)|policies\.|wfh_officers|wfh_share|\.toml|"
                      r"\b(verifikasi|ektp|kk_akta|full_office)\b", re.IGNORECASE)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_plan_messages_name_desks_and_plans_in_plain_words(lang):
    from test_language import STOP_LIST

    at = new_page()
    if lang == "id":
        at.radio(key="lang").set_value("id").run()
    office = load_scenario(DUKCAPIL)
    labels = {s.name: s.label_in(lang) for s in office.stations}
    # More officers at home than the desk has: said with the desk's label and the numbers set.
    at.number_input(key="o.home.verifikasi").set_value(3).run()
    (error,) = [e.value for e in at.error]
    assert page.A("plan_problems", lang) in error
    assert page._md(page.A("problem_home", lang, desk=labels["verifikasi"], home=3, staff=2)) in error
    assert not INTERNAL.search(error.replace(page._md(labels["verifikasi"]), "")), error
    assert at.button(key="run").disabled
    # Visits online at a desk where nobody works from home.
    at.number_input(key="o.home.verifikasi").set_value(0).run()
    at.slider(key="o.online.kk_akta").set_value(30).run()
    (error,) = [e.value for e in at.error]
    assert page._md(page.A("problem_online", lang, desk=labels["kk_akta"], online=fmt_pct(0.3, lang),
                           control=page.A("online", lang))) in error
    assert not INTERNAL.search(error.replace(page._md(labels["kk_akta"]), "")), error
    # Warnings: a share that sends nobody home, one replication, the busiest hour beyond the counter.
    at.slider(key="o.online.kk_akta").set_value(0).run()
    at.radio(key=f"o.mode.verifikasi.{lang}").set_value("share").run()
    at.slider(key="o.share.verifikasi").set_value(30).run()
    at.number_input(key="o.replications").set_value(1).run()
    assert not at.error
    (warning,) = [w.value for w in at.warning]
    lines = warning.split("\n")
    plan = parse_scenario(page.build_variant(office, page.Plan(share={"verifikasi": 0.3}, replications=1), lang))
    assert len(plan.warning_records()) == 4  # nobody home, 1 replication, the busiest hour under each plan
    assert len(lines) == 3  # the same busiest hour under both plans: said once, naming both
    text = warning
    for label in labels.values():
        text = text.replace(page._md(label), "")
    assert not INTERNAL.search(text), warning
    assert page._md(page.A("notice_nobody_home", lang, desk=labels["verifikasi"], share=fmt_pct(0.3, lang), staff=2,
                           mode=page.A("mode_day", lang))) in warning
    assert page.A("notice_few_replications", lang) in warning
    # The busiest hour at Layanan KK & Akta, as `loket check` finds it (2.1 officers' worth of work for 2).
    cli = next(w for w in office.warnings() if "busiest hour" in w)
    work, onsite = re.search(r"kk_akta \(Mon 09:00-10:00: (\d+\.\d) officers' worth of work for (\d+)", cli).groups()
    desk = page.A("notice_peak_desk", lang, desk=labels["kk_akta"], day=t("weekday_long_monday", lang),
                  start=fmt_clock(9 * 60, lang), end=fmt_clock(10 * 60, lang),
                  work=fmt_number(float(work), 1, lang), onsite=int(onsite), also="")
    assert page._md(desk) in warning
    both = page._join_words([page.A("full_label", lang), page.A("plan_label", lang)], lang)
    assert page._md(page.A("notice_peak_hour", lang, plan=both, desks=desk)) in warning
    if lang == "id":  # no English planner word, no term the glossary rules out
        for word in STOP_LIST:
            found = word in text if word.strip().isupper() else word.lower() in text.lower()
            assert not found, word


def test_the_plan_file_keeps_the_estimate_notes_and_a_report_from_it_lists_them(dukcapil_run, tmp_path):
    from simulation.notes import estimates, scenario_notes
    from simulation.report import report_context

    toml = dukcapil_run["served"]["dukcapil_bengkulu_plan.toml"]
    path = tmp_path / "dukcapil_bengkulu_plan.toml"
    path.write_bytes(toml)
    # What `loket run` of the shipped file lists as estimates: the plan changed none of those figures.
    office = load_scenario(DUKCAPIL)
    resolved = office.model_dump(by_alias=True, mode="json", exclude_none=True)
    expected = [e["key"] for e in estimates({**resolved, "notes": scenario_notes(office)})]
    assert len(expected) >= 10
    out = tmp_path / "run"
    assert loket(["run", str(path), "--out", str(out), "--quiet"]) == 0
    listed = [e["key"] for e in report_context(out, "en")["assumptions"]["estimates"]]
    assert listed == expected
    # ... in the report of that run, as in the page's own report of the same plan
    from html import unescape

    page_report = dukcapil_run["at"].session_state["result"]["files"]["report.html"].decode("utf-8")
    for report in ((out / "report.html").read_text(encoding="utf-8"), page_report):
        assert t("assumptions_no_estimates") not in unescape(report)
        assert t("assumptions_estimates_intro") in unescape(report)


# ---------------------------------------------------------------------------------------
# A real browser


def _browser() -> tuple[str, str] | None:
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                    None)
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - a local address
        return r.status, r.read()


@pytest.mark.browser
def test_page_in_a_real_browser_and_screenshots():
    found = _browser()
    if found is None:
        pytest.skip("no headless browser: install Chromium and its driver (Debian: apt-get install chromium "
                    "chromium-driver) to run this test")
    webdriver = pytest.importorskip("selenium.webdriver", reason="the browser test needs Selenium: pip install "
                                    "'.[test]'")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "simulation", "app", "--port", str(port), "--no-browser"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # the health check answers while the page runs
            try:
                if _get(f"{base}/_stcore/health") == (200, b"ok"):
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "loket app did not answer within 60 s"
            time.sleep(0.3)
        status, body = _get(f"{base}/")
        assert status == 200 and b"<html" in body.lower()

        options = webdriver.ChromeOptions()
        options.binary_location = found[0]
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--window-size=1400,1000"):
            options.add_argument(flag)
        browser = webdriver.Chrome(service=Service(found[1]), options=options)
        try:
            wait = WebDriverWait(browser, 180)

            def button(label):
                return lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "button")
                                       if b.text.strip().endswith(label)), None)

            def results_shown(d):
                return (d.find_elements(By.CSS_SELECTOR, '[data-testid="stMetric"]')
                        and not d.find_elements(By.CSS_SELECTOR, '[data-testid="stProgress"]'))

            def screenshot(name: str, lang: str) -> None:
                time.sleep(2)  # images finish loading
                assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
                height = browser.execute_script(
                    "return Math.max(...[document.querySelector('[data-testid=\"stMain\"]'), "
                    "document.scrollingElement].filter(Boolean).map(e => e.scrollHeight));")
                browser.set_window_size(1400, min(int(height) + 80, 12000))
                time.sleep(1.5)
                # It ends above the tables: the desks, the headline numbers, the summary and the headline chart.
                bottom = browser.execute_script(
                    "const h = [...document.querySelectorAll('h3')].find(e => e.textContent.trim() === arguments[0]);"
                    "return h ? h.getBoundingClientRect().top : null;", t("report_tables_heading", lang))
                from PIL import Image

                with Image.open(io.BytesIO(browser.get_screenshot_as_png())) as im:
                    cut = int(bottom) - 16 if bottom and not math.isnan(bottom) else im.size[1]
                    im.crop((0, 0, im.size[0], min(cut, im.size[1]))).save(ROOT / "docs" / name, optimize=True)
                assert (ROOT / "docs" / name).stat().st_size > 50_000
                browser.set_window_size(1400, 1000)

            browser.get(f"{base}/")
            wait.until(button(page.A("run"))).click()  # the default, as the page opens
            wait.until(results_shown)
            assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
            # One of the three e-KTP recording officers at home (the fourth number on the page), then run again.
            field = browser.find_elements(By.CSS_SELECTOR, 'input[type="number"]')[3]
            field.send_keys(Keys.CONTROL, "a")
            field.send_keys("1", Keys.TAB)
            home = page.A("home_line", days="1 · 1 · 1 · 1 · 1")
            wait.until(lambda d: home in d.page_source)
            wait.until(button(page.A("run"))).click()
            wait.until(lambda d: results_shown(d) and "+0" not in d.find_element(
                By.CSS_SELECTOR, '[data-testid="stMetric"]').text)
            screenshot("app.png", "en")
            # The same results in Bahasa Indonesia: the language switch redraws charts and report, no new run.
            next(e for e in browser.find_elements(By.CSS_SELECTOR, "label")
                 if e.text.strip() == "Bahasa Indonesia").click()
            wait.until(lambda d: results_shown(d) and page.A("metric_wait", "id") in d.find_element(
                By.CSS_SELECTOR, '[data-testid="stMetric"]').text)
            screenshot("app_id.png", "id")
        finally:
            browser.quit()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
