"""What a reader meets first: the title, the lead sentence and one bullet per policy or desk.

Every number in a lead or bullet is recomputed here from the CSV files the command wrote
(``citizens.csv``, ``comparison.csv``, ``staffing.csv``, ``sweep.csv``) and looked for in the
rendered page, in English and in Bahasa Indonesia. The console says the period its counts are
per, and warns only about the policies a command runs.
"""

from __future__ import annotations

import html
import re
import shutil
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from simulation import lead, load_scenario
from simulation.report import write_report
from simulation.strings import fmt_minutes, fmt_pct, weekday_name

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
WEEKS = {1: ("one week", "satu minggu"), 2: ("two weeks", "dua minggu")}


def _people(x: float) -> int:
    """A mean number of people in whole people, rounded half up (computed apart from the code)."""
    return int(Decimal(repr(float(x))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _citizens(n: int, lang: str) -> str:
    return f"{n} warga" if lang == "id" else f"{n} citizen" + ("" if n == 1 else "s")


class Screen:
    """The first screen of a report page: title, lead and the bullets under it."""

    def __init__(self, path: Path):
        raw = path.read_text(encoding="utf-8")
        self.h1 = html.unescape(re.search(r"<h1>(.*?)</h1>", raw, re.S).group(1))
        self.title = html.unescape(re.search(r"<title>(.*?)</title>", raw, re.S).group(1))
        found = re.search(r'<p class="lead">(.*?)</p>', raw, re.S)
        self.lead = html.unescape(found.group(1)) if found else None
        section = re.search(r'<section id="executive".*?</section>', raw, re.S).group(0)
        self.bullets = [html.unescape(x.strip()) for x in re.findall(r"<li>(.*?)</li>", section, re.S)]


def _scenario(folder: Path) -> dict:
    return tomllib.loads((folder / "scenario.resolved.toml").read_text(encoding="utf-8"))


def _report(folder: Path, lang: str, tmp_path: Path) -> Path:
    """The folder's report in ``lang``: as the command wrote it, else written into a copy."""
    name = "report.html" if lang == "en" else "report.id.html"
    if (folder / name).exists():
        return folder / name
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    return write_report(copy, lang)


def _policy_labels(scenario: dict, lang: str) -> dict[str, str]:
    """Each policy's name in the report's language, from the resolved file: ``label_id`` in Bahasa
    Indonesia, ``label`` in English (either falling back to the other, then to the name)."""
    key = "label_id" if lang == "id" else "label"
    return {name: p.get(key) or p.get("label") or name for name, p in scenario["policies"].items()}


def _in_language(table: pd.DataFrame, scenario: dict, lang: str) -> pd.DataFrame:
    """A CSV table with its desks' ``label`` in the report's language (the CSV keeps ``label``)."""
    key = "label_id" if lang == "id" else "label"
    names = {st["name"]: st.get(key) or st.get("label") or st["name"] for st in scenario["stations"]}
    return table.assign(label=table["station"].map(names).fillna(table["label"]))


def _period(scenario: dict, lang: str) -> str:
    days, open_days = scenario["run"]["days"], len(scenario["calendar"]["open_days"])
    assert days % open_days == 0  # the shipped scenarios simulate whole weeks
    return WEEKS[days // open_days][lang == "id"]


# ---------------------------------------------------------------------------------------
# loket run


@pytest.fixture(params=[("kelurahan_run", "en"), ("kelurahan_run", "id"), ("dukcapil_run", "en"),
                        ("dukcapil_run", "id")], ids=lambda p: f"{p[0]}-{p[1]}")
def run_report(request, tmp_path):
    name, lang = request.param
    folder = request.getfixturevalue(name).folder
    return folder, lang, Screen(_report(folder, lang, tmp_path))


def test_run_report_title_names_the_office_and_the_kind(run_report):
    folder, lang, screen = run_report
    scenario = _scenario(folder)
    office = f"{scenario['office']}, {scenario['city']}"
    kind = "staffing policies compared" if lang == "en" else "perbandingan kebijakan petugas"
    assert screen.h1 == screen.title == f"{office}: {kind}"
    assert scenario["name"] not in screen.h1  # not the file id
    md = (folder / "summary.md").read_text(encoding="utf-8") if lang == "en" else None
    if md is not None:
        assert md.startswith(f"# {screen.h1}\n") and screen.lead in md


def test_run_lead_numbers_come_from_the_csvs(run_report):
    folder, lang, screen = run_report
    scenario = _scenario(folder)
    labels = _policy_labels(scenario, lang)
    citizens = pd.read_csv(folder / "citizens.csv")
    overall = pd.read_csv(folder / "comparison.csv").query("station == 'all'").set_index("policy")
    base = citizens.iloc[0]
    others = citizens.iloc[1:]
    # The policy set against the baseline: most citizens never served (in whole people, as said);
    # of equals, the longer mean wait.
    worst = max(others.itertuples(index=False),
                key=lambda r: (_people(r.never_served), overall.loc[r.policy, "policy_mean_wait_all"]))
    row = overall.loc[worst.policy]
    assert row.baseline == base.policy
    period = _period(scenario, lang)
    n_base, n_worst = _people(base.never_served), _people(worst.never_served)
    base_wait, pol_wait = fmt_minutes(row.baseline_mean_wait_all, lang), fmt_minutes(row.policy_mean_wait_all, lang)
    assert row.diff_mean_wait_all_ci_low > 0  # every shipped office: the worst policy's wait rises, clearly
    if lang == "en":
        assert screen.lead == (f"With “{labels[base.policy]}”, {_citizens(n_base, lang)} in {period} would never be "
                               f"served; with “{labels[worst.policy]}”, {n_worst} would, and the mean wait at the "
                               f"counters would rise from {base_wait} to {pol_wait} minutes.")
    else:
        assert screen.lead == (f"Dengan “{labels[base.policy]}”, {n_base} warga dalam {period} tidak akan pernah "
                               f"dilayani; dengan “{labels[worst.policy]}”, {n_worst} warga, dan waktu tunggu "
                               f"rata-rata di loket naik dari {base_wait} menjadi {pol_wait} menit.")


def test_run_bullets_one_per_policy_in_whole_people(run_report):
    folder, lang, screen = run_report
    scenario = _scenario(folder)
    labels = _policy_labels(scenario, lang)
    citizens = pd.read_csv(folder / "citizens.csv")
    comparison = _in_language(pd.read_csv(folder / "comparison.csv"), scenario, lang)
    assert len(screen.bullets) == len(citizens)  # the baseline once, then one bullet per policy
    never = "never served" if lang == "en" else "tidak pernah dilayani"
    for bullet, r in zip(screen.bullets, citizens.itertuples(index=False)):
        assert bullet.startswith(f"“{labels[r.policy]}”")
        assert f"{_citizens(_people(r.never_served), lang)} {never} {'in' if lang == 'en' else 'dalam'} " in bullet
        assert fmt_pct(r.first_trip_within_target_share, lang) in bullet
    baseline = labels[citizens.policy.iloc[0]]
    for bullet, r in zip(screen.bullets[1:], citizens.iloc[1:].itertuples(index=False)):
        assert baseline not in bullet  # the baseline is said once, not in every bullet
        row = comparison[(comparison.policy == r.policy) & (comparison.station == "all")].iloc[0]
        assert fmt_minutes(row.policy_mean_wait_all, lang) in bullet
        desks = comparison[(comparison.policy == r.policy) & (comparison.station != "all")]
        hardest = "Hardest hit" if lang == "en" else "Paling terdampak"
        if len(desks) > 1 and desks.diff_mean_wait_all.max() > 0:
            worst = desks.loc[desks.diff_mean_wait_all.idxmax()]
            assert f"{hardest}: {worst.label}," in bullet
        else:
            assert hardest not in bullet  # one desk: nothing to single out
    fractional = re.compile(r"\d[.,]\d+ (citizens?|warga)\b")
    assert not any(fractional.search(x) for x in [screen.lead, *screen.bullets])


def test_lead_wording_follows_the_interval_and_the_period():
    base = {"policy": "wfh", "station": "all", "baseline": "full", "baseline_never_served": 1.0,
            "policy_never_served": 4.5, "baseline_mean_wait_all": 4.0, "policy_mean_wait_all": 4.4,
            "diff_mean_wait_all": 0.4, "diff_mean_wait_all_ci_low": -0.3, "diff_mean_wait_all_ci_high": 1.1}
    scenario = {"run": {"days": 7}, "policies": {"full": {}, "wfh": {"label": "Half at home"}}}
    same = lead.run_lead({"comparison": pd.DataFrame([base]), "scenario": scenario}, "en")
    assert same.startswith("With “full”, 1 citizen in 7 working days would never be served; with “Half at "
                           "home”, 5 would") and "barely change (4.0 and 4.4 minutes" in same
    nan = float("nan")
    one = lead.run_lead({"comparison": pd.DataFrame([dict(base, diff_mean_wait_all_ci_low=nan,
                                                          diff_mean_wait_all_ci_high=nan)]),
                         "scenario": {**scenario, "run": {"days": 5}}}, "id")
    assert "dalam satu minggu" in one and "4,4 menit dibanding 4,0 menit" in one
    assert lead.period({"run": {"days": 12}, "calendar": {"open_days": ["monday"] * 6}}, "en") == "in two weeks"
    assert lead.whole(2.5) == 3 and lead.whole(4.49) == 4
    # A share that misses a 90 % standard is never shown as "90 %".
    assert lead._pct_below(0.898, 0.9, "en") == "89.8 %" and lead._pct_below(0.8995, 0.9, "id") == "89,9%"
    assert lead._pct_below(0.87, 0.9, "en") == "87 %" and lead._pct_below(0.95, 0.9, "en") == "95 %"


# ---------------------------------------------------------------------------------------
# loket staff


@pytest.mark.parametrize("lang", ["en", "id"])
def test_staffing_summary_covers_every_desk_and_weekday(dukcapil_staffing, lang, tmp_path):
    folder = dukcapil_staffing.folder
    screen = Screen(_report(folder, lang, tmp_path))
    office = _scenario(folder)
    assert screen.h1 == screen.title and screen.h1.startswith(f"{office['office']}, {office['city']}: ")
    staffing = _in_language(pd.read_csv(folder / "staffing.csv"), office, lang)
    meets = staffing.status == "meets"
    may = int(staffing.may_work_from_home.where(meets, 0).sum())
    total = int(staffing.staff.sum())
    assert (f"{may} of {total} officer-days" if lang == "en" else f"{may} dari {total} hari-petugas") in screen.lead
    desks = list(dict.fromkeys(staffing.label))
    assert len(screen.bullets) == len(desks)
    every_day = "every day" if lang == "en" else "setiap hari"
    for bullet, label in zip(screen.bullets, desks):
        assert bullet.startswith(f"{label} (")
        rows = staffing[staffing.label == label]
        days = [weekday_name(d, lang) for d in rows.weekday]
        assert all(d in bullet for d in days) or every_day in bullet, bullet
        for r in rows[rows.status == "unreachable"].itertuples(index=False):
            assert fmt_pct(r.within_target_share, lang) in bullet
    # Every desk-day short of officers, and every one out of reach at any staffing, is in the lead.
    short = staffing[meets & (staffing.recommended_onsite > staffing.staff)]
    for r in pd.concat([short, staffing[staffing.status == "unreachable"]]).itertuples(index=False):
        at = re.search(re.escape(r.label) + r"[^;.]*", screen.lead)
        assert at and weekday_name(r.weekday, lang) in at.group(0), (r.label, r.weekday, screen.lead)


def test_staffing_notes_name_their_desk(dukcapil_staffing):
    staffing = pd.read_csv(dukcapil_staffing.folder / "staffing.csv")
    notes = [line for line in dukcapil_staffing.out.splitlines() if line.startswith("note: ")]
    assert len(notes) == staffing.groupby("label").note.nunique().sum()
    for line in notes:
        label = next(x for x in staffing.label.unique() if line.startswith(f"note: {x}, "))
        assert staffing[staffing.label == label].note.dropna().map(lambda n, line=line: n in line).any()


# ---------------------------------------------------------------------------------------
# loket sweep


def _missed(share: float, lang: str) -> str:
    """A share that misses the 90 % standard as the page must show it: never rounded up to "90 %"."""
    if round(100 * share) >= 90:
        value = f"{int(1000 * share) / 10:.1f}"
        return f"{value.replace('.', ',')}%" if lang == "id" else f"{value} %"
    return fmt_pct(share, lang)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_sweep_summary_covers_every_desk_swept(dukcapil_sweep, lang, tmp_path):
    folder = dukcapil_sweep.folder
    screen = Screen(_report(folder, lang, tmp_path))
    sweep = _in_language(pd.read_csv(folder / "sweep.csv"), _scenario(folder), lang)
    groups = list(dict.fromkeys(sweep.swept))
    assert len(groups) == 2
    zero = sweep[sweep.wfh_share == 0]
    for g, bullet in zip(groups, screen.bullets):
        rows = sweep[sweep.swept == g]
        label = rows[rows.station == g].label.iloc[0]
        assert bullet.startswith(label if lang == "en" else f"Petugas {label}")
        shares = sorted(rows.wfh_share.unique())
        ok = {s: (rows[rows.wfh_share == s].within_target_share >= 0.9 - 1e-9).all() for s in shares}
        if not ok[0]:  # with nobody at home some desk already misses the standard: the lead says where
            first = zero.loc[zero.within_target_share.idxmin()]
            assert first.label in screen.lead and _missed(first.within_target_share, lang) in screen.lead
            continue
        assert label in screen.lead
        bad = next((s for s in shares if not ok[s]), None)
        holds = shares[-1] if bad is None else max(s for s in shares if s < bad)
        own = rows[(rows.station == g) & (rows.wfh_share == holds)].iloc[0]
        of = "of" if lang == "en" else "dari"
        if own.at_home == 0:
            assert f"{label} {'none' if lang == 'en' else 'tidak ada'}" in screen.lead
        else:
            assert f"{label} {fmt_pct(holds, lang)} ({own.at_home} {of} {own.staff})" in screen.lead
        if bad is not None:
            at_bad = rows[rows.wfh_share == bad]
            worst = at_bad.loc[at_bad.within_target_share.idxmin()]
            assert _missed(worst.within_target_share, lang) in bullet and worst.label in bullet


# ---------------------------------------------------------------------------------------
# The console


def test_console_says_the_period_and_one_spelling(kelurahan_run):
    out = kelurahan_run.out
    assert "per 10 working days" in out and "per period" not in out and "simulated period" not in out
    assert "utilisation" in out and "utilization" not in out


def test_warnings_only_for_the_policies_run(kelurahan_run, dukcapil_staffing, dukcapil_sweep, tmp_path):
    from conftest import _loket

    # Every policy run: each one's warnings.
    assert "under policy 'wfh_satu'" in kelurahan_run.err and "under policy 'wfh_25'" in kelurahan_run.err
    one = _loket(["run", str(SCENARIOS / "kelurahan_bengkulu.toml"), "--replications", "2", "--policy", "wfh_50",
                  "--out", str(tmp_path / "one"), "--quiet"])
    assert "under policy 'wfh_50'" in one.err
    assert "'wfh_satu'" not in one.err and "'wfh_25'" not in one.err
    # Staffing advice and sweeps run policies of their own from everyone at the counter.
    for ran in (dukcapil_staffing, dukcapil_sweep):
        said = re.findall(r"under policy '([^']+)'", ran.err)
        assert said == ["full_office"], ran.err
    scenario = load_scenario(SCENARIOS / "dukcapil_bengkulu.toml")
    named = [re.search(r"policy '([^']+)'", w).group(1) for w in scenario.warnings(["wfh_50"]) if "policy '" in w]
    assert named == ["wfh_50"] and len(scenario.warnings()) > len(scenario.warnings([]))


def test_where_nobody_is_sent_home_the_wait_decides_which_policy_the_lead_names():
    """At the puskesmas every policy leaves about 2 people never served: 2.4 against 2.3 is no
    difference the reader is told, so the lead names the policy with the longest wait."""
    rows = [{"policy": p, "station": "all", "policy_never_served": n, "policy_mean_wait_all": w}
            for p, n, w in (("online", 2.4, 8.4), ("wfa", 2.3, 19.8), ("wfh_50", 2.2, 19.3), ("desk", 9.0, 1.0))]
    comparison = pd.DataFrame(rows)
    assert lead.worst_policy(comparison.iloc[:3]) == "wfa"
    assert lead.worst_policy(comparison) == "desk"  # more people never served comes first


def test_the_lead_names_policies_in_its_own_language_from_raw_folder_data(kelurahan_run):
    """run_lead/run_bullets on a folder as load_results reads it (no in_language step) still name
    each policy by the label of the lead's language."""
    from simulation import chart_data as cd

    data = cd.load_results(kelurahan_run.folder)
    for lang in ("en", "id"):
        labels = cd.policy_labels(data["scenario"], lang)
        text = " ".join([lead.run_lead(data, lang), *lead.run_bullets(data, lang)])
        assert all(f"“{label}”" in text for label in labels.values()), (lang, text)
    assert cd.policy_labels(data["scenario"], "id") != cd.policy_labels(data["scenario"], "en")
