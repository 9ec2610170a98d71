"""Both languages, every word: the glossary's choices hold in every Indonesian string — of the charts and
report (simulation/strings.py) and of the web page (simulation/app.py) — and every shipped office's report,
rendered in each language, carries no sentence of the other."""

import re
import string
from html.parser import HTMLParser

import pytest

from simulation.strings import EN, ID, fmt_clock, fmt_minutes, fmt_number, fmt_pct

# English words a planner reads, and terms the glossary (docs/glossary.md) rules out in Indonesian.
STOP_LIST = ["citizen", "visit", "officer", "station", "policy", "baseline", "standard", "waiting", "wait ",
             "queue", "served", "replication", "replikasi", "seed", "online", "overtime", "within", "per day",
             "CI", "SK ", "stasiun", "antrian", "pergi melihat"]


def _text(template: str) -> str:
    """A string without its {placeholders} (they are filled in with names and numbers)."""
    return re.sub(r"\{[^}]*\}", "", template)


def test_every_key_in_both_languages_with_the_same_placeholders():
    assert set(EN) == set(ID)
    for key in EN:
        fields = [{f for _, f, _, _ in string.Formatter().parse(s[key]) if f} for s in (EN, ID)]
        assert fields[0] == fields[1], key


@pytest.mark.parametrize("word", STOP_LIST)
def test_no_english_planner_word_or_ruled_out_term_in_indonesian(word):
    found = [key for key, value in ID.items() if word.lower() in _text(value).lower()]
    assert not found, f"{word!r} in {found}"


def test_indonesian_number_and_time_style():
    assert fmt_number(3783.4, 0, "id") == "3.783" and fmt_number(3783.4, 0, "en") == "3,783"
    assert fmt_minutes(4.25, "id") == "4,2" and fmt_minutes(4.25, "en") == "4.2"
    assert fmt_number(12345.67, 1, "id") == "12.345,7"
    assert fmt_clock(13 * 60, "id") == "13.00" and fmt_clock(13 * 60, "en") == "13:00"
    assert fmt_clock(1440, "en") == "24:00"
    assert fmt_pct(0.32, "id") == "32%" and fmt_pct(0.32, "en") == "32 %"
    assert fmt_number(-0.04, 1, "en") == "0.0"  # no minus zero


def test_the_glossary_covers_the_terms_the_strings_use():
    from pathlib import Path

    glossary = (Path(__file__).resolve().parent.parent / "docs" / "glossary.md").read_text(encoding="utf-8")
    for term in ("selang kepercayaan", "kunjungan", "petugas di loket", "pulang tanpa dilayani", "hari kerja",
                 "acuan", "pengulangan simulasi", "daring", "langsung pergi karena antrean panjang"):
        assert term in glossary
        assert any(term.split(" (")[0].lower() in value.lower() for value in ID.values()), term


# -- The web page's own words (simulation/app.py) ----------------------------------------------------------


def _app_strings():
    pytest.importorskip("streamlit", reason="the web page needs Streamlit: pip install '.[app]'")
    from simulation.app import APP_STRINGS

    return APP_STRINGS


def test_the_web_page_has_every_key_in_both_languages_with_the_same_placeholders():
    strings = _app_strings()
    assert set(strings["en"]) == set(strings["id"])
    for key in strings["en"]:
        fields = [{f for _, f, _, _ in string.Formatter().parse(s[key]) if f} for s in (strings["en"], strings["id"])]
        assert fields[0] == fields[1], key


@pytest.mark.parametrize("word", STOP_LIST)
def test_no_english_planner_word_or_ruled_out_term_in_the_web_pages_indonesian(word):
    found = [key for key, value in _app_strings()["id"].items() if word.lower() in _text(value).lower()]
    assert not found, f"{word!r} in {found}"


# -- Whole reports: one language at a time, all the way ----------------------------------------------------

ENGLISH_IN_INDONESIAN = [" the ", " and ", " with ", " of ", " is ", " are ", " to "]
"""Common English function words: a sentence left in English in an Indonesian page has them."""

INDONESIAN_IN_ENGLISH = [" dan ", " yang ", " di ", " dengan ", " tidak ", " untuk ", "petugas", "warga", "kunjungan",
                         "antrean", "perkiraan", " menit"]
"""The reverse stop-list: Indonesian words a sentence left in Indonesian in an English page has."""


class _Visible(HTMLParser):
    """The text a reader sees: every text node outside <style> and <script>, and each image's alt text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        alt = dict(attrs).get("alt")
        if tag == "img" and alt:
            self.parts.append(alt)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html_text: str) -> list[str]:
    """The visible text of a page, one entry per text node or alt text."""
    parser = _Visible()
    parser.feed(html_text)
    return parser.parts


def other_language(parts: list[str], lang: str) -> list[tuple[str, str]]:
    """``(word, text)`` for every piece of ``parts`` that carries a word of the other language:
    in Indonesian the stop-list and English function words, in English the reverse stop-list."""
    found = []
    for part in parts:
        padded = f" {part} "
        if lang == "id":
            for word in STOP_LIST:
                # An abbreviation ("CI", "SK") as a word of its own; other words at a word's start ("visits").
                pattern = (rf"(?<!\w){re.escape(word.strip())}(?!\w)" if word.strip().isupper()
                           else rf"(?<!\w){re.escape(word)}")
                if re.search(pattern, part, flags=0 if word.strip().isupper() else re.IGNORECASE):
                    found.append((word, part))
            found += [(w, part) for w in ENGLISH_IN_INDONESIAN if w in padded.lower()]
        else:
            found += [(w, part) for w in INDONESIAN_IN_ENGLISH if w in padded.lower()]
    return found


def test_the_check_finds_a_sentence_of_the_other_language():
    assert other_language(["Dukcapil Kota Bengkulu: e-KTP verification and biometric recording"], "id")
    assert other_language(["Selang kepercayaan 95% dari 2 kali pengulangan"], "id") == []
    assert other_language(["warga datang ke loket dan menunggu"], "en")
    assert other_language(["Registration desk: 3 officers at the counter"], "en") == []
    assert other_language(["Farmasi (obat racikan)"], "id") == []  # "ci" inside a word is no "CI"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("office", ["dukcapil_bengkulu", "kecamatan_bengkulu", "kelurahan_bengkulu", "mpp_bengkulu",
                                    "puskesmas_bengkulu"])
def test_each_shipped_offices_report_speaks_one_language(shipped_runs, office, lang):
    """The report of every shipped office, in each language, has no sentence of the other: the
    description, the desks and policies, the estimates and their notes, the findings, the tables
    and the charts' titles (their alt text) are all in the report's language."""
    folder = shipped_runs[office]
    page = (folder / ("report.html" if lang == "en" else f"report.{lang}.html")).read_text(encoding="utf-8")
    parts = visible_text(page)
    assert len(parts) > 50 and "<img" in page
    found = other_language(parts, lang)
    assert not found, "\n".join(f"{word!r}: {text[:200]}" for word, text in found[:10])


# -- Warnings about a scenario (the console and the web page's warning box) ---------------------------------


def _warned_office():
    """One desk that draws every warning: overloaded, one replication, a share that sends nobody home,
    a busiest hour beyond the officers at the counter; labelled in both languages."""
    from simulation import parse_scenario

    return parse_scenario({
        "name": "warned", "run": {"days": 5, "replications": 1},
        "stations": [{"name": "desk", "label": "Front desk", "label_id": "Loket depan", "staff": 3,
                      "service": {"dist": "exponential", "mean": 10.0}}],
        "arrivals": [{"station": "desk", "per_hour": [30, 20, 20, 20, 20, 20, 20, 20]}],
        "policies": {"full": {"label": "Everyone in", "label_id": "Semua di kantor"},
                     "w30": {"label": "A third at home", "label_id": "Sepertiga di rumah",
                             "wfh_share": {"desk": 0.3}}},
    })


def test_warnings_speak_the_readers_language():
    scenario = _warned_office()
    english, indonesian = scenario.warnings(lang="en"), scenario.warnings(lang="id")
    # overloaded, one replication, a policy sending nobody home, the busiest hour under each policy
    assert len(english) == len(indonesian) == 5
    assert other_language(indonesian, "id") == [] and other_language(english, "en") == []
    assert "overloaded" in english[0] and "kelebihan beban" in indonesian[0]
    # The console names what the file names, and says what to write in it ...
    assert "'w30'" in english[2] and "'desk'" in english[2] and "wfh_officers = { desk = 1 }" in english[2]
    # ... the web page names the labels of its language, and no key of a file its reader never saw.
    page = scenario.warnings(lang="id", labels=True)
    assert "“Sepertiga di rumah”" in page[2] and "“Loket depan”" in page[2] and "wfh_officers" not in page[2]
    assert "30%" in page[2]
    assert "“Semua di kantor”" in page[3] and "Loket depan (Sen 08.00-09.00: beban kerja setara 5,0 petugas" in page[3]
    assert other_language(page, "id") == []


def test_a_city_folders_policies_are_named_in_the_reports_language():
    """``city.csv`` has no scenario beside it: each policy's Indonesian label is its ``label_id``
    column; a city folder written before that column existed keeps its ``label``."""
    import pandas as pd

    from simulation import chart_data as cd

    city = pd.DataFrame({"office": ["kel", "kel"], "policy": ["wfh_satu", "own"],
                         "label": ["One officer at home every day", "Own plan"],
                         "label_id": ["Satu petugas di rumah setiap hari", None]})
    assert list(cd.in_language({"city": city}, "id")["city"]["label"]) == ["Satu petugas di rumah setiap hari",
                                                                           "Own plan"]
    assert list(cd.in_language({"city": city}, "en")["city"]["label"]) == list(city["label"])
    old = city.drop(columns="label_id")
    assert list(cd.in_language({"city": old}, "id")["city"]["label"]) == list(city["label"])
