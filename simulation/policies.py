"""Staffing policies: who is at the counter, who works from home, and what they do there.

A scenario lists its policies as ``[policies.<name>]`` tables; the first one is the
baseline the others are compared with (usually everyone in the office)::

    [policies.full_office]                 # empty table: everyone in the office

    [policies.wfh_half]
    wfh_share = { ektp = 0.5 }             # share of the station's staff working from home
    # a number applies every day; a list of 5 numbers is Monday..Friday (a rota)

    [policies.fixed]
    staff = { ektp = 2 }                   # on-site staff for a station, instead of its `staff`

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
counter — and never fewer than ``min_onsite``. Officers of the station who are not at the
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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import numpy as np
from pydantic import Field

from ._validation import Frozen, KeyPathError

if TYPE_CHECKING:  # pragma: no cover
    from .calendar import OfficeCalendar
    from .scenario import Scenario

__all__ = ["WEEKDAYS", "OnlineChannel", "Recall", "StaffingPolicy", "StaffingPlan", "staffing_plan", "onsite_staff"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")

Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


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
    """How charts and the report name the policy (default: its name), e.g. "Half the staff at home"."""
    wfh_share: dict[str, Share | tuple[Share, ...]] = Field(default_factory=dict)
    staff: dict[str, Annotated[int, Field(ge=0, le=10_000)]] = Field(default_factory=dict)
    min_onsite: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    online: dict[str, OnlineChannel] = Field(default_factory=dict)
    recall: dict[str, Recall] = Field(default_factory=dict)
    onsite: dict[str, tuple[int, ...]] = Field(default_factory=dict)
    """Computed: on-site staff per station, Monday..Friday. Optional on input, where it
    must agree with the other keys (so a resolved scenario reads back unchanged)."""

    def share_on(self, station: str, weekday: int) -> float:
        """Work-from-home share at ``station`` on a weekday (0 = Monday)."""
        share = self.wfh_share.get(station, 0.0)
        return share[weekday] if isinstance(share, tuple) else share


def onsite_count(full: int, share: float, min_onsite: int) -> int:
    """The rounding rule: ``floor(full x share)`` work from home, never fewer than ``min_onsite`` stay.

    ``min_onsite`` cannot put more officers at the counter than are rostered (``full``).
    """
    at_home = math.floor(full * share + 1e-9)
    return max(full - at_home, min(min_onsite, full))


def onsite_staff(policy: StaffingPolicy, station, week_length: int = 5) -> tuple[int, ...]:
    """On-site officers at ``station`` on each weekday (Monday first) under ``policy``.

    For the station's full ``staff`` (or the policy's ``staff`` override); with a roster
    the same rule applies to each hour's rostered number.
    """
    base = policy.staff.get(station.name, station.staff)
    floor_ = policy.min_onsite.get(station.name, 0)
    return tuple(onsite_count(base, policy.share_on(station.name, d), floor_) for d in range(week_length))


def check_policies(scenario: "Scenario") -> None:
    """Cross-checks of every policy against the stations; fills in each policy's ``onsite``."""
    stations = {s.name: s for s in scenario.stations}
    names = list(stations)
    for pname, policy in scenario.policies.items():
        where = ("policies", pname)
        week = scenario.week_length
        for station, share in policy.wfh_share.items():
            if isinstance(share, tuple) and len(share) != week:
                days = "Monday..Friday" if week == 5 else "Monday..Sunday (the office opens at weekends)"
                raise KeyPathError(where + ("wfh_share", station), f"a rota needs {week} shares, {days}; "
                                   f"got {len(share)}")
        for key in ("wfh_share", "staff", "min_onsite", "online", "recall", "onsite"):
            for station in getattr(policy, key):
                if station not in stations:
                    raise KeyPathError(where + (key, station), f"names no station: {station!r}; stations are {names}")
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
            object.__setattr__(policy, "label", pname)


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
    def fixed(cls, onsite: np.ndarray, name: str = "baseline") -> "StaffingPlan":
        """Everyone at the counter, ``onsite`` as (days, stations) or (days, hours, stations)."""
        hourly = onsite if onsite.ndim == 3 else onsite[:, None, :]
        n = hourly.shape[2]
        return cls(name, hourly.astype(np.int64), np.zeros_like(hourly, dtype=np.int64), np.zeros(n), np.ones(n),
                   np.zeros(n, dtype=np.int64), np.zeros(n))


def staffing_plan(scenario: "Scenario", name: str, calendar: "OfficeCalendar") -> StaffingPlan:
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
        present = np.full(hours, policy.staff[st.name]) if st.name in policy.staff else rostered
        floor_ = policy.min_onsite.get(st.name, 0)
        for weekday in np.unique(calendar.weekdays):
            share = policy.share_on(st.name, int(weekday)) if weekday < scenario.week_length else 0.0
            counts = np.array([onsite_count(int(x), share, floor_) for x in present])
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
