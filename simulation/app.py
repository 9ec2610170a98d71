"""``loket app``: the planners' web page, a thin layer over the public API.

A planner picks an office (a shipped scenario, or a scenario file uploaded from their
computer), sets per desk how many officers work there, how many of them work from home
(the same every day, per weekday, or as a share) and what share of requests goes online,
scales demand, and presses Run: the page simulates the same citizens with everyone in the
office and with the plan, and shows the executive summary, the headline chart, the other
charts and the tables of ``report.html`` — in English or Bahasa Indonesia, with the words of
the charts and report (:mod:`simulation.strings`). Every file of the results folder can be
downloaded, and so can the plan itself as a scenario file that ``loket run`` accepts
unchanged. A second tab gives the staffing advice of ``loket staff`` for the office.

The page is a Streamlit script (``streamlit run simulation/app.py``; ``loket app`` starts
it with safe settings). Everything that is not drawing widgets lives in plain functions
here, so tests and notebooks can call them without a browser:

* :func:`scenario_from_upload` — an uploaded file's bytes, validated in memory with exactly
  the messages of ``loket check`` (nothing is written to disk);
* :class:`Plan` and :func:`build_variant` — the page's settings as a scenario (a dict that
  :func:`simulation.parse_scenario` validates) and :func:`variant_toml`, its TOML text;
* :func:`simulate` / :func:`advise` — a run (or staffing advice) into a results folder in a
  temporary folder, kept in memory as bytes; the temporary folder is removed at once.

Safety: the page binds to 127.0.0.1 unless ``--host`` says otherwise; no field takes a
file path (offices are the shipped files or an upload); uploads are size-limited and parsed
in memory; results are written only in temporary folders; each browser tab (Streamlit
session) has its own state; a run can be cancelled (its worker processes are stopped).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import json
import logging
import math
import re
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w

from simulation import ScenarioError, __version__, parse_scenario, run_scenario
from simulation.lead import whole
from simulation.scenario import Scenario, loads_scenario
from simulation.strings import LANGS, fmt_clock, fmt_minutes, fmt_number, fmt_pct, localized, t, weekday_name

__all__ = [
    "MAX_UPLOAD_BYTES",
    "Plan",
    "advise",
    "build_variant",
    "office_data",
    "scenario_from_upload",
    "shipped_scenarios",
    "simulate",
    "variant_toml",
    "zip_files",
]

log = logging.getLogger("loket.app")

try:  # the scenario-file limit of the command line, where this version of Loket has one
    from simulation.limits import MAX_SCENARIO_BYTES as MAX_UPLOAD_BYTES
except ImportError:  # pragma: no cover - older trees
    MAX_UPLOAD_BYTES = 1_000_000

PLAN = "plan"
# Pixels a chart other than the headline is shown at (drawn 1200 wide; narrower screens shrink it).
# (No bare strings at module level: Streamlit would write them on the page.)
CHART_WIDTH = 900
FULL_OFFICE = "full_office"
MAX_APP_REPLICATIONS = 1000
REPO_SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

# ---------------------------------------------------------------------------------------
# Words of the page. Charts, tables and sentences use simulation.strings (the words of the
# charts and report); these are the page's own labels, in every language Loket speaks.

APP_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "page_title": "Loket — waiting at the counters",
        "intro": "Choose an office, decide how many officers work from home, and press **Run**. Loket simulates "
                 "the same citizens with everyone in the office and with your plan, and shows what changes for them.",
        "language": "Language / Bahasa",
        "office": "Office",
        "office_help": "One of the offices shipped with Loket, or a scenario file of your own.",
        "upload_choice": "My own scenario file…",
        "upload": "Scenario file (.toml)",
        "upload_help": "A Loket scenario file of at most {limit}. It is read in memory and never saved.",
        "upload_wait": "Upload a scenario file to begin, or choose one of the shipped offices.",
        "upload_bad": "This file cannot be used. What `loket check` says about it:",
        "tab_compare": "Compare staffing",
        "tab_advice": "Staffing advice",
        "about_office": "About this office",
        "desks_heading": "Officers at each desk",
        "desks_intro": "Officers not at the counter work from home: they handle the online requests.",
        "standard": "standard: called within {target} min",
        "officers": "Officers",
        "officers_help": "Officers who serve at this desk when everyone is in the office.",
        "roster_help": "This desk follows an hourly roster ({roster} officers from opening); change it in the "
                       "scenario file.",
        "mode": "Officers at home",
        "mode_day": "Same every day",
        "mode_week": "By weekday",
        "mode_share": "As a share",
        "home_day": "At home, every day",
        "share": "Share at home (%)",
        "share_help": "Of n officers, n × share (rounded down) work from home: the odd person stays at the counter.",
        "online": "Handled online (%)",
        "online_help": "Share of this desk's visits submitted online and handled by the officers at home.",
        "in_person": "In person only: this desk has no online channel.",
        "onsite_line": "At the counter: {days}",
        "home_line": "at home: {days}",
        "settings_heading": "Simulation",
        "demand": "Demand (% of usual)",
        "demand_help": "Scales every arrival rate: 120 % means a fifth more citizens every hour.",
        "replications": "Replications",
        "replications_help": "Independent simulated periods on which the averages and 95 % confidence intervals "
                             "rest: 30 is a sound choice, 3 gives a quick first look.",
        "more_settings": "More settings",
        "seed": "Random seed",
        "seed_help": "The same seed and settings give exactly the same numbers.",
        "compare": "Compare with the full office",
        "compare_help": "Also simulate everyone in the office, on the same citizens, and show the difference.",
        "plan_label": "Your plan",
        "full_label": "Everyone in the office",
        "run": "Run",
        "cancel": "Cancel",
        "cancelled": "The run was cancelled; nothing was kept.",
        "running": "Simulating: replication {done} of {total}",
        "drawing": "Drawing the charts and the report…",
        "invalid_plan": "These settings cannot be run. What `loket check` says about them:",
        "error": "The simulation stopped with an internal error ({what}); nothing was kept. The details are in the "
                 "terminal where `loket app` runs.",
        "results_heading": "Results",
        "results_for": "{office}: {replications} replications, seed {seed}.",
        "stale": "The settings have changed since this run: press **Run** to update the results.",
        "metric_wait": "Mean wait at the counters",
        "metric_wait_help": "Every counter visit counted, those sent home until they left.",
        "metric_done": "Done on the first trip, in standard",
        "metric_done_help": "Citizens whose whole business was done on their first trip, every wait within its "
                            "desk's standard.",
        "metric_never": "Citizens never served",
        "metric_never_help": "Per simulated period ({days} working days): sent home and did not come back.",
        "metric_hours": "Citizen-hours lost",
        "metric_hours_help": "Hours citizens spent waiting plus the travel of their trips, per simulated period.",
        "metric_against": "vs {value}",
        "metric_vs": "vs: {baseline}.",
        "sidebar_about": "Loket simulates citizens queueing at public-service counters, many times over on the same "
                         "citizens, so that staffing plans can be compared with numbers and confidence intervals.",
        "points": "{value} points",
        "exec_heading": "In short",
        "office_paragraph": "The office",
        "downloads": "Downloads",
        "dl_report": "Report (HTML)",
        "dl_zip": "Everything (zip)",
        "dl_toml": "This plan as a scenario file",
        "dl_toml_help": "Runs unchanged with `loket run`, on any computer with Loket.",
        "dl_files": "Single files: tables (CSV) and charts (PNG)",
        "preparing_lang": "Drawing the charts and the report in this language…",
        "advice_intro": "The fewest officers each desk needs at the counter on each weekday so that at least the "
                        "share below of its visits is called within the desk's standard, for the office as set in "
                        "the first tab (officers per desk and demand). The others may work from home.",
        "advice_share": "Visits called within standard, at least (%)",
        "advice_run": "Find the fewest officers",
        "advice_reps": "The advice compares staff levels over {runs} replications (at least {least}); it takes "
                       "longer than a run.",
        "advice_running": "Trying staff levels (round {round}): replication {done} of {total}",
        "advice_results": "Staffing advice",
        "advice_stale": "The office has changed since this advice: press the button again to update it.",
        "dl_staffing_csv": "staffing.csv",
        "footer": "Loket {version} · the numbers are simulated: estimates in the scenario file are listed in the "
                  "report.",
        # Messages about the plan, in plain words: desks and plans by their labels (helper 22d).
        "plan_problems": "These settings cannot be run:",
        "problem_home": "{desk}: {home} officers at home, but the desk has only {staff}.",
        "problem_online": "{desk}: {online} of its visits would be handled online, but nobody works from home there "
                          "to handle them. Send an officer home at this desk, or set “{control}” to 0.",
        "problem_other": "{desk}: this setting cannot be used ({what}).",
        "problem_other_office": "These settings cannot be used ({what}).",
        "notice_no_arrivals": "Nobody comes to this office: every arrival rate is 0.",
        "notice_overloaded": "{desk}: on average {arrive} citizens an hour come, but {staff} officers can serve at "
                             "most {most} an hour — the queue grows all day.",
        "notice_few_replications": "With a single replication the page can give no confidence interval and cannot "
                                   "tell a real difference from chance: choose at least 2 (30 is a sound choice).",
        "notice_nobody_home": "{desk}: {share} of {staff} officers rounds down to nobody, so nobody works from home "
                              "there (the odd person stays at the counter). To send one officer home, choose "
                              "“{mode}” and 1.",
        "notice_nobody_home_zero": "{desk}: nobody is sent home on any day, so the plan changes nothing there.",
        "notice_peak_hour": "{plan}: a queue builds up in the busiest hour, even where the day as a whole looks "
                            "fine — more work comes than the officers at the counter can do at {desks}.",
        "notice_peak_desk": "{desk} ({day} {start}–{end}: work for {work} officers, {onsite} at the counter{also})",
        "notice_also": "; also on {days}",
    },
    "id": {
        "page_title": "Loket — antrean di loket pelayanan",
        "intro": "Pilih kantor, tentukan berapa petugas yang bekerja dari rumah, lalu tekan **Jalankan**. Loket "
                 "menyimulasikan warga yang sama saat semua petugas di kantor dan dengan rencana Anda, lalu "
                 "menunjukkan apa yang berubah bagi mereka.",
        "language": "Language / Bahasa",
        "office": "Kantor",
        "office_help": "Salah satu kantor bawaan Loket, atau berkas skenario Anda sendiri.",
        "upload_choice": "Berkas skenario saya sendiri…",
        "upload": "Berkas skenario (.toml)",
        "upload_help": "Berkas skenario Loket, paling besar {limit}. Dibaca di memori dan tidak pernah disimpan.",
        "upload_wait": "Unggah berkas skenario untuk mulai, atau pilih salah satu kantor bawaan.",
        "upload_bad": "Berkas ini tidak dapat dipakai. Pesan dari `loket check`:",
        "tab_compare": "Bandingkan penempatan petugas",
        "tab_advice": "Saran jumlah petugas",
        "about_office": "Tentang kantor ini",
        "desks_heading": "Petugas di setiap loket",
        "desks_intro": "Petugas yang tidak berada di loket bekerja dari rumah: mereka melayani permohonan daring.",
        "standard": "standar: dipanggil dalam {target} menit",
        "officers": "Petugas",
        "officers_help": "Petugas yang melayani di loket ini saat semua berada di kantor.",
        "roster_help": "Loket ini mengikuti jadwal per jam ({roster} petugas sejak buka); ubah di berkas skenario.",
        "mode": "Petugas di rumah",
        "mode_day": "Sama setiap hari",
        "mode_week": "Per hari",
        "mode_share": "Sebagai persentase",
        "home_day": "Di rumah, setiap hari",
        "share": "Persentase di rumah (%)",
        "share_help": "Dari n petugas, n × persentase (dibulatkan ke bawah) bekerja dari rumah: sisanya tetap di "
                      "loket.",
        "online": "Dilayani daring (%)",
        "online_help": "Bagian kunjungan loket ini yang diajukan daring dan dilayani petugas di rumah.",
        "in_person": "Hanya tatap muka: loket ini tidak punya layanan daring.",
        "onsite_line": "Di loket: {days}",
        "home_line": "di rumah: {days}",
        "settings_heading": "Simulasi",
        "demand": "Permintaan (% dari biasa)",
        "demand_help": "Mengalikan setiap laju kedatangan: 120% berarti seperlima lebih banyak warga setiap jam.",
        "replications": "Pengulangan simulasi",
        "replications_help": "Periode simulasi yang saling bebas, dasar rata-rata dan selang kepercayaan 95%: 30 "
                             "pilihan yang baik, 3 untuk gambaran cepat.",
        "more_settings": "Pengaturan lain",
        "seed": "Bilangan acak awal",
        "seed_help": "Bilangan acak awal dan pengaturan yang sama memberi angka yang persis sama.",
        "compare": "Bandingkan dengan semua di kantor",
        "compare_help": "Simulasikan juga semua petugas di kantor, dengan warga yang sama, dan tunjukkan bedanya.",
        "plan_label": "Rencana Anda",
        "full_label": "Semua di kantor",
        "run": "Jalankan",
        "cancel": "Batalkan",
        "cancelled": "Simulasi dibatalkan; tidak ada yang disimpan.",
        "running": "Menyimulasikan: pengulangan {done} dari {total}",
        "drawing": "Menggambar grafik dan laporan…",
        "invalid_plan": "Pengaturan ini tidak dapat dijalankan. Pesan dari `loket check`:",
        "error": "Simulasi berhenti karena kesalahan internal ({what}); tidak ada yang disimpan. Keterangan lengkapnya "
                 "ada di terminal tempat `loket app` berjalan.",
        "results_heading": "Hasil",
        "results_for": "{office}: simulasi diulang {replications} kali, bilangan acak awal {seed}.",
        "stale": "Pengaturan sudah berubah sejak simulasi ini: tekan **Jalankan** untuk memperbarui hasil.",
        "metric_wait": "Waktu tunggu rata-rata di loket",
        "metric_wait_help": "Setiap kunjungan loket dihitung, termasuk yang dipulangkan sampai mereka pergi.",
        "metric_done": "Selesai pada kedatangan pertama",
        "metric_done_help": "Warga yang seluruh urusannya selesai pada kedatangan pertama, setiap waktu tunggu dalam "
                            "standar loketnya.",
        "metric_never": "Warga tidak pernah dilayani",
        "metric_never_help": "Per periode simulasi ({days} hari kerja): dipulangkan dan tidak kembali.",
        "metric_hours": "Jam warga yang hilang",
        "metric_hours_help": "Jam warga menunggu ditambah perjalanan mereka ke kantor, per periode simulasi.",
        "metric_against": "dibanding {value}",
        "metric_vs": "dibanding: {baseline}.",
        "sidebar_about": "Loket menyimulasikan warga yang mengantre di loket pelayanan publik, berulang kali dengan "
                         "warga yang sama, agar rencana penempatan petugas dapat dibandingkan dengan angka dan selang "
                         "kepercayaan.",
        "points": "{value} poin",
        "exec_heading": "Ringkasnya",
        "office_paragraph": "Kantor",
        "downloads": "Unduhan",
        "dl_report": "Laporan (HTML)",
        "dl_zip": "Semuanya (zip)",
        "dl_toml": "Rencana ini sebagai berkas skenario",
        "dl_toml_help": "Dapat dijalankan apa adanya dengan `loket run`, di komputer mana pun yang memasang Loket.",
        "dl_files": "Berkas satu per satu: tabel (CSV) dan grafik (PNG)",
        "preparing_lang": "Menggambar grafik dan laporan dalam bahasa ini…",
        "advice_intro": "Jumlah petugas paling sedikit yang dibutuhkan setiap loket pada setiap hari agar paling "
                        "sedikit persentase di bawah ini dari kunjungannya dipanggil dalam standar loket, untuk kantor "
                        "seperti diatur di tab pertama (petugas per loket dan permintaan). Sisanya boleh bekerja dari "
                        "rumah.",
        "advice_share": "Kunjungan dipanggil dalam standar, paling sedikit (%)",
        "advice_run": "Cari jumlah petugas paling sedikit",
        "advice_reps": "Saran ini membandingkan jumlah petugas dengan simulasi yang diulang {runs} kali (paling "
                       "sedikit {least}); prosesnya lebih lama daripada satu simulasi.",
        "advice_running": "Mencoba jumlah petugas (putaran {round}): pengulangan {done} dari {total}",
        "advice_results": "Saran jumlah petugas",
        "advice_stale": "Kantor sudah berubah sejak saran ini: tekan tombolnya lagi untuk memperbarui.",
        "dl_staffing_csv": "staffing.csv",
        "footer": "Loket {version} · angka-angka ini hasil simulasi: perkiraan dalam berkas skenario dicantumkan di "
                  "laporan.",
        # Pesan tentang rencana, dengan kata sehari-hari: loket dan rencana disebut dengan labelnya.
        "plan_problems": "Pengaturan ini tidak dapat dijalankan:",
        "problem_home": "{desk}: {home} petugas di rumah, padahal loket ini hanya punya {staff} petugas.",
        "problem_online": "{desk}: {online} kunjungannya akan dilayani daring, tetapi tidak ada petugas yang bekerja "
                          "dari rumah untuk melayaninya. Kirim seorang petugas loket ini ke rumah, atau atur "
                          "“{control}” ke 0.",
        "problem_other": "{desk}: pengaturan ini tidak dapat dipakai ({what}).",
        "problem_other_office": "Pengaturan ini tidak dapat dipakai ({what}).",
        "notice_no_arrivals": "Tidak ada warga yang datang ke kantor ini: setiap laju kedatangan bernilai 0.",
        "notice_overloaded": "{desk}: rata-rata {arrive} warga datang setiap jam, tetapi {staff} petugas paling banyak "
                             "melayani {most} per jam — antrean terus memanjang sepanjang hari.",
        "notice_few_replications": "Dengan satu kali simulasi saja, halaman ini tidak dapat memberi selang "
                                   "kepercayaan dan tidak dapat membedakan perbedaan nyata dari kebetulan: pilih "
                                   "paling sedikit 2 pengulangan simulasi (30 pilihan yang baik).",
        "notice_nobody_home": "{desk}: {share} dari {staff} petugas dibulatkan ke bawah menjadi nol, jadi tidak ada "
                              "yang bekerja dari rumah di loket ini (sisanya tetap di loket). Untuk mengirim satu "
                              "petugas ke rumah, pilih “{mode}” dan 1.",
        "notice_nobody_home_zero": "{desk}: tidak ada petugas yang dikirim ke rumah pada hari apa pun, jadi rencana "
                                   "ini tidak mengubah apa pun di sana.",
        "notice_peak_hour": "{plan}: antrean menumpuk pada jam tersibuk, walaupun sehari secara keseluruhan tampak "
                            "wajar — pekerjaan yang datang lebih banyak daripada yang sanggup dikerjakan petugas di "
                            "loket pada {desks}.",
        "notice_peak_desk": "{desk} ({day} {start}–{end}: pekerjaan untuk {work} petugas, {onsite} di loket{also})",
        "notice_also": "; juga pada {days}",
    },
}

# Shipped offices by file stem, as the page names them (others: the file's first comment).
OFFICE_NAMES = {
    "dukcapil_bengkulu": {"en": "Dukcapil (civil registration)", "id": "Dukcapil (kependudukan)"},
    "puskesmas_bengkulu": {"en": "Puskesmas (health centre)", "id": "Puskesmas"},
    "mpp_bengkulu": {"en": "Mal Pelayanan Publik", "id": "Mal Pelayanan Publik"},
    "kecamatan_bengkulu": {"en": "Kecamatan (PATEN)", "id": "Kecamatan (PATEN)"},
    "kelurahan_bengkulu": {"en": "Kelurahan front desk", "id": "Kelurahan (meja layanan)"},
}


def A(key: str, lang: str = "en", **fmt) -> str:
    """The page's own words (``APP_STRINGS``); keys it lacks come from :func:`simulation.strings.t`."""
    text = APP_STRINGS.get(lang, APP_STRINGS["en"]).get(key)
    if text is None:
        return t(key, lang, **fmt)
    return text.format(**fmt) if fmt else text


def _t(key: str, lang: str, default: str, **fmt) -> str:
    """A chart/report string if this version of Loket has it, else ``default``."""
    try:
        return t(key, lang, **fmt)
    except KeyError:
        return default.format(**fmt) if fmt else default


# ---------------------------------------------------------------------------------------
# Offices


def shipped_scenarios() -> dict[str, Path]:
    """The shipped scenario files, by file stem: ``scenarios/*.toml`` of the source tree Loket
    runs from, else of the folder ``loket app`` was started in (a clone, after ``pip install .``).

    Only these fixed folders are listed: the page never takes a path from the browser.
    """
    folder = next((f for f in (REPO_SCENARIOS, Path.cwd() / "scenarios") if f.is_dir()), None)
    if folder is None:
        return {}
    files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    first = [p for p in files if p.stem == "dukcapil_bengkulu"]
    return {p.stem: p for p in first + [p for p in files if p not in first]}


def office_name(stem: str, lang: str, path: Path | None = None) -> str:
    """How the page names a shipped office."""
    if stem in OFFICE_NAMES:
        return OFFICE_NAMES[stem].get(lang, OFFICE_NAMES[stem]["en"])
    if path is not None:
        try:
            line = path.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError):
            line = ""
        if line.startswith("#"):
            return line.lstrip("# ").split(" — ")[0].strip()[:80] or stem
    return stem


def upload_name(name: str | None) -> str:
    """The name an uploaded file is called by in messages: its last path part, one short line."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:80] or "upload.toml"


def scenario_from_upload(raw: bytes, name: str) -> Scenario:
    """A scenario from an uploaded file's bytes, validated in memory.

    The checks and messages are those of :func:`simulation.load_scenario` (``loket check``):
    size, UTF-8 text (a byte-order mark is allowed), TOML, then :func:`parse_scenario`.
    Raises :class:`ScenarioError` naming the file by ``name``.
    """
    source = upload_name(name)
    limit = MAX_UPLOAD_BYTES
    if len(raw) > limit:
        raise ScenarioError(source, [("", f"the file is {len(raw):,} bytes; a scenario file may be at most "
                                          f"{limit:,} bytes")])
    return loads_scenario(raw, source)


def office_data(scenario: Scenario) -> dict:
    """The scenario as the dictionary a TOML file parses to, without computed keys (each policy's ``onsite``)."""
    data = scenario.model_dump(by_alias=True, mode="json", exclude_none=True)
    for policy in (data.get("policies") or {}).values():
        policy.pop("onsite", None)
    return data


# ---------------------------------------------------------------------------------------
# The plan: the page's settings as a scenario


@dataclasses.dataclass
class Plan:
    """What the page's controls say. Stations not named keep their scenario settings.

    ``at_home``: per station, officers working from home, a number (every day) or one per
    weekday; ``share``: per station, the share working from home (instead of ``at_home``);
    ``online``: per station, the share of visits handled online; ``officers``: per station,
    its staff when everyone is in; ``demand``: multiplier of every arrival rate.
    """

    officers: dict[str, int] = dataclasses.field(default_factory=dict)
    at_home: dict[str, int | list[int]] = dataclasses.field(default_factory=dict)
    share: dict[str, float] = dataclasses.field(default_factory=dict)
    online: dict[str, float] = dataclasses.field(default_factory=dict)
    demand: float = 1.0
    replications: int | None = None
    seed: int | None = None
    compare: bool = True


def _scaled(rate, factor: float):
    if isinstance(rate, list):
        return [_scaled(x, factor) for x in rate]
    return round(float(rate) * factor, 6)


def _one_or_week(values):
    """A number when every weekday has the same, else the list (Monday first)."""
    if isinstance(values, (list, tuple)):
        values = [v for v in values]
        return values[0] if len(set(values)) == 1 else values
    return values


def build_variant(base: Scenario, plan: Plan, lang: str = "en") -> dict:
    """The plan as a scenario dictionary: the office (``base``, with the plan's officers and
    demand) and its policies, ``full_office`` (everyone in; when comparing) and ``plan``.

    Validate it with :func:`simulation.parse_scenario`; it is what :func:`variant_toml`
    writes and ``loket run`` reads.
    """
    data = office_data(base)
    data["name"] = (base.name if base.name.endswith("_plan") else f"{base.name}_plan")[:100]
    data["lang"] = lang
    run = data.setdefault("run", {})
    if plan.replications is not None:
        run["replications"] = int(plan.replications)
    if plan.seed is not None:
        run["seed"] = int(plan.seed)
    for st in data["stations"]:
        n = plan.officers.get(st["name"])
        if n is not None and st.get("roster") is None:
            st["staff"] = int(n)
    if plan.demand != 1:
        for stream in data["arrivals"]:
            stream["per_hour"] = _scaled(stream["per_hour"], plan.demand)
    # Policies are named in both languages, so the plan's file and results read in either.
    policy: dict[str, Any] = {"label": A("plan_label", "en"), "label_id": A("plan_label", "id")}
    shares = {k: float(v) for k, v in plan.share.items() if v}
    homes = {k: _one_or_week(v) for k, v in plan.at_home.items() if k not in shares and v and any(
        x for x in (v if isinstance(v, (list, tuple)) else [v]))}
    if homes:
        policy["wfh_officers"] = {k: (list(map(int, v)) if isinstance(v, list) else int(v)) for k, v in homes.items()}
    if shares:
        policy["wfh_share"] = shares
    online = {k: {"share": float(v)} for k, v in plan.online.items() if v}
    if online:
        policy["online"] = online
    full = {"label": A("full_label", "en"), "label_id": A("full_label", "id")}
    data["policies"] = {FULL_OFFICE: full, PLAN: policy} if plan.compare else {PLAN: policy}
    # The office's notes (its [notes] and the estimates its file's comments mark), as data: the
    # plan's file and report list the same estimates. A note on a figure the plan changed is
    # left out: the figure is the planner's now.
    from simulation.notes import NOTE_TABLES, scenario_notes, value_at

    before = office_data(base)
    for table in NOTE_TABLES.values():  # the notes in each language ([notes], [notes_id])
        data.pop(table, None)
        notes = {key: note for key, note in scenario_notes(base, table=table).items()
                 if value_at(data, key) == value_at(before, key)}
        if notes:
            data[table] = notes
    return data


def variant_file_name(data: dict) -> str:
    return f"{data['name']}.toml"


def variant_toml(data: dict, source: str = "") -> str:
    """The plan as a scenario file (TOML) that ``loket run`` accepts unchanged."""
    made = f" from {source}" if source else ""
    header = (f"# Made with the Loket web page (loket app){made}.\n"
              f"# Run it: loket run {variant_file_name(data)}\n\n")
    return header + tomli_w.dumps(data)


# ---------------------------------------------------------------------------------------
# Messages about a plan, in plain words
#
# ``loket check`` and the command line speak to the author of a scenario file: file names,
# key paths, station ids, policy names. The page's planner never saw the plan's file: here
# the same findings (Scenario.warning_records, and the problems of a ScenarioError) are said
# with the desks' and plans' labels, in the page's language.


def desk_label(scenario: Scenario, name: str, lang: str = "en") -> str:
    """How the page names a desk: its label in ``lang`` (its name if the scenario gives none)."""
    station = next((s for s in scenario.stations if s.name == name), None)
    return station.label_in(lang) if station is not None else name


def _plan_label(scenario: Scenario, policy: str, lang: str) -> str:
    """A policy as the page names it: the plan and the full office in the page's words, others by label."""
    if policy == PLAN:
        return A("plan_label", lang)
    if policy == FULL_OFFICE:
        return A("full_label", lang)
    found = scenario.policies.get(policy)
    return (found.label_in(lang) or policy) if found is not None else policy


def _join_words(items: list[str], lang: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + t("list_and", lang) + items[-1]


def plan_notices(scenario: Scenario, lang: str = "en") -> list[str]:
    """What a planner should know before running ``scenario`` (the plan, parsed), in plain words.

    The findings of :meth:`Scenario.warning_records` (those ``loket run`` prints as warnings),
    each desk and plan named by its label, numbers and times in the reader's style.
    """
    out = []
    records = scenario.warning_records()
    # The same busiest hours under the full office and the plan: one sentence naming both.
    plans: dict[str, list[str]] = {}
    for r in records:
        if r["kind"] == "peak_hour":
            plans.setdefault(json.dumps(r["desks"], sort_keys=True), []).append(r["policy"])
    for r in records:
        kind = r["kind"]
        if kind == "no_arrivals":
            out.append(A("notice_no_arrivals", lang))
        elif kind == "overloaded":
            out.append(A("notice_overloaded", lang, desk=desk_label(scenario, r["station"], lang),
                         arrive=fmt_number(r["per_hour"], 1, lang), staff=r["staff"],
                         most=fmt_number(r["capacity_per_hour"], 1, lang)))
        elif kind == "few_replications":
            out.append(A("notice_few_replications", lang))
        elif kind == "nobody_home":
            desk = desk_label(scenario, r["station"], lang)
            out.append(A("notice_nobody_home_zero", lang, desk=desk) if r["share"] is None else
                       A("notice_nobody_home", lang, desk=desk, share=fmt_pct(r["share"], lang), staff=r["staff"],
                         mode=A("mode_day", lang)))
        elif kind == "peak_hour":
            same = plans.pop(json.dumps(r["desks"], sort_keys=True), None)
            if same is None:
                continue  # said with an earlier plan's
            desks = []
            for d in r["desks"]:
                also = (A("notice_also", lang, days=_join_words([weekday_name(x, lang, long=True) for x in d["also"]],
                                                                 lang)) if d["also"] else "")
                desks.append(A("notice_peak_desk", lang, desk=desk_label(scenario, d["station"], lang),
                               day=weekday_name(d["weekday"], lang, long=True), start=fmt_clock(d["start"], lang),
                               end=fmt_clock(d["end"], lang), work=fmt_number(d["work"], 1, lang),
                               onsite=d["onsite"], also=also))
            names = [_plan_label(scenario, p, lang) for p in same]
            out.append(A("notice_peak_hour", lang, plan=_join_words(names, lang), desks=_join_words(desks, lang)))
    return out


def plan_problems(exc: ScenarioError, data: dict, lang: str = "en") -> list[str]:
    """Why the plan ``data`` (a scenario dict from :func:`build_variant`) cannot be run, in plain words.

    ``exc`` is what :func:`simulation.parse_scenario` raised for it. The problems the page's
    controls can cause are said with the desk's label and the plan's own numbers: more officers
    at home than the desk has, or visits sent online at a desk where nobody works from home.
    Any other problem keeps the validator's words, without the file name or key path.
    """
    stations = {st["name"]: st for st in data.get("stations", [])}
    plan = (data.get("policies") or {}).get(PLAN, {})
    out = []
    for path, message in exc.problems:
        parts = path.split(".") if path else []
        station = ".".join(parts[3:]) if parts[:2] == ["policies", PLAN] and len(parts) >= 4 else None
        key = parts[2] if station is not None else None
        st = stations.get(station)
        desk = (localized(st, "label", lang) or station) if st is not None else station
        if key == "wfh_officers" and st is not None:
            home = plan.get("wfh_officers", {}).get(station, 0)
            staff = max([int(st.get("staff", 0)), *(st.get("roster") or ())])
            out.append(A("problem_home", lang, desk=desk, home=max(home) if isinstance(home, list) else home,
                         staff=staff))
        elif key == "online" and st is not None:
            share = (plan.get("online", {}).get(station) or {}).get("share", 0.0)
            out.append(A("problem_online", lang, desk=desk, online=fmt_pct(share, lang), control=A("online", lang)))
        elif st is not None:
            out.append(A("problem_other", lang, desk=desk, what=message))
        else:
            out.append(A("problem_other_office", lang, what=message))
    return out


# ---------------------------------------------------------------------------------------
# Running: a results folder in a temporary folder, kept as bytes


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _context(folder: Path, lang: str) -> dict:
    """What the report shows (:func:`simulation.report.report_context`), without the embedded images."""
    from simulation.report import report_context

    ctx = report_context(folder, lang)

    def chart(c):
        return {"name": c.get("name"), "alt": c.get("alt", "")} if c else None

    return {
        "title": ctx.get("title", ""),
        "scenario_paragraph": ctx.get("scenario_paragraph", ""),
        "provenance": ctx.get("provenance", ""),
        "lead": ctx.get("lead") or "",
        "executive": list(ctx.get("executive") or []),
        "sentences": list(ctx.get("sentences") or []),
        "tables": [{"caption": tb["caption"], "header": list(tb["header"]), "rows": [list(r) for r in tb["rows"]]}
                   for tb in ctx.get("tables") or []],
        "headline": chart(ctx.get("headline")),
        "charts": [chart(c) for c in ctx.get("charts") or []],
        # The figures the scenario marks as estimates, in the report's words.
        "estimates": [e["text"] for e in (ctx.get("assumptions") or {}).get("estimates") or []],
    }


def _draw(folder: Path, lang: str) -> dict:
    from simulation.charts import write_charts
    from simulation.report import write_report

    charts = [Path(p).relative_to(folder).as_posix() for p in write_charts(folder, lang)]
    report = Path(write_report(folder, lang)).relative_to(folder).as_posix()
    return {"charts": charts, "report": report}


def _run_info(scenario: Scenario, source: str, lang: str, started: str, wall: float, **extra) -> dict:
    from simulation.results_api import run_record

    return run_record(scenario, command=["loket", "app"], started_utc=started, wall_time_seconds=wall,
                      scenario_file=source, lang=lang, **extra)


def _headline_numbers(results) -> dict:
    """The page's headline numbers: the comparison's ``all`` row, or the single policy's means."""
    comparison = results.comparison
    if comparison is not None and len(comparison):
        row = comparison[(comparison.station == "all") & (comparison.policy == PLAN)]
        if len(row):
            r = row.iloc[0]
            keys = ["mean_wait_all", "first_trip_within_target_share", "never_served", "citizen_hours_lost"]
            out = {"baseline": str(r.baseline)}
            for k in keys:
                out[f"baseline_{k}"] = float(r[f"baseline_{k}"])
                out[f"policy_{k}"] = float(r[f"policy_{k}"])
            out["diff_mean_wait_all_ci_low"] = float(r.diff_mean_wait_all_ci_low)
            out["diff_mean_wait_all_ci_high"] = float(r.diff_mean_wait_all_ci_high)
            return out
    overall = results.overall[results.overall.policy == PLAN]
    people = results.citizens[results.citizens.policy == PLAN] if results.citizens is not None else None
    out = {"baseline": None, "policy_mean_wait_all": float(overall.mean_wait_all.mean()),
           "policy_citizen_hours_lost": float(overall.citizen_hours_lost.mean())}
    if people is not None and len(people):
        out["policy_first_trip_within_target_share"] = float(people.first_trip_within_target_share.iloc[0])
        out["policy_never_served"] = float(people.never_served.iloc[0])
    return out


def simulate(data: dict, lang: str = "en", source: str = "", original: bytes | None = None,
             progress: Callable[[int, int], None] | None = None, step: Callable[[str], None] | None = None,
             jobs: int | None = None) -> dict:
    """Run the plan ``data`` (a scenario dict) as ``loket run`` would, into memory.

    The results folder (tables, charts and report in ``lang``, ``run.json``, the resolved
    scenario, and ``original`` — the office's scenario file — as ``scenario.toml``) is
    written in a temporary folder with :func:`simulation.export.write_results_folder`, read
    into a dict of bytes and removed. ``progress(done, total)`` is called after each
    replication and ``step(what)`` between stages; an exception from either (a cancelled
    run) stops the worker processes and leaves nothing behind.
    """
    from simulation.export import write_results_folder, write_tables

    scenario = parse_scenario(data, source=source or variant_file_name(data))
    started = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    results = run_scenario(scenario, jobs=jobs, progress=progress)
    info = _run_info(scenario, source or variant_file_name(data), lang, started, time.perf_counter() - t0,
                     policies=list(scenario.staffing_policies()))
    if step:
        step("drawing")
    by_lang = {}
    with tempfile.TemporaryDirectory(prefix="loket-app-") as tmp:
        out = Path(tmp) / scenario.name

        def write(folder: Path) -> None:
            write_tables(folder, results, info)
            if original is not None:
                (folder / "scenario.toml").write_bytes(original)
            by_lang[lang] = _draw(folder, lang)

        write_results_folder(out, write)
        by_lang[lang]["context"] = _context(out, lang)
        files = _files(out)
    toml = variant_toml(data, source)
    return {
        "name": scenario.name,
        "data": data,
        "toml": toml,
        "files": files,
        "langs": by_lang,
        "numbers": _headline_numbers(results),
        "replications": scenario.run.replications,
        "seed": scenario.run.seed,
        "days": scenario.run.days,
        "compare": results.comparison is not None,
    }


def add_language(result: dict, lang: str) -> None:
    """Draw a finished run's (or staffing advice's) charts and report in another language
    (as ``loket report --lang`` does), in place.

    The stored folder is laid out again in a temporary folder, the charts and report drawn
    in ``lang`` beside the others, and the folder read back.
    """
    from simulation.export import write_results_folder

    if lang in result["langs"]:
        return
    drawn = {}
    with tempfile.TemporaryDirectory(prefix="loket-app-") as tmp:
        out = Path(tmp) / result["name"]

        def write(folder: Path) -> None:
            for rel, raw in result["files"].items():
                if any(part.startswith(".") for part in Path(rel).parts):
                    continue  # bookkeeping of the folder (its marker) is written afresh
                path = folder / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(raw)
            drawn.update(_draw(folder, lang))

        write_results_folder(out, write)
        drawn["context"] = _context(out, lang)
        result["files"] = _files(out)
    result["langs"][lang] = drawn
    result.pop("zip", None)  # the zip holds every language drawn: made again when asked for


def zip_files(files: dict[str, bytes], folder: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A zip of a results folder (``folder/...``) plus ``extra`` files at its top."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for rel, raw in files.items():
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, raw)
        for name, raw in (extra or {}).items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, raw)
    return buf.getvalue()


def _office_only(data: dict) -> dict:
    """The office of a plan: the scenario without its policies, named ``<name>_staffing``."""
    office = {k: v for k, v in data.items() if k != "policies"}
    office["name"] = f"{data['name']}_staffing"[:100]
    return office


def _office_key(data: dict) -> str:
    """What the staffing advice depends on: the office, whatever the page's language."""
    return json.dumps({k: v for k, v in _office_only(data).items() if k != "lang"}, sort_keys=True)


def advise(data: dict, required_share: float, lang: str = "en", source: str = "",
           progress: Callable[[int, int], None] | None = None, jobs: int | None = None) -> dict:
    """Staffing advice (``loket staff``) for the office of ``data``: table, chart and report, in memory."""
    from simulation.advice import MIN_ADVICE_REPLICATIONS, staffing_advice
    from simulation.export import STAT_FLOAT, write_results_folder
    from simulation.scenario import scenario_to_toml

    office = _office_only(data)
    scenario = parse_scenario(office, source=source or variant_file_name(data))
    started = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    table = staffing_advice(scenario, required_share, jobs=jobs, progress=progress)
    runs = int(table.attrs.get("replications", max(scenario.run.replications, MIN_ADVICE_REPLICATIONS)))
    info = _run_info(scenario, source, lang, started, time.perf_counter() - t0, required_share=required_share)
    info["replications"] = runs
    drawn = {}
    with tempfile.TemporaryDirectory(prefix="loket-app-") as tmp:
        out = Path(tmp) / scenario.name

        def write(folder: Path) -> None:
            table.to_csv(folder / "staffing.csv", index=False, float_format=STAT_FLOAT)
            resolved = scenario.with_run(replications=runs)
            (folder / "scenario.resolved.toml").write_text(scenario_to_toml(resolved), encoding="utf-8")
            (folder / "run.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
            drawn.update(_draw(folder, lang))

        write_results_folder(out, write)
        drawn["context"] = _context(out, lang)
        files = _files(out)
    return {"name": scenario.name, "files": files, "langs": {lang: drawn}, "replications": runs,
            "office": _office_key(data), "required_share": required_share}


# ---------------------------------------------------------------------------------------
# The page (Streamlit)


def _minutes(x: float, lang: str, sign: bool = False) -> str:
    return t("minutes_short", lang, value=fmt_minutes(x, lang, sign=sign))


def _count_text(x: float, lang: str, sign: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    return fmt_number(x, 0 if abs(x) >= 10 or abs(x - round(x)) < 1e-9 else 1, lang, sign=sign)


def _delta(text: str) -> str:
    # Streamlit reads the direction of a delta from a leading ASCII minus.
    return text.replace("−", "-")


def metrics(numbers: dict, lang: str, days: int) -> list[dict]:
    """The headline numbers as the page shows them: label, value, delta (or None), help."""
    base = numbers.get("baseline")
    base_label = A("full_label", lang)
    out = []

    def against(value: str) -> str:
        return A("metric_against", lang, value=value)

    def add(label, key, fmt, delta_fmt, help_text, source=numbers):
        value = source.get(f"policy_{key}")
        if value is None:
            return
        item = {"label": label, "value": fmt(value), "delta": None, "help": help_text, "key": key,
                "against": None, "zero": False}
        if base is not None:
            b = source[f"baseline_{key}"]
            if math.isfinite(value) and math.isfinite(b):
                item["delta"] = _delta(delta_fmt(value - b))
                item["zero"] = not re.search(r"[1-9]", item["delta"])
            item["against"] = against(fmt(b))
            item["help"] = f"{help_text} {A('metric_vs', lang, baseline=base_label)}"
        out.append(item)

    add(A("metric_wait", lang), "mean_wait_all", lambda x: _minutes(x, lang),
        lambda d: _minutes(d, lang, sign=True), A("metric_wait_help", lang))
    add(A("metric_done", lang), "first_trip_within_target_share", lambda x: fmt_pct(x, lang),
        lambda d: A("points", lang, value=fmt_number(100 * d, 0, lang, sign=True)), A("metric_done_help", lang))
    # People in whole numbers, rounded as the summary's lead rounds them (4, not "3.9 citizens").
    people = {k: (float(whole(v)) if v is not None and whole(v) is not None else v) if k.endswith("never_served")
              else v for k, v in numbers.items()}
    add(A("metric_never", lang), "never_served", lambda x: _count_text(x, lang),
        lambda d: _count_text(d, lang, sign=True), A("metric_never_help", lang, days=days), people)
    add(A("metric_hours", lang), "citizen_hours_lost", lambda x: _count_text(x, lang),
        lambda d: _count_text(d, lang, sign=True), A("metric_hours_help", lang))
    return out


def _table_frame(table: dict):
    import pandas as pd

    header, seen = [], {}
    for h in table["header"]:
        n = seen.get(h, 0)
        seen[h] = n + 1
        header.append(h + " " * n)  # a table may repeat a heading; a frame may not
    return pd.DataFrame(table["rows"], columns=header)


def _mime(name: str) -> str:
    return {"csv": "text/csv", "png": "image/png", "html": "text/html", "json": "application/json",
            "toml": "application/toml", "md": "text/markdown"}.get(name.rsplit(".", 1)[-1], "application/octet-stream")


def _on_cancel() -> None:
    import streamlit as st

    st.session_state["cancelled"] = True


CSS = """
<style>
.block-container { padding-top: 2rem; max-width: 1280px; }
h1 { font-size: 2.1rem !important; }
[data-testid="stMetricValue"] { font-size: 2rem; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>
"""


def _office_widgets(st, lang: str):
    """Sidebar: language and office. Returns (stem or None, scenario or None, source name, original bytes)."""
    st.sidebar.markdown("## Loket")
    st.sidebar.caption(A("sidebar_about", lang))
    st.sidebar.radio(A("language", lang), list(LANGS), key="lang", horizontal=True,
                     format_func=lambda x: {"en": "English", "id": "Bahasa Indonesia"}[x])
    shipped = shipped_scenarios()
    options = list(shipped) + ["__upload__"]
    choice = _choice(st, st.sidebar.selectbox, A("office", lang), options, "office", lang, help=A("office_help", lang),
                     format_func=lambda s: A("upload_choice", lang) if s == "__upload__" else office_name(
                         s, lang, shipped.get(s)))
    if choice != "__upload__":
        path = shipped[choice]
        from simulation import load_scenario

        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:  # a shipped file edited into an invalid one
            _show_problem(st, A("upload_bad", lang), exc)
            return None
        return choice, scenario, path.name, path.read_bytes()
    limit = fmt_number(MAX_UPLOAD_BYTES / 1e6, 0 if MAX_UPLOAD_BYTES >= 1e6 else 1, lang) + " MB"
    uploaded = st.sidebar.file_uploader(A("upload", lang), type=["toml"], key="upload",
                                        help=A("upload_help", lang, limit=limit))
    if uploaded is None:
        st.info(A("upload_wait", lang))
        return None
    raw = uploaded.getvalue()
    name = upload_name(uploaded.name)
    try:
        scenario = scenario_from_upload(raw, name)
    except ScenarioError as exc:
        _show_problem(st, A("upload_bad", lang), exc)
        return None
    import hashlib

    return "upload:" + hashlib.sha256(raw).hexdigest()[:16], scenario, name, raw


def _choice(st, widget, label: str, options: list, key: str, lang: str, **kwargs):
    """A radio or select box whose option names follow the page's language.

    The browser keeps showing a widget's old option names when only their words change, so
    each language gets its own widget (``key.<lang>``); the choice itself is kept under
    ``key`` and carried over when the language switches.
    """
    stored = st.session_state.get(key, options[0])
    value = widget(label, options, index=options.index(stored) if stored in options else 0, key=f"{key}.{lang}",
                   **kwargs)
    st.session_state[key] = value
    return value


def _same_plan(a: dict, b: dict) -> bool:
    """Two plans that simulate the same: whatever the language of the page and of the policy labels."""

    def neutral(data: dict) -> dict:
        out = {k: v for k, v in data.items() if k != "lang"}
        out["policies"] = {name: {k: v for k, v in p.items() if k not in ("label", "label_id")}
                           for name, p in data["policies"].items()}
        return out

    return neutral(a) == neutral(b)


def office_defaults(scenario: Scenario) -> dict[str, Any]:
    """The page's controls as an office opens, by control name (see :func:`widget_key`): the
    scenario's officers, replications (at most :data:`MAX_APP_REPLICATIONS`) and random seed;
    nobody at home, nothing online, the usual demand, compared with the full office.

    With these, Run gives exactly the numbers of ``loket run`` on the office's file with the
    replications set to the page's (the same seed, the same citizens).
    """
    out: dict[str, Any] = {"demand": 100, "replications": min(scenario.run.replications, MAX_APP_REPLICATIONS),
                           "compare": True, "seed": min(scenario.run.seed, 2**53 - 1), "advice_share": 90}
    for station in scenario.stations:
        name = station.name
        out |= {f"staff.{name}": int(station.staff), f"home.{name}": 0,
                f"share.{name}": 0, f"online.{name}": 0}
        out |= {f"home.{name}.{d}": 0 for d in range(scenario.week_length)}
    return out


# Widget keys of the controls of an office (widget_key).
CONTROL_KEY = re.compile(r"^o\d*\.")


def widget_key(name: str, visit: int = 0) -> str:
    """The widget key of the control ``name`` (``"seed"``, ``"home.ektp"``) on the ``visit``-th
    office a browser tab shows: ``o.seed`` on the first, ``o1.seed`` on the next one, and so on.

    The browser keeps a widget's value as long as the page draws a widget of the same key,
    and sends it back with the next click: a seed kept under one key would carry the previous
    office's seed into the next office's run. Fresh keys for each office make fresh widgets,
    which show and send the new office's values.
    """
    return f"o.{name}" if visit == 0 else f"o{visit}.{name}"


def _key(st, name: str) -> str:
    return widget_key(name, st.session_state.get("_office_visit", 0))


def _reset_office(st, office_id: str) -> None:
    """A new office: fresh controls (:func:`widget_key`), which start at its own settings
    (:func:`office_defaults`); the previous office's controls and results are forgotten."""
    if st.session_state.get("_office_id") == office_id:
        return
    if "_office_id" in st.session_state:
        st.session_state["_office_visit"] = st.session_state.get("_office_visit", 0) + 1
    for key in [k for k in st.session_state if isinstance(k, str) and CONTROL_KEY.match(k)]:
        del st.session_state[key]
    for key in ("result", "advice"):
        st.session_state.pop(key, None)
    st.session_state["_office_id"] = office_id


def _desk_widgets(st, scenario: Scenario, lang: str) -> tuple[Plan, dict]:
    """The per-desk controls; returns the plan so far and a placeholder per desk for its on-site line."""
    plan = Plan()
    placeholders = {}
    week = scenario.week_length
    default = office_defaults(scenario)
    st.subheader(A("desks_heading", lang))
    st.caption(A("desks_intro", lang))
    for station in scenario.stations:
        name = station.name
        with st.container(border=True):
            target = fmt_number(station.target_wait_minutes, 0, lang)
            st.markdown(f"**{_md(station.label_in(lang))}** &nbsp;·&nbsp; {A('standard', lang, target=target)}")
            c1, c2, c3, c4 = st.columns([1.15, 1.35, 3.1, 1.6], gap="medium")
            roster = station.roster
            help_staff = (A("roster_help", lang, roster=" ".join(map(str, roster))) if roster is not None
                          else A("officers_help", lang))
            officers = c1.number_input(A("officers", lang), min_value=0, max_value=10_000, step=1,
                                       value=default[f"staff.{name}"], key=_key(st, f"staff.{name}"), help=help_staff,
                                       disabled=roster is not None)
            if roster is None:
                plan.officers[name] = int(officers)
            mode = _choice(st, c2.radio, A("mode", lang), ["day", "week", "share"], _key(st, f"mode.{name}"), lang,
                           format_func=lambda m: A(f"mode_{m}", lang))
            with c3:
                if mode == "day":
                    plan.at_home[name] = int(st.number_input(A("home_day", lang), min_value=0, max_value=10_000,
                                                             step=1, value=default[f"home.{name}"],
                                                             key=_key(st, f"home.{name}")))
                elif mode == "week":
                    cols = st.columns(week, gap="small")
                    plan.at_home[name] = [
                        int(cols[d].number_input(weekday_name(d, lang), min_value=0, max_value=10_000, step=1,
                                                 value=default[f"home.{name}.{d}"], key=_key(st, f"home.{name}.{d}")))
                        for d in range(week)]
                else:
                    share = st.slider(A("share", lang), min_value=0, max_value=100, step=5,
                                      value=default[f"share.{name}"], key=_key(st, f"share.{name}"), format="%d%%",
                                      help=A("share_help", lang))
                    plan.share[name] = share / 100
            if station.in_person_only:
                c4.caption(A("in_person", lang))
            else:
                online = c4.slider(A("online", lang), min_value=0, max_value=100, step=5,
                                   value=default[f"online.{name}"], key=_key(st, f"online.{name}"), format="%d%%",
                                   help=A("online_help", lang))
                plan.online[name] = online / 100
            placeholders[name] = st.empty()
    return plan, placeholders


def _run_widgets(st, scenario: Scenario, plan: Plan, lang: str) -> None:
    default = office_defaults(scenario)
    st.subheader(A("settings_heading", lang))
    c1, c2, c3 = st.columns([1.4, 1, 1.4], gap="medium")
    plan.demand = c1.slider(A("demand", lang), min_value=50, max_value=200, step=5, value=default["demand"],
                            format="%d%%",
                            key=_key(st, "demand"), help=A("demand_help", lang)) / 100
    plan.replications = int(c2.number_input(A("replications", lang), min_value=1, max_value=MAX_APP_REPLICATIONS,
                                            step=1, value=default["replications"], key=_key(st, "replications"),
                                            help=A("replications_help", lang)))
    with c3:
        st.write("")
        plan.compare = st.toggle(A("compare", lang), value=default["compare"], key=_key(st, "compare"),
                                 help=A("compare_help", lang))
    with st.expander(A("more_settings", lang)):
        plan.seed = int(st.number_input(A("seed", lang), min_value=0, max_value=2**53 - 1, step=1,
                                        value=default["seed"], key=_key(st, "seed"),
                                        help=A("seed_help", lang)))


def _onsite_lines(st, scenario: Scenario, placeholders: dict, lang: str) -> None:
    policy = scenario.staffing_policies().get(PLAN)
    if policy is None:
        return
    for station in scenario.stations:
        counts = policy.onsite.get(station.name)
        if counts is None or station.name not in placeholders:
            continue
        days = " · ".join(f"{weekday_name(d, lang)} {n}" for d, n in enumerate(counts))
        total = max([station.staff, *(station.roster or ())])
        home = [max(total - n, 0) for n in counts]
        text = A("onsite_line", lang, days=days)
        if any(home):
            text += " &nbsp;·&nbsp; " + A("home_line", lang, days=" · ".join(str(h) for h in home))
        placeholders[station.name].caption(text)


def _show_problem(st, header: str, exc: ScenarioError) -> None:
    """A scenario file the planner chose that cannot be used: what ``loket check`` says about it."""
    st.error(header)
    st.code("\n".join(exc.lines()), language="text", wrap_lines=True)


def _show_plan_problem(st, exc: ScenarioError, data: dict, lang: str) -> None:
    """Settings of the page that cannot be run: why, in plain words (:func:`plan_problems`)."""
    st.error("\n".join([A("plan_problems", lang), *(f"- {_md(m)}" for m in plan_problems(exc, data, lang))]))


def _do_run(st, data: dict, lang: str, source: str, original: bytes) -> None:
    bar = st.progress(0.0, text=A("running", lang, done=0, total=data["run"]["replications"]))
    cancel = st.empty()
    cancel.button(A("cancel", lang), key="cancel", on_click=_on_cancel, icon=":material/stop:")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=A("running", lang, done=done, total=total))

    def step(what: str) -> None:
        bar.progress(1.0, text=A(what, lang))

    try:
        result = simulate(data, lang, source=source, original=original, progress=progress, step=step)
    except ScenarioError as exc:
        bar.empty()
        cancel.empty()
        _show_plan_problem(st, exc, data, lang)
        return
    except Exception as exc:  # never a traceback in the page: one line here, the details in the terminal
        bar.empty()
        log.exception("loket app: the run failed")
        cancel.empty()
        st.error(A("error", lang, what=type(exc).__name__))
        return
    bar.empty()
    cancel.empty()
    st.session_state["result"] = result


def _show_results(st, result: dict, lang: str, current: dict | None, office_label: str) -> None:
    if lang not in result["langs"]:
        with st.spinner(A("preparing_lang", lang)):
            add_language(result, lang)
    drawn = result["langs"][lang]
    ctx = drawn["context"]
    files = result["files"]
    st.divider()
    st.header(A("results_heading", lang))
    st.caption(A("results_for", lang, office=_md(office_label), replications=result["replications"],
                 seed=result["seed"]))
    if current is not None and not _same_plan(current, result["data"]):
        st.info(A("stale", lang))
    items = metrics(result["numbers"], lang, result["days"])
    cols = st.columns(len(items))
    for col, item in zip(cols, items):
        colour = "normal" if item["key"] == "first_trip_within_target_share" else "inverse"
        col.metric(item["label"], item["value"], item["delta"], delta_color="off" if item["zero"] else colour,
                   delta_arrow="off" if item["zero"] else "auto", delta_description=item["against"],
                   help=item["help"], border=True, height="stretch")
    summary = ctx["executive"] or ctx["sentences"]
    st.subheader(_t("report_executive_heading", lang, A("exec_heading", lang)))
    if ctx.get("lead"):  # the decision in a sentence, as the report opens with it
        st.markdown(f"**{_md(ctx['lead'])}**")
    st.markdown("\n".join(f"- {_md(s)}" for s in summary) or "–")
    if ctx["executive"] and ctx["sentences"]:
        with st.expander(t("report_findings_heading", lang)):
            st.markdown("\n".join(f"- {_md(s)}" for s in ctx["sentences"]))
    # The headline chart over the page's whole width: drawn 1200 px wide, it is shown about at
    # its own size, its smallest words as large as the page's captions. Its title is in the
    # picture: no caption repeats it.
    st.subheader(t("report_headline_heading", lang))
    headline = next((c for c in drawn["charts"] if c.rsplit("/", 1)[-1] == "standard_met.png"), None)
    if headline:
        st.image(files[headline], width="stretch")
    st.subheader(t("report_tables_heading", lang))
    for table in ctx["tables"]:
        st.markdown(f"**{_md(table['caption'])}**")
        st.table(_table_frame(table), hide_index=True)
    others = [c for c in drawn["charts"] if c.rsplit("/", 1)[-1] != "standard_met.png"]
    if others:
        # One chart a row, at three quarters of their drawn size: their 10-point words stay
        # about 15 pixels high (two to a row, they shrank to 9 pixels and less).
        st.subheader(t("report_charts_heading", lang))
        for rel in others:
            st.image(files[rel], width=CHART_WIDTH)
    _downloads(st, result, drawn, lang)
    with st.expander(A("office_paragraph", lang)):
        st.markdown(_md(ctx["scenario_paragraph"]))
        if ctx.get("estimates"):
            st.markdown(_md(t("assumptions_estimates_intro", lang)))
            st.markdown("\n".join(f"- {_md(e)}" for e in ctx["estimates"]))
        st.caption(_md(ctx["provenance"]))


def _md(text: str) -> str:
    """Plain text shown as Markdown: the characters Markdown would read as formatting escaped."""
    return re.sub(r"([\\`*_{}\[\]<>#|~$])", r"\\\1", str(text))


def _downloads(st, result: dict, drawn: dict, lang: str) -> None:
    files = result["files"]
    st.subheader(A("downloads", lang))
    c1, c2, c3 = st.columns(3)
    report = drawn["report"]
    c1.download_button(A("dl_report", lang), files[report], file_name=report.rsplit("/", 1)[-1],
                       mime="text/html", key="dl.report", on_click="ignore", width="stretch",
                       icon=":material/description:")
    toml_name = variant_file_name(result["data"])
    if "zip" not in result:
        result["zip"] = zip_files(files, result["name"], {toml_name: result["toml"].encode("utf-8")})
    c2.download_button(A("dl_zip", lang), result["zip"], file_name=f"{result['name']}.zip",
                       mime="application/zip", key="dl.zip", on_click="ignore", width="stretch",
                       icon=":material/folder_zip:")
    c3.download_button(A("dl_toml", lang), result["toml"].encode("utf-8"), file_name=toml_name,
                       mime="application/toml", key="dl.toml", on_click="ignore", width="stretch",
                       icon=":material/tune:", help=A("dl_toml_help", lang))
    with st.expander(A("dl_files", lang)):
        names = [n for n in files if n.endswith((".csv", ".png")) and (n.count("/") == 0 or n in drawn["charts"])]
        cols = st.columns(3)
        for i, rel in enumerate(names):
            cols[i % 3].download_button(rel.rsplit("/", 1)[-1], files[rel], file_name=rel.rsplit("/", 1)[-1],
                                        mime=_mime(rel), key=f"dl.file.{rel}", on_click="ignore", width="stretch")


def _advice_tab(st, data: dict | None, lang: str, source: str) -> None:
    from simulation.advice import MIN_ADVICE_REPLICATIONS

    st.markdown(A("advice_intro", lang))
    if data is None:
        return
    runs = max(int(data["run"]["replications"]), MIN_ADVICE_REPLICATIONS)
    st.caption(A("advice_reps", lang, runs=runs, least=MIN_ADVICE_REPLICATIONS))
    c1, c2 = st.columns([2, 1], gap="large")
    share = c1.slider(A("advice_share", lang), min_value=50, max_value=99, step=1, value=90, format="%d%%",
                      key=_key(st, "advice_share"))
    with c2:
        st.write("")
        clicked = st.button(A("advice_run", lang), key="advise", type="primary")
    if clicked:
        bar = st.progress(0.0, text=A("advice_running", lang, round=1, done=0, total=runs))
        cancel = st.empty()
        cancel.button(A("cancel", lang), key="cancel_advice", on_click=_on_cancel, icon=":material/stop:")
        rounds = {"n": 0}

        def progress(done: int, total: int) -> None:
            if done == 1:
                rounds["n"] += 1
            bar.progress(done / total, text=A("advice_running", lang, round=rounds["n"], done=done, total=total))

        try:
            st.session_state["advice"] = advise(data, share / 100, lang, source=source, progress=progress)
        except ScenarioError as exc:
            bar.empty()
            cancel.empty()
            _show_plan_problem(st, exc, _office_only(data), lang)
            return
        except Exception as exc:
            bar.empty()
            log.exception("loket app: the staffing advice failed")
            cancel.empty()
            st.error(A("error", lang, what=type(exc).__name__))
            return
        bar.empty()
        cancel.empty()
    advice = st.session_state.get("advice")
    if not advice:
        return
    if _office_key(data) != advice["office"] or advice["required_share"] != share / 100:
        st.info(A("advice_stale", lang))
    if lang not in advice["langs"]:
        with st.spinner(A("preparing_lang", lang)):
            add_language(advice, lang)
    drawn = advice["langs"][lang]
    ctx = drawn["context"]
    files = advice["files"]
    st.subheader(A("advice_results", lang))
    if ctx["sentences"]:
        st.markdown("\n".join(f"- {_md(s)}" for s in ctx["sentences"]))
    for rel in drawn["charts"]:
        st.image(files[rel], width=CHART_WIDTH)
    for table in ctx["tables"]:
        st.markdown(f"**{_md(table['caption'])}**")
        st.table(_table_frame(table), hide_index=True)
    c1, c2, c3 = st.columns(3)
    report = drawn["report"]
    c1.download_button(A("dl_report", lang), files[report], file_name=report.rsplit("/", 1)[-1], mime="text/html",
                       key="dl.advice.report", on_click="ignore", width="stretch", icon=":material/description:")
    c2.download_button("staffing.csv", files["staffing.csv"], file_name="staffing.csv", mime="text/csv",
                       key="dl.advice.csv", on_click="ignore", width="stretch")
    if "zip" not in advice:
        advice["zip"] = zip_files(files, advice["name"])
    c3.download_button(A("dl_zip", lang), advice["zip"], file_name=f"{advice['name']}.zip",
                       mime="application/zip", key="dl.advice.zip", on_click="ignore", width="stretch",
                       icon=":material/folder_zip:")


def main() -> None:
    """The page: sidebar (language, office), a tab to compare staffing, a tab of staffing advice."""
    import streamlit as st

    st.set_page_config(page_title="Loket", page_icon="🏛️", layout="wide", initial_sidebar_state="expanded")
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state["lang"] = asked if asked in LANGS else "en"
    lang = st.session_state["lang"]
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(A("page_title", lang))
    st.markdown(A("intro", lang))
    if st.session_state.pop("cancelled", False):
        st.warning(A("cancelled", lang))
    office = _office_widgets(st, lang)
    compare_tab, advice_tab = st.tabs([A("tab_compare", lang), A("tab_advice", lang)])
    if office is None:
        return
    office_id, scenario, source, original = office
    _reset_office(st, office_id)
    office_label = (office_name(office_id, lang, shipped_scenarios().get(office_id))
                    if not office_id.startswith("upload:") else source)
    data = None
    with compare_tab:
        with st.expander(A("about_office", lang)):
            st.markdown(_md(scenario.description_in(lang)) or "–")
        plan, placeholders = _desk_widgets(st, scenario, lang)
        _run_widgets(st, scenario, plan, lang)
        data = build_variant(scenario, plan, lang)
        try:
            variant = parse_scenario(data, source=variant_file_name(data))
        except ScenarioError as exc:
            variant = None
            _show_plan_problem(st, exc, data, lang)
        if variant is not None:
            _onsite_lines(st, variant, placeholders, lang)
            notes = plan_notices(variant, lang)
            if notes:
                st.warning("\n".join(f"- {_md(m)}" for m in notes), icon=":material/info:")
        clicked = st.button(A("run", lang), key="run", type="primary", disabled=variant is None,
                            icon=":material/play_arrow:")
        if clicked and variant is not None:
            _do_run(st, data, lang, source, original)
        result = st.session_state.get("result")
        if result is not None:
            _show_results(st, result, lang, data if variant is not None else None, office_label)
        st.caption(A("footer", lang, version=__version__))
    with advice_tab:
        _advice_tab(st, data if variant is not None else None, lang, source)


if __name__ == "__main__":
    main()
