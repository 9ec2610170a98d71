"""Staffing policies: who is at the counter, who works from home, and what they do there.

A scenario lists its policies as ``[policies.<name>]`` tables; the first one is the
baseline the others are compared with (usually everyone in the office)::

    [policies.full_office]                 # empty table: everyone in the office

    [policies.wfh_half]
    wfh_share = { ektp = 0.5 }             # share of the station's staff working from home
    # a number applies every day; a list of 5 numbers is Monday..Friday (a rota)

    [policies.two_home_midweek]
    wfh_officers = { ektp = [0, 1, 1, 1, 0] }   # officers at home: a number, or Monday..Friday

    [policies.fixed]
    staff = { ektp = 2 }                   # on-site staff for a station, instead of its `staff`
    # staff = { ektp = [3, 2, 2, 2, 3] }   # ... or one number per weekday

    [policies.keep_one]
    wfh_share = { ektp = 1.0 }
    min_onsite = { ektp = 1 }              # never fewer than this at the counter

    [policies.online]
    wfh_share = { kk_akta = 0.5 }
    online = { kk_akta = { share = 0.3, speed = 1.0 } }   # 30 % of visits submitted online
    recall = { kk_akta = { queue_at = 15, travel_minutes = 45 } }

**The rounding rule** (one rule, used everywhere): of a station's ``n`` officers
(``staff`` of the policy if given, else the station's ``staff``), ``floor(n x share)`` work
from home and the rest are at the counter — rounding always keeps the extra person at the
counter — and never fewer than ``min_onsite``. With ``wfh_officers`` the number at home is
given directly (at most ``n``), again never leaving fewer than ``min_onsite``. A station
takes either ``wfh_share`` or ``wfh_officers``, not both. Officers of the station who are not at the
counter (``station.staff - on_site``, if positive) work from home; they process the
station's online requests and can be recalled. The resulting on-site counts per weekday
are written into ``scenario.resolved.toml`` as each policy's ``onsite`` key.

**Online channel**: a visit to the station is submitted online with probability
``share`` (the same citizens at any share: each visit carries its own uniform draw). The
officers working from home handle online requests first come, first served, during
opening hours, taking ``service / speed`` minutes each. An online request completes the
citizen's business on that trip: they do not go on to later stations. Stations marked
``in_person_only = true`` (biometric recording, a doctor's examination) refuse ``online``.

**Recall on surge**: when a citizen joins a queue of ``queue_at`` or more waiting at the
station, one officer working from home is called in; they start serving
``travel_minutes`` later and stay for the rest of that day. While one is on the way no other
is called; when they arrive and the queue is still long the next citizen to join triggers
another, until nobody is left at home.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import numpy as np
from pydantic import Field

from ._validation import Frozen, KeyPathError

if TYPE_CHECKING:  # pragma: no cover
    from .calendar import OfficeCalendar
    from .scenario import Scenario

__all__ = ["WEEKDAYS", "OnlineChannel", "Recall", "StaffingPolicy", "StaffingPlan", "staffing_plan", "onsite_staff",
           "nobody_home_warnings"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")

Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Officers = Annotated[int, Field(ge=0, le=10_000)]


def _on(value, weekday: int):
    """A per-policy setting on a weekday: the number itself, or the weekday's entry of a rota."""
    return value[weekday] if isinstance(value, tuple) else value


class OnlineChannel(Frozen):
    """A share of a station's visits handled online by officers working from home."""

    share: Share
    speed: float = Field(1.0, gt=0, allow_inf_nan=False)
    """How much faster (> 1) or slower (< 1) an online request is than a counter visit."""


class Recall(Frozen):
    """Call an officer in from home when the queue gets long."""

    queue_at: int = Field(ge=1)
    travel_minutes: float = Field(ge=0, allow_inf_nan=False)


class StaffingPolicy(Frozen):
    """One staffing arrangement (see the module docstring for every key)."""

    label: str = ""
    """How charts and the report name the policy (default: ``label_id``, else its name), e.g. "Half at home"."""
    label_id: str = ""
    """The name in Bahasa Indonesia, for Indonesian charts and reports (else ``label``): "Separuh di rumah"."""
    wfh_share: dict[str, Share | tuple[Share, ...]] = Field(default_factory=dict)
    wfh_officers: dict[str, Officers | tuple[Officers, ...]] = Field(default_factory=dict)
    """Officers of the station working from home: a number every day, or one per weekday."""
    staff: dict[str, Officers | tuple[Officers, ...]] = Field(default_factory=dict)
    """Officers of the station under this policy (instead of its ``staff``): a number, or one per weekday."""
    min_onsite: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    online: dict[str, OnlineChannel] = Field(default_factory=dict)
    recall: dict[str, Recall] = Field(default_factory=dict)
    onsite: dict[str, tuple[int, ...]] = Field(default_factory=dict)
    """Computed: on-site staff per station, Monday..Friday. Optional on input, where it
    must agree with the other keys (so a resolved scenario reads back unchanged)."""

    def label_in(self, lang: str) -> str:
        """The policy's name for a reader of ``lang`` (see :func:`simulation.strings.localized`)."""
        from .strings import localized

        return localized(self, "label", lang)

    def share_on(self, station: str, weekday: int) -> float:
        """Work-from-home share at ``station`` on a weekday (0 = Monday)."""
        return _on(self.wfh_share.get(station, 0.0), weekday)

    def staff_on(self, station: str, weekday: int) -> int | None:
        """The policy's own number of officers at ``station`` on a weekday, or None (the station's)."""
        return _on(self.staff[station], weekday) if station in self.staff else None

    def onsite_for(self, station: str, weekday: int, rostered: int) -> int:
        """Officers at the counter out of ``rostered`` on a weekday: the rounding rule.

        ``floor(rostered x share)`` (or ``wfh_officers``, at most ``rostered``) work from
        home; never fewer than ``min_onsite`` stay, and ``min_onsite`` cannot put more at the
        counter than are rostered.
        """
        if station in self.wfh_officers:
            at_home = min(_on(self.wfh_officers[station], weekday), rostered)
        else:
            at_home = math.floor(rostered * self.share_on(station, weekday) + 1e-9)
        return max(rostered - at_home, min(self.min_onsite.get(station, 0), rostered))


def onsite_count(full: int, share: float, min_onsite: int) -> int:
    """The rounding rule for a share: ``floor(full x share)`` work from home, never fewer than ``min_onsite`` stay."""
    return StaffingPolicy(wfh_share={"s": share}, min_onsite={"s": min_onsite}).onsite_for("s", 0, full)


def onsite_staff(policy: StaffingPolicy, station, week_length: int = 5) -> tuple[int, ...]:
    """On-site officers at ``station`` on each weekday (Monday first) under ``policy``.

    For the station's full ``staff`` (or the policy's ``staff`` override); with a roster
    the same rule applies to each hour's rostered number.
    """
    out = []
    for d in range(week_length):
        base = policy.staff_on(station.name, d)
        out.append(policy.onsite_for(station.name, d, station.staff if base is None else base))
    return tuple(out)


def nobody_home(scenario: Scenario, policies: Sequence[str] | None = None) -> list[dict]:
    """Policies that name a station for working from home but, after rounding, send nobody home there.

    One record per policy and station: ``policy``, ``station`` (names), ``share`` (its
    ``wfh_share``, or None when ``wfh_officers`` is 0 on every day) and ``staff``. Only the
    policies in ``policies``, if given.
    """
    out = []
    for pname, policy in scenario.policies.items():
        if policies is not None and pname not in policies:
            continue
        for station in scenario.stations:
            if station.name not in policy.wfh_share and station.name not in policy.wfh_officers:
                continue
            rostered = {station.staff, *(station.roster or ())}
            present = [({own} if (own := policy.staff_on(station.name, d)) is not None else rostered)
                       for d in range(scenario.week_length)]
            sends = any(policy.onsite_for(station.name, d, n) < n for d, ns in enumerate(present) for n in ns)
            if not sends:
                out.append({"policy": pname, "station": station.name, "share": policy.wfh_share.get(station.name),
                            "staff": station.staff})
    return out


def nobody_home_text(record: dict, scenario: Scenario, lang: str = "en", labels: bool = False) -> str:
    """A :func:`nobody_home` record in a sentence, in ``lang``: policy and station by their names
    in the file with a hint in TOML (the console), or with ``labels`` by their labels in
    ``lang`` and no hint."""
    from .strings import fmt_pct, t

    share, name = record["share"], record["station"]
    if share is None:
        how = t("warn_nobody_home_zero", lang)
    else:
        shares = share if isinstance(share, tuple) else (share,)
        text = "/".join(fmt_pct(x, lang) for x in shares) if labels else f"wfh_share {share}"
        how = t("warn_nobody_home_share", lang, share=text, staff=record["staff"])
    if labels:
        station = next(s for s in scenario.stations if s.name == name)
        names = (scenario.policies[record["policy"]].label_in(lang), station.label_in(lang))
    else:
        names = (record["policy"], name)
    hint = "" if labels else t("warn_nobody_home_hint", lang, toml_key="wfh_officers", station=name)
    return t("warn_nobody_home", lang, policy=t("warn_name", lang, name=names[0]),
             station=t("warn_name", lang, name=names[1]), how=how) + hint


def nobody_home_warnings(scenario: Scenario, policies: Sequence[str] | None = None, lang: str = "en",
                         labels: bool = False) -> list[str]:
    """:func:`nobody_home` in sentences (:func:`nobody_home_text`)."""
    return [nobody_home_text(r, scenario, lang, labels) for r in nobody_home(scenario, policies)]


def check_policies(scenario: Scenario) -> None:
    """Cross-checks of every policy against the stations; fills in each policy's ``onsite``."""
    stations = {s.name: s for s in scenario.stations}
    names = list(stations)
    for pname, policy in scenario.policies.items():
        where = ("policies", pname)
        week = scenario.week_length
        days = "Monday..Friday" if week == 5 else "Monday..Sunday (the office opens at weekends)"
        for key, what in (("wfh_share", "shares"), ("wfh_officers", "numbers of officers"),
                          ("staff", "numbers of officers")):
            for station, value in getattr(policy, key).items():
                if isinstance(value, tuple) and len(value) != week:
                    raise KeyPathError(where + (key, station), f"a rota needs {week} {what}, {days}; "
                                       f"got {len(value)}")
        for key in ("wfh_share", "wfh_officers", "staff", "min_onsite", "online", "recall", "onsite"):
            for station in getattr(policy, key):
                if station not in stations:
                    raise KeyPathError(where + (key, station), f"names no station: {station!r}; stations are {names}")
        for station, value in policy.wfh_officers.items():
            if station in policy.wfh_share:
                raise KeyPathError(where + ("wfh_officers", station), "give either wfh_share or wfh_officers for "
                                   "a station, not both")
            most = max(value) if isinstance(value, tuple) else value
            full = max([stations[station].staff, *(stations[station].roster or ())])
            if policy.staff.get(station) is not None:
                s_val = policy.staff[station]
                full = max(s_val) if isinstance(s_val, tuple) else s_val
            if most > full:
                raise KeyPathError(where + ("wfh_officers", station), f"{most} officers at home but the station has "
                                   f"only {full}")
        for station, n in policy.min_onsite.items():
            if n > stations[station].staff:
                raise KeyPathError(
                    where + ("min_onsite", station),
                    f"min_onsite ({n}) is more than the station's staff ({stations[station].staff})",
                )
        computed = {s.name: onsite_staff(policy, s, week) for s in scenario.stations}
        for station, given in policy.onsite.items():
            if tuple(given) != computed[station]:
                raise KeyPathError(
                    where + ("onsite", station),
                    f"onsite is computed from staff, wfh_share and min_onsite ({list(computed[station])}); "
                    "remove it or make it agree",
                )
        for station, channel in policy.online.items():
            st = stations[station]
            if st.in_person_only:
                raise KeyPathError(
                    where + ("online", station), f"station {station!r} is in_person_only: it cannot be served online"
                )
            at_home = [st.staff - n for n in computed[station]]
            if channel.share > 0 and max(at_home) <= 0:
                raise KeyPathError(
                    where + ("online", station),
                    "nobody works from home at this station under this policy, so no one would handle online requests",
                )
        object.__setattr__(policy, "onsite", computed)
        if not policy.label:
            object.__setattr__(policy, "label", policy.label_id or pname)


@dataclass(frozen=True)
class StaffingPlan:
    """A policy laid onto the calendar: officers per working day, hour from opening and station."""

    name: str
    hourly_onsite: np.ndarray  # (days, hours, stations) officers at the counter
    hourly_at_home: np.ndarray  # (days, hours, stations) officers of the station working from home
    online_share: np.ndarray  # (stations,) 0 = no online channel
    online_speed: np.ndarray  # (stations,)
    recall_at: np.ndarray  # (stations,) queue length that triggers a recall; 0 = none
    recall_travel: np.ndarray  # (stations,) minutes

    @property
    def onsite(self) -> np.ndarray:
        """(days, stations): officers at the counter at each day's opening."""
        return self.hourly_onsite[:, 0, :]

    @property
    def at_home(self) -> np.ndarray:
        """(days, stations): officers working from home at each day's opening."""
        return self.hourly_at_home[:, 0, :]

    @classmethod
    def fixed(cls, onsite: np.ndarray, name: str = "baseline") -> StaffingPlan:
        """Everyone at the counter, ``onsite`` as (days, stations) or (days, hours, stations)."""
        hourly = onsite if onsite.ndim == 3 else onsite[:, None, :]
        n = hourly.shape[2]
        return cls(name, hourly.astype(np.int64), np.zeros_like(hourly, dtype=np.int64), np.zeros(n), np.ones(n),
                   np.zeros(n, dtype=np.int64), np.zeros(n))


def staffing_plan(scenario: Scenario, name: str, calendar: OfficeCalendar) -> StaffingPlan:
    """Officers at the counter and at home under policy ``name``, for every working day and hour.

    Each hour's rostered number (the station's ``roster``, else its ``staff``; a policy's
    ``staff`` override replaces both) goes through the rounding rule with the day's share.
    """
    policy = scenario.staffing_policies()[name]
    hours = scenario.hours_open
    days = calendar.days
    n = len(scenario.stations)
    onsite = np.zeros((days, hours, n), dtype=np.int64)
    at_home = np.zeros((days, hours, n), dtype=np.int64)
    for j, st in enumerate(scenario.stations):
        rostered = np.asarray(st.roster if st.roster is not None else [st.staff] * hours, dtype=np.int64)
        for weekday in np.unique(calendar.weekdays):
            wd = int(weekday)
            if wd >= scenario.week_length:  # pragma: no cover - a 5-day week never opens at weekends
                counts = rostered
            else:
                own = policy.staff_on(st.name, wd)
                present = rostered if own is None else np.full(hours, own)
                counts = np.array([policy.onsite_for(st.name, wd, int(x)) for x in present])
            rows = calendar.weekdays == weekday
            onsite[rows, :, j] = counts
            at_home[rows, :, j] = np.maximum(rostered - counts, 0)
    names = scenario.station_names
    return StaffingPlan(
        name=name,
        hourly_onsite=onsite,
        hourly_at_home=at_home,
        online_share=np.array([policy.online[n].share if n in policy.online else 0.0 for n in names]),
        online_speed=np.array([policy.online[n].speed if n in policy.online else 1.0 for n in names]),
        recall_at=np.array([policy.recall[n].queue_at if n in policy.recall else 0 for n in names]),
        recall_travel=np.array([policy.recall[n].travel_minutes if n in policy.recall else 0.0 for n in names]),
    )
