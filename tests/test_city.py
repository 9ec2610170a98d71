"""`loket city`: the same standard policies in every office, a city total that adds up, tidy tables.

The city folder is written once (two small offices whose own policy names differ) and every
test reads it: city.csv and city_staffing.csv have exactly their documented columns, agree with
separate `loket run` and `loket staff` runs at the same seeds and replications, and the
headline sums each standard policy over the offices — never policies that merely look alike.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
import tomli_w

from simulation import chart_data as cd
from simulation.cli import main
from simulation.summary_stats import t_quantile

CITY_COLUMNS = ["office", "policy", "label", "hypothetical", "citizens", "never_served", "extra_never_served",
                "extra_never_served_ci_low", "extra_never_served_ci_high", "citizen_hours_lost",
                "extra_citizen_hours_lost", "extra_citizen_hours_lost_ci_low", "extra_citizen_hours_lost_ci_high",
                "first_trip_within_target_share", "first_trip_within_target_share_ci_low",
                "first_trip_within_target_share_ci_high", "open_days_per_week", "days_simulated", "replications",
                "seed", "label_id"]
STAFF_COLUMNS = ["station", "label", "weekday", "staff", "erlang_c_estimate", "recommended_onsite",
                 "may_work_from_home", "status", "meets_standard", "target_wait_minutes", "required_share",
                 "within_target_share", "within_target_share_ci_low", "within_target_share_ci_high",
                 "within_target_share_one_fewer", "within_target_share_together",
                 "within_target_share_together_ci_low", "within_target_share_together_ci_high", "note"]
STANDARD = {"full_office": {}, "wfa_thu_fri": {"wfh_share": {"desk": [0, 0, 0, 1, 1]}, "min_onsite": {"desk": 1}},
            "wfh_25": {"wfh_share": {"desk": 0.25}}, "wfh_50": {"wfh_share": {"desk": 0.5}}}


def _office(path, name: str, staff: int, per_hour: float, extra: dict, calendar: dict | None = None, days: int = 5):
    policies = {**STANDARD, **extra}
    if calendar is not None and "saturday" in calendar.get("open_days", ()):  # a rota of seven days, Monday first
        policies["wfa_thu_fri"] = {"wfh_share": {"desk": [0, 0, 0, 1, 1, 0, 0]}, "min_onsite": {"desk": 1}}
    data = {"name": name, "office": name.replace("_", " ").title(), "city": "Kota Contoh",
            "run": {"days": days, "replications": 4, "seed": 11},
            "stations": [{"name": "desk", "staff": staff, "service": {"dist": "exponential", "mean": 10.0},
                          "target_wait_minutes": 15}],
            "arrivals": [{"station": "desk", "per_hour": per_hour}],
            "policies": policies}
    if calendar is not None:
        data["calendar"] = calendar
    path.write_text(tomli_w.dumps(data))
    return path


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    base = tmp_path_factory.mktemp("city")
    # Office A calls its own half-at-home rota "wfh_half"; office B opens Monday to Saturday.
    a = _office(base / "a.toml", "office_a", 4, 14.0, {"wfh_half": {"label": "Half, own wording",
                                                                  "wfh_share": {"desk": 0.5}}})
    b = _office(base / "b.toml", "office_b", 3, 10.0, {"one_home": {"wfh_officers": {"desk": 1}}},
                calendar={"open_days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]},
                days=12)
    out = base / "out"
    assert main(["city", str(a), str(b), "--out", str(out), "--quiet", "--jobs", "2", "--replications", "4"]) == 0
    return {"a": a, "b": b, "out": out, "base": base,
            "city": pd.read_csv(out / "city.csv"), "staffing": pd.read_csv(out / "city_staffing.csv")}


def test_tables_have_exactly_the_documented_columns(city):
    assert list(city["city"].columns) == CITY_COLUMNS
    assert list(city["staffing"].columns) == ["office", *STAFF_COLUMNS, "replications", "seed"]
    assert city["city"].groupby("office").size().to_dict() == {"office_a": 5, "office_b": 5}
    c = city["city"].set_index(["office", "policy"])
    assert c.loc[("office_a", "wfh_25"), "hypothetical"] and not c.loc[("office_a", "wfa_thu_fri"), "hypothetical"]
    assert c.loc[("office_b", "full_office"), "open_days_per_week"] == 6
    assert c.loc[("office_b", "full_office"), "days_simulated"] == 12
    for name in ("city.png", "report.html", "summary.md"):
        assert (city["out"] / name).is_file()


def test_city_agrees_with_separate_run_and_staff(city):
    for key, office in (("a", "office_a"), ("b", "office_b")):
        run_out, staff_out = city["base"] / f"run_{key}", city["base"] / f"staff_{key}"
        mine = city["city"][city["city"].office == office].set_index("policy")
        # The two offices share seed 11 in their files: each ran on a seed of its own, recorded.
        seed = str(int(mine.seed.iloc[0]))
        assert main(["run", str(city[key]), "--out", str(run_out), "--quiet", "--no-visits", "--seed", seed]) == 0
        assert main(["staff", str(city[key]), "--out", str(staff_out), "--quiet", "--seed", seed]) == 0
        citizens = pd.read_csv(run_out / "citizens.csv").set_index("policy")
        comp = pd.read_csv(run_out / "comparison.csv")
        comp = comp[comp.station == "all"].set_index("policy")
        for policy in mine.index:
            assert mine.loc[policy, "never_served"] == pytest.approx(citizens.loc[policy, "never_served"], abs=1e-5)
            assert mine.loc[policy, "first_trip_within_target_share"] == pytest.approx(
                citizens.loc[policy, "first_trip_within_target_share"], abs=1e-5)
            if policy != "full_office":
                assert mine.loc[policy, "extra_citizen_hours_lost"] == pytest.approx(
                    comp.loc[policy, "diff_citizen_hours_lost"], abs=1e-4)
                assert mine.loc[policy, "extra_never_served_ci_high"] == pytest.approx(
                    comp.loc[policy, "diff_never_served_ci_high"], abs=1e-4)
        staff = pd.read_csv(staff_out / "staffing.csv")
        ours = city["staffing"][city["staffing"].office == office].reset_index(drop=True)
        pd.testing.assert_frame_equal(ours[STAFF_COLUMNS], staff[STAFF_COLUMNS], check_dtype=False)
        assert (ours.replications == 20).all() and (ours.seed == int(seed)).all()
        assert (mine.replications == 4).all()
    seeds = city["city"].groupby("office")["seed"].first()
    assert seeds.nunique() == 2 and 11 not in set(seeds)
    info = json.loads((city["out"] / "run.json").read_text())
    assert info["office_seeds"] == seeds.to_dict()


def test_the_city_total_sums_the_same_standard_policy_in_every_office(city):
    c = city["city"]
    weeks = c.days_simulated / c.open_days_per_week
    head = cd.city_headline(c).set_index("policy")
    assert list(head.index) == ["wfa_thu_fri", "wfh_25", "wfh_50"]  # office-specific policies: never in a total
    for policy in head.index:
        rows = c[c.policy == policy]
        expected = (rows.extra_citizen_hours_lost / weeks[rows.index]).sum()
        assert head.loc[policy, "extra_citizen_hours_per_week"] == pytest.approx(expected)
        assert head.loc[policy, "offices"] == 2 and head.loc[policy, "missing"] == ""
    # "wfh_half" at office A is not summed with office B's wfh_50, nor counted in any total.
    half = c[c.policy == "wfh_50"]
    assert head.loc["wfh_50", "extra_never_served_per_week"] == pytest.approx(
        (half.extra_never_served / weeks[half.index]).sum())
    # The total's interval combines the offices' intervals (independent: variances add).
    se = [((r.extra_citizen_hours_lost_ci_high - r.extra_citizen_hours_lost_ci_low) / 2 / w
           / t_quantile(0.975, r.replications - 1)) for r, w in zip(half.itertuples(), weeks[half.index])]
    half_width = (head.loc["wfh_50", "extra_citizen_hours_per_week_ci_high"]
                  - head.loc["wfh_50", "extra_citizen_hours_per_week"])
    assert np.sqrt(np.sum(np.square(se))) * 1.96 < half_width < np.sqrt(np.sum(np.square(se))) * t_quantile(0.975, 3)


def test_a_monday_to_saturday_office_counts_weeks_of_six_days(city):
    c = city["city"].set_index(["office", "policy"])
    table = cd.city_chart_table(city["city"], city["staffing"])
    row = table[(table.office == "office_b") & (table.policy == "wfh_50")].iloc[0]
    # 12 working days of a six-day week are 2 weeks, not 12 / 5 = 2.4.
    assert row.extra_hours_per_week == pytest.approx(c.loc[("office_b", "wfh_50"), "extra_citizen_hours_lost"] / 2)
    days = cd.city_officer_days(city["staffing"]).set_index("office")
    assert days.loc["office_b", "officer_days"] == 3 * 6  # three officers on each of six weekdays


def test_the_headline_says_the_same_everywhere(city):
    c = city["city"]
    head = cd.city_headline(c).set_index("policy").loc["wfa_thu_fri"]
    hours = f"{head.extra_citizen_hours_per_week:,.0f}" if head.extra_citizen_hours_per_week >= 10 else None
    summary = (city["out"] / "summary.md").read_text()
    report = (city["out"] / "report.html").read_text()
    assert "# Kota Contoh: 2 front-line offices" in summary and "<h1>Kota Contoh: 2 front-line offices</h1>" in report
    assert "Office A" in report and "office_a" not in summary
    seeds = c.groupby("office")["seed"].first()
    assert all(f"seed {seed}" in summary for seed in seeds) and "?" not in summary.split("## ")[-1]
    if hours is not None:
        assert f"lose {hours} more hours a week" in summary
    # People in whole numbers, with the interval widened outwards to whole people.
    assert not re.search(r"\d[.,]\d+ more citizens|against \d+[.,]\d", summary)
    low, high = head.extra_never_served_per_week_ci_low, head.extra_never_served_per_week_ci_high
    assert f"{math.floor(low):.0f} to {math.ceil(high):.0f}), against" in summary
    info = json.loads((city["out"] / "run.json").read_text())
    assert info["offices"] == {"office_a": "Office A", "office_b": "Office B"} and info["seed"] is None


def test_city_refuses_two_offices_with_one_name(tmp_path, capsys):
    a = _office(tmp_path / "a.toml", "same", 2, 5.0, {})
    b = _office(tmp_path / "b.toml", "same", 3, 5.0, {})
    assert main(["city", str(a), str(b), "--out", str(tmp_path / "c")]) == 2
    assert "same name" in capsys.readouterr().err and not (tmp_path / "c").exists()


def test_differences_are_against_everyone_at_the_counter_wherever_it_is_listed(tmp_path):
    from simulation import load_scenario
    from simulation.city import office_policy_table

    path = _office(tmp_path / "c.toml", "office_c", 3, 12.0, {})
    sc = load_scenario(path)
    reordered = sc.with_policies({n: sc.policies[n] for n in ("wfh_25", "full_office", "wfa_thu_fri", "wfh_50")})
    table = office_policy_table(reordered, jobs=1).set_index("policy")
    assert table.loc["full_office", "extra_never_served"] == 0
    for policy in ("wfh_25", "wfa_thu_fri", "wfh_50"):  # a paired difference's mean is the difference of means
        assert table.loc[policy, "extra_never_served"] == pytest.approx(
            table.loc[policy, "never_served"] - table.loc["full_office", "never_served"], abs=1e-9)
        assert table.loc[policy, "extra_citizen_hours_lost"] == pytest.approx(
            table.loc[policy, "citizen_hours_lost"] - table.loc["full_office", "citizen_hours_lost"], abs=1e-6)


def test_an_office_without_everyone_in_is_left_out_of_city_totals_and_named():
    rows = []
    for office, baseline in (("a", "full_office"), ("b", "wfh_25")):
        for policy in (baseline, "wfh_50"):
            rows.append({"office": office, "policy": policy, "never_served": 10.0, "extra_never_served": 4.0,
                         "extra_never_served_ci_low": 3.0, "extra_never_served_ci_high": 5.0,
                         "extra_citizen_hours_lost": 20.0, "extra_citizen_hours_lost_ci_low": 18.0,
                         "extra_citizen_hours_lost_ci_high": 22.0, "open_days_per_week": 5, "days_simulated": 10,
                         "replications": 5})
    head = cd.city_headline(pd.DataFrame(rows)).set_index("policy").loc["wfh_50"]
    assert head.offices == 1 and head.missing == "b"
    assert head.extra_citizen_hours_per_week == pytest.approx(10.0)  # office a alone, 20 h over 2 weeks
