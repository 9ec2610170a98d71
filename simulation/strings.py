"""Every word a chart or the report shows, in each language Loket speaks.

One dictionary per language, the same keys in each; :func:`t` looks a key up and fills in
its ``{placeholders}``. CSV column names stay English whatever the language: these strings
are only for people reading charts and reports.

    >>> t("hour_ylabel", "id")
    'Waktu tunggu rata-rata (menit)'

Numbers are formatted with :func:`fmt_number`, :func:`fmt_minutes` and :func:`fmt_pct`
(Indonesian writes a decimal comma: ``1,4 menit``).
"""

from __future__ import annotations

import math
import numbers

__all__ = ["LANGS", "STRINGS", "check_lang", "fmt_clock", "fmt_minutes", "fmt_number", "fmt_pct", "join_words",
           "localized", "t", "weekday_name"]

LANGS = ("en", "id")

WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

EN: dict[str, str] = {
    # -- shared ----------------------------------------------------------------------
    "baseline_suffix": "{policy} (baseline)",
    "ci95": "95 % CI",
    "ci95_replications": "95 % confidence interval (over repeated simulations)",
    "station_with_target": "{label}\n(standard: {target} min)",
    "required_line": "Standard: at least {required} within target",
    "target_line": "Station's waiting standard",
    "pct": "{value} %",
    "minutes_short": "{value} min",
    "no_data": "no data",
    "weekday_monday": "Mon",
    "weekday_tuesday": "Tue",
    "weekday_wednesday": "Wed",
    "weekday_thursday": "Thu",
    "weekday_friday": "Fri",
    "weekday_saturday": "Sat",
    "weekday_sunday": "Sun",
    "weekday_long_monday": "Monday",
    "weekday_long_tuesday": "Tuesday",
    "weekday_long_wednesday": "Wednesday",
    "weekday_long_thursday": "Thursday",
    "weekday_long_friday": "Friday",
    "weekday_long_saturday": "Saturday",
    "weekday_long_sunday": "Sunday",
    "list_and": " and ",
    # -- 1. service standard met -------------------------------------------------------
    "sm_xlabel": "Called within the standard (%): citizens (top), counter visits (each desk)",
    "sm_citizens_label": "Citizens: whole business\ndone on the first trip\nwithin every standard",
    "sm_title_worst": "{policy}: only {share} of visits to {label} are called within {target} min "
                      "({baseline}: {base_share})",
    "sm_title_baseline_fails": "Even with {policy}, only {share} of visits to {label} are called within {target} min",
    "sm_title_all_meet": "Every station meets the standard: at least {required} of visits called within target",
    # -- 2. waiting-time distribution --------------------------------------------------
    "ecdf_xlabel": "Wait before being called (minutes)",
    "ecdf_ylabel": "Counter visits called within that wait (%)",
    "ecdf_title": "{policy}: 9 in 10 visits to {label} are called within {p90} min ({baseline}: {base_p90} min)",
    "ecdf_title_never": "{policy}: after {upper} min only {share} of visits to {label} have been called "
                        "({baseline}: {base_share})",
    "ecdf_title_single": "9 in 10 visits to {label} are called within {p90} min ({policy})",
    "ecdf_title_single_never": "After {upper} min only {share} of visits to {label} have been called ({policy})",
    "ecdf_title_generic": "How long visits wait before being called",
    # -- 3. wait by hour of arrival ----------------------------------------------------
    "hour_xlabel": "Hour of arrival",
    "hour_ylabel": "Mean wait (minutes)",
    "hour_title": "{policy}: visits arriving at {label} at {hour} wait {wait} min on average "
                  "({baseline}: {base_wait} min), the largest rise in an hour with at least {share} of the desk's "
                  "visits",
    "hour_title_single": "Longest waits: visits arriving at {label} at {hour} wait {wait} min on average ({policy})",
    "hour_title_generic": "Mean wait by hour of arrival",
    "same_curve": "Dashed: {policy}, the same line as {other} at {stations}",
    # -- 4. queue over the day ---------------------------------------------------------
    "queue_xlabel": "Time of day",
    "queue_ylabel": "People waiting (mean)",
    "queue_closing": "Closing time",
    "weekday_ylabel": "Mean wait at the counters,\nevery visit (minutes)",
    "weekday_title": "{policy}: on {weekday} the mean wait at the counters is {wait} min ({baseline}: {base_wait} min)",
    "weekday_title_single": "The longest mean wait at the counters is on {weekday}: {wait} min ({policy})",
    "weekday_title_generic": "Mean wait at the counters by weekday",
    "class_xlabel": "Counter visits called within the station's standard (%)",
    "class_label": "{name}",
    "class_general": "general (no priority)",
    "class_name_lansia": "elderly (lansia)",
    "class_name_disabilitas": "disabled (disabilitas)",
    "class_name_ibu_hamil": "pregnant (ibu hamil)",
    "class_title": "{policy}: only {share} of visits by {label} citizens are called within standard "
                   "({baseline}: {base_share})",
    "class_title_generic": "Called within standard, by priority class",
    "class_title_protected": "{policy}: priority citizens are still called within standard ({low} or more), "
                             "everyone else only {share} ({baseline}: {base_share})",
    "chart_break": "Break, counters do not call ({when})",
    "chart_closing": "Closing time ({when})",
    "queue_title": "{policy}: the queue at {label} peaks at {n} people around {time} "
                   "({baseline}: {base_n} people)",
    "queue_title_single": "The queue at {label} peaks at {n} people around {time} ({policy})",
    "queue_title_generic": "People waiting over the day",
    # -- 5. utilisation ----------------------------------------------------------------
    "util_xlabel": "Time on-site officers spend serving (%)",
    # Busy nearly all the time reads like efficiency; it is what makes queues explode (the wait
    # grows like busy / (1 - busy)): every title says so.
    "util_title": "{policy}: {label} officers at the counter are busy {util} of the time ({baseline}: {base_util}) "
                  "— the closer to 100 %, the faster queues explode",
    "util_title_single": "{label} officers at the counter are busy {util} of the time ({policy}) — the closer to "
                         "100 %, the faster queues explode",
    "util_title_generic": "How busy the officers at the counter are: the closer to 100 %, the faster queues "
                          "explode",
    # -- 6. not served -----------------------------------------------------------------
    "ns_xlabel": "Simulated working day",
    "ns_ylabel": "Citizens sent home unserved\n(per day, mean)",
    "ns_day": "Day {day}\n({weekday})",
    "ns_week": "Week {week}",
    "ns_xlabel_week": "Simulated week (five working days; the bars are that week's mean per day)",
    "ns_reason_turned_away": "turned away",
    "ns_reason_balked": "left on seeing the queue",
    "ns_reason_reneged": "gave up waiting",
    "ns_title_none": "No citizen was sent home unserved",
    "ns_none_note": "0 citizens sent home unserved, every policy and day",
    "ns_title": "{policy}: on average {n} citizens a day are sent home unserved ({baseline}: {base_n} a day)",
    "ns_title_single": "On average {n} citizens a day are sent home unserved ({policy})",
    # -- 6c. officers at the counter by hour ----------------------------------------------
    "obh_title": "Nobody at the counter (red): {items}",
    "obh_title_item": "{places} under {policy}",
    "obh_title_none": "Someone is at every counter in every open hour, under every policy",
    "obh_place": "{label} {when}",
    "obh_place_reason": "{place} ({reason})",
    "obh_when_days": "on {days} {ranges}",
    "obh_when_every_day": "every day {ranges}",
    "obh_reason_home_one": "the one officer the roster puts there then works from home",
    "obh_reason_home": "all {n} officers the roster puts there then work from home",
    "obh_reason_home_all": "everyone the roster puts there then works from home",
    "obh_reason_roster": "nobody is rostered there then",
    "obh_reason_mixed": "nobody is rostered there then, or everyone rostered works from home",
    "obh_xlabel": "Hour of the day (each cell: officers at the counter in the hour from that time)",
    "obh_legend_empty": "Nobody at the counter while the counters call",
    "obh_legend_fewer": "Fewer at the counter than under the baseline",
    "obh_legend_same": "As many as under the baseline (or more)",
    "obh_only_changed": "Below the baseline, each policy shows only the desks and days it changes",
    "obh_same_everywhere": "Every desk as under the baseline",
    "obh_recall_note": "Not counted: officers called back from home when the queue grows ({policies})",
    "exec_policy_empty": "Nobody at the counter at {places}: citizens who come then wait or go home "
                         "unserved (red in the chart of officers by hour).",
    "empty_desk_sentence": "Under {policy}, nobody is at the counter at {places}. Citizens who come then wait "
                           "for an officer or go home unserved (red in the chart of officers at the counter by "
                           "hour).",
    "report_obh_caption": "Officers at the counter by hour, by policy: the simulation applies a policy to each "
                          "hour's roster (0: nobody at the counter; –: break; below the baseline, each policy shows "
                          "only the desks and days it changes)",
    "col_days": "Days",
    "sm_note_downstream": "{label} looks better under {policies} only because citizens are held up at {stations} "
                          "before it and reach it later — not better service",
    # -- 7a. sweep ---------------------------------------------------------------------
    "sweep_xlabel": "Share of {stations} officers working from home",
    "sweep_at_home": "{at_home} of {staff}",
    "sweep_ylabel_wait": "Wait (minutes)",
    "sweep_ylabel_share": "Called within standard (%)",
    "sweep_mean": "mean wait, every visit (95 % CI)",
    "sweep_p90": "90th-percentile wait of those served",
    "sweep_nobody_served": "nobody served",
    "sweep_note_downstream": "{label} comes after {stations}: its mean wait falls ({base} → {pol} min) only "
                             "because citizens are held up in the queue before it — not better service",
    "sweep_title_breaks": "From {share} of {stations} officers at home, fewer than {required} of visits to "
                          "{label} are called within standard",
    "sweep_title_fails_at_zero": "Even with nobody at home, fewer than {required} of visits to {label} "
                                 "are called within standard",
    "sweep_title_holds": "Even with {share} of {stations} staff at home, every station keeps {required} "
                         "within standard",
    # -- 7b. staffing ------------------------------------------------------------------
    "staff_ylabel": "Officers at the counter",
    "staff_recommended": "Fewest that meet the standard (at least {required} within target)",
    "staff_current": "Current staff",
    "staff_unreachable": "Standard ({required}) missed at any staffing (breaks, closing time): more officers "
                         "add less than 1 point",
    "staff_undecided": "?: undecided, no advice (the note in staffing.csv says why)",
    "staff_undecided_short": "?",
    "staff_no_data": "n/d: no counted visit that weekday, no advice",
    "staff_no_data_short": "n/d",
    "staff_title_range": "{lo} to {hi} of {total} officers may work from home each day, "
                         "keeping at least {required} of visits within standard",
    "staff_title_same": "{n} of {total} officers may work from home every day, keeping at least {required} "
                        "within standard",
    "staff_title_some_days": "Officers may work from home only on {days} (at most {hi} of {total}), "
                             "keeping at least {required} of visits within standard",
    "share_of_staff": "{share} ({at_home} of {staff})",
    "staff_title_none": "No officer may work from home without breaking the standard (at least {required} "
                        "within target)",
    "staff_title_short": "{label} needs {needed} officers on {weekday} but has {staff}",
    # -- city --------------------------------------------------------------------------
    "city_title": "{may} of {total} officer-days a week could be at home with every desk within standard; "
                  "under {policy}, citizens would lose {hours} more hours a week and {never} more would go "
                  "home unserved",
    "city_title_days": "{may} of {total} officer-days a week could be at home with every desk within standard",
    "city_xlabel_days": "Officer-days a week",
    "city_xlabel_harm": "Extra citizen-hours lost a week (city)",
    "city_may": "Could work from home, every desk still within standard",
    "city_all_days": "All officer-days at the counter",
    "city_total": "{hours} h",
    "city_total_ci": "City total: 95 % interval",
    "city_policy_full_office": "Everyone at the counter",
    "city_policy_wfa_thu_fri": "Province's scheme: away Thu-Fri",
    "city_policy_wfh_25": "A quarter at home (hypothetical)",
    "city_policy_wfh_50": "Half at home (hypothetical)",
    "city_report_title": "{city}: {n} front-line offices",
    "report_city_heading": "What keeping everyone at the counter protects",
    "city_report_title_generic": "{n} front-line offices",
    "city_lead": "Keeping every front-line officer at the counter: {may} of {total} officer-days a week could be "
                 "at home with every desk still within standard ({offices}).",
    "city_sentence": "{policy}: citizens would lose {hours} more hours a week ({ci}) and {never} more citizens a "
                     "week would go home unserved ({never_ci}), against {base} with everyone at the counter.",
    "city_sentence_missing": "{policy} is not defined for {missing}, so its city total leaves them out.",
    "city_how_combined": "City totals add each office's difference with its own baseline, per week (working days "
                         "simulated over the office's open days a week); the 95 % interval of a total comes from "
                         "the offices' intervals (independent simulations: variances add).",
    "city_office_seed": "{office}: random seed {seed}, {days} working days ({weeks} weeks), {reps} independent "
                        "repetitions (staffing advice: {advice_reps}).",
    "report_staffing_city_caption": "Per office: officer-days a week at the counter, and how many could be at home "
                                    "with every desk within standard (staffing advice)",
    "col_could_be_home": "Could be at home",
    "col_hypothetical": "Hypothetical",
    "col_never_served_week_extra": "More never served a week",
    "col_first_trip": "Done first trip within standard",
    "report_city_caption": "Per office and policy: what it costs citizens a week against everyone at the counter "
                           "(95 % interval)",
    "col_office": "Office",
    "col_officer_days": "Officer-days a week",
    "col_may_wfh_days": "Could be at home",
    "col_extra_hours_week": "Extra citizen-hours lost a week",
    "col_never_served_week": "Citizens never served a week",
    "col_policy_city": "Policy",
    # -- report ------------------------------------------------------------------------
    "report_scenario_heading": "The scenario",
    "report_scenario": "{description} Simulated: {days} working days from {weekday}, open {open}–{close}, "
                       "{replications} independent repetitions of that period (random seed {seed}). "
                       "Stations: {stations}.",
    "report_policies_compared": "Policies compared: {policies}; the first, {baseline}, is the baseline.",
    "report_station": "{label} ({staff} officers, standard {target} min)",
    "report_headline_heading": "Is the service standard met?",
    "report_findings_heading": "What the simulation shows",
    "report_no_comparison": "Only one policy was simulated: there is nothing to compare with.",
    "report_charts_need_visits": "Not drawn here: {charts}. They need the per-visit table, which this folder "
                                 "does not keep (loket run {flag}); run again without {flag} to draw "
                                 "them in this language.",
    "report_tables_heading": "Key tables",
    "report_policies_caption": "Officers at the counter per weekday, by policy",
    "report_summary_caption": "Counter visits per policy and station (a citizen sent home and coming back is a new "
                              "visit; means per simulated period)",
    "report_citizens_caption": "What became of the citizens who came (each person counted once; the same people "
                               "under every policy; means per simulated period)",
    "report_comparison_caption": "Each policy against the baseline (the same citizens, compared repetition by "
                                 "repetition)",
    "report_charts_heading": "More charts",
    "report_sweep_heading": "Working from home at more and more counters",
    "report_sweep_caption": "Waits against the share working from home",
    "report_staffing_heading": "How many officers must stay at the counter",
    "report_staffing_caption": "Fewest officers at the counter per station and weekday",
    "report_provenance_heading": "What produced this report",
    "report_provenance": "Loket {version}; random seed {seed}; {replications} repetitions; {days} simulated days. "
                         "The command line, start time and run time are in run.json beside this report.",
    "report_definitions": "A visit is one citizen arriving at one counter's queue; a citizen sent home who "
                          "comes back makes a new visit. “Mean wait, every visit” counts each visit until the "
                          "citizen was called or left; “of those served” only visits that were called; the 90 % "
                          "figure is over visits that were called. “Visits within standard” counts every visit, "
                          "those ending unserved as not within standard. The citizens table counts each person "
                          "once. Intervals are 95 % Student-t confidence intervals over independent repetitions "
                          "of the simulated period (none with a single repetition).",
    "report_lang": "en",
    "report_executive_heading": "In short",
    "report_assumptions_heading": "What these numbers rest on",
    "assumptions_estimates_intro": "Figures in the scenario that are estimates, not measurements in Kota Bengkulu "
                                   "(with the scenario's own note):",
    "assumptions_no_estimates": "The scenario file marks none of its figures as an estimate.",
    "assumptions_no_source": "The scenario file as written was not saved with these results, so its notes on "
                             "sources and estimates cannot be shown here.",
    "assumptions_replications": "Each policy was simulated {replications} times over the same {days} working days "
                                "with the same citizens; the intervals show how much the results vary between "
                                "those repetitions.",
    "assumptions_left_out_heading": "What the model leaves out:",
    "assumptions_left_out_1": "Citizens arrive at random at the hourly rates given; groups arriving together or "
                              "a crowd before opening are not modelled.",
    "assumptions_left_out_2": "Officers at one desk are equally fast and never help at another desk; unplanned "
                              "absences are not modelled.",
    "assumptions_left_out_3": "A citizen sent home comes back on the next working day at the same time of day, or "
                              "not at all; nobody switches to another office.",
    "assumptions_left_out_4": "An online request completes the citizen's business; citizens who cannot use it "
                              "are not modelled apart.",
    "assumptions_left_out_5": "Work done away from the counter (back-office tasks, reports) is not counted.",
    # -- a scenario's figures in words (the estimates list; simulation.figure_words) ----
    "fig_estimate": "{figure} — {note}",
    "fig_item": "{owner}: {what}",
    "fig_value": "{what}: {value}",
    "fig_stream": "Citizens coming to {label}",
    "fig_stream_named": "Citizens coming to {label} ({name})",
    "fig_staff": "{n} officers at the counter",
    "fig_roster": "officers at the counter each hour from opening: {values}",
    "fig_service": "service time, {dist}",
    "fig_patience": "patience before giving up waiting, {dist}",
    "fig_target": "service standard: called within {n} min",
    "fig_next": "after service, {parts}; the others leave",
    "fig_next_part": "{share} go on to {label}",
    "fig_balk_queue": "citizens leave at once when {n} or more are waiting",
    "fig_balk_wait": "citizens leave at once when the displayed wait is {n} min or more",
    "fig_quota": "at most {n} queue numbers a day",
    "fig_in_person": "in person only (no online channel)",
    "fig_not_in_person": "may be served online",
    "fig_dist_exponential": "mean {mean} min (exponential)",
    "fig_dist_lognormal": "mean {mean} min (lognormal, coefficient of variation {cv})",
    "fig_dist_gamma": "mean {mean} min (gamma, coefficient of variation {cv})",
    "fig_dist_deterministic": "always {mean} min",
    "fig_dist_triangular": "{min} to {max} min, most often {mode}",
    "fig_dist_uniform": "{min} to {max} min, evenly spread",
    "fig_dist_empirical": "drawn from {n} recorded times, mean {mean} min",
    "fig_per_hour": "{rate} an hour (about {day} a day)",
    "fig_per_hour_list": "{values} an hour, hour by hour from opening (about {day} a day)",
    "fig_travel": "one-way travel to the office, {dist}",
    "fig_return": "{share} of those sent home unserved come back the next working day",
    "fig_max_trips": "at most {n} trips to the office",
    "fig_classes": "called first: {parts}",
    "fig_class_part": "{name} {share}",
    "fig_open": "Opening time: {clock}",
    "fig_close": "Closing time (no new arrivals after it): {clock}",
    "fig_after_close_serve": "At closing time: everyone already waiting is still served",
    "fig_after_close_turn_away": "At closing time: whoever is still waiting is sent home",
    "fig_days": "{n} working days simulated",
    "fig_replications": "{n} repeated simulations",
    "fig_seed": "Random seed: {n}",
    "fig_warmup": "Visits in the first {n} min left out of the statistics",
    "fig_start_weekday": "First simulated day: {day}",
    "fig_demand": "Demand by weekday (1 = an ordinary day): {parts}",
    "fig_demand_part": "{day} ×{factor}",
    "fig_breaks": "Breaks, counters closed: {parts}",
    "fig_hours": "Opening hours: {parts}",
    "fig_day_span": "{days} {start}–{end}",
    "fig_open_days": "Open on {days}",
    "fig_holidays": "Closed days (counted from the first simulated day): {days}",
    "fig_none": "none",
    "fig_sep": ", ",
    "fig_no": "no",
    # -- warnings about a scenario (loket check / run, the web page; Scenario.warnings) -----
    "warn_name": "'{name}'",
    "warn_no_arrivals": "no citizen arrives: every hourly arrival rate is 0",
    "warn_overloaded": "station {station} is overloaded: on average {rate} citizens/hour arrive but {staff} staff "
                       "serve at most {capacity}/hour; queues will grow all day",
    "warn_one_replication": "{n} replication: no confidence interval can be given and no difference between "
                            "policies can be called significant; use at least 2 replications (30 recommended)",
    "warn_nobody_home": "policy {policy} sends nobody home at station {station}: {how}, so it equals the baseline "
                        "there",
    "warn_nobody_home_share": "{share} of {staff} officers at home rounds down to nobody (the odd person stays at "
                              "the counter)",
    "warn_nobody_home_zero": "the number of officers at home is 0 on every day",
    "warn_nobody_home_hint": "; to send one officer home write {toml_key} = {{ {station} = 1 }}",
    "warn_peak": "under policy {policy}, the busiest hour brings more work than the officers at the counter can do "
                 "— queues build up then, even where the daily average looks fine: {found}",
    "warn_peak_item": "{station} ({day} {start}-{end}: {work} officers' worth of work for {onsite}{also})",
    "warn_peak_also": ", also {days}",
    # -- what a reader meets first: title, lead, one bullet per policy or desk (lead.py) -----
    "title_run": "{office}: staffing policies compared",
    "title_staffing": "{office}: how many officers must stay at the counter",
    "title_sweep": "{office}: waits as more officers work from home",
    "title_office_city": "{office}, {city}",
    "num_2": "two",
    "num_3": "three",
    "num_4": "four",
    "num_5": "five",
    "num_6": "six",
    "num_7": "seven",
    "num_8": "eight",
    "num_9": "nine",
    "num_10": "ten",
    "period_days": "in {days} working days",
    "period_one_day": "in one working day",
    "period_weeks": "in {weeks} weeks",
    "period_one_week": "in one week",
    "per_period_days": "per {days} working days",
    "people_one": "{n} citizen",
    "people_many": "{n} citizens",
    "lead_rise": "With “{baseline}”, {people} {period} would never be served; with “{policy}”, {n} would, and the "
                 "mean wait at the counters would rise from {base} to {pol} minutes.",
    "lead_fall": "With “{baseline}”, {people} {period} would never be served; with “{policy}”, {n} would, and the "
                 "mean wait at the counters would fall from {base} to {pol} minutes.",
    "lead_same": "With “{baseline}”, {people} {period} would never be served; with “{policy}”, {n} would, and the "
                 "mean wait at the counters would barely change ({base} and {pol} minutes, a difference the "
                 "repeated simulations cannot tell from zero).",
    "lead_noci": "With “{baseline}”, {people} {period} would never be served; with “{policy}”, {n} would, and the "
                 "mean wait at the counters would be {pol} minutes against {base}.",
    "lead_single": "With “{policy}”, {people} {period} would never be served, and {done} of citizens would have "
                   "their whole business done on the first trip within standard.",
    "exec_baseline": "“{policy}” (the baseline): {people} never served {period}; mean wait at the counters {wait} "
                     "min; {done} of citizens have their whole business done on the first trip within standard.",
    "exec_policy": "“{policy}”: {people} never served {period}; mean wait {wait} min; {done} done on the first "
                   "trip within standard.",
    "exec_policy_desk": "Hardest hit: {label}, mean wait {base} → {pol} min.",
    "staff_lead": "Over a week, {may} of {total} officer-days could be at home with every desk still calling at "
                  "least {required} of its visits within standard.",
    "staff_lead_short": "Too few officers: {items}.",
    "staff_lead_unreachable": "Standard out of reach at any staffing: {items}.",
    "staff_item": "{label} on {days}",
    "staff_item_short": "{label} on {days} (needs {needed}, has {staff})",
    "staff_desk": "{label} ({staff} officers): {parts}.",
    "staff_every_day": "every day",
    "staff_on_days": "on {days}",
    "staff_part_home": "{n} may work from home {days}",
    "staff_part_all_needed": "all needed at the counter {days}",
    "staff_part_short": "{needed} needed at the counter {days}, more than it has",
    "staff_part_unreachable": "{days} the standard is out of reach at any staffing: with {n} at the counter "
                              "{share} of visits are called within {target} min, and more officers add less than "
                              "one point (the waits come from breaks or closing time)",
    "staff_part_undecided": "no advice {days}: the search did not settle (the note in staffing.csv says why)",
    "staff_part_no_data": "no advice {days}: no counted visit",
    "staff_note": "{label}, {days}: {note}",
    "sweep_lead": "The most officers who could work from home with every desk still calling at least {required} "
                  "of its visits within standard{how}: {items}.",
    "sweep_lead_fails_at_zero": "Even with nobody at home, only {share} of visits to {label} are called within "
                                "standard (at least {required} required).",
    "sweep_how_alone": " (one desk at a time)",
    "sweep_how_together": " (the named desks together)",
    "sweep_lead_item": "{stations} {share}",
    "sweep_lead_item_most": "{stations} {share} (the most tried)",
    "sweep_lead_item_none": "{stations} none",
    "sweep_desk_holds": "{stations} officers at home: every desk stays within standard up to {ok}, the most "
                        "tried; the mean wait at {label} goes from {base} to {pol} minutes.",
    "sweep_desk_breaks": "{stations} officers at home: every desk stays within standard up to {ok}; from {bad}, "
                         "only {share} of visits to {label} are called within standard (mean wait {base} → {pol} "
                         "minutes).",
    "sweep_desk_breaks_first": "{stations} officers at home: already at {bad}, only {share} of visits to {label} "
                               "are called within standard (mean wait {base} → {pol} minutes).",
    "sweep_desk_fails_at_zero": "{stations} officers at home: with {bad}, {share} of visits to {label} are called "
                                "within standard (with nobody at home: {base_share}; mean wait {base} → {pol} "
                                "minutes).",
    "exec_staffing": "Staffing advice (simulated separately, loket staff): {finding}.",
    "report_one_replication": "This run has a single repetition: the numbers below come from one simulated "
                              "period, with no confidence interval, and no difference between policies can be "
                              "called significant. Run at least 2 repetitions (30 recommended) before quoting "
                              "them.",
    # table headers
    "col_policy": "Policy",
    "col_station": "Station",
    "col_staff": "Staff",
    "col_arrived": "Counter visits per period",
    "col_mean_wait": "Mean wait of those served, min (95 % CI)",
    "col_mean_wait_all": "Mean wait, every visit, min (95 % CI)",
    "col_p90_wait": "90 % waited at most, min",
    "col_within": "Visits within standard (95 % CI)",
    "col_utilisation": "Officers busy",
    "col_not_served": "Visits ending unserved per period",
    "col_mean_wait_change": "Mean wait, every visit, min",
    "col_diff": "Difference, min (95 % CI)",
    "col_p90_change": "90 % waited at most, min",
    "col_within_change": "Visits within standard",
    "col_not_served_change": "Visits ending unserved per period",
    "col_citizens": "Citizens per period",
    "col_served_first_trip": "Served on the first trip",
    "col_served_later_trip": "Served on a later trip",
    "col_never_served": "Never served",
    "col_still_to_return": "Still to come back",
    "col_first_trip_within": "Whole business done on the first trip within standard (95 % CI)",
    "col_weekday_onsite": "On site {weekday}",
    "col_wfh_share": "At home (share)",
    "col_onsite": "On site",
    "col_recommended": "Fewest on site",
    "col_may_wfh": "May work from home",
    "col_weekday": "Weekday",
    "col_within_at_level": "Within standard at that level (95 % CI)",
    "col_wait_changes": "Mean wait, min (95 % CI)",
    "arrow": "{a} → {b}",
    "range": "{a}–{b}",
    "value_ci": "{value} ({lo}–{hi})",
    "yes": "yes",
    "ci_range": "95 % interval {lo} to {hi}",
    "no_interval": "no interval: one replication",
    "diff_ci": "{value} ({lo} to {hi})",
    "all_stations": "All stations",
    # policies in words
    "policy_desc": "{policy} ({parts})",
    "policy_everyone": "everyone in the office",
    "policy_part_home": "{n} of {staff} {label} officers at home{days}",
    "policy_part_extra": "{n} extra {label} officers{days}",
    "policy_days": " on {days}",
    "policy_part_online": "{share} of {label} requests handled online",
    "policy_part_recall": "an officer called back when {n} queue at {label}",
    # findings
    "sentence_all_rise": "With {policy}, the mean wait at the counters — every visit counted, those sent home "
                         "until they left — rises from {base} to {pol} minutes (difference {diff}, 95 % CI {lo} to "
                         "{hi}); {done} of citizens get their whole business done on the first trip within every "
                         "standard ({baseline}: {base_done}).",
    "sentence_all_fall": "With {policy}, the mean wait at the counters — every visit counted, those sent home "
                         "until they left — falls from {base} to {pol} minutes (difference {diff}, 95 % CI {lo} to "
                         "{hi}); {done} of citizens get their whole business done on the first trip within every "
                         "standard ({baseline}: {base_done}).",
    "sentence_all_same": "With {policy}, the mean wait at the counters — every visit counted — is {pol} minutes "
                         "against {base} with {baseline}: the repeated simulations cannot tell this difference "
                         "from zero (95 % CI {lo} to {hi}); {done} of citizens get their whole business done on "
                         "the first trip within every standard ({baseline}: {base_done}).",
    "sentence_all_noci": "With {policy}, the mean wait at the counters — every visit counted, those sent home "
                         "until they left — is {pol} minutes against {base} with {baseline} (difference {diff}) "
                         "in a single simulated period, which gives no confidence interval: run more repetitions "
                         "before quoting it; {done} of citizens get their whole business done on the first trip "
                         "within every standard ({baseline}: {base_done}).",
    "sentence_station_rise": "At {label}, {policy} raises the mean wait per visit from {base} to {pol} minutes "
                             "(95 % CI of the rise {lo} to {hi}), and {late} of visits wait longer than the "
                             "{target}-minute standard or end unserved ({baseline}: {base_late}).",
    "sentence_station_fall": "At {label}, {policy} lowers the mean wait per visit from {base} to {pol} minutes "
                             "(95 % CI of the change {lo} to {hi}); {late} of visits wait longer than the "
                             "{target}-minute standard or end unserved ({baseline}: {base_late}).",
    "sentence_station_same": "At {label}, the repeated simulations cannot tell {policy} from {baseline} (mean wait per "
                             "visit {base} → {pol} minutes, 95 % CI of the change {lo} to {hi}).",
    "sentence_station_noci": "At {label}, the mean wait per visit is {pol} minutes with {policy} against {base} "
                             "with {baseline} (one simulated period: no confidence interval); {late} of visits wait "
                             "longer than the {target}-minute standard or end unserved ({baseline}: {base_late}).",
    "sentence_station_nobody": "At {label}, nobody is served under {policy}: every visit ends with the citizen "
                               "sent home.",
    "sentence_not_served": "With {policy}, {n} citizens are never served over the {days} simulated working days "
                           "({baseline}: {base_n}); {still} more were sent home and were still due to come back "
                           "when the period ended ({baseline}: {base_still}).",
    "sentence_trips": "Citizens sent home come back another day: with {policy} they make {trips} extra trips "
                      "to the office over the simulated period ({baseline}: {base_trips}), and spend {hours} "
                      "hours waiting and travelling ({baseline}: {base_hours}).",
    "sentence_standard_met": "Every station still calls at least {required} of its counter visits within its "
                             "standard with {policy}.",
}

ID: dict[str, str] = {
    # -- shared ----------------------------------------------------------------------
    "baseline_suffix": "{policy} (acuan)",
    "ci95": "selang kepercayaan 95%",
    "ci95_replications": "Selang kepercayaan 95% (atas pengulangan simulasi)",
    "station_with_target": "{label}\n(standar: {target} menit)",
    "required_line": "Standar: minimal {required} dalam target",
    "target_line": "Standar waktu tunggu loket",
    "pct": "{value}%",
    "minutes_short": "{value} menit",
    "no_data": "tidak ada data",
    "weekday_monday": "Sen",
    "weekday_tuesday": "Sel",
    "weekday_wednesday": "Rab",
    "weekday_thursday": "Kam",
    "weekday_friday": "Jum",
    "weekday_saturday": "Sab",
    "weekday_sunday": "Min",
    "weekday_long_monday": "Senin",
    "weekday_long_tuesday": "Selasa",
    "weekday_long_wednesday": "Rabu",
    "weekday_long_thursday": "Kamis",
    "weekday_long_friday": "Jumat",
    "weekday_long_saturday": "Sabtu",
    "weekday_long_sunday": "Minggu",
    "list_and": " dan ",
    # -- 1. service standard met -------------------------------------------------------
    "sm_xlabel": "Dipanggil dalam standar (%): warga (atas), kunjungan ke loket (setiap loket)",
    "sm_citizens_label": "Warga: seluruh urusan\nselesai pada kedatangan\npertama dalam standar",
    "sm_title_worst": "{policy}: hanya {share} kunjungan ke {label} dipanggil dalam {target} menit "
                      "({baseline}: {base_share})",
    "sm_title_baseline_fails": "Bahkan dengan {policy}, hanya {share} kunjungan ke {label} dipanggil dalam {target} "
                               "menit",
    "sm_title_all_meet": "Semua loket memenuhi standar: minimal {required} kunjungan dipanggil dalam target",
    # -- 2. waiting-time distribution --------------------------------------------------
    "ecdf_xlabel": "Waktu tunggu sampai dipanggil (menit)",
    "ecdf_ylabel": "Kunjungan yang sudah dipanggil pada waktu tunggu itu (%)",
    "ecdf_title": "{policy}: 9 dari 10 kunjungan ke {label} dipanggil dalam {p90} menit "
                  "({baseline}: {base_p90} menit)",
    "ecdf_title_never": "{policy}: setelah {upper} menit baru {share} kunjungan ke {label} yang dipanggil "
                        "({baseline}: {base_share})",
    "ecdf_title_single": "9 dari 10 kunjungan ke {label} dipanggil dalam {p90} menit ({policy})",
    "ecdf_title_single_never": "Setelah {upper} menit baru {share} kunjungan ke {label} yang dipanggil ({policy})",
    "ecdf_title_generic": "Berapa lama warga menunggu sampai dipanggil",
    # -- 3. wait by hour of arrival ----------------------------------------------------
    "hour_xlabel": "Jam kedatangan",
    "hour_ylabel": "Waktu tunggu rata-rata (menit)",
    "hour_title": "{policy}: kunjungan yang datang ke {label} pukul {hour} menunggu rata-rata {wait} menit "
                  "({baseline}: {base_wait} menit), kenaikan terbesar pada jam dengan minimal {share} kunjungan "
                  "loket itu",
    "hour_title_single": "Waktu tunggu terlama: kunjungan yang datang ke {label} pukul {hour} menunggu rata-rata "
                         "{wait} menit ({policy})",
    "hour_title_generic": "Waktu tunggu rata-rata menurut jam kedatangan",
    "same_curve": "Putus-putus: {policy}, garisnya sama dengan {other} di {stations}",
    # -- 4. queue over the day ---------------------------------------------------------
    "queue_xlabel": "Jam",
    "queue_ylabel": "Warga yang menunggu (rata-rata)",
    "queue_closing": "Jam tutup",
    "weekday_ylabel": "Waktu tunggu rata-rata di loket,\nsetiap kunjungan (menit)",
    "weekday_title": "{policy}: pada hari {weekday} waktu tunggu rata-rata di loket {wait} menit "
                     "({baseline}: {base_wait} menit)",
    "weekday_title_single": "Waktu tunggu rata-rata terlama di loket pada hari {weekday}: {wait} menit ({policy})",
    "weekday_title_generic": "Waktu tunggu rata-rata di loket menurut hari",
    "class_xlabel": "Kunjungan yang dipanggil dalam standar loket (%)",
    "class_label": "{name}",
    "class_general": "umum (tanpa prioritas)",
    "class_name_lansia": "lansia",
    "class_name_disabilitas": "penyandang disabilitas",
    "class_name_ibu_hamil": "ibu hamil",
    "class_title": "{policy}: hanya {share} kunjungan warga {label} dipanggil dalam standar "
                   "({baseline}: {base_share})",
    "class_title_generic": "Dipanggil dalam standar, menurut kelompok prioritas",
    "class_title_protected": "{policy}: warga prioritas tetap dipanggil dalam standar ({low} atau lebih), warga "
                             "lainnya hanya {share} ({baseline}: {base_share})",
    "chart_break": "Istirahat, loket tidak memanggil ({when})",
    "chart_closing": "Jam tutup ({when})",
    "queue_title": "{policy}: antrean di {label} mencapai puncak {n} orang sekitar pukul {time} "
                   "({baseline}: {base_n} orang)",
    "queue_title_single": "Antrean di {label} mencapai puncak {n} orang sekitar pukul {time} ({policy})",
    "queue_title_generic": "Warga yang menunggu sepanjang hari",
    # -- 5. utilisation ----------------------------------------------------------------
    "util_xlabel": "Waktu petugas di loket untuk melayani (%)",
    "util_title": "{policy}: petugas {label} di loket sibuk {util} dari waktunya ({baseline}: {base_util}) "
                  "— makin mendekati 100%, antrean makin cepat membludak",
    "util_title_single": "Petugas {label} di loket sibuk {util} dari waktunya ({policy}) — makin mendekati 100%, "
                         "antrean makin cepat membludak",
    "util_title_generic": "Seberapa sibuk petugas di loket: makin mendekati 100%, antrean makin cepat membludak",
    # -- 6. not served -----------------------------------------------------------------
    "ns_xlabel": "Hari kerja simulasi",
    "ns_ylabel": "Warga pulang tanpa dilayani\n(per hari, rata-rata)",
    "ns_day": "Hari {day}\n({weekday})",
    "ns_week": "Minggu {week}",
    "ns_xlabel_week": "Minggu simulasi (lima hari kerja; batang adalah rata-rata per hari minggu itu)",
    "ns_reason_turned_away": "ditolak",
    "ns_reason_balked": "langsung pergi karena antrean panjang",
    "ns_reason_reneged": "menyerah menunggu",
    "ns_title_none": "Tidak ada warga yang pulang tanpa dilayani",
    "ns_none_note": "0 warga pulang tanpa dilayani, pada setiap kebijakan dan hari",
    "ns_title": "{policy}: rata-rata {n} warga per hari pulang tanpa dilayani ({baseline}: {base_n} per hari)",
    "ns_title_single": "Rata-rata {n} warga per hari pulang tanpa dilayani ({policy})",
    # -- 6c. petugas di loket per jam ------------------------------------------------------
    "obh_title": "Tidak ada petugas di loket (merah): {items}",
    "obh_title_item": "{places} dengan {policy}",
    "obh_title_none": "Setiap loket ada petugasnya pada setiap jam buka, dengan setiap kebijakan",
    "obh_place": "{label} {when}",
    "obh_place_reason": "{place} ({reason})",
    "obh_when_days": "pada {days} pukul {ranges}",
    "obh_when_every_day": "setiap hari pukul {ranges}",
    "obh_reason_home_one": "satu-satunya petugas yang dijadwalkan di sana saat itu bekerja dari rumah",
    "obh_reason_home": "semua {n} petugas yang dijadwalkan di sana saat itu bekerja dari rumah",
    "obh_reason_home_all": "semua petugas yang dijadwalkan di sana saat itu bekerja dari rumah",
    "obh_reason_roster": "tidak ada petugas yang dijadwalkan di sana saat itu",
    "obh_reason_mixed": "tidak ada petugas yang dijadwalkan di sana saat itu, atau semuanya bekerja dari rumah",
    "obh_xlabel": "Jam (setiap kotak: petugas di loket selama satu jam mulai pukul itu)",
    "obh_legend_empty": "Tidak ada petugas di loket pada jam pemanggilan",
    "obh_legend_fewer": "Lebih sedikit petugas di loket daripada acuan",
    "obh_legend_same": "Sama banyak dengan acuan (atau lebih)",
    "obh_only_changed": "Di bawah acuan, setiap kebijakan hanya menampilkan loket dan hari yang diubahnya",
    "obh_same_everywhere": "Setiap loket sama dengan acuan",
    "obh_recall_note": "Tidak dihitung: petugas yang dipanggil kembali dari rumah saat antrean memanjang ({policies})",
    "exec_policy_empty": "Tidak ada petugas di {places}: warga yang datang saat itu menunggu atau "
                         "pulang tanpa dilayani (merah pada grafik petugas per jam).",
    "empty_desk_sentence": "Dengan {policy}, tidak ada petugas di {places}. Warga yang datang saat itu "
                           "menunggu petugas atau pulang tanpa dilayani (merah pada grafik petugas di loket per "
                           "jam).",
    "report_obh_caption": "Petugas di loket per jam, menurut kebijakan: simulasi menerapkan kebijakan pada jadwal "
                          "petugas setiap jam (0: tidak ada petugas di loket; –: istirahat; di bawah acuan, setiap "
                          "kebijakan hanya menampilkan loket dan hari yang diubahnya)",
    "col_days": "Hari",
    "sm_note_downstream": "{label} tampak lebih baik dengan {policies} hanya karena warga tertahan di {stations} "
                          "sebelumnya dan tiba di sana lebih lambat — bukan pelayanan yang lebih baik",
    # -- 7a. sweep ---------------------------------------------------------------------
    "sweep_xlabel": "Persentase petugas {stations} yang bekerja dari rumah",
    "sweep_at_home": "{at_home} dari {staff}",
    "sweep_ylabel_wait": "Waktu tunggu (menit)",
    "sweep_ylabel_share": "Dipanggil dalam standar (%)",
    "sweep_mean": "rata-rata, setiap kunjungan (selang kepercayaan 95%)",
    "sweep_p90": "persentil ke-90 yang dilayani",
    "sweep_nobody_served": "tak ada yang dilayani",
    "sweep_note_downstream": "{label} berada sesudah {stations}: waktu tunggunya turun ({base} → {pol} menit) "
                             "hanya karena warga tertahan di antrean sebelumnya — bukan pelayanan yang lebih baik",
    "sweep_title_breaks": "Mulai {share} petugas {stations} bekerja dari rumah, kurang dari {required} "
                          "kunjungan ke {label} dipanggil dalam standar",
    "sweep_title_fails_at_zero": "Bahkan tanpa petugas di rumah, kurang dari {required} kunjungan ke {label} "
                                 "dipanggil dalam standar",
    "sweep_title_holds": "Bahkan dengan {share} petugas {stations} di rumah, semua loket tetap memenuhi "
                         "standar {required}",
    # -- 7b. staffing ------------------------------------------------------------------
    "staff_ylabel": "Petugas di loket",
    "staff_recommended": "Jumlah minimum yang memenuhi standar (minimal {required} dalam target)",
    "staff_current": "Jumlah petugas saat ini",
    "staff_unreachable": "Standar ({required}) tidak tercapai berapa pun petugasnya (istirahat, jam tutup): "
                         "tambahan petugas menambah kurang dari 1 poin",
    "staff_undecided": "?: belum dapat diputuskan, tanpa saran (alasannya di catatan staffing.csv)",
    "staff_undecided_short": "?",
    "staff_no_data": "t/d: tidak ada kunjungan yang dihitung pada hari itu, tanpa saran",
    "staff_no_data_short": "t/d",
    "staff_title_range": "{lo} sampai {hi} dari {total} petugas boleh bekerja dari rumah setiap hari, "
                         "dengan minimal {required} kunjungan tetap dipanggil dalam standar",
    "staff_title_same": "{n} dari {total} petugas boleh bekerja dari rumah setiap hari, dengan minimal "
                        "{required} warga tetap dilayani dalam standar",
    "staff_title_some_days": "Petugas boleh bekerja dari rumah hanya pada hari {days} (paling banyak {hi} dari "
                             "{total}), dengan minimal {required} kunjungan tetap dipanggil dalam standar",
    "share_of_staff": "{share} ({at_home} dari {staff})",
    "staff_title_none": "Tidak ada petugas yang boleh bekerja dari rumah tanpa melanggar standar (minimal "
                        "{required} dalam target)",
    "staff_title_short": "{label} butuh {needed} petugas pada hari {weekday} tetapi hanya ada {staff}",
    # -- report ------------------------------------------------------------------------
    "city_title": "{may} dari {total} hari-petugas per minggu dapat bekerja dari rumah dengan semua loket tetap "
                  "dalam standar; dengan {policy}, warga kehilangan {hours} jam lebih banyak per minggu dan "
                  "{never} warga lagi pulang tanpa dilayani",
    "city_title_days": "{may} dari {total} hari-petugas per minggu dapat bekerja dari rumah dengan semua loket "
                       "tetap dalam standar",
    "city_xlabel_days": "Hari-petugas per minggu",
    "city_xlabel_harm": "Tambahan jam warga hilang per minggu (kota)",
    "city_may": "Dapat bekerja dari rumah, semua loket tetap dalam standar",
    "city_all_days": "Semua hari-petugas di loket",
    "city_total": "{hours} jam",
    "city_total_ci": "Total kota: rentang 95 %",
    "city_policy_full_office": "Semua di loket",
    "city_policy_wfa_thu_fri": "Skema provinsi: Kamis-Jumat di luar kantor",
    "city_policy_wfh_25": "Seperempat di rumah (hipotetis)",
    "city_policy_wfh_50": "Separuh di rumah (hipotetis)",
    "city_report_title": "{city}: {n} kantor pelayanan langsung",
    "report_city_heading": "Apa yang dilindungi bila semua petugas tetap di loket",
    "city_report_title_generic": "{n} kantor pelayanan langsung",
    "city_lead": "Semua petugas pelayanan tetap di loket: {may} dari {total} hari-petugas per minggu dapat bekerja "
                 "dari rumah dengan semua loket tetap dalam standar ({offices}).",
    "city_sentence": "{policy}: warga kehilangan {hours} jam lebih banyak per minggu ({ci}) dan {never} warga lagi "
                     "per minggu pulang tanpa dilayani ({never_ci}), dibanding {base} bila semua di loket.",
    "city_sentence_missing": "{policy} tidak ditetapkan untuk {missing}, jadi total kotanya tidak mencakup kantor itu.",
    "city_how_combined": "Total kota menjumlahkan selisih tiap kantor terhadap kebijakan dasarnya sendiri, per minggu "
                         "(hari kerja yang disimulasikan dibagi hari buka kantor per minggu); rentang 95 % suatu total "
                         "dihitung dari rentang tiap kantor (simulasi saling bebas: ragamnya dijumlahkan).",
    "city_office_seed": "{office}: bilangan acak awal {seed}, {days} hari kerja ({weeks} minggu), simulasi diulang "
                        "{reps} kali (saran jumlah petugas: {advice_reps} kali).",
    "report_staffing_city_caption": "Per kantor: hari-petugas per minggu di loket, dan berapa yang dapat di rumah "
                                    "dengan semua loket tetap dalam standar (saran jumlah petugas)",
    "col_could_be_home": "Dapat di rumah",
    "col_hypothetical": "Hipotetis",
    "col_never_served_week_extra": "Tambahan tidak terlayani per minggu",
    "col_first_trip": "Selesai pada kedatangan pertama dalam standar",
    "report_city_caption": "Per kantor dan kebijakan: dampaknya bagi warga per minggu dibanding semua di loket "
                           "(rentang 95 %)",
    "col_office": "Kantor",
    "col_officer_days": "Hari-petugas per minggu",
    "col_may_wfh_days": "Dapat di rumah",
    "col_extra_hours_week": "Tambahan jam warga hilang per minggu",
    "col_never_served_week": "Warga tidak pernah dilayani per minggu",
    "col_policy_city": "Kebijakan",
    "report_scenario_heading": "Skenario",
    "report_scenario": "{description} Disimulasikan: {days} hari kerja mulai hari {weekday}, buka pukul "
                       "{open}–{close}, {replications} kali pengulangan simulasi (bilangan acak awal {seed}). "
                       "Loket: {stations}.",
    "report_policies_compared": "Kebijakan yang dibandingkan: {policies}; yang pertama, {baseline}, menjadi acuan.",
    "report_station": "{label} ({staff} petugas, standar {target} menit)",
    "report_headline_heading": "Apakah standar pelayanan terpenuhi?",
    "report_findings_heading": "Temuan simulasi",
    "report_no_comparison": "Hanya satu kebijakan yang disimulasikan: tidak ada pembanding.",
    "report_charts_need_visits": "Tidak digambar di sini: {charts}. Grafik ini memerlukan tabel per kunjungan, "
                                 "yang tidak disimpan di folder ini (loket run {flag}); jalankan lagi tanpa "
                                 "{flag} untuk menggambarnya dalam bahasa ini.",
    "report_tables_heading": "Tabel utama",
    "report_policies_caption": "Petugas di loket per hari, menurut kebijakan",
    "report_summary_caption": "Kunjungan ke loket per kebijakan dan loket (warga yang dipulangkan lalu datang lagi "
                              "dihitung sebagai kunjungan baru; rata-rata per periode simulasi)",
    "report_citizens_caption": "Nasib warga yang datang (setiap orang dihitung sekali; orang yang sama pada setiap "
                               "kebijakan; rata-rata per periode simulasi)",
    "report_comparison_caption": "Setiap kebijakan dibandingkan dengan acuan (warga yang sama, dibandingkan pada "
                                 "setiap pengulangan simulasi)",
    "report_charts_heading": "Grafik lainnya",
    "report_sweep_heading": "Bekerja dari rumah di semakin banyak loket",
    "report_sweep_caption": "Waktu tunggu menurut persentase petugas yang bekerja dari rumah",
    "report_staffing_heading": "Berapa petugas yang harus tetap di loket",
    "report_staffing_caption": "Jumlah minimum petugas di loket per loket dan hari",
    "report_provenance_heading": "Asal laporan ini",
    "report_provenance": "Loket {version}; bilangan acak awal {seed}; {replications} kali pengulangan; {days} hari "
                         "simulasi. "
                         "Perintah, waktu mulai dan lama simulasi tercatat di run.json di samping laporan ini.",
    "report_definitions": "Satu kunjungan adalah satu warga yang datang ke antrean satu loket; warga yang "
                          "dipulangkan lalu datang lagi menjadi kunjungan baru. “Waktu tunggu, setiap kunjungan” "
                          "menghitung setiap kunjungan sampai warga dipanggil atau pergi; “yang dilayani” hanya "
                          "kunjungan yang dipanggil; angka 90% dihitung atas kunjungan yang dipanggil. “Kunjungan "
                          "dalam standar” menghitung setiap kunjungan, dan yang berakhir tanpa dilayani dihitung "
                          "tidak dalam standar. Tabel warga menghitung setiap orang sekali. Selang adalah selang "
                          "kepercayaan Student-t 95% atas pengulangan periode simulasi yang independen (tidak ada "
                          "selang bila simulasi hanya sekali).",
    "report_lang": "id",
    "report_executive_heading": "Ringkasan",
    "report_assumptions_heading": "Dasar angka-angka ini",
    "assumptions_estimates_intro": "Angka dalam skenario yang merupakan perkiraan, bukan hasil pengukuran di Kota "
                                   "Bengkulu (dengan catatan skenario itu sendiri):",
    "assumptions_no_estimates": "Berkas skenario tidak menandai satu pun angkanya sebagai perkiraan.",
    "assumptions_no_source": "Berkas skenario asli tidak disimpan bersama hasil ini, sehingga catatan sumber dan "
                             "perkiraannya tidak dapat ditampilkan di sini.",
    "assumptions_replications": "Setiap kebijakan disimulasikan {replications} kali untuk {days} hari kerja yang "
                                "sama dengan warga yang sama; selang menunjukkan seberapa besar hasilnya berbeda "
                                "antarpengulangan.",
    "assumptions_left_out_heading": "Yang tidak dimodelkan:",
    "assumptions_left_out_1": "Warga datang secara acak sesuai laju per jam yang diberikan; rombongan yang datang "
                              "bersamaan atau kerumunan sebelum kantor buka tidak dimodelkan.",
    "assumptions_left_out_2": "Petugas di satu loket sama cepatnya dan tidak membantu loket lain; ketidakhadiran "
                              "mendadak tidak dimodelkan.",
    "assumptions_left_out_3": "Warga yang dipulangkan datang lagi pada hari kerja berikutnya pada jam yang sama, "
                              "atau tidak sama sekali; tidak ada yang pindah ke kantor lain.",
    "assumptions_left_out_4": "Permohonan daring menyelesaikan urusan warga; warga yang tidak dapat memakainya "
                              "tidak dimodelkan tersendiri.",
    "assumptions_left_out_5": "Pekerjaan di luar loket (administrasi, laporan) tidak dihitung.",
    # -- angka skenario dalam kata-kata (daftar perkiraan; simulation.figure_words) -----
    "fig_estimate": "{figure} — {note}",
    "fig_item": "{owner}: {what}",
    "fig_value": "{what}: {value}",
    "fig_stream": "Warga yang datang ke {label}",
    "fig_stream_named": "Warga yang datang ke {label} ({name})",
    "fig_staff": "{n} petugas di loket",
    "fig_roster": "petugas di loket setiap jam sejak buka: {values}",
    "fig_service": "waktu pelayanan, {dist}",
    "fig_patience": "kesabaran sebelum menyerah menunggu, {dist}",
    "fig_target": "standar pelayanan: dipanggil dalam {n} menit",
    "fig_next": "setelah dilayani, {parts}; sisanya pulang",
    "fig_next_part": "{share} lanjut ke {label}",
    "fig_balk_queue": "warga langsung pergi karena antrean panjang bila {n} orang atau lebih menunggu",
    "fig_balk_wait": "warga langsung pergi bila perkiraan waktu tunggu yang ditampilkan {n} menit atau lebih",
    "fig_quota": "paling banyak {n} nomor antrean sehari",
    "fig_in_person": "hanya tatap muka (tanpa layanan daring)",
    "fig_not_in_person": "dapat dilayani daring",
    "fig_dist_exponential": "rata-rata {mean} menit (eksponensial)",
    "fig_dist_lognormal": "rata-rata {mean} menit (lognormal, koefisien variasi {cv})",
    "fig_dist_gamma": "rata-rata {mean} menit (gamma, koefisien variasi {cv})",
    "fig_dist_deterministic": "selalu {mean} menit",
    "fig_dist_triangular": "{min} sampai {max} menit, paling sering {mode}",
    "fig_dist_uniform": "{min} sampai {max} menit, tersebar merata",
    "fig_dist_empirical": "diambil dari {n} waktu tercatat, rata-rata {mean} menit",
    "fig_per_hour": "{rate} orang per jam (sekitar {day} sehari)",
    "fig_per_hour_list": "{values} orang per jam, jam demi jam sejak buka (sekitar {day} sehari)",
    "fig_travel": "perjalanan sekali jalan ke kantor, {dist}",
    "fig_return": "{share} warga yang pulang tanpa dilayani datang lagi pada hari kerja berikutnya",
    "fig_max_trips": "paling banyak {n} kali datang ke kantor",
    "fig_classes": "dipanggil lebih dulu: {parts}",
    "fig_class_part": "{name} {share}",
    "fig_open": "Jam buka: pukul {clock}",
    "fig_close": "Jam tutup (tidak ada kedatangan baru setelahnya): pukul {clock}",
    "fig_after_close_serve": "Pada jam tutup: semua yang sudah menunggu tetap dilayani",
    "fig_after_close_turn_away": "Pada jam tutup: warga yang masih menunggu dipulangkan",
    "fig_days": "{n} hari kerja disimulasikan",
    "fig_replications": "simulasi diulang {n} kali",
    "fig_seed": "Bilangan acak awal: {n}",
    "fig_warmup": "Kunjungan pada {n} menit pertama tidak dihitung",
    "fig_start_weekday": "Hari pertama simulasi: {day}",
    "fig_demand": "Permintaan per hari (1 = hari biasa): {parts}",
    "fig_demand_part": "{day} ×{factor}",
    "fig_breaks": "Istirahat, loket tutup: {parts}",
    "fig_hours": "Jam buka: {parts}",
    "fig_day_span": "{days} {start}–{end}",
    "fig_open_days": "Buka pada hari {days}",
    "fig_holidays": "Hari libur (dihitung dari hari pertama simulasi): {days}",
    "fig_none": "tidak ada",
    "fig_sep": "; ",
    "fig_no": "tidak",
    # -- peringatan tentang skenario (loket check / run, halaman web; Scenario.warnings) -----
    "warn_name": "“{name}”",
    "warn_no_arrivals": "tidak ada warga yang datang: setiap laju kedatangan per jam bernilai 0",
    "warn_overloaded": "loket {station} kelebihan beban: rata-rata {rate} warga datang per jam, tetapi {staff} "
                       "petugas paling banyak melayani {capacity} per jam; antrean akan terus memanjang sepanjang "
                       "hari",
    "warn_one_replication": "simulasi hanya diulang {n} kali: selang kepercayaan tidak dapat diberikan dan tidak ada "
                            "perbedaan antarkebijakan yang dapat disebut nyata; ulangi simulasi paling sedikit 2 kali "
                            "(disarankan 30)",
    "warn_nobody_home": "kebijakan {policy} tidak membuat seorang pun bekerja dari rumah di loket {station}: {how}, "
                        "sehingga di loket itu sama dengan acuan",
    "warn_nobody_home_share": "{share} dari {staff} petugas di rumah dibulatkan ke bawah menjadi nol (sisanya "
                              "tetap di loket)",
    "warn_nobody_home_zero": "jumlah petugas di rumah 0 setiap hari",
    "warn_nobody_home_hint": "; agar satu petugas bekerja dari rumah, tulis {toml_key} = {{ {station} = 1 }}",
    "warn_peak": "dengan kebijakan {policy}, jam tersibuk membawa pekerjaan lebih banyak daripada yang sanggup "
                 "dikerjakan petugas di loket — antrean menumpuk pada jam itu, meskipun rata-rata harian tampak "
                 "wajar: {found}",
    "warn_peak_item": "{station} ({day} {start}-{end}: beban kerja setara {work} petugas untuk {onsite} "
                      "petugas{also})",
    "warn_peak_also": ", juga {days}",
    # -- what a reader meets first: title, lead, one bullet per policy or desk (lead.py) -----
    "title_run": "{office}: perbandingan kebijakan petugas",
    "title_staffing": "{office}: berapa petugas yang harus tetap di loket",
    "title_sweep": "{office}: waktu tunggu bila makin banyak petugas bekerja dari rumah",
    "title_office_city": "{office}, {city}",
    "num_2": "dua",
    "num_3": "tiga",
    "num_4": "empat",
    "num_5": "lima",
    "num_6": "enam",
    "num_7": "tujuh",
    "num_8": "delapan",
    "num_9": "sembilan",
    "num_10": "sepuluh",
    "period_days": "dalam {days} hari kerja",
    "period_one_day": "dalam satu hari kerja",
    "period_weeks": "dalam {weeks} minggu",
    "period_one_week": "dalam satu minggu",
    "per_period_days": "per {days} hari kerja",
    "people_one": "{n} warga",
    "people_many": "{n} warga",
    "lead_rise": "Dengan “{baseline}”, {people} {period} tidak akan pernah dilayani; dengan “{policy}”, {n} warga, "
                 "dan waktu tunggu rata-rata di loket naik dari {base} menjadi {pol} menit.",
    "lead_fall": "Dengan “{baseline}”, {people} {period} tidak akan pernah dilayani; dengan “{policy}”, {n} warga, "
                 "dan waktu tunggu rata-rata di loket turun dari {base} menjadi {pol} menit.",
    "lead_same": "Dengan “{baseline}”, {people} {period} tidak akan pernah dilayani; dengan “{policy}”, {n} warga, "
                 "dan waktu tunggu rata-rata di loket hampir tidak berubah ({base} dan {pol} menit, selisih yang "
                 "tidak dapat dibedakan dari nol oleh pengulangan simulasi).",
    "lead_noci": "Dengan “{baseline}”, {people} {period} tidak akan pernah dilayani; dengan “{policy}”, {n} warga, "
                 "dan waktu tunggu rata-rata di loket {pol} menit dibanding {base} menit.",
    "lead_single": "Dengan “{policy}”, {people} {period} tidak akan pernah dilayani, dan {done} warga selesai "
                   "seluruh urusannya pada kedatangan pertama dalam standar.",
    "exec_baseline": "“{policy}” (acuan): {people} tidak pernah dilayani {period}; waktu tunggu rata-rata di loket "
                     "{wait} menit; {done} warga selesai seluruh urusannya pada kedatangan pertama dalam standar.",
    "exec_policy": "“{policy}”: {people} tidak pernah dilayani {period}; waktu tunggu rata-rata {wait} menit; "
                   "{done} selesai pada kedatangan pertama dalam standar.",
    "exec_policy_desk": "Paling terdampak: {label}, waktu tunggu rata-rata {base} → {pol} menit.",
    "staff_lead": "Dalam seminggu, {may} dari {total} hari-petugas dapat bekerja dari rumah dengan setiap loket "
                  "tetap memanggil minimal {required} kunjungannya dalam standar.",
    "staff_lead_short": "Petugas kurang: {items}.",
    "staff_lead_unreachable": "Standar tidak tercapai berapa pun petugasnya: {items}.",
    "staff_item": "{label} pada hari {days}",
    "staff_item_short": "{label} pada hari {days} (butuh {needed}, ada {staff})",
    "staff_desk": "{label} ({staff} petugas): {parts}.",
    "staff_every_day": "setiap hari",
    "staff_on_days": "pada hari {days}",
    "staff_part_home": "{n} petugas boleh bekerja dari rumah {days}",
    "staff_part_all_needed": "semua petugas dibutuhkan di loket {days}",
    "staff_part_short": "{needed} petugas dibutuhkan di loket {days}, lebih dari yang ada",
    "staff_part_unreachable": "{days} standar tidak tercapai berapa pun petugasnya: dengan {n} petugas di loket, "
                              "{share} kunjungan dipanggil dalam {target} menit, dan tambahan petugas menambah "
                              "kurang dari 1 poin (waktu tunggu berasal dari istirahat atau jam tutup)",
    "staff_part_undecided": "tanpa saran {days}: pencarian belum tuntas (alasannya di catatan staffing.csv)",
    "staff_part_no_data": "tanpa saran {days}: tidak ada kunjungan yang dihitung",
    "staff_note": "{label}, {days}: {note}",
    "sweep_lead": "Paling banyak petugas yang dapat bekerja dari rumah dengan setiap loket tetap memanggil minimal "
                  "{required} kunjungannya dalam standar{how}: {items}.",
    "sweep_lead_fails_at_zero": "Bahkan tanpa petugas di rumah, hanya {share} kunjungan ke {label} dipanggil dalam "
                                "standar (standarnya minimal {required}).",
    "sweep_how_alone": " (satu loket setiap kali)",
    "sweep_how_together": " (loket yang disebut bersama-sama)",
    "sweep_lead_item": "{stations} {share}",
    "sweep_lead_item_most": "{stations} {share} (terbanyak yang dicoba)",
    "sweep_lead_item_none": "{stations} tidak ada",
    "sweep_desk_holds": "Petugas {stations} di rumah: setiap loket tetap dalam standar sampai {ok}, terbanyak yang "
                        "dicoba; waktu tunggu rata-rata di {label} dari {base} menjadi {pol} menit.",
    "sweep_desk_breaks": "Petugas {stations} di rumah: setiap loket tetap dalam standar sampai {ok}; mulai {bad}, "
                         "hanya {share} kunjungan ke {label} dipanggil dalam standar (waktu tunggu rata-rata {base} "
                         "→ {pol} menit).",
    "sweep_desk_breaks_first": "Petugas {stations} di rumah: sudah pada {bad}, hanya {share} kunjungan ke {label} "
                               "dipanggil dalam standar (waktu tunggu rata-rata {base} → {pol} menit).",
    "sweep_desk_fails_at_zero": "Petugas {stations} di rumah: dengan {bad}, {share} kunjungan ke {label} dipanggil "
                                "dalam standar (tanpa petugas di rumah: {base_share}; waktu tunggu rata-rata {base} "
                                "→ {pol} menit).",
    "exec_staffing": "Saran jumlah petugas (disimulasikan terpisah, loket staff): {finding}.",
    "report_one_replication": "Simulasi ini hanya dijalankan sekali: angka di bawah berasal dari satu periode "
                              "simulasi, tanpa selang kepercayaan, dan tidak ada selisih antarkebijakan yang dapat "
                              "disebut bermakna. Jalankan minimal 2 kali pengulangan (disarankan 30) sebelum angka "
                              "ini dikutip.",
    # table headers
    "col_policy": "Kebijakan",
    "col_station": "Loket",
    "col_staff": "Petugas",
    "col_arrived": "Kunjungan ke loket per periode",
    "col_mean_wait": "Waktu tunggu rata-rata yang dilayani, menit (selang kepercayaan 95%)",
    "col_mean_wait_all": "Waktu tunggu rata-rata, setiap kunjungan, menit (selang kepercayaan 95%)",
    "col_p90_wait": "90% menunggu paling lama, menit",
    "col_within": "Kunjungan dalam standar (selang kepercayaan 95%)",
    "col_utilisation": "Petugas sibuk",
    "col_not_served": "Kunjungan berakhir tanpa dilayani per periode",
    "col_mean_wait_change": "Waktu tunggu rata-rata, setiap kunjungan, menit",
    "col_diff": "Selisih, menit (selang kepercayaan 95%)",
    "col_p90_change": "90% menunggu paling lama, menit",
    "col_within_change": "Kunjungan dalam standar",
    "col_not_served_change": "Kunjungan berakhir tanpa dilayani per periode",
    "col_citizens": "Warga per periode",
    "col_served_first_trip": "Dilayani pada kedatangan pertama",
    "col_served_later_trip": "Dilayani pada kedatangan berikutnya",
    "col_never_served": "Tidak pernah dilayani",
    "col_still_to_return": "Masih akan datang kembali",
    "col_first_trip_within": "Selesai pada kedatangan pertama dalam standar (selang kepercayaan 95%)",
    "col_weekday_onsite": "Di loket {weekday}",
    "col_wfh_share": "Di rumah (persentase)",
    "col_onsite": "Di loket",
    "col_recommended": "Minimum di loket",
    "col_may_wfh": "Boleh bekerja dari rumah",
    "col_weekday": "Hari",
    "col_within_at_level": "Dalam standar pada jumlah itu (selang kepercayaan 95%)",
    "col_wait_changes": "Waktu tunggu rata-rata, menit (selang kepercayaan 95%)",
    "arrow": "{a} → {b}",
    "range": "{a}–{b}",
    "value_ci": "{value} ({lo}–{hi})",
    "yes": "ya",
    "ci_range": "rentang 95 % {lo} sampai {hi}",
    "no_interval": "tanpa rentang: simulasi hanya sekali",
    "diff_ci": "{value} ({lo} sampai {hi})",
    "all_stations": "Semua loket",
    # policies in words
    "policy_desc": "{policy} ({parts})",
    "policy_everyone": "semua petugas di kantor",
    "policy_part_home": "{n} dari {staff} petugas {label} di rumah{days}",
    "policy_part_extra": "{n} petugas {label} tambahan{days}",
    "policy_days": " pada hari {days}",
    "policy_part_online": "{share} permohonan {label} dilayani daring",
    "policy_part_recall": "seorang petugas dipanggil kembali bila {n} orang antre di {label}",
    # findings
    "sentence_all_rise": "Dengan {policy}, waktu tunggu rata-rata di loket — setiap kunjungan dihitung, yang "
                         "dipulangkan sampai mereka pergi — naik dari {base} menjadi {pol} menit (selisih {diff}, "
                         "selang kepercayaan 95% {lo} sampai {hi}); {done} warga selesai urusannya pada kedatangan "
                         "pertama dalam semua standar ({baseline}: {base_done}).",
    "sentence_all_fall": "Dengan {policy}, waktu tunggu rata-rata di loket — setiap kunjungan dihitung, yang "
                         "dipulangkan sampai mereka pergi — turun dari {base} menjadi {pol} menit (selisih {diff}, "
                         "selang kepercayaan 95% {lo} sampai {hi}); {done} warga selesai urusannya pada kedatangan "
                         "pertama dalam semua standar ({baseline}: {base_done}).",
    "sentence_all_same": "Dengan {policy}, waktu tunggu rata-rata di loket — setiap kunjungan dihitung — {pol} "
                         "menit dibanding {base} menit dengan {baseline}: selisih ini tidak dapat dibedakan dari nol "
                         "(selang kepercayaan 95% {lo} sampai {hi}); {done} warga selesai urusannya pada kedatangan "
                         "pertama dalam semua standar ({baseline}: {base_done}).",
    "sentence_all_noci": "Dengan {policy}, waktu tunggu rata-rata di loket — setiap kunjungan dihitung, yang "
                         "dipulangkan sampai mereka pergi — {pol} menit dibanding {base} menit dengan {baseline} "
                         "(selisih {diff}) dalam satu kali simulasi saja, tanpa selang kepercayaan: ulangi simulasi "
                         "lebih banyak sebelum angka ini dikutip; {done} warga selesai urusannya pada kedatangan "
                         "pertama dalam semua standar ({baseline}: {base_done}).",
    "sentence_station_rise": "Di {label}, {policy} menaikkan waktu tunggu rata-rata per kunjungan dari {base} "
                             "menjadi {pol} menit (selang kepercayaan 95% kenaikan {lo} sampai {hi}), dan {late} "
                             "kunjungan menunggu lebih lama dari standar {target} menit atau berakhir tanpa "
                             "dilayani ({baseline}: {base_late}).",
    "sentence_station_fall": "Di {label}, {policy} menurunkan waktu tunggu rata-rata per kunjungan dari {base} "
                             "menjadi {pol} menit (selang kepercayaan 95% perubahan {lo} sampai {hi}); {late} "
                             "kunjungan menunggu lebih lama dari standar {target} menit atau berakhir tanpa "
                             "dilayani ({baseline}: {base_late}).",
    "sentence_station_same": "Di {label}, hasil simulasi tidak dapat membedakan {policy} dari {baseline} (waktu "
                             "tunggu rata-rata per kunjungan {base} → {pol} menit, selang kepercayaan 95% perubahan "
                             "{lo} sampai {hi}).",
    "sentence_station_noci": "Di {label}, waktu tunggu rata-rata per kunjungan {pol} menit dengan {policy} "
                             "dibanding {base} menit dengan {baseline} (satu kali simulasi: tanpa selang "
                             "kepercayaan); {late} kunjungan menunggu lebih lama dari standar {target} menit atau "
                             "berakhir tanpa dilayani ({baseline}: {base_late}).",
    "sentence_station_nobody": "Di {label}, tidak ada warga yang dilayani dengan {policy}: setiap kunjungan "
                               "berakhir dengan warga dipulangkan.",
    "sentence_not_served": "Dengan {policy}, {n} warga tidak pernah dilayani selama {days} hari kerja simulasi "
                           "({baseline}: {base_n}); {still} warga lagi sudah dipulangkan dan masih akan datang "
                           "kembali ketika periode berakhir ({baseline}: {base_still}).",
    "sentence_trips": "Warga yang dipulangkan datang lagi di hari lain: dengan {policy} mereka melakukan "
                      "{trips} perjalanan tambahan ke kantor selama periode simulasi ({baseline}: {base_trips}), dan "
                      "menghabiskan {hours} jam untuk menunggu dan di perjalanan ({baseline}: {base_hours}).",
    "sentence_standard_met": "Dengan {policy}, setiap loket tetap memanggil minimal {required} kunjungannya dalam "
                             "standar.",
}

STRINGS: dict[str, dict[str, str]] = {"en": EN, "id": ID}


def check_lang(lang: str) -> str:
    """``lang`` if Loket speaks it, else ``ValueError`` naming the languages it does."""
    if lang not in STRINGS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str = "en", **fmt) -> str:
    """The string ``key`` in ``lang``, its ``{placeholders}`` filled from ``fmt``."""
    text = STRINGS[check_lang(lang)][key]
    return text.format(**fmt) if fmt else text


def localized(item, key: str, lang: str = "en") -> str:
    """A scenario's text in the reader's language: ``key`` (``label``, ``description``, a note)
    in English, ``key_id`` (``label_id``, ...) in Bahasa Indonesia.

    ``item`` is a table of the scenario (a dict, as TOML reads it) or a scenario model. A text
    missing (absent or empty) in ``lang`` falls back to the other language's, so a scenario
    written in one language only still reads everywhere; "" when neither is given.
    """
    check_lang(lang)

    def get(name: str) -> str:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        return value if isinstance(value, str) else ""

    own = key if lang == "en" else f"{key}_{lang}"
    others = [key if other == "en" else f"{key}_{other}" for other in LANGS if other != lang]
    return next((text for text in (get(own), *map(get, others)) if text), "")


def fmt_number(x: float, digits: int, lang: str = "en", sign: bool = False) -> str:
    """``x`` with ``digits`` decimals and thousands grouped: ``3,783.5`` in English,
    ``3.783,5`` in Indonesian (decimal comma, thousands point); NaN is an en dash."""
    if x is None or not math.isfinite(float(x)):
        return "–"
    x = float(x)
    if round(x, digits) == 0:
        x = 0.0  # no "-0.0"
    text = f"{x:+,.{digits}f}" if sign else f"{x:,.{digits}f}"
    text = text.replace("-", "−")
    if check_lang(lang) == "id":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def fmt_clock(minute_of_day: float, lang: str = "en") -> str:
    """Minutes after midnight as a time of day: ``13:00`` in English, ``13.00`` in Indonesian.

    ``1440`` is ``24:00``; later minutes (the next day) wrap round.
    """
    m = round(float(minute_of_day))
    if m > 1440:
        m %= 1440
    sep = "." if check_lang(lang) == "id" else ":"
    return f"{m // 60:02d}{sep}{m % 60:02d}"


def fmt_minutes(x: float, lang: str = "en", sign: bool = False) -> str:
    """Minutes as people quote them: one decimal below 10, whole minutes above."""
    digits = 1 if x is not None and math.isfinite(float(x)) and abs(round(float(x), 1)) < 10 else 0
    return fmt_number(x, digits, lang, sign)


def fmt_pct(share: float, lang: str = "en") -> str:
    """A share (0..1) as a percentage; one decimal where rounding would show a false 0 % or 100 %."""
    if share is None or not math.isfinite(float(share)):
        return "–"
    value = 100 * float(share)
    digits = 0
    while digits < 3 and ((0 < value and round(value, digits) == 0) or (value < 100 and round(value, digits) == 100)):
        digits += 1
    return t("pct", lang, value=fmt_number(value, digits, lang))


def join_words(items: list[str], lang: str = "en") -> str:
    """``a``, ``a and b``, ``a, b and c`` (``dan`` in Indonesian)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("list_and", lang) + items[-1]


def weekday_name(weekday: str | int, lang: str = "en", long: bool = False) -> str:
    """``"monday"`` or 0 -> ``"Mon"`` / ``"Sen"`` (``long``: ``"Monday"`` / ``"Senin"``)."""
    key = WEEKDAY_KEYS[weekday % 7] if isinstance(weekday, numbers.Integral) else str(weekday).lower()
    return t(f"weekday_long_{key}" if long else f"weekday_{key}", lang)
