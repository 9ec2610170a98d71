"""Charts: each draws what its table holds, readably, in English or Indonesian, from a saved folder."""

import io
import re
import shutil
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from simulation import chart_data as cd
from simulation import charts
from simulation.cli import main
from simulation.strings import STRINGS, fmt_minutes, fmt_pct, t

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "dukcapil_bengkulu.toml"
RUN_CHARTS = [name for name, spec in charts.CHARTS.items() if spec.kind == "run"]  # the shipped scenario has all


# ---------------------------------------------------------------------------------------
# Fixtures: one small results folder of each kind, written once by the command line


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("charts")
    out = {"run": base / "run", "sweep": base / "sweep", "staffing": base / "staffing"}
    assert main(["run", str(SCENARIO), "--replications", "3", "--out", str(out["run"]), "--quiet"]) == 0
    assert main(["sweep", str(SCENARIO), "--station", "ektp", "--wfh-share", "0,0.5,1", "--replications", "3",
                 "--out", str(out["sweep"]), "--quiet"]) == 0
    assert main(["staff", str(SCENARIO), "--replications", "3", "--out", str(out["staffing"]), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def data(folders):
    return cd.load_results(folders["run"])


@pytest.fixture(scope="module")
def figures(data):
    return {lang: charts.draw_charts(data, lang) for lang in ("en", "id")}


@pytest.fixture(scope="module")
def other_figures(folders):
    out = {}
    for kind in ("sweep", "staffing"):
        loaded = cd.load_results(folders[kind])
        out.update({(name, lang): fig for lang in ("en", "id")
                    for name, fig in charts.draw_charts(loaded, lang).items()})
    return out


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=charts.DPI, metadata={"Software": None})
    return buf.getvalue()


def _by_gid(fig: Figure, gid: str, kind=object) -> list:
    return [a for a in fig.findobj(lambda a: a.get_gid() == gid) if isinstance(a, kind)]


def _texts(fig: Figure) -> list[str]:
    """Every visible word of the figure: titles, axis labels, tick labels, legend, notes."""
    fig.canvas.draw()
    return [a.get_text().replace("\u00a0", " ") for a in fig.findobj(Text) if a.get_visible() and a.get_text()]


def _suptitle(fig: Figure) -> str:
    return fig.get_suptitle().replace("\u00a0", " ").replace("\n", " ")


# ---------------------------------------------------------------------------------------
# Strings


def test_both_languages_have_the_same_keys_and_placeholders():
    en, id_ = STRINGS["en"], STRINGS["id"]
    assert set(en) == set(id_)
    def fields(s):
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}

    for key in en:
        assert fields(en[key]) == fields(id_[key]), key
    with pytest.raises(ValueError, match="unsupported language"):
        t("hour_ylabel", "fr")
    assert t("hour_ylabel", "id") == "Waktu tunggu rata-rata (menit)"
    assert fmt_minutes(1.45, "id") == "1,4" or fmt_minutes(1.45, "id") == "1,5"
    assert fmt_pct(0.31, "en") == "31 %" and fmt_pct(0.31, "id") == "31%"
    assert fmt_pct(0.996, "en") == "99.6 %"  # never a false 100 %


# ---------------------------------------------------------------------------------------
# Every chart: right size, not blank, readable, nothing overlapping or cut off


@pytest.mark.parametrize("name", RUN_CHARTS + ["sweep", "staffing"])
def test_chart_is_a_non_blank_image_of_the_expected_size(name, figures, other_figures):
    fig = figures["en"][name] if name in RUN_CHARTS else other_figures[(name, "en")]
    width, height = fig.get_size_inches() * charts.DPI
    with Image.open(io.BytesIO(_png(fig))) as im:
        assert im.size == (round(width), round(height))
        assert im.size[0] == 1200
        pixels = np.asarray(im.convert("RGB")).reshape(-1, 3)
    colours = np.unique(pixels, axis=0)
    assert len(colours) > 50  # not a single colour: there is something drawn
    assert (pixels != 255).any(axis=1).mean() > 0.02


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("name", RUN_CHARTS + ["sweep", "staffing"])
def test_text_is_large_enough_and_inside_the_figure_without_overlaps(name, lang, figures, other_figures):
    fig = figures[lang][name] if name in RUN_CHARTS else other_figures[(name, lang)]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    for text in fig.findobj(Text):
        if not (text.get_visible() and text.get_text().strip()):
            continue
        assert text.get_fontsize() >= 10, text.get_text()
        box = text.get_window_extent(renderer)
        assert box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1, f"cut off: {text.get_text()!r}"
        assert box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, f"cut off: {text.get_text()!r}"
    # the title, the legend and the shared axis labels overlap neither each other nor the panels
    title = fig._suptitle.get_window_extent(renderer)
    legend = fig.legends[0].get_window_extent(renderer)
    panels = [ax.get_tightbbox(renderer) for ax in fig.get_axes()]
    labels = [sf._supxlabel.get_window_extent(renderer) for sf in fig.subfigs if sf._supxlabel is not None]
    for a, b in [(title, legend)] + [(x, p) for x in (title, legend) for p in panels + labels]:
        assert not a.overlaps(b)


# ---------------------------------------------------------------------------------------
# The values drawn are the tables' (and summary.csv's)


def test_standard_met_draws_citizens_then_summary_shares_with_their_intervals(figures, data):
    fig = figures["en"]["standard_met"]
    summary = data["summary"]
    citizens = data["citizens"].set_index("policy")
    for policy, rows in summary.groupby("policy", sort=False):
        # First bar: citizens (citizens.csv); then one per station (summary.csv, counter visits).
        people = citizens.loc[policy]
        share = [100 * people.first_trip_within_target_share, *(100 * rows["within_target_share"])]
        low = [100 * people.first_trip_within_target_share_ci_low, *(100 * rows["within_target_share_ci_low"])]
        high = [100 * people.first_trip_within_target_share_ci_high, *(100 * rows["within_target_share_ci_high"])]
        bars = _by_gid(fig, policy, Rectangle)
        assert [b.get_width() for b in bars] == pytest.approx(share)
        ci = _by_gid(fig, f"ci/{policy}", LineCollection)[0].get_segments()
        assert [s[0][0] for s in ci] == pytest.approx(list(np.clip(low, 0, 100)))
        assert [s[1][0] for s in ci] == pytest.approx(list(np.clip(high, 0, 100)))
    required = _by_gid(fig, "required", Line2D)[0]
    assert required.get_xdata()[0] == pytest.approx(100 * cd.REQUIRED_SHARE)
    # the y tick labels say "citizens" first, then name stations by their label, with the standard
    ticks = [tk.get_text() for tk in fig.axes[0].get_yticklabels()]
    assert ticks[0].startswith("Citizens")
    assert all(label.split()[0] in tick for label, tick in zip(summary["label"].unique(), ticks[1:]))
    # the title's numbers are the worst station's share and its baseline's, from summary.csv
    worst = summary.loc[summary.within_target_share.idxmin()]
    base = summary[(summary.policy == summary.policy.iloc[0]) & (summary.station == worst.station)].iloc[0]
    title = fig.get_label()
    assert f"{round(100 * worst.within_target_share)} %" in title and worst.label in title
    assert f"{round(100 * base.within_target_share)} %" in title


def test_utilisation_draws_summary_utilisation(figures, data):
    fig = figures["en"]["utilisation"]
    for policy, rows in data["summary"].groupby("policy", sort=False):
        bars = _by_gid(fig, policy, Rectangle)
        assert [b.get_width() for b in bars] == pytest.approx(list(100 * rows["utilization"]))


def test_wait_distribution_meets_the_summary_at_each_target(figures, data):
    fig = figures["en"]["wait_distribution"]
    table = cd.wait_ecdf_table(data["visits"], data["summary"], data["scenario"])
    for row in data["summary"].itertuples(index=False):
        line = _by_gid(fig, f"{row.policy}/{row.station}", Line2D)[0]
        x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        part = table[(table.policy == row.policy) & (table.station == row.station)]
        assert x == pytest.approx(part["wait"].to_numpy()) and y == pytest.approx(part["share_pct"].to_numpy())
        at_target = y[np.flatnonzero(x == row.target_wait_minutes)[0]]
        # visits.csv rounds times to 1e-4 min: allow one visit's worth of disagreement
        assert at_target == pytest.approx(100 * row.within_target_share, abs=0.5)
        assert y[-1] <= 100 + 1e-9 and np.all(np.diff(y) >= -1e-9)


def test_wait_by_hour_draws_replication_means_by_clock_hour(figures, data, folders):
    fig = figures["en"]["wait_by_hour"]
    table = cd.hourly_wait_table(data["visits"], data["summary"], data["scenario"])
    visits = pd.read_csv(folders["run"] / "visits.csv")
    policy, station = "wfh_50", "kk_akta"
    line = _by_gid(fig, f"{policy}/{station}", Line2D)[0]
    part = table[(table.policy == policy) & (table.station == station)]
    np.testing.assert_allclose(line.get_ydata(), part["mean_wait"], equal_nan=True)
    assert list(line.get_xdata()) == pytest.approx(list(part["x_hours"]))
    # by hand, for arrivals 09:00-10:00 (each working day opens at 08:00, at cal.opens[day - 1])
    from simulation import load_scenario, office_calendar

    cal = office_calendar(load_scenario(folders["run"] / "scenario.resolved.toml"))
    # every counter visit, with its wait until called or sent home
    v = visits[(visits.policy == policy) & (visits.station == station) & (visits.outcome != "online")]
    clock = v.arrival - cal.opens[v.day.to_numpy() - 1]
    by_rep = v[(clock >= 60) & (clock < 120)].groupby("replication")["wait"].mean()
    row = part[part.clock == "09:00"].iloc[0]
    assert row.mean_wait == pytest.approx(by_rep.mean())
    assert row.ci_low < row.mean_wait < row.ci_high
    band = _by_gid(fig, f"band/{policy}/{station}", PolyCollection)
    assert band  # the confidence band is drawn


def test_queue_over_day_averages_to_the_summary_queue_length(figures, data):
    fig = figures["en"]["queue_over_day"]
    table = cd.queue_over_day_table(data["visits"], data["summary"], data["scenario"])
    line = _by_gid(fig, "full_office/ektp", Line2D)[0]
    part = table[(table.policy == "full_office") & (table.station == "ektp")]
    assert list(line.get_ydata()) == pytest.approx(list(part["mean_queue"]))
    fine = cd.queue_over_day_table(data["visits"], data["summary"], data["scenario"], step_minutes=1)
    open_minutes = 8 * 60
    for row in data["summary"].itertuples(index=False):
        curve = fine[(fine.policy == row.policy) & (fine.station == row.station) & (fine.minute < open_minutes)]
        assert curve["mean_queue"].mean() == pytest.approx(row.mean_queue_length, rel=0.05, abs=0.02)
        assert (curve["band_low"] <= curve["mean_queue"] + 1e-9).all()


def test_not_served_draws_citizens_sent_home_per_day_as_in_the_summary(figures, data):
    fig = figures["en"]["not_served"]
    table = cd.not_served_table(data["visits"], data["summary"], data["scenario"])
    summary = data["summary"]
    for policy in summary["policy"].unique():
        rows = table[table.policy == policy]
        for reason in cd.REASONS:
            bars = _by_gid(fig, f"{policy}/{reason}", Rectangle)
            assert [b.get_height() for b in bars] == pytest.approx(list(rows[reason]))
        # per replication, all days together = all stations together in summary.csv
        assert rows["total"].sum() == pytest.approx(summary.loc[summary.policy == policy, "not_served"].sum())
    labels = cd.policy_labels(data["scenario"])
    assert _suptitle(fig) == charts.finding_text(table.attrs["finding"], "en", labels)
    assert _suptitle(fig).startswith(labels[table.attrs["finding"]["args"]["policy"][1]])  # named by label


def test_nobody_sent_home_is_drawn_as_zero_bars_and_said_in_the_title():
    visits, summary, scenario = _synthetic_visits()
    visits = visits[visits.outcome == "served"]
    table = cd.not_served_table(visits, summary, scenario)
    assert table.attrs["all_zero"]
    fig = charts.chart_not_served(table, "en")
    assert _suptitle(fig) == t("ns_title_none", "en") == "No citizen was sent home unserved"
    for policy in ("base", "wfh"):
        for reason in cd.REASONS:
            bars = _by_gid(fig, f"{policy}/{reason}", Rectangle)
            assert len(bars) == 2 and all(b.get_height() == 0 for b in bars)
    assert _by_gid(fig, "none_note")
    assert _suptitle(charts.chart_not_served(table, "id")) == "Tidak ada warga yang pulang tanpa dilayani"


def _synthetic_visits():
    """Two policies, two replications, two days: known citizens sent home."""
    rows = []
    def add(policy, rep, day, outcome, station="desk", n=1):
        for _ in range(n):
            rows.append({"policy": policy, "replication": rep, "day": day, "station": station,
                         "arrival": (day - 1) * 1440 + 10.0, "wait": 5.0, "outcome": outcome})
    for policy in ("base", "wfh"):
        for rep in (1, 2):
            add(policy, rep, 1, "served", n=3)
            add(policy, rep, 2, "served", n=3)
    add("wfh", 1, 1, "turned_away", n=4)
    add("wfh", 2, 1, "balked", n=2)
    add("wfh", 1, 2, "reneged", n=1)
    add("base", 2, 2, "turned_away", n=1)
    add("wfh", 1, 1, "online", n=5)  # online requests are never "sent home"
    summary = pd.DataFrame({"policy": ["base", "wfh"], "station": ["desk"] * 2, "label": ["Desk"] * 2,
                            "target_wait_minutes": [30.0] * 2})
    scenario = {"run": {"open": "08:00", "close": "16:00", "days": 2, "start_weekday": "monday"}}
    return pd.DataFrame(rows), summary, scenario


def test_not_served_table_counts_every_replication_including_zeros():
    visits, summary, scenario = _synthetic_visits()
    table = cd.not_served_table(visits, summary, scenario)
    wfh1 = table[(table.policy == "wfh") & (table.day == 1)].iloc[0]
    assert (wfh1.turned_away, wfh1.balked, wfh1.reneged, wfh1.total) == (2.0, 1.0, 0.0, 3.0)
    assert wfh1.weekday == "monday"
    base2 = table[(table.policy == "base") & (table.day == 2)].iloc[0]
    assert base2.total == 0.5 and base2.total_ci_low == 0.0
    assert not table.attrs["all_zero"]
    fig = charts.chart_not_served(table, "en")
    heights = [b.get_height() for b in _by_gid(fig, "wfh/turned_away", Rectangle)]
    assert heights == [2.0, 0.0]
    assert _suptitle(fig) == charts.finding_text(table.attrs["finding"], "en")
    assert "wfh" in _suptitle(fig) and "citizens a day" in _suptitle(fig)


def test_a_chart_draws_a_hand_made_table_as_it_is():
    table = pd.DataFrame({"policy": ["a", "a", "b", "b"], "station": ["x", "y", "x", "y"], "label": ["X", "Y"] * 2,
                          "target_wait_minutes": [15.0, 30.0] * 2, "share_pct": [95.0, 91.0, 40.0, 88.0],
                          "ci_low_pct": [90.0, 85.0, 30.0, 80.0], "ci_high_pct": [99.0, 97.0, 50.0, 96.0]})
    table.attrs.update({"policies": ["a", "b"], "required_pct": 90.0,
                        "finding": {"key": "sm_title_all_meet", "args": {"required": ("pct", 0.9)}}})
    fig = charts.chart_standard_met(table, "en")
    assert [b.get_width() for b in _by_gid(fig, "b", Rectangle)] == [40.0, 88.0]
    assert [s[0][0] for s in _by_gid(fig, "ci/b", LineCollection)[0].get_segments()] == [30.0, 80.0]


def test_sweep_chart_draws_sweep_csv(other_figures, folders):
    sweep = pd.read_csv(folders["sweep"] / "sweep.csv")
    fig = other_figures[("sweep", "en")]
    assert set(sweep.swept) == {"ektp"}  # one station swept: one row of panels
    for station, rows in sweep.groupby("station", sort=False):
        rows = rows.sort_values("wfh_share")
        # the mean over every visit (those sent home until they left): the same arrivals at every share
        for gid, column in ((f"mean/{station}", "mean_wait_all"), (f"p90/{station}", "p90_wait")):
            line = _by_gid(fig, gid, Line2D)[0]
            np.testing.assert_allclose(line.get_ydata(), rows[column], equal_nan=True)
        share = _by_gid(fig, f"share/{station}", Line2D)[0]
        np.testing.assert_allclose(share.get_ydata(), 100 * rows["within_target_share"])
        assert list(share.get_xdata()) == pytest.approx(list(100 * rows["wfh_share"]))
    # The desk by its label in the chart's language (label / label_id).
    assert "e-KTP recording" in _suptitle(fig) and "Perekaman KTP-el" in _suptitle(other_figures[("sweep", "id")])


def test_staffing_chart_draws_staffing_csv(other_figures, folders):
    staffing = pd.read_csv(folders["staffing"] / "staffing.csv")
    fig = other_figures[("staffing", "en")]
    assert set(staffing.status) <= {"meets", "unreachable", "no_data", "undecided"}
    for station, rows in staffing.groupby("station", sort=False):
        # Levels that meet the standard are solid bars; a level where more officers stop helping
        # but the standard is missed is drawn apart (hatched), never as meeting it.
        for gid, status in ((f"recommended/{station}", "meets"), (f"unreachable/{station}", "unreachable")):
            bars = _by_gid(fig, gid, Rectangle)
            expected = rows.loc[rows.status == status, "recommended_onsite"].dropna().astype(float)
            assert [b.get_height() for b in bars] == list(expected)
        staff = _by_gid(fig, f"staff/{station}", Line2D)[0]
        assert set(staff.get_ydata()) == {float(rows["staff"].iloc[0])}
    assert (staffing.status == "unreachable").any()  # verifikasi on Friday: the 90-minute break


# ---------------------------------------------------------------------------------------
# Colours and language


def test_the_baseline_has_the_same_colour_in_every_chart(figures, data, other_figures):
    policies = list(data["summary"]["policy"].unique())
    baseline = policies[0]
    stations = list(data["summary"]["station"].unique())
    seen = []
    # The officers-by-hour chart shows policies as panels, named in their titles, not as colours.
    by_colour = [n for n in RUN_CHARTS if n != "officers_by_hour"]
    for name, fig in figures["en"].items():
        if name not in by_colour:
            continue
        for artist in fig.findobj(lambda a: isinstance(a.get_gid(), str)):
            gid = artist.get_gid()
            owner = gid.split("/")[0]
            if owner not in policies or (gid.count("/") and gid.split("/")[1] not in stations + list(cd.REASONS)):
                continue
            colour = artist.get_color() if isinstance(artist, Line2D) else artist.get_facecolor()
            colour = to_hex(colour, keep_alpha=False).upper()
            if owner == baseline:
                assert colour == charts.BASELINE_COLOUR.upper(), (name, gid)
                seen.append(name)
            else:
                assert colour != charts.BASELINE_COLOUR.upper(), (name, gid)
        legend = fig.legends[0]
        label = t("baseline_suffix", "en", policy=cd.policy_labels(data["scenario"])[baseline])
        handle = legend.legend_handles[[x.get_text() for x in legend.get_texts()].index(label)]
        colour = handle.get_color() if isinstance(handle, Line2D) else handle.get_facecolor()
        assert to_hex(colour, keep_alpha=False).upper() == charts.BASELINE_COLOUR.upper()
    assert set(seen) == set(by_colour)
    # current staff (everyone in the office: the baseline) in the staffing chart
    staff = [a for a in other_figures[("staffing", "en")].findobj(Line2D) if str(a.get_gid()).startswith("staff/")]
    assert staff and all(to_hex(a.get_color()).upper() == charts.BASELINE_COLOUR.upper() for a in staff)
    assert charts.policy_colours(["x", "y"])["x"] == charts.BASELINE_COLOUR


@pytest.mark.parametrize("name", RUN_CHARTS + ["sweep", "staffing"])
def test_indonesian_charts_speak_indonesian(name, figures, other_figures, data):
    fig_id = figures["id"][name] if name in RUN_CHARTS else other_figures[(name, "id")]
    texts = _texts(fig_id)
    joined = " | ".join(texts)
    # no English word that has an Indonesian counterpart is left
    en, id_ = STRINGS["en"], STRINGS["id"]
    for key, english in en.items():
        if english != id_[key] and "{" not in english and len(english) > 3:
            assert english not in texts, (key, english)
    expected = {
        "standard_met": ["sm_xlabel", "ci95_replications"],
        "wait_distribution": ["ecdf_xlabel", "ecdf_ylabel", "target_line"],
        "wait_by_hour": ["hour_xlabel", "hour_ylabel", "ci95_replications"],
        "queue_over_day": ["queue_xlabel", "queue_ylabel", "queue_closing"],
        "wait_by_weekday": ["weekday_ylabel", "ci95_replications", "weekday_long_monday"],
        "classes": ["class_xlabel", "class_general", "class_name_lansia"],
        "utilisation": ["util_xlabel"],
        "not_served": ["ns_xlabel", "ns_ylabel"],
        "officers_by_hour": ["obh_xlabel", "obh_legend_empty", "obh_legend_fewer"],
        "sweep": ["sweep_ylabel_wait", "sweep_ylabel_share", "sweep_mean", "sweep_p90"],
        "staffing": ["staff_ylabel", "staff_current"],
    }[name]
    for key in expected:
        # an axis label may carry notes under it (a desk that only looks better: chart_data.downstream_notes)
        assert any(x == id_[key] or x.startswith(id_[key] + "\n") for x in texts), (key, joined)
    if name in RUN_CHARTS:
        baseline = data["summary"]["policy"].iloc[0]
        # policies appear by their label in the chart's language (label_id) from the scenario
        assert t("baseline_suffix", "id", policy=cd.policy_labels(data["scenario"], "id")[baseline]) in texts
        assert cd.policy_labels(data["scenario"], "en")[baseline] not in joined
    title = _suptitle(fig_id)
    assert title == fig_id.get_label()  # the plain title, also saved in the PNG
    # Indonesian writes a decimal comma: a point only in times (13.00) and thousands (3.783)
    assert not re.search(r"\d\.\d(?!\d)", title), title


# ---------------------------------------------------------------------------------------
# A saved folder is enough


def test_write_charts_redraws_the_same_pngs_from_a_saved_folder(folders, tmp_path, monkeypatch):
    first = charts.write_charts(folders["run"], "en")
    assert [p.name for p in first] == [f"{n}.png" for n in RUN_CHARTS]
    copy = tmp_path / "copy"
    shutil.copytree(folders["run"], copy, ignore=shutil.ignore_patterns("*.png"))

    def no_simulation(*args, **kwargs):
        raise AssertionError("charts must not simulate")

    import simulation.runner

    monkeypatch.setattr(simulation.runner, "run_scenario", no_simulation)
    monkeypatch.setattr(simulation.runner, "run_replication", no_simulation)
    again = charts.write_charts(copy, "en")
    for a, b in zip(first, again):
        assert a.read_bytes() == b.read_bytes(), a.name
        with Image.open(b) as im:
            assert im.text.get("Language") == "en"
            assert "Software" not in im.text
            assert im.size[0] == 1200
    assert [p.name for p in charts.write_charts(folders["sweep"], "id")] == ["sweep.png"]
    assert [p.name for p in charts.write_charts(folders["staffing"], "id")] == ["staffing.png"]
    with pytest.raises(ValueError):
        charts.write_charts(copy, "fr")


# ---------------------------------------------------------------------------------------
# Every title's numbers, recomputed here from the folder's CSV files


def _title_en(figures, name):
    return figures["en"][name].get_label()


def test_wait_distribution_title_reads_the_curve(figures, data):
    title = _title_en(figures, "wait_distribution")
    visits = data["visits"]
    v = visits[visits.outcome != "online"]
    summary = data["summary"]
    policy = "wfh_50"
    labels = dict(zip(summary.station, summary.label))
    station = next(s for s, lab in labels.items() if lab in title)
    g = v[(v.policy == policy) & (v.station == station)]
    # Share of the station's visits called within w minutes, mean over replications, at the title's w.
    minutes = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) min", title)]
    if "only" in title:  # "after W min only S % of visits ... have been called (baseline: B %)"
        w, share = minutes[0], float(re.search(r"only (\d+) %", title).group(1))

        def reached(rows):
            return rows.groupby("replication").apply(
                lambda r: ((r.outcome == "served") & (r.wait <= w)).mean(), include_groups=False).mean()

        assert round(100 * reached(g)) == share
        # the baseline's share at the same wait, said the same way (a percentage, not "9 in 10")
        base = reached(v[(v.policy == "full_office") & (v.station == station)])
        assert title.endswith(f": {fmt_pct(base)})") and "in 10" not in title
    else:  # "9 in 10 visits to X are called within W min": the first grid point reaching 90 %
        table = cd.wait_ecdf_table(data["visits"], summary, data["scenario"])
        curve = table[(table.policy == policy) & (table.station == station)]
        first = curve.loc[curve.share_pct >= 90 - 1e-9, "wait"].iloc[0]
        assert fmt_minutes(first) in title


def test_wait_by_hour_title_is_an_opening_hour_and_quotes_both_policies(figures, data):
    title = _title_en(figures, "wait_by_hour")
    hour = re.search(r"at (\d\d):(\d\d) wait", title)
    assert hour and 8 <= int(hour.group(1)) < 16
    run = cd.run_settings(data["scenario"], data["visits"])
    v = data["visits"][data["visits"].outcome != "online"]
    v = v.assign(h=((v.arrival - run["day_opens"][v.day.to_numpy() - 1]) // 60).astype(int))
    h = int(hour.group(1)) - 8
    waits = [fmt_minutes(v[(v.policy == p) & (v.h == h) & v.station.isin(
        [s for s, lab in zip(data["summary"].station, data["summary"].label) if lab in title])]
        .groupby("replication").wait.mean().mean()) for p in ("wfh_50", "full_office")]
    assert f"wait {waits[0]} min on average" in title and f": {waits[1]} min)" in title


def test_utilisation_title_quotes_the_summary(figures, data):
    title = _title_en(figures, "utilisation")
    s = data["summary"]
    others = s[s.policy != "full_office"]
    row = others.loc[others.utilization.idxmax()]
    base = s[(s.policy == "full_office") & (s.station == row.station)].utilization.iloc[0]
    assert row.label in title and fmt_pct(row.utilization) in title and fmt_pct(base) in title


def test_not_served_title_is_visits_sent_home_per_day(figures, data):
    title = _title_en(figures, "not_served")
    v = data["visits"]
    days = data["scenario"]["run"]["days"]
    sent = v[v.outcome.isin(["turned_away", "balked", "reneged"]) & (v.policy == "wfh_50")]
    per_day = len(sent) / v[v.policy == "wfh_50"].replication.nunique() / days
    assert f"{round(per_day)} citizens a day" in title


def test_weekday_and_class_titles_quote_their_tables(figures, data):
    title = _title_en(figures, "wait_by_weekday")
    v = data["visits"][data["visits"].outcome != "online"]
    run = cd.run_settings(data["scenario"], v)
    weekday = np.asarray(run["day_weekdays"])[v.day.to_numpy() - 1]
    means = (v.assign(wd=weekday).groupby(["policy", "wd", "replication"]).wait.mean()
             .groupby(["policy", "wd"]).mean())
    worst = means.drop("full_office").idxmax()
    assert fmt_minutes(means[worst]) in title and fmt_minutes(means[("full_office", worst[1])]) in title
    title = _title_en(figures, "classes")
    targets = dict(zip(data["summary"].station, data["summary"].target_wait_minutes))
    ok = (v.outcome == "served") & (v.wait <= v.station.map(targets))
    share = ok.groupby([v.policy, v["class"], v.replication]).mean().groupby(level=[0, 1]).mean()
    assert fmt_pct(share[("wfh_50", "umum")]) in title and fmt_pct(share[("full_office", "umum")]) in title


def test_queue_title_quotes_the_peak_of_its_curve(figures, data):
    title = _title_en(figures, "queue_over_day")
    table = cd.queue_over_day_table(data["visits"], data["summary"], data["scenario"])
    peaks = table.groupby(["policy", "station"]).mean_queue.max()
    others = peaks.drop("full_office")
    (_, station), peak = others.idxmax(), others.max()
    assert f"peaks at {round(peak)} people" in title
    assert f"{peaks[('full_office', station)]:.1f} people" in title


def test_no_hourly_headline_outside_the_opening_hours_of_a_short_day(tmp_path):
    # [run] says 08:00-16:00 but the calendar closes every day at 14:00: the 14:00 and 15:00
    # bins have no working hour, and must not make the headline.
    data = {
        "name": "short_days",
        "run": {"days": 3, "open": "08:00", "close": "16:00", "replications": 2, "seed": 4,
                "after_close": "serve"},
        "calendar": {"hours": {d: ["08:00", "14:00"] for d in ("monday", "tuesday", "wednesday", "thursday",
                                                               "friday")}},
        "stations": [{"name": "daftar", "staff": 1, "service": {"dist": "exponential", "mean": 3.0},
                      "next": {"poli": 1.0}},
                     {"name": "poli", "staff": 1, "service": {"dist": "exponential", "mean": 6.0}}],
        "arrivals": [{"station": "daftar", "per_hour": [9, 9, 9, 9, 9, 9]}],
        "policies": {"full": {}, "half": {"wfh_share": {"poli": 0.5}}},
    }
    import tomli_w

    path = tmp_path / "short.toml"
    path.write_text(tomli_w.dumps(data))
    assert main(["run", str(path), "--out", str(tmp_path / "r"), "--quiet"]) == 0
    loaded = cd.load_results(tmp_path / "r")
    table = cd.hourly_wait_table(loaded["visits"], loaded["summary"], loaded["scenario"])
    assert table.hour.max() < 6
    title = charts.draw_chart("wait_by_hour", loaded, "en").get_label()
    hour = re.search(r"at (\d\d):\d\d", title)
    assert hour is None or int(hour.group(1)) < 14, title


def test_a_long_horizon_is_drawn_by_week(tmp_path):
    import tomli_w

    path = tmp_path / "long.toml"
    path.write_text(tomli_w.dumps({
        "name": "long", "run": {"days": 100, "replications": 2, "after_close": "turn_away"},
        "stations": [{"name": "desk", "staff": 1, "service": {"dist": "exponential", "mean": 6.0}}],
        "arrivals": [{"station": "desk", "per_hour": 11.0}],
    }))
    assert main(["run", str(path), "--out", str(tmp_path / "r"), "--quiet"]) == 0
    loaded = cd.load_results(tmp_path / "r")
    table = cd.not_served_table(loaded["visits"], loaded["summary"], loaded["scenario"])
    assert table.attrs["by_week"] and len(table) == 20  # 100 working days: 20 weeks
    v = loaded["visits"]
    sent = v[v.outcome.isin(["turned_away", "balked", "reneged"])]
    week1 = sent[sent.day <= 5].groupby("replication").size().reindex([1, 2], fill_value=0) / 5
    assert table.total.iloc[0] == pytest.approx(week1.mean())
    fig = charts.draw_chart("not_served", loaded, "en")
    assert "Week 1" in _texts(fig)


def test_wait_distribution_panels_share_one_wait_axis(figures, data):
    """Every desk's panel runs over the same waits, so the panels can be compared at a glance."""
    summary = data["summary"]
    for lang in ("en", "id"):
        fig = figures[lang]["wait_distribution"]
        limits = {ax.get_xlim() for ax in fig.axes}
        assert len(fig.axes) == summary.station.nunique() > 1 and len(limits) == 1
        (low, high), = limits
        # beyond every desk's 95th-percentile wait (summary.csv) and twice its standard
        assert low == 0 and high >= summary.p95_wait.max() and high >= 2 * summary.target_wait_minutes.max()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_utilisation_title_says_near_full_makes_queues_explode(figures, lang):
    title = _suptitle(figures[lang]["utilisation"])
    assert {"en": "the closer to 100 %, the faster queues explode",
            "id": "makin mendekati 100%, antrean makin cepat membludak"}[lang] in title


def _hand_standard_met(labels: dict[str, str]):
    """A standard_met table by hand: policy "b" misses the 90 % line by a little at desk x."""
    table = pd.DataFrame({"policy": ["a", "a", "b", "b"], "station": ["x", "y", "x", "y"], "label": ["X", "Y"] * 2,
                          "target_wait_minutes": [15.0, 30.0] * 2, "share_pct": [95.0, 91.0, 85.0, 40.0],
                          "ci_low_pct": [90.0, 85.0, 83.0, 30.0], "ci_high_pct": [99.0, 97.0, 87.0, 50.0]})
    table.attrs.update({"policies": ["a", "b"], "required_pct": 90.0, "policy_labels": labels,
                        "finding": {"key": "sm_title_worst", "args": {
                            "policy": ("text", "b"), "share": ("pct", 0.4), "label": ("text", "Y"),
                            "target": ("count", 30.0), "baseline": ("text", "a"), "base_share": ("pct", 0.91)}}})
    return table


@pytest.mark.parametrize("lang", ["en", "id"])
def test_value_labels_keep_off_the_standard_line(lang, figures):
    """A bar's value label never sits on the dashed 90 % line: one that would is put just right of it."""
    hand = charts.chart_standard_met(_hand_standard_met({"a": "A", "b": "B"}), lang)
    for fig in (hand, figures[lang]["standard_met"], figures[lang]["classes"]):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        line = ax.transData.transform((_by_gid(fig, "required", Line2D)[0].get_xdata()[0], 0))[0]
        values = [x for x in ax.texts if str(x.get_gid()).startswith("value/")]
        assert values
        for text in values:
            box = text.get_window_extent(renderer)
            assert not box.x0 - 2 <= line <= box.x1 + 2, text.get_text()
    # "85 %" (interval up to 87 %) would have crossed the line at 90 %: it stands right of it
    moved = next(x for x in hand.axes[0].texts if x.get_text() == fmt_pct(0.85, lang))
    assert moved.get_position()[0] > 90


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_long_policy_label_is_never_broken_across_title_lines(lang):
    """The longest labels the shipped offices use stay whole on one line of the title."""
    labels = {"a": "Province WFA: Thu-Fri 1 per desk", "b": "Half at home + online letters, recall"}
    for desk in ("Y", "Meja pelayanan kelurahan"):
        table = _hand_standard_met(labels)
        table["label"] = table["label"].replace("Y", desk)
        table.attrs["finding"]["args"]["label"] = ("text", desk)
        fig = charts.chart_standard_met(table, lang)
        lines = fig.get_suptitle().replace("\u00a0", " ").split("\n")
        assert len(lines) > 1
        for label in [*labels.values(), desk]:
            assert any(label in line for line in lines), (label, lines)
        assert fig.get_label() == " ".join(lines)  # the plain title: the same words


def test_wait_distribution_title_names_the_plan_whose_curve_ends_lowest():
    """Two plans never call 9 in 10 visits within the axis: the title is about the worse one,
    with both shares at the end of the axis."""
    wait = np.linspace(0, 100, 11)
    curves = {"base": np.minimum(100, 60 + wait), "mild": np.minimum(85, 40 + wait), "harsh": np.minimum(45, 10 + wait)}
    table = pd.concat([pd.DataFrame({"policy": p, "station": "desk", "label": "Desk", "target_wait_minutes": 30.0,
                                     "wait": wait, "share_pct": y}) for p, y in curves.items()], ignore_index=True)
    finding = cd._ecdf_finding(table, list(curves))
    assert finding["key"] == "ecdf_title_never"
    args = finding["args"]
    assert args["policy"] == ("text", "harsh") and args["share"] == ("pct", 0.45)
    assert args["base_share"] == ("pct", 1.0) and args["upper"] == ("min", 100.0)
