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

__all__ = ["LANGS", "STRINGS", "check_lang", "fmt_clock", "fmt_minutes", "fmt_number", "fmt_pct", "t", "weekday_name"]

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
    "report_title": "Loket report: {name}",
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
    "exec_policy": "{policy}: {n} citizens in {days} working days would never be served — sent home, they gave "
                   "up or had already come {trips} times (with {baseline}: {base_n}); {done} of citizens would "
                   "have their business done on the first trip within the service standard (with {baseline}: "
                   "{base_done}); the mean "
                   "wait at the counters would be {wait} minutes (with {baseline}: {base_wait}), and citizens would "
                   "lose {hours} hours waiting and travelling (with {baseline}: {base_hours}).",
    "exec_hardest_hit": "Hardest hit under {policy}: {label}, where the mean wait per visit rises from {base} to "
                        "{pol} minutes and {late} of visits are not called within the standard ({baseline}: "
                        "{base_late}).",
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
    "report_title": "Laporan Loket: {name}",
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
    "exec_policy": "{policy}: {n} warga dalam {days} hari kerja tidak akan pernah dilayani — setelah dipulangkan, "
                   "mereka menyerah atau sudah datang {trips} kali (dengan {baseline}: {base_n}); {done} warga "
                   "selesai urusannya pada "
                   "kedatangan pertama dalam standar pelayanan (dengan {baseline}: {base_done}); waktu tunggu "
                   "rata-rata di loket menjadi {wait} menit (dengan {baseline}: {base_wait}), dan warga kehilangan "
                   "{hours} jam untuk menunggu dan di perjalanan (dengan {baseline}: {base_hours}).",
    "exec_hardest_hit": "Paling terdampak dengan {policy}: {label}, tempat waktu tunggu rata-rata per kunjungan naik "
                        "dari {base} menjadi {pol} menit dan {late} kunjungan tidak dipanggil dalam standar "
                        "({baseline}: {base_late}).",
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


def weekday_name(weekday: str | int, lang: str = "en", long: bool = False) -> str:
    """``"monday"`` or 0 -> ``"Mon"`` / ``"Sen"`` (``long``: ``"Monday"`` / ``"Senin"``)."""
    key = WEEKDAY_KEYS[weekday % 7] if isinstance(weekday, numbers.Integral) else str(weekday).lower()
    return t(f"weekday_long_{key}" if long else f"weekday_{key}", lang)
