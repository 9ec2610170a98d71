"""Both languages, every word: the glossary's choices hold in every Indonesian string."""

import re
import string

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
