"""report.html: one self-contained page, its findings in words, in English or Indonesian."""

import base64
import html
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from simulation import chart_data as cd
from simulation.charts import CHARTS
from simulation.cli import main
from simulation.report import default_lang, describe_policy, summary_sentences, write_report
from simulation.strings import t

RUN_CHARTS = [name for name, spec in CHARTS.items() if spec.kind == "run"]  # the shipped scenario has all

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def folder(dukcapil_run):
    return dukcapil_run.folder  # the shipped Dukcapil scenario, 3 replications (tests/conftest.py)


@pytest.fixture(scope="module")
def report_en(folder):
    return write_report(folder, "en")


class Page(HTMLParser):
    """A strict-enough reader: balanced tags, every src and href, the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.srcs, self.hrefs, self.tags, self.text = [], [], [], [], [], []
        self.doctype = None
        self.lang = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            if name in attrs:
                (self.srcs if name != "href" else self.hrefs).append(attrs[name])
        if "style" in attrs and "url(" in attrs["style"]:
            self.errors.append(f"inline style with url(): {attrs['style']}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] not in ("style", "script"):
            self.text.append(data)


def _parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _words(page: Page) -> str:
    return " ".join(" ".join(page.text).split())


def test_report_is_valid_self_contained_html(report_en, folder):
    assert report_en == folder / "report.html"
    page = _parse(report_en)
    assert page.doctype and page.doctype.lower() == "doctype html"
    assert not page.errors and not page.stack, page.errors
    assert page.lang == "en"
    assert page.tags.count("html") == page.tags.count("head") == page.tags.count("body") == 1
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    # every image is an embedded PNG; nothing refers outside the file
    assert len(page.srcs) == len(RUN_CHARTS)
    for src in page.srcs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
    for ref in page.srcs + page.hrefs:
        assert not ref.startswith(("http://", "https://", "//")), ref
    raw = report_en.read_text(encoding="utf-8")
    assert "http://" not in raw and "https://" not in raw and "@import" not in raw
    # the headline chart comes first, then the other charts
    first = raw.index('src="data:image/png')
    assert raw.index(t("report_headline_heading", "en")) < first < raw.index(t("report_findings_heading", "en"))
    # the PNGs were drawn into the folder on the way
    assert all((folder / f"{name}.png").exists() for name in RUN_CHARTS)


def test_report_says_the_findings_in_words(report_en, folder):
    data = cd.load_results(folder)
    sentences = summary_sentences(data["comparison"], data["summary"], "en", data["scenario"])
    assert len(sentences) >= data["comparison"]["policy"].nunique()  # at least one per policy
    words = _words(_parse(report_en))
    for sentence in sentences:
        assert " ".join(sentence.split()) in words
    # the key tables and what produced the results
    assert t("report_summary_caption", "en") in words and t("report_comparison_caption", "en") in words
    assert "random seed 20261129" in words and "3 repetitions" in words
    info = data["run_info"]
    assert f"Loket {info['loket_version']}" in words
    for label in data["summary"]["label"].unique():
        assert label in words


def test_sentences_quote_comparison_csv(folder):
    data = cd.load_results(folder)
    comparison = data["comparison"][data["comparison"].policy == "wfh_50"]
    sentences = summary_sentences(comparison, data["summary"], "en")
    row = comparison[comparison.station == "all"].iloc[0]
    first = sentences[0]
    assert first.startswith("With wfh_50, the mean wait at the counters — every visit counted")
    from simulation.strings import fmt_minutes, fmt_pct

    # The mean over every counter visit and the citizens' share: the same denominator for both policies.
    for number in (fmt_minutes(row.baseline_mean_wait_all), fmt_minutes(row.policy_mean_wait_all),
                   fmt_minutes(row.diff_mean_wait_all_ci_low, sign=True),
                   fmt_minutes(row.diff_mean_wait_all_ci_high, sign=True),
                   fmt_pct(row.policy_first_trip_within_target_share),
                   fmt_pct(row.baseline_first_trip_within_target_share)):
        assert number in first, (number, first)
    people = [x for x in sentences if "never served" in x][0]
    assert f"{round(row.policy_never_served)} citizens are never served" in people


def _comparison(**changes):
    row = {"policy": "wfh_half", "station": "all", "label": "All stations", "baseline": "full_office",
           "baseline_mean_wait": 9.04, "policy_mean_wait": 47.3, "diff_mean_wait": 38.26, "diff_ci_low": 29.4,
           "diff_ci_high": 46.1, "ci_excludes_zero": True, "baseline_mean_wait_all": 9.5, "policy_mean_wait_all": 52.0,
           "diff_mean_wait_all": 42.6, "diff_mean_wait_all_ci_low": 31.0, "diff_mean_wait_all_ci_high": 54.0,
           "baseline_within_target_share": 0.97, "policy_within_target_share": 0.69, "baseline_not_served": 0.0,
           "policy_not_served": 0.0, "baseline_never_served": 0.0, "policy_never_served": 0.0,
           "baseline_still_to_return": 0.0, "policy_still_to_return": 0.0,
           "baseline_first_trip_within_target_share": 0.95, "policy_first_trip_within_target_share": 0.6,
           "baseline_repeat_trips": 0.0, "policy_repeat_trips": 0.0}
    station = dict(row, station="ektp", label="Perekaman KTP-el")
    station.update(changes)
    return pd.DataFrame([row, station])


SUMMARY = pd.DataFrame({"policy": ["full_office", "wfh_half"], "station": ["ektp"] * 2,
                        "target_wait_minutes": [30.0] * 2, "within_target_share": [0.97, 0.69]})


def test_summary_sentences_in_plain_english_and_indonesian():
    en = summary_sentences(_comparison(), SUMMARY, "en")
    assert en == [
        ("With wfh_half, the mean wait at the counters — every visit counted, those sent home until they left — "
         "rises from 9.5 to 52 minutes (difference +43, 95 % CI +31 to +54); 60 % of citizens get their whole "
         "business done on the first trip within every standard (full_office: 95 %)."),
        ("At Perekaman KTP-el, wfh_half raises the mean wait per visit from 9.5 to 52 minutes (95 % CI of the rise "
         "31 to 54), and 31 % of visits wait longer than the 30-minute standard or end unserved (full_office: 3 %)."),
    ]
    id_ = summary_sentences(_comparison(), SUMMARY, "id")
    assert id_[1] == ("Di Perekaman KTP-el, wfh_half menaikkan waktu tunggu rata-rata per kunjungan dari 9,5 menjadi "
                      "52 menit (selang kepercayaan 95% kenaikan 31 sampai 54), dan 31% kunjungan menunggu lebih lama "
                      "dari standar 30 menit atau berakhir tanpa dilayani (full_office: 3%).")
    same = summary_sentences(_comparison(diff_mean_wait_all=0.3, diff_mean_wait_all_ci_low=-0.2,
                                         diff_mean_wait_all_ci_high=0.8, policy_mean_wait_all=9.8), SUMMARY, "en")
    assert "cannot tell wfh_half from full_office" in same[1] and "−0.2 to +0.8" in same[1]
    lost = summary_sentences(_comparison(), SUMMARY.assign(within_target_share=0.95), "en",
                             scenario={"run": {"days": 5}, "stations": [], "policies": {}})
    assert lost[-1] == ("Every station still calls at least 90 % of its counter visits within its standard with "
                        "wfh_half.")
    assert summary_sentences(None, SUMMARY, "en") == []
    untouched = _comparison(policy_mean_wait_all=9.5, diff_mean_wait_all=0.0, diff_mean_wait_all_ci_low=0.0,
                            diff_mean_wait_all_ci_high=0.0, policy_within_target_share=0.97)
    assert len(summary_sentences(untouched, SUMMARY, "en")) == 1  # a station the policy left alone goes unmentioned


def test_one_replication_gives_no_interval_and_no_claim():
    nan = float("nan")
    one = _comparison(diff_mean_wait_all_ci_low=nan, diff_mean_wait_all_ci_high=nan)
    one.loc[0, ["diff_mean_wait_all_ci_low", "diff_mean_wait_all_ci_high"]] = nan
    for lang in ("en", "id"):
        sentences = summary_sentences(one, SUMMARY, lang)
        assert len(sentences) == 2
        for sentence in sentences:
            for word in ("nan", "–", "cannot tell", "tidak dapat dibedakan", "CI", "rises", "naik"):
                assert word not in sentence, (word, sentence)
        assert ("no confidence interval" if lang == "en" else "tanpa selang kepercayaan") in sentences[0]


def test_policies_are_described_from_the_resolved_scenario(folder):
    scenario = cd.load_results(folder)["scenario"]
    assert describe_policy(scenario, "full_office") == "City decision: everyone in (everyone in the office)"
    assert describe_policy(scenario, "full_office", "id") == ("Keputusan kota: semua di kantor (semua petugas di "
                                                              "kantor)")
    rota = describe_policy(scenario, "wfh_rota_online")
    # Each language names the desks and the policy by its own label (label / label_id).
    assert "1 of 3 e-KTP recording officers at home on Tue, Wed and Thu" in rota
    assert "dari 3 petugas Perekaman KTP-el di rumah pada hari Sel, Rab dan Kam" in describe_policy(
        scenario, "wfh_rota_online", "id")


def test_indonesian_report(folder, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(folder, copy)  # English charts and report already there: they must stay as they are
    before = {p.name: p.read_bytes() for p in copy.iterdir() if p.is_file()}
    path = write_report(copy, "id")
    assert path.name == "report.id.html" and (copy / "summary.id.md").is_file()
    for name, content in before.items():  # the English files keep their bytes
        assert (copy / name).read_bytes() == content, name
    page = _parse(path)
    assert page.lang == "id" and not page.errors
    words = _words(page)
    for key in ("report_executive_heading", "report_assumptions_heading", "report_findings_heading",
                "report_tables_heading",
                "report_provenance_heading", "col_policy", "col_within"):
        assert t(key, "id") in words
    assert "Persentase warga dilayani dalam standar" not in words  # that's inside the chart, not the page
    data = cd.in_language(cd.load_results(copy), "id")  # the labels as the Indonesian report reads them
    for sentence in summary_sentences(data["comparison"], data["summary"], "id", data["scenario"]):
        assert " ".join(sentence.split()) in words
    assert "Dengan Hipotetis: separuh di rumah" in words and "waktu tunggu rata-rata" in words  # label_id
    assert "Hypothetical: half at home" not in words
    assert t("report_findings_heading", "en") not in words
    for name in RUN_CHARTS:
        with Image.open(copy / "charts" / "id" / f"{name}.png") as im:
            assert im.text["Language"] == "id"
        with Image.open(copy / f"{name}.png") as im:
            assert im.text["Language"] == "en"
    # image descriptions are the Indonesian chart titles
    with Image.open(copy / "charts" / "id" / "standard_met.png") as im:
        title = im.text["Title"]
    assert "kunjungan" in title and f'alt="{html.escape(title)}"' in path.read_text(encoding="utf-8")


def test_report_escapes_what_the_scenario_says_and_never_simulates(folder, tmp_path, monkeypatch):
    copy = tmp_path / "run"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.png", "report.html"))
    toml = copy / "scenario.resolved.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('description = "', 'description = "<script>alert(1)</script> & '), encoding="utf-8")
    import simulation.runner

    def no_simulation(*args, **kwargs):
        raise AssertionError("the report must not simulate")

    monkeypatch.setattr(simulation.runner, "run_scenario", no_simulation)
    path = write_report(copy, "en")
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in raw
    assert html.unescape("KK &amp; civil certificates") in _words(_parse(path))


def test_default_language_comes_from_the_scenario(folder, tmp_path):
    assert default_lang(folder) == "en"
    copy = tmp_path / "run"
    copy.mkdir()
    text = (folder / "scenario.resolved.toml").read_text(encoding="utf-8")
    assert 'lang = "en"' in text  # the resolved scenario states its language
    (copy / "scenario.resolved.toml").write_text(text.replace('lang = "en"', 'lang = "id"'), encoding="utf-8")
    assert default_lang(copy) == "id"
    (copy / "scenario.resolved.toml").write_text('lang = "fr"\n', encoding="utf-8")
    assert default_lang(copy) == "en"
    assert default_lang(tmp_path / "missing") == "en"
    with pytest.raises(ValueError):
        write_report(folder, "fr")


def test_sweep_and_staffing_folders_get_a_report(dukcapil_sweep, dukcapil_staffing, tmp_path):
    sweep, staff = tmp_path / "sweep", tmp_path / "staff"
    shutil.copytree(dukcapil_sweep.folder, sweep)
    shutil.copytree(dukcapil_staffing.folder, staff)
    for path, chart, caption in ((sweep, "sweep", "report_sweep_caption"),
                                 (staff, "staffing", "report_staffing_caption")):
        report = write_report(path, "en")
        page = _parse(report)
        assert not page.errors and len(page.srcs) == 1 and page.srcs[0].startswith("data:image/png;base64,")
        assert (path / f"{chart}.png").exists()
        assert t(caption, "en") in _words(page)


def test_repeat_trips_and_citizen_hours_are_reported(folder):
    comparison = pd.read_csv(folder / "comparison.csv")
    summary = pd.read_csv(folder / "summary.csv")
    row = comparison[(comparison.policy == "wfh_50") & (comparison.station == "all")].iloc[0]
    en = " ".join(summary_sentences(comparison, summary, "en"))
    ident = " ".join(summary_sentences(comparison, summary, "id"))
    assert f"{row.policy_repeat_trips:.0f} extra trips" in en
    assert f"{row.policy_citizen_hours_lost:,.0f} hours waiting and travelling" in en
    assert "perjalanan tambahan" in ident and "jam untuk menunggu" in ident


def _hashes(folder: Path) -> dict:
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_report_in_another_language_with_out_leaves_the_folder_as_it_was(folder, tmp_path, capsys):
    source = tmp_path / "source"
    shutil.copytree(folder, source)
    before = _hashes(source)
    copy = tmp_path / "indonesian"
    assert main(["report", str(source), "--lang", "id", "--out", str(copy)]) == 0
    assert _hashes(source) == before  # not one byte of the source changed, nothing added
    page = _parse(copy / "report.html")
    assert page.lang == "id"
    with Image.open(copy / "standard_met.png") as im:
        assert im.text["Language"] == "id"
    title = t("title_run", "id", office="Dukcapil, Kota Bengkulu")  # the office as the scenario names it
    assert (copy / "summary.md").read_text(encoding="utf-8").startswith(f"# {title}\n")
    for name in ("summary.csv", "comparison.csv", "citizens.csv", "visits.csv"):
        assert (copy / name).read_bytes() == (source / name).read_bytes()
    assert main(["report", str(source), "--lang", "id", "--out", str(source)]) == 2
    assert "--out is the folder itself" in capsys.readouterr().err


def test_report_in_place_adds_the_language_beside_and_keeps_every_byte(folder, tmp_path):
    source = tmp_path / "source"
    shutil.copytree(folder, source)
    before = _hashes(source)
    assert main(["report", str(source), "--lang", "id"]) == 0
    after = _hashes(source)
    changed = [name for name, digest in before.items() if after.get(name) != digest]
    assert changed == [".loket-results.json"]  # only the marker, which now lists the new files
    added = sorted(set(after) - set(before))
    assert "report.id.html" in added and "summary.id.md" in added
    assert all(name.startswith("charts/id/") for name in added if name.endswith(".png"))


def test_run_with_both_languages_writes_both_reports(tmp_path):
    out = tmp_path / "both"
    scenario = SCENARIO.parent / "kecamatan_bengkulu.toml"
    assert main(["run", str(scenario), "--replications", "2", "--lang", "en,id", "--out", str(out), "--quiet"]) == 0
    assert _parse(out / "report.html").lang == "en" and _parse(out / "report.id.html").lang == "id"
    assert (out / "summary.md").is_file() and (out / "summary.id.md").is_file()
    with Image.open(out / "charts" / "id" / "standard_met.png") as im:
        assert im.text["Language"] == "id"
    with Image.open(out / "standard_met.png") as im:
        assert im.text["Language"] == "en"
