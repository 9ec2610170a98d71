"""Scenario files: what office is simulated, how busy it is and how it is staffed.

A planner describes an office in a TOML file (see ``scenarios/`` and the README for every
key). :func:`load_scenario` reads it into a frozen, fully validated :class:`Scenario`;
anything wrong with the file — a typo in a key, a negative staff count, a ``next`` that
names no station — raises :class:`ScenarioError`, whose message names the file, the key
path and what is wrong. A scenario, once built, never changes: variants are new objects
(:meth:`Scenario.with_run`).

Time of day is written ``"HH:MM"``. Inside the simulation the clock counts minutes since
the first opening of the first simulated day.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from . import limits
from ._validation import DAY_NAMES, DayName, Label, Minutes, Text, check_plain_text, one_line, shorten
from ._validation import Frozen as _Frozen
from ._validation import KeyPathError as _KeyError
from .distributions import Distribution
from .policies import StaffingPolicy, check_policies, nobody_home, nobody_home_text
from .strings import localized

__all__ = [
    "Scenario",
    "RunSettings",
    "Station",
    "ArrivalStream",
    "ScenarioError",
    "load_scenario",
    "loads_scenario",
    "parse_scenario",
    "scenario_to_toml",
    "clock_minutes",
]

MINUTES_PER_DAY = 1440
MAX_CITIZENS = limits.MAX_CITIZENS  # per replication: far beyond any real office, small enough for memory


class ScenarioError(Exception):
    """A scenario that cannot be run, with one line per problem: ``file: key.path: what is wrong``."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem; control characters (a newline in a name) are shown escaped."""
        return [one_line(f"{self.source}: {path + ': ' if path else ''}{msg}") for path, msg in self.problems]


# ---------------------------------------------------------------------------------------
# Small value types

_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def clock_minutes(text: str) -> int:
    """``"07:30"`` -> 450 (minutes after midnight); ``"24:00"`` -> 1440."""
    m = _CLOCK.match(text)
    if not m:
        raise ValueError(f'expected a time of day "HH:MM", got {text!r}')
    minutes = int(m.group(1)) * 60 + int(m.group(2))
    if minutes > MINUTES_PER_DAY:
        raise ValueError(f"time of day {text!r} is after 24:00")
    return minutes


def _check_clock(text: str) -> str:
    clock_minutes(text)
    return text


ClockTime = Annotated[str, AfterValidator(_check_clock)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$", max_length=64)]
StreamName = Annotated[str, Field(pattern=r"^([A-Za-z0-9_][A-Za-z0-9_\-]*)?$", max_length=64)]
PolicyName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", max_length=64)]
NoteText = Annotated[str, Field(max_length=400), AfterValidator(check_plain_text)]
"""A note on a figure (``[notes]``): one line of plain text."""


def _check_rates(value):
    """An hourly rate or a list of them: finite numbers, none negative."""

    def one(x, where):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise _KeyError(where, f"must be a number of arrivals per hour (got {x!r})")
        if isinstance(x, int) and abs(x) > limits.MAX_INT:
            raise _KeyError(where, f"must be a rate of 0 to {limits.MAX_RATE_PER_HOUR:g} arrivals per hour "
                            f"(got a number of {len(str(abs(x)))} digits)")
        if not math.isfinite(x) or x < 0:
            raise _KeyError(where, f"must be a rate of 0 or more arrivals per hour (got {_toml(x)})")
        if x > limits.MAX_RATE_PER_HOUR:
            raise _KeyError(where, f"must be at most {limits.MAX_RATE_PER_HOUR:g} arrivals per hour (got {_toml(x)})")
        return float(x)

    if isinstance(value, (list, tuple)):
        if not value:
            raise _KeyError((), "needs at least one hourly rate")
        return tuple(one(x, (i,)) for i, x in enumerate(value))
    return one(value, ())


# ---------------------------------------------------------------------------------------
# The scenario


class RunSettings(_Frozen):
    """How long to simulate, the office hours, and how many replications."""

    days: int = Field(5, ge=1, le=limits.MAX_DAYS)
    """Working days simulated, one continuous clock across days."""
    open: ClockTime = "08:00"
    """Opening time of every day."""
    close: ClockTime = "16:00"
    """No new arrivals after this time; ``"24:00"`` allowed."""
    after_close: Literal["serve", "turn_away"] = "serve"
    """``serve``: staff finish everyone already waiting; ``turn_away``: they are sent home."""
    replications: int = Field(30, ge=1, le=limits.MAX_REPLICATIONS)
    seed: int = Field(42, ge=0, le=limits.MAX_SEED)
    warmup_minutes: float = Field(0.0, ge=0, allow_inf_nan=False)
    """Visits arriving before this (minutes since the first opening) are left out of statistics."""
    start_weekday: DayName = "monday"
    """Weekday of the first simulated day. Without a [calendar], simulated days run
    Monday..Friday, week after week; with one, they follow the calendar week."""

    @property
    def open_minute(self) -> int:
        return clock_minutes(self.open)

    @property
    def close_minute(self) -> int:
        return clock_minutes(self.close)

    @property
    def hours_open(self) -> int:
        """Number of (possibly partial) clock hours from opening to closing."""
        return math.ceil((self.close_minute - self.open_minute) / 60)

    @property
    def continuous(self) -> bool:
        """A 24-hour office: one day's close is the next day's opening, the queue carries on."""
        return self.open_minute == 0 and self.close_minute == MINUTES_PER_DAY

    @model_validator(mode="after")
    def _close_after_open(self):
        if self.close_minute <= self.open_minute:
            raise _KeyError(("close",), f"close ({self.close}) must be later than open ({self.open})")
        return self


class Break(_Frozen):
    """A pause when counters stop calling citizens (those being served are finished)."""

    days: tuple[DayName, ...] = DAY_NAMES
    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _ordered(self):
        if clock_minutes(self.end) <= clock_minutes(self.start):
            raise _KeyError(("end",), f"end ({self.end}) must be later than start ({self.start})")
        return self


class CalendarSettings(_Frozen):
    """The office week: open days, hours per weekday, breaks, demand by weekday, holidays.

    Without a ``[calendar]`` table every simulated day is a working day with the ``[run]``
    hours, one after the other. With it, simulated days follow the week from
    ``run.start_weekday``: closed days (weekends, holidays) pass on the clock with no
    service, and ``run.days`` counts the working days.
    """

    open_days: tuple[DayName, ...] = DAY_NAMES[:5]
    hours: dict[DayName, tuple[ClockTime, ClockTime]] = Field(default_factory=dict)
    """Opening and closing time for some weekdays (the others use ``[run]`` open/close)."""
    breaks: tuple[Break, ...] = ()
    demand: dict[DayName, Annotated[float, Field(ge=0, allow_inf_nan=False)]] = Field(default_factory=dict)
    """Arrival-rate multiplier per weekday (1 if not given)."""
    holidays: tuple[Annotated[int, Field(ge=1, le=10 * limits.MAX_DAYS)], ...] = ()
    """Closed days, numbered as calendar days from the first simulated day (1 = that day)."""

    @model_validator(mode="after")
    def _checks(self):
        if not self.open_days:
            raise _KeyError(("open_days",), "the office must open on at least one weekday")
        for day, (o, c) in self.hours.items():
            if clock_minutes(c) <= clock_minutes(o):
                raise _KeyError(("hours", day), f"closing time ({c}) must be later than opening time ({o})")
        return self


class Station(_Frozen):
    """A service point: a pool of identical counters, each staffed by one officer."""

    name: Identifier
    label: Label = ""
    """Human name for charts and tables; defaults to ``label_id``, else ``name``."""
    label_id: Label = ""
    """The name in Bahasa Indonesia, for Indonesian charts and reports (else ``label``)."""
    staff: int = Field(ge=0, le=10_000)
    """Counters staffed when everyone is in the office."""
    service: Distribution
    """Service time per citizen, minutes."""
    target_wait_minutes: Minutes = 30.0
    """The service standard: a citizen should start being served within this many minutes."""
    next: dict[Identifier, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    """Routing: probability of going on to each other station after service; the rest leave."""
    in_person_only: bool = False
    """The service needs the citizen in person (biometric recording, a doctor): no online channel."""
    patience: Distribution | None = None
    """How long each citizen is willing to wait here; when it runs out unserved they leave (``reneged``)."""
    balk_at_queue: int | None = Field(None, ge=1)
    """A citizen who finds this many or more waiting leaves at once (``balked``)."""
    balk_at_wait_minutes: float | None = Field(None, gt=0, le=limits.MAX_MINUTES, allow_inf_nan=False)
    """A citizen leaves at once (``balked``) if the displayed expected wait — people waiting
    ahead plus one, times the mean service time, divided by the officers at the counter — is
    at least this long."""
    roster: tuple[Annotated[int, Field(ge=0, le=10_000)], ...] | None = None
    """Officers rostered at the counters in each hour from opening (a shift pattern);
    without it, ``staff`` all day. Work-from-home shares apply on top, hour by hour."""
    daily_quota: int | None = Field(None, ge=0)
    """At most this many queue numbers a day; citizens beyond it are sent home (``turned_away``)."""

    @model_validator(mode="after")
    def _defaults_and_sums(self):
        if not self.label:
            object.__setattr__(self, "label", self.label_id or self.name)
        total = sum(self.next.values())
        if total > 1 + 1e-9:
            raise _KeyError(("next",), f"probabilities add up to {total:g}, more than 1")
        return self

    def label_in(self, lang: str) -> str:
        """The station's name for a reader of ``lang`` (see :func:`simulation.strings.localized`)."""
        return localized(self, "label", lang)


GENERAL_CLASS = "umum"
GENERAL_PRIORITY = 9


class CitizenClass(_Frozen):
    """Citizens served before others (non-preemptively): elderly, disabled, pregnant women."""

    name: Identifier
    share: float = Field(ge=0, le=1)
    """Share of the stream's citizens in this class."""
    priority: int = Field(0, ge=0, le=8)
    """Lower is served first; everyone else (``umum``) has priority 9."""


class ArrivalStream(_Frozen):
    """Citizens who come to the office for one service, arriving at hour-of-day rates."""

    station: Identifier
    """The first station these citizens visit."""
    per_hour: float | tuple[float, ...]
    """Arrivals per hour: one number for every open hour, or one per hour from opening."""
    name: StreamName = ""
    """Names the stream in outputs; defaults to the station's name (numbered if repeated)."""
    travel: Distribution | None = None
    """One-way travel time to the office, minutes (counted twice per trip in citizen-hours lost)."""
    return_probability: float = Field(0.0, ge=0, le=1)
    """A citizen sent home unserved (turned away, over quota, balked, reneged) comes back the
    next working day with this probability, at the same time after opening."""
    max_trips: int = Field(3, ge=1, le=20)
    """Trips a citizen makes at most, the first included."""
    classes: tuple[CitizenClass, ...] = ()
    """Priority classes among these citizens (e.g. lansia); the rest are ``umum`` (priority 9)."""

    @model_validator(mode="after")
    def _class_shares(self):
        total = sum(c.share for c in self.classes)
        if total > 1 + 1e-9:
            raise _KeyError(("classes",), f"class shares add up to {total:g}, more than 1")
        names = [c.name for c in self.classes]
        if len(set(names)) != len(names) or GENERAL_CLASS in names:
            raise _KeyError(("classes",), f"class names must be distinct and not {GENERAL_CLASS!r}")
        return self

    @field_validator("per_hour", mode="before")
    @classmethod
    def _rates(cls, value):
        return _check_rates(value)


class Scenario(_Frozen):
    """One office, its demand and its staffing: everything a run needs besides the seed."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", max_length=100)]
    office: Label = ""
    """The office as a reader knows it ("Dukcapil Kota Bengkulu"), for report titles and the city
    chart; default: the name with spaces for underscores (:attr:`office_name`)."""
    city: Label = ""
    """The city the office serves ("Kota Bengkulu"): ``loket city`` names it in its report's title
    when every office gives the same one."""
    description: Text = ""
    """What the office is and what the scenario compares, in English (else ``description_id``)."""
    description_id: Text = ""
    """The description in Bahasa Indonesia, for Indonesian charts and reports (else ``description``)."""
    lang: Literal["en", "id"] = "en"
    """Language of charts and the report: English or Bahasa Indonesia (``--lang`` overrides)."""
    run: RunSettings = Field(default_factory=RunSettings)
    calendar: CalendarSettings | None = None
    """The office week; without it every simulated day is a working day with the [run] hours."""
    stations: tuple[Station, ...] = Field(min_length=1)
    arrivals: tuple[ArrivalStream, ...] = Field(min_length=1)
    policies: dict[PolicyName, StaffingPolicy] = Field(default_factory=dict)
    """Staffing policies to compare; the first is the baseline. None given: one, ``baseline``."""
    notes: dict[str, NoteText] = Field(default_factory=dict)
    """Notes on figures, by dotted key (``"stations.ektp.staff" = "estimate, ..."``); a note that
    says *estimate* marks its figure as one in the report (see :mod:`simulation.notes`)."""
    notes_id: dict[str, NoteText] = Field(default_factory=dict)
    """The same notes in Bahasa Indonesia, by the same dotted keys, for Indonesian reports; a
    figure without one here is shown with its ``[notes]`` note, and the other way round."""
    _origin: Any = PrivateAttr(default=None)
    """The file read and the overrides applied since (:func:`simulation.overrides.origin`)."""

    def __eq__(self, other: object) -> bool:
        """Scenarios are equal when their contents are, wherever they were read from."""
        if not isinstance(other, Scenario):
            return NotImplemented
        # Notes say where figures come from; they change nothing that is simulated.
        mine, theirs = dict(self.__dict__), dict(other.__dict__)
        for key in ("notes", "notes_id"):
            mine.pop(key, None)
            theirs.pop(key, None)
        return type(self) is type(other) and mine == theirs

    # -- cross-checks that need the whole file --------------------------------------
    @model_validator(mode="after")
    def _cross_checks(self):
        names = [s.name for s in self.stations]
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                raise _KeyError(("stations", i, "name"), f"station {name!r} is defined twice")
            seen.add(name)
        for i, st in enumerate(self.stations):
            for target in st.next:
                if target not in seen:
                    raise _KeyError(("stations", i, "next", target), _no_station(target, names))
        hours = self.hours_open
        span = f"{self.run.open}-{self.run.close}" if self.calendar is None else "on its longest day"
        if self.calendar is None and self.run.start_weekday in ("saturday", "sunday"):
            raise _KeyError(("run", "start_weekday"), "without a [calendar] table simulated days run Monday..Friday; "
                            "add [calendar] open_days to simulate weekends")
        if self.calendar is not None:
            for j, br in enumerate(self.calendar.breaks):
                for day in br.days:
                    o, c = self.day_hours(day)
                    if not (o <= clock_minutes(br.start) and clock_minutes(br.end) <= c):
                        raise _KeyError(("calendar", "breaks", j), f"the break {br.start}-{br.end} is outside "
                                        f"the opening hours on {day}")
        for i, st in enumerate(self.stations):
            if st.roster is not None and len(st.roster) != hours:
                raise _KeyError(("stations", i, "roster"), f"has {len(st.roster)} hourly staff numbers but the "
                                f"office is open {hours} hours ({span}); give one per hour")
        stream_names: list[str] = []
        for i, arr in enumerate(self.arrivals):
            if arr.station not in seen:
                raise _KeyError(("arrivals", i, "station"), _no_station(arr.station, names))
            if isinstance(arr.per_hour, tuple) and len(arr.per_hour) != hours:
                raise _KeyError(
                    ("arrivals", i, "per_hour"),
                    f"has {len(arr.per_hour)} hourly rates but the office is open {hours} hours "
                    f"({span}); give one rate per hour or a single number",
                )
            base = arr.name or arr.station
            name = base if base not in stream_names else f"{base}_{i + 1}"
            extra = 1
            while name in stream_names:  # the numbered name is taken too (walkin, walkin_3, walkin)
                extra += 1
                name = f"{base}_{i + 1}_{extra}"
            stream_names.append(name)
            if name != arr.name:
                object.__setattr__(arr, "name", name)
        for pname, policy in self.policies.items():
            for key in ("label", "label_id"):
                text = getattr(policy, key)
                if not text:
                    continue
                if len(text) > limits.MAX_LABEL:
                    raise _KeyError(("policies", pname, key),
                                    f"must be at most {limits.MAX_LABEL} characters (got {len(text):,})")
                try:
                    check_plain_text(text)
                except ValueError as exc:
                    raise _KeyError(("policies", pname, key), str(exc)) from None
        self._check_routing_ends()
        check_policies(self)
        if self.notes or self.notes_id:
            from .notes import note_key_problem

            data = self.model_dump(by_alias=True, mode="json", exclude_none=True)
            for table in ("notes", "notes_id"):
                for key in getattr(self, table):
                    problem = note_key_problem(data, key) if len(key) <= 300 else "a key of at most 300 characters"
                    if problem:
                        raise _KeyError((table, key), problem)
        self._check_size()
        return self

    def _check_size(self) -> None:
        # A typo such as per_hour = 2e9, days = 90000 or next = { desk = 0.999 } should be an
        # error, not a frozen machine (see simulation.limits).
        per_visit = limits.visits_per_citizen(self.routing_matrix())
        for i, (st, v) in enumerate(zip(self.stations, per_visit)):
            if v > limits.MAX_VISITS_PER_CITIZEN:
                loops = f"about {v:,.0f}" if math.isfinite(v) else "endless"
                raise _KeyError(("stations", i, "next"), f"a citizen at {st.name!r} would make {loops} visits on "
                                f"average before leaving (routing loops via 'next'); the limit is "
                                f"{limits.MAX_VISITS_PER_CITIZEN:g}. Lower the probabilities that lead back")
        expected, visits, _ = limits.expected_visits(self)
        per_day = expected / self.run.days
        if not expected <= MAX_CITIZENS:
            raise _KeyError(("arrivals",), f"about {expected:,.0f} citizens per replication "
                            f"({per_day:,.0f} a day for {self.run.days} days); the limit is {MAX_CITIZENS:,}. "
                            "Check the hourly rates and [run] days")
        if not visits <= limits.MAX_VISITS:
            raise _KeyError(("arrivals",), f"about {visits:,.0f} counter visits per replication ({expected:,.0f} "
                            f"citizens, each going on via 'next'); the limit is {limits.MAX_VISITS:,}. "
                            "Check the hourly rates, [run] days and 'next' probabilities")
        from .calendar import office_calendar  # the calendar module builds on this one

        last_close = office_calendar(self).end
        if self.run.warmup_minutes >= last_close:
            raise _KeyError(("run", "warmup_minutes"), f"the warm-up ({self.run.warmup_minutes:g} min) ends at or "
                            f"after the last closing ({last_close:g} min after the first opening): no visit would "
                            "be counted")

    def _check_routing_ends(self) -> None:
        # A citizen must eventually leave: the routing matrix must have spectral radius < 1
        # (otherwise some loop, e.g. a -> b -> a with probability 1, never ends).
        p = self.routing_matrix()
        if p.size and np.max(np.abs(np.linalg.eigvals(p))) >= 1 - 1e-9:
            raise _KeyError(("stations",), "routing via 'next' has a loop that citizens can never leave")

    # -- derived quantities ------------------------------------------------------------
    def description_in(self, lang: str) -> str:
        """The description for a reader of ``lang`` (see :func:`simulation.strings.localized`)."""
        return localized(self, "description", lang)

    @property
    def office_name(self) -> str:
        """How reports and charts name the office: ``office``, else the name with spaces for underscores."""
        return self.office or self.name.replace("_", " ")

    def day_hours(self, day: str) -> tuple[int, int]:
        """Opening and closing minute (after midnight) on a weekday."""
        if self.calendar is not None and day in self.calendar.hours:
            o, c = self.calendar.hours[day]
            return clock_minutes(o), clock_minutes(c)
        return self.run.open_minute, self.run.close_minute

    @property
    def open_days(self) -> tuple[str, ...]:
        return self.calendar.open_days if self.calendar is not None else DAY_NAMES[:5]

    @property
    def week_length(self) -> int:
        """Days in a rota: 5 (Monday..Friday), or 7 when the office opens at weekends."""
        return 7 if set(self.open_days) & {"saturday", "sunday"} else 5

    @property
    def hours_open(self) -> int:
        """Clock hours (the last possibly partial) of the longest open day: hourly lists have this many."""
        return max(math.ceil((c - o) / 60) for o, c in (self.day_hours(d) for d in self.open_days))

    @property
    def station_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stations)

    def station_index(self, name: str) -> int:
        return self.station_names.index(name)

    def routing_matrix(self) -> np.ndarray:
        """``P[i, j]``: probability that a citizen served at station i goes on to station j."""
        idx = {s.name: i for i, s in enumerate(self.stations)}
        p = np.zeros((len(self.stations), len(self.stations)))
        for i, st in enumerate(self.stations):
            for target, prob in st.next.items():
                p[i, idx[target]] += prob
        return p

    def hourly_rates(self, stream: ArrivalStream) -> np.ndarray:
        """Arrivals per hour for each (possibly partial) open hour of a day."""
        if isinstance(stream.per_hour, tuple):
            return np.asarray(stream.per_hour, dtype=float)
        return np.full(self.hours_open, float(stream.per_hour))

    def offered_load(self) -> np.ndarray:
        """Mean arrivals per minute at each station over the open day, routing included.

        Solves the traffic equations ``lambda = lambda0 + P^T lambda``.
        """
        lam0 = np.zeros(len(self.stations))
        total_minutes = 0.0
        demand = self.calendar.demand if self.calendar is not None else {}
        for day in self.open_days:
            o, c = self.day_hours(day)
            total_minutes += c - o
            for arr in self.arrivals:
                rates = self.hourly_rates(arr)
                lengths = np.clip(c - o - 60 * np.arange(len(rates)), 0, 60)
                lam0[self.station_index(arr.station)] += demand.get(day, 1.0) * float(rates @ lengths) / 60
        lam0 /= total_minutes
        p = self.routing_matrix()
        return np.linalg.solve(np.eye(len(lam0)) - p.T, lam0)

    def warnings(self, policies: Sequence[str] | None = None, lang: str = "en", labels: bool = False) -> list[str]:
        """Things that are allowed but that a planner should know (e.g. an overloaded station).

        The findings of :meth:`warning_records`, one sentence each, in ``lang`` (keys ``warn_*``
        of :mod:`simulation.strings`). Policies and stations are named as in the file
        (``'wfh_25'``, for the console, with hints in TOML), or with ``labels`` by their labels in
        ``lang``. ``policies``: as :meth:`warning_records`.
        """
        from .strings import fmt_clock, fmt_number, t, weekday_name

        stations = {st.name: st for st in self.stations}
        plans = self.staffing_policies()

        def desk(name: str) -> str:
            return stations[name].label_in(lang) if labels else name

        out = []
        for r in self.warning_records(policies):
            kind = r["kind"]
            if kind == "no_arrivals":
                out.append(t("warn_no_arrivals", lang))
            elif kind == "overloaded":
                out.append(t("warn_overloaded", lang, station=t("warn_name", lang, name=desk(r["station"])),
                             rate=fmt_number(r["per_hour"], 1, lang), staff=r["staff"],
                             capacity=fmt_number(r["capacity_per_hour"], 1, lang)))
            elif kind == "few_replications":
                out.append(t("warn_one_replication", lang, n=r["replications"]))
            elif kind == "nobody_home":
                out.append(nobody_home_text(r, self, lang, labels))
            elif kind == "peak_hour":
                found = []
                for x in r["desks"]:
                    others = [weekday_name(day, lang) for day in x["also"]]
                    also = t("warn_peak_also", lang, days="/".join(others)) if others else ""
                    found.append(t("warn_peak_item", lang, station=desk(x["station"]),
                                   day=weekday_name(x["weekday"], lang), start=fmt_clock(x["start"], lang),
                                   end=fmt_clock(x["end"], lang),
                                   work=fmt_number(x["work"], 1, lang), onsite=x["onsite"], also=also))
                policy = plans.get(r["policy"])
                label = policy.label_in(lang) if labels and policy is not None else r["policy"]
                out.append(t("warn_peak", lang, policy=t("warn_name", lang, name=label), found="; ".join(found)))
        return out

    def warning_records(self, policies: Sequence[str] | None = None) -> list[dict]:
        """What :meth:`warnings` says, as data, for a page that words it in its reader's language.

        ``policies``: the findings about particular policies (one that sends nobody home, a
        busiest hour beyond the officers at the counter) only for these — the policies a
        command runs; None: every policy of the scenario. Each record has a ``kind`` and the
        names and numbers of its sentence:

        * ``no_arrivals``: every hourly arrival rate is 0;
        * ``overloaded``: ``station``, ``per_hour`` (citizens arriving an hour, on average),
          ``staff`` and ``capacity_per_hour`` (the most they serve an hour);
        * ``few_replications``: ``replications`` (fewer than 2: no confidence interval);
        * ``nobody_home``: see :func:`simulation.policies.nobody_home`;
        * ``peak_hour``: ``policy`` and ``desks``, see :meth:`peak_hour_overloads`.
        """
        out: list[dict] = []
        lam = self.offered_load()
        if not lam.any():
            out.append({"kind": "no_arrivals"})
        for st, rate in zip(self.stations, lam):
            capacity = st.staff / st.service.mean if st.service.mean > 0 else math.inf
            if rate > 0 and rate >= capacity:
                out.append({"kind": "overloaded", "station": st.name, "per_hour": rate * 60, "staff": st.staff,
                            "capacity_per_hour": capacity * 60})
        if self.run.replications < 2:
            out.append({"kind": "few_replications", "replications": self.run.replications})
        out += [{"kind": "nobody_home", **r} for r in nobody_home(self, policies)]
        out += [{"kind": "peak_hour", "policy": policy, "desks": desks}
                for policy, desks in self.peak_hour_overloads(policies).items()]
        return out

    def hourly_station_rates(self, weekday: str | None = None, online_share: np.ndarray | None = None) -> np.ndarray:
        """Counter visits per minute at each station in each open hour, ``(hours, stations)``, routing included.

        For ``weekday`` (a day name): that day's opening hours and demand multiplier; without
        it, the hours of the longest open day and no multiplier. Citizens are assumed to pass
        through their whole route within the hour they arrive (a first guess, for Erlang C
        and for the peak-hour check). ``online_share`` (per station) is the share of visits
        submitted online under a policy: they do not reach the counter, and the citizen goes
        on to no later station.
        """
        if weekday is None:
            hours, demand = self.hours_open, 1.0
        else:
            o, c = self.day_hours(weekday)
            hours = math.ceil((c - o) / 60)
            demand = self.calendar.demand.get(weekday, 1.0) if self.calendar is not None else 1.0
        lam0 = np.zeros((hours, len(self.stations)))
        for arr in self.arrivals:
            lam0[:, self.station_index(arr.station)] += demand * self.hourly_rates(arr)[:hours] / 60
        at_counter = np.ones(len(self.stations)) if online_share is None else 1 - np.asarray(online_share, dtype=float)
        # Arrivals a = lam0 + P^T (c * a): only counter visits go on to the next station.
        p = self.routing_matrix() * at_counter[:, None]
        return np.linalg.solve(np.eye(len(self.stations)) - p.T, lam0.T).T * at_counter

    def peak_hour_overloads(self, policies: Sequence[str] | None = None) -> dict[str, list[dict]]:
        """Stations whose busiest open hour brings more work than the officers at the counter can do.

        Per policy (the baseline included) and station: the hours, outside breaks, where the
        offered load (arrivals per minute x mean service) is above the officers at the counter
        that hour and weekday. The daily average can hide this: a desk at 80 % on average may
        be at 160 % in Monday's first hours.

        Returns policy -> one record per station where it happens: ``station``, the worst hour
        (``weekday``, a day name; ``start`` and ``end``, minutes after midnight), ``work`` (the
        officers' worth of work in that hour), ``onsite`` (the officers at the counter then),
        and ``also`` (the other weekdays where some hour is over). Policies without one are left out,
        and with ``policies`` every policy not in it.
        """
        from .calendar import office_calendar  # the calendar module builds on this one

        out = {}
        simulated = set(office_calendar(self).weekdays.tolist())
        days = [d for d in self.open_days if DAY_NAMES.index(d) in simulated]
        for pname, policy in self.staffing_policies().items():
            if policies is not None and pname not in policies:
                continue
            # Only the work that reaches the counter: online requests go to officers at home,
            # and complete the citizen's business there (they go on to no later desk).
            online = np.array([policy.online[s.name].share if s.name in policy.online else 0.0 for s in self.stations])
            rates = {d: self.hourly_station_rates(d, online) for d in days}
            found = []
            for j, st in enumerate(self.stations):
                worst, over_days = None, []
                for d in days:
                    wd = DAY_NAMES.index(d)
                    rota_day = wd if wd < self.week_length else 0
                    o, c = self.day_hours(d)
                    breaks = [(clock_minutes(b.start), clock_minutes(b.end)) for b in
                              (self.calendar.breaks if self.calendar is not None else ()) if d in b.days]
                    hit = False
                    for h, a in enumerate(rates[d][:, j] * st.service.mean):
                        start, end = o + 60 * h, min(o + 60 * (h + 1), c)
                        if a <= 0 or any(b0 <= start and end <= b1 for b0, b1 in breaks):
                            continue  # nobody comes, or the counters are closed for a break anyway
                        own = policy.staff_on(st.name, rota_day)
                        rostered = own if own is not None else (st.roster[h] if st.roster is not None else st.staff)
                        onsite = policy.onsite_for(st.name, rota_day, rostered)
                        if a > onsite:
                            hit = True
                            if worst is None or a - onsite > worst[0] - worst[1]:
                                worst = (a, onsite, d, start, end)
                    if hit:
                        over_days.append(d)
                if worst is not None:
                    a, onsite, d, start, end = worst
                    found.append({"station": st.name, "weekday": d, "start": start, "end": end, "work": float(a),
                                  "onsite": int(onsite), "also": [x for x in over_days if x != d]})
            if found:
                out[pname] = found
        return out

    @property
    def class_names(self) -> tuple[str, ...]:
        """Every citizen class of the scenario; ``umum`` (general) first."""
        names = [GENERAL_CLASS]
        for arr in self.arrivals:
            names += [c.name for c in arr.classes if c.name not in names]
        return tuple(names)

    @property
    def has_priorities(self) -> bool:
        return any(arr.classes for arr in self.arrivals)

    def staffing_policies(self) -> dict[str, StaffingPolicy]:
        """The policies to simulate, baseline first (``baseline``: everyone in the office, if none given)."""
        if self.policies:
            return dict(self.policies)
        return {"baseline": StaffingPolicy()}

    @property
    def baseline(self) -> str:
        return next(iter(self.staffing_policies()))

    def with_policies(self, policies: dict[str, dict | StaffingPolicy]) -> Scenario:
        """A copy with other staffing policies instead of the scenario's.

        Parameters
        ----------
        policies : dict
            Policy name -> its table, as a ``[policies.<name>]`` table of the file (a dict)
            or a :class:`~simulation.policies.StaffingPolicy`; the first is the baseline.

        Returns
        -------
        Scenario
            A new, validated scenario (a pydantic ``ValidationError`` says what is wrong).
        """
        from .overrides import _set_origin, origin

        data = self.model_dump(by_alias=True)
        data["policies"] = {
            k: (v.model_dump(exclude={"onsite"}) if isinstance(v, StaffingPolicy) else v) for k, v in policies.items()
        }
        return _set_origin(Scenario.model_validate(data), origin(self))

    def with_run(self, **changes: Any) -> Scenario:
        """A copy with some ``[run]`` settings changed: ``scenario.with_run(replications=100, seed=7)``.

        Parameters
        ----------
        **changes
            Keys of the ``[run]`` table (``replications``, ``seed``, ``days``, ``open``, ...).

        Returns
        -------
        Scenario
            A new, validated scenario (a pydantic ``ValidationError`` says what is wrong).
        """
        from .overrides import _set_origin, origin

        data = self.model_dump(by_alias=True)
        data["run"].update(changes)
        return _set_origin(Scenario.model_validate(data), origin(self))

    def with_overrides(self, overrides: dict[str, Any], *, source: str | None = None) -> Scenario:
        """A copy with some keys changed, each named by a dotted key (see :mod:`simulation.overrides`).

        Parameters
        ----------
        overrides : dict
            Dotted key -> new value, as the file would hold it: ``{"stations.ektp.staff": 4,
            "arrivals.ektp.per_hour": [20, 30, 25], "policies.wfh_50.wfh_share.ektp": 0.25,
            "run.replications": 50, "calendar.demand.monday": 1.4}``. List entries
            (stations, arrivals) and policies are named by their ``name``; ``None`` removes a key.
        source : str, optional
            How messages name the scenario (default: its file).

        Returns
        -------
        Scenario
            A new scenario, validated exactly like a file; it remembers the overrides
            (``run.json`` and the saved ``scenario.toml`` name them).

        Raises
        ------
        ScenarioError
            An unknown key (with the file's "did you mean" hint) or a bad value, with the
            file's message and the override named: ``x.toml with stations.ektp.staff=-2:
            stations.ektp.staff: must be 0 or more (got -2)``.
        """
        from .overrides import apply_overrides

        return apply_overrides(self, overrides, source=source)


def _no_station(name: str, names: list[str]) -> str:
    hint = difflib.get_close_matches(name, names, n=1)
    msg = f"names no station: {name!r}"
    if hint:
        msg += f" (did you mean {hint[0]!r}?)"
    return msg + f"; stations are {', '.join(map(repr, names))}"


# ---------------------------------------------------------------------------------------
# Reading and writing


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Only a regular file of at most :data:`simulation.limits.MAX_SCENARIO_BYTES` is read (a
    folder, a FIFO or ``/dev/zero`` is refused before reading); it must be UTF-8 TOML, with
    or without a byte-order mark.

    Parameters
    ----------
    path : str or Path
        A scenario file (see ``scenarios/`` and the README for every key).

    Returns
    -------
    Scenario
        Frozen and fully validated; it remembers the file (saved as ``scenario.toml`` beside
        the results).

    Raises
    ------
    ScenarioError
        One line per problem, ``file: key.path: what is wrong`` (``.lines()``).
    """
    path = Path(path)
    source = str(path)
    raw = _read_file(path, source)
    from .overrides import ScenarioOrigin, _set_origin

    return _set_origin(loads_scenario(raw, source), ScenarioOrigin(path=source, raw=raw))


def loads_scenario(raw: bytes, source: str = "<scenario>") -> Scenario:
    """A scenario from the bytes of a TOML file (an upload, say), with :func:`load_scenario`'s
    checks and messages after the file itself was read: UTF-8 text (a byte-order mark
    allowed), TOML, then :func:`parse_scenario`. Errors name ``source``."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ScenarioError(source, [("", f"not a text file (TOML must be UTF-8; byte {exc.start} is not)")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [("", f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise ScenarioError(source, [("", "not valid TOML: tables or lists nested too deeply")]) from None
    except ValueError as exc:  # a whole number of more than 4,300 digits
        what = ("a whole number has more than 4,300 digits" if "integer string conversion" in str(exc)
                else shorten(exc, 120))
        raise ScenarioError(source, [("", f"not valid TOML: {what}")]) from None
    return parse_scenario(data, source=source)


_FILE_KINDS = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
               (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")]


def _read_file(path: Path, source: str) -> bytes:
    """The bytes of a regular file of bounded size, checked before reading."""

    def refuse(msg: str):
        return ScenarioError(source, [("", msg)])

    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        raise refuse(f"cannot read the file ({getattr(exc, 'strerror', None) or exc})") from None
    for test, what in _FILE_KINDS:
        if test(info.st_mode):
            raise refuse(f"cannot read it: it is {what}, not a scenario file")
    if not stat.S_ISREG(info.st_mode):
        raise refuse("cannot read it: not a regular file")
    limit = limits.MAX_SCENARIO_BYTES
    if info.st_size > limit:
        raise refuse(f"the file is {info.st_size:,} bytes; a scenario file may be at most {limit:,} bytes")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # replaced since the check
                raise refuse("cannot read it: not a regular file")
            raw = f.read(limit + 1)
    except OSError as exc:
        raise refuse(f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise refuse(f"the file is more than {limit:,} bytes; a scenario file may be at most {limit:,} bytes")
    return raw


def parse_scenario(data: dict, source: str = "<scenario>") -> Scenario:
    """Validate a scenario given as a dictionary (what a TOML file parses to).

    Validation is strict: ``true`` is not a number, ``"30"`` is not a number, ``2.0`` is not
    a whole number; numbers must be finite and within the limits of :mod:`simulation.limits`.
    """
    if not isinstance(data, dict):
        raise ScenarioError(source, [("", "must be a table of keys (a TOML document)")])
    problems: list[tuple[tuple, str]] = []
    clean = _prepare(data, (), problems)
    if problems:
        raise ScenarioError(source, _limit_problems([(_key_path(list(loc), data), msg) for loc, msg in problems]))
    try:
        return Scenario.model_validate(clean, strict=True)
    except ValidationError as exc:
        raise ScenarioError(source, _describe(exc, data)) from None
    except RecursionError:  # pragma: no cover - nesting is bounded by _prepare
        raise ScenarioError(source, [("", "tables or lists nested too deeply")]) from None


def _prepare(node: Any, loc: tuple, problems: list, depth: int = 0) -> Any:
    """The data as strict validation takes it: lists as tuples, numpy numbers as Python ones.

    Records (in ``problems``) what no field could take: nesting deeper than
    :data:`simulation.limits.MAX_NESTING`, whole numbers of 2**63 or more.
    """
    if len(problems) > 20:
        return None
    if depth > limits.MAX_NESTING:
        while loc and isinstance(loc[-1], int):  # name the key, not twenty list positions
            loc = loc[:-1]
        problems.append((loc, f"tables or lists nested more than {limits.MAX_NESTING} deep"))
        return None
    if isinstance(node, dict):
        return {k: _prepare(v, loc + (k,), problems, depth + 1) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return tuple(_prepare(v, loc + (i,), problems, depth + 1) for i, v in enumerate(node))
    if isinstance(node, (bool, np.bool_)):
        return bool(node)
    if isinstance(node, (int, np.integer)):
        value = int(node)
        if abs(value) > limits.MAX_INT:
            problems.append((loc, f"the number is too large ({len(str(abs(value))):,} digits); whole numbers "
                                  f"must be below 2**63"))
        return value
    if isinstance(node, np.floating):
        return float(node)
    return node


def _limit_problems(problems: list[tuple[str, str]], most: int = 20) -> list[tuple[str, str]]:
    if len(problems) <= most:
        return problems
    return problems[:most] + [("", f"... and {len(problems) - most} more problems")]


_DIST_KEYS = {"service", "patience", "travel"}
_DIST_TAGS = {"exponential", "deterministic", "lognormal", "gamma", "triangular", "uniform", "empirical"}
# What pydantic puts in an error's location for the branch of a union it tried:
# "constrained-float", "tuple[constrained-float, ...]", "function-after[...]", "int", ...
_BRANCH = re.compile(r"^(int|float|str|bool|bytes|none|constrained-[\w-]+|[\w-]+\[.*\])$")


def _clean_location(loc: list, data: Any) -> tuple[list, str | None]:
    """The error location as keys of the file, and the union branch it went through (if any)."""
    out: list = []
    branch = None
    node = data
    for i, key in enumerate(loc):
        present = isinstance(node, dict) and key in node
        if not present and isinstance(key, str):
            if key in _DIST_TAGS and i > 0 and loc[i - 1] in _DIST_KEYS:
                continue  # tagged unions put the tag in the location: stations.0.service.exponential.mean
            if key == "[key]":
                continue  # the error is about a table's key, already named: calendar.demand.funday
            if _BRANCH.match(key):
                branch = key
                continue
        out.append(key)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return out, branch


def _describe(exc: ValidationError, data: dict) -> list[tuple[str, str]]:
    problems = []
    errors = exc.errors()
    located = []
    for err in errors:
        loc, branch = _clean_location(list(err["loc"]), data)
        located.append((err, loc, branch))
    # A union (a number or a list of numbers) fails once per branch; keep the branch that
    # fits what was written: the list branch for a list, the other for anything else.
    keep = []
    for err, loc, branch in located:
        if branch is not None:
            base = err["loc"][: list(err["loc"]).index(branch)]
            written = _lookup(data, base)
            is_list = isinstance(written, (list, tuple))
            list_branch = branch.startswith(("tuple[", "list["))
            siblings = [b for e, _, b in located if b is not None and e["loc"][: len(base)] == base]
            if is_list != list_branch and any(b.startswith(("tuple[", "list[")) == is_list for b in siblings):
                continue
        keep.append((err, loc))
    for err, loc in keep:
        if err["type"] == "too_short" and any(
            e is not err and tuple(e["loc"][: len(err["loc"])]) == tuple(err["loc"]) for e in errors
        ):
            continue  # an item below failed: that error says more than "list too short"
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, _KeyError):
            loc = loc + list(ctx_error.key_path)
            msg = str(ctx_error)
        else:
            msg = _message(err, loc)
        problems.append((_key_path(loc, data), msg))
    # Report each key once, in file order.
    return _limit_problems(list(dict.fromkeys(problems)))


def _lookup(data: Any, loc) -> Any:
    node = data
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _toml(value: Any) -> str:
    """A value as it would be written in TOML, shortened: ``true``, ``"30"``, ``[1, 2]``, ``nan``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10**100 else None
        return str(value) if digits is not None and digits <= 30 else "a number of more than 30 digits"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        text = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{shorten(text)}"'
    if isinstance(value, (list, tuple)):
        return shorten("[" + ", ".join(_toml(v) for v in list(value)[:10]) + (", ...]" if len(value) > 10 else "]"))
    if isinstance(value, dict):
        return "a table"
    return shorten(str(value))


def _allowed_keys(table_loc: list) -> list[str]:
    """Keys accepted by the table at ``table_loc`` (for "did you mean" hints)."""
    names = [k for k in table_loc if isinstance(k, str)]
    models = {(): Scenario, ("run",): RunSettings, ("stations",): Station, ("arrivals",): ArrivalStream}
    model = StaffingPolicy if len(names) == 2 and names[0] == "policies" else models.get(tuple(names))
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _message(err: dict, loc: list) -> str:
    kind = err["type"]
    got = err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1])[:100], allowed, n=1)
        if hint:
            return f"unknown key (did you mean {hint[0]!r}?)"
        if allowed:
            return f"unknown key; this table takes {', '.join(allowed)}"
        return "unknown key (check the spelling; the README lists the keys)"
    if kind == "missing":
        return "required key is missing"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "union_tag_invalid":
        return f"unknown distribution {_toml(got.get('dist'))}; use one of {', '.join(sorted(_DIST_TAGS))}"
    if kind == "union_tag_not_found":
        return f"a distribution needs a 'dist' key, one of {', '.join(sorted(_DIST_TAGS))}"
    msg = err["msg"].removeprefix("Value error, ")
    for pattern, repl in _FRIENDLY:
        msg = re.sub(pattern, repl, msg)
    if not isinstance(got, (dict, list, tuple)) and kind not in ("value_error",):
        msg += f" (got {_toml(got)})"
    if _is_share(loc) and isinstance(got, (int, float)) and not isinstance(got, bool) and got > 1:
        msg += f" ({SHARE_HINT})"
    return msg


SHARE_HINT = "a share: 0.5 = half"
"""Said after a share above 1 (someone wrote 50 for 50 %)."""


def _is_share(loc: list) -> bool:
    """The key is a share (``share``, ``wfh_share.ektp``, ``wfh_share.ektp[2]``)."""
    names = [k for k in loc if isinstance(k, str)]
    return any(k.endswith("share") for k in names[-2:])


_FRIENDLY = [
    (r"^Input should be greater than or equal to (\S+)", r"must be \1 or more"),
    (r"^Input should be greater than (\S+)", r"must be more than \1"),
    (r"^Input should be less than or equal to (\S+)", r"must be \1 or less"),
    (r"^Input should be a valid integer.*", "must be a whole number"),
    (r"^Input should be a valid boolean.*", "must be true or false"),
    (r"^String should have at most (\d+) characters?", r"must be at most \1 characters"),
    (r"^Input should be a finite number.*", "must be a finite number"),
    (r"^Input should be a valid number.*", "must be a number"),
    (r"^Input should be a valid string.*", "must be text in quotes"),
    (r"^Input should be a valid dictionary.*", "must be a table"),
    (r"^Input should be a valid (list|tuple).*", "must be a list"),
    (r"^String should match pattern .*", "must be a name of letters, digits, '_' or '-'"),
    (r"^Input should be (.*)$", r"must be \1"),  # a choice among names (weekdays, ...): said plainly
]


_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")


def entry_names(items: Any, list_key: str) -> list[str | None]:
    """How each entry of a list of tables is named in a key path (``stations.ektp.staff``), as
    ``--set`` names it: by its ``name`` — for an arrival stream without one, the name the
    scenario gives it (its station's, numbered if repeated). None where there is no usable
    name (missing, not a plain name, or the same as another entry's)."""
    if not isinstance(items, (list, tuple)):
        return []
    names: list[str | None] = []
    for i, entry in enumerate(items):
        name = entry.get("name") if isinstance(entry, dict) else None
        if list_key == "arrivals" and isinstance(entry, dict) and name in (None, ""):
            base = entry.get("station")
            if isinstance(base, str) and _NAME.match(base):  # numbered as Scenario does
                name = base if base not in names else f"{base}_{i + 1}"
                extra = 1
                while name in names:
                    extra += 1
                    name = f"{base}_{i + 1}_{extra}"
        names.append(name if isinstance(name, str) and _NAME.match(name) and len(name) <= 64 else None)
    return [n if n is not None and names.count(n) == 1 else None for n in names]


_NAMED_LISTS = ("stations", "arrivals", "classes")


def _key_path(loc: list, data: Any) -> str:
    """A location in the file as a key path: ``stations.ektp.service.mean``, ``arrivals.ektp.per_hour[2]``.

    Entries of ``[[stations]]``, ``[[arrivals]]`` and ``classes`` are named by their name,
    as ``--set`` names them; an entry with no usable name by its place, ``stations (entry 2)``
    (counting from 1). Positions in a list of values stay ``[i]`` (counting from 0, as TOML
    tools do).
    """
    parts: list[str] = []
    node = data
    for depth, key in enumerate(loc):
        if isinstance(key, int):
            list_key = loc[depth - 1] if depth else None
            try:
                child = node[key]
            except (IndexError, KeyError, TypeError):
                child = None
            if list_key in _NAMED_LISTS:
                names = entry_names(node, list_key)
                name = names[key] if 0 <= key < len(names) else None
                if name is not None:
                    parts.append("." + name)
                else:
                    raw = child.get("name") if isinstance(child, dict) else None
                    label = f": {shorten(raw, 40)!r}" if isinstance(raw, str) and raw else ""
                    parts.append(f" (entry {key + 1}{label})")
            else:
                parts.append(f"[{key}]")
            node = child
        else:
            parts.append(("." if parts else "") + shorten(key, 40))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario with every default filled in, as TOML (saved beside results)."""
    import tomli_w

    from .notes import scenario_notes

    data = scenario.model_dump(by_alias=True, mode="json", exclude_none=True)
    for table in ("notes", "notes_id"):
        data.pop(table, None)
        notes = scenario_notes(scenario, table=table)
        if notes:  # the input's [notes] and what its comments mark, as data (comments are not kept)
            data[table] = notes
    header = ("# Resolved scenario: the input file with every default filled in; [notes] and [notes_id] keep its "
              "notes.\n")
    return header + tomli_w.dumps(data)
