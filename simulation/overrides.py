"""Scenario variants without editing files: ``stations.ektp.staff = 4``.

A variant names what changes by a dotted key and gives the new value, as the scenario file
would hold it::

    scenario.with_overrides({
        "stations.ektp.staff": 4,                       # a key of the station named ektp
        "arrivals.ektp.per_hour": [20, 30, 25, 18, 8, 14, 10, 5],
        "policies.wfh_50.wfh_share.ektp": 0.25,      # a policy by its name
        "run.replications": 50,
        "calendar.demand.monday": 1.4,
    })

and on the command line ``loket run SCENARIO --set stations.ektp.staff=4`` (repeatable; the
value is TOML: ``--set 'arrivals.ektp.per_hour=[20, 30]'``, ``--set 'run.after_close="turn_away"'``
— a bare word such as ``turn_away`` or ``09:00`` is taken as text).

**Keys.** Tables are entered by key (``run.days``), entries of a list of tables
(``[[stations]]``, ``[[arrivals]]``, ``classes``) by their ``name`` (``stations.ektp``) and
policies by theirs (``policies.wfh_50``). The last key is set (or added); a key of a table
the scenario leaves out is added with it (``calendar.demand.monday`` on a scenario without a
``[calendar]`` table adds one). In Python, the value ``None`` removes the key, so its default
applies again.

**Validation.** The scenario with every default filled in (its resolved form) is changed as
asked — with each policy's computed ``onsite`` left out, since it follows from the other keys
— and validated exactly as a file is (:func:`simulation.scenario.parse_scenario`): an unknown
key gets the file's "did you mean" hint, a bad value the file's message, and the error's
source names the override (``scenarios/x.toml with --set stations.ektp.staff=-2:
stations.ektp.staff: must be 0 or more (got -2)``).

A scenario remembers the file it was read from and the overrides applied since
(:func:`origin`); ``run.json`` lists them (``overrides``), ``scenario.resolved.toml`` is the
result, and the copy of the input file in the results folder (``scenario.toml``) starts with
a comment naming them.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import one_line, shorten

if TYPE_CHECKING:  # pragma: no cover
    from .scenario import Scenario

__all__ = ["ScenarioOrigin", "apply_overrides", "origin", "parse_assignment", "source_with_overrides"]

MAX_KEY = 300
"""Longest dotted key accepted."""

# Lists of tables whose entries are addressed by name, and what an entry is called in messages.
_NAMED_LISTS = {"stations": "station", "arrivals": "arrival stream", "classes": "class"}
_BARE_WORD = re.compile(r"^[A-Za-z0-9_.:+\-]+$")


@dataclass(frozen=True)
class ScenarioOrigin:
    """Where a scenario came from: the file (its path and bytes) and the overrides applied since."""

    path: str | None = None
    raw: bytes | None = None
    """The file's bytes as read (saved as ``scenario.toml`` beside the results)."""
    overrides: tuple[tuple[str, Any], ...] = field(default=())
    """``(key, value)`` in the order first applied; a later value for the same key replaces the earlier one."""

    def with_overrides(self, changes: Mapping[str, Any]) -> ScenarioOrigin:
        merged = dict(self.overrides)
        merged.update(changes)
        return ScenarioOrigin(self.path, self.raw, tuple(merged.items()))


def origin(scenario: Scenario) -> ScenarioOrigin:
    """The file ``scenario`` was read from and the overrides applied since (empty if built in Python)."""
    return getattr(scenario, "_origin", None) or ScenarioOrigin()


def _set_origin(scenario: Scenario, value: ScenarioOrigin | None) -> Scenario:
    if value is not None and (value.path is not None or value.raw is not None or value.overrides):
        scenario._origin = value
    return scenario


def _toml_text(value: Any) -> str:
    from .scenario import _toml

    return _toml(value)


# ---------------------------------------------------------------------------------------
# Command line: KEY=VALUE


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"stations.ektp.staff=4"`` -> ``("stations.ektp.staff", 4)``: the value is read as TOML.

    A value that is not TOML but a bare word (``turn_away``, ``09:00``) is taken as text.
    Raises :class:`ValueError` with a one-line message.
    """
    if len(text) > 100_000:
        raise ValueError(f"too long ({len(text):,} characters)")
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"expected KEY=VALUE, e.g. stations.ektp.staff=4; got {shorten(one_line(text), 40)!r}")
    _check_key(key)
    value = value.strip()
    if not value:
        raise ValueError(f"{key}: no value after '='; e.g. {key}=4, or {key}=\"text\"")
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError as exc:
        if _BARE_WORD.match(value):
            return key, value
        raise ValueError(f"{key}: {shorten(one_line(value), 40)!r} is not a TOML value "
                         f"({one_line(shorten(str(exc), 80))}); write text in quotes, e.g. {key}='\"text\"', "
                         f"a list in brackets, e.g. {key}='[1, 2]'") from None
    except (RecursionError, ValueError) as exc:
        raise ValueError(f"{key}: the value is not usable TOML ({one_line(shorten(str(exc), 80))})") from None
    return key, _plain(parsed)


def _check_key(key: Any) -> list[str]:
    if not isinstance(key, str):
        raise ValueError(f"a key must be text such as 'stations.ektp.staff', got {shorten(repr(key), 40)}")
    if len(key) > MAX_KEY:
        raise ValueError(f"a key of {len(key):,} characters; at most {MAX_KEY}")
    parts = key.split(".")
    if any(not p.strip() or p != p.strip() for p in parts):
        raise ValueError(f"{one_line(shorten(key, 60))!r} is not a dotted key such as 'stations.ektp.staff'")
    return parts


# ---------------------------------------------------------------------------------------
# Values


def _plain(value: Any, depth: int = 0) -> Any:
    """A value as a TOML file would give it: dicts, lists, text, numbers, booleans (None: remove the key)."""
    from pydantic import BaseModel

    if depth > 40:
        return value  # validation reports the nesting
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, mode="json", exclude_none=True)
    if isinstance(value, np.ndarray):
        return _plain(value.tolist(), depth + 1)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {k: _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, _dt.time) and not value.second and not value.microsecond and value.tzinfo is None:
        return value.strftime("%H:%M")  # TOML 1.1 reads 09:00 as a time; a scenario writes it "09:00"
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return value


def _json_safe(value: Any) -> Any:
    """For ``run.json``: non-finite numbers as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------
# Applying


class _Problem(Exception):
    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(message)


def _join(where: list[str], more: str = "") -> str:
    return ".".join([*where, more] if more else where)


def _longest_key(node: dict, parts: list[str], i: int) -> tuple[str, int]:
    """The key of ``node`` that ``parts[i:]`` starts with (names may hold dots: a policy ``wfh.v2``)."""
    for j in range(len(parts), i, -1):
        candidate = ".".join(parts[i:j])
        if candidate in node:
            return candidate, j
    return parts[i], i + 1


def _entry(items: list, parts: list[str], i: int, list_key: str, where: list[str]) -> tuple[int, int]:
    """Index of the list entry named by ``parts[i:]`` (longest match), and the next part's index."""
    names = [e.get("name") if isinstance(e, dict) else None for e in items]
    for j in range(len(parts), i, -1):
        candidate = ".".join(parts[i:j])
        if candidate in names:
            return names.index(candidate), j
    what = _NAMED_LISTS.get(list_key)
    shown = [n for n in names if isinstance(n, str)]
    if what is None or not shown:
        raise _Problem(_join(where), f"is a list whose entries have no names; give the whole list, e.g. "
                                     f"{_join(where)}=[...]")
    hint = difflib.get_close_matches(parts[i], shown, n=1)
    msg = f"no {what} named {parts[i]!r}"
    if hint:
        msg += f" (did you mean {hint[0]!r}?)"
    raise _Problem(_join(where, parts[i]), msg + f"; {list_key} are {', '.join(map(repr, shown))}")


def _apply_one(data: dict, key: str, value: Any) -> list:
    """Set ``key`` in ``data`` (the resolved scenario as plain data); returns its location (keys and indices)."""
    parts = _check_key(key)
    node: Any = data
    loc: list = []
    where: list[str] = []
    i = 0
    while True:
        last_key = loc[-1] if loc else None
        if isinstance(node, dict):
            name, j = _longest_key(node, parts, i)
            if j == len(parts):
                if value is None:
                    node.pop(name, None)
                else:
                    node[name] = value
                return loc + [name]
            if name not in node or node[name] is None:
                if loc == ["policies"]:
                    names = list(node)
                    hint = difflib.get_close_matches(name, names, n=1)
                    msg = f"no policy named {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                    msg += f"; policies are {', '.join(map(repr, names))}" if names else "; the scenario has none"
                    raise _Problem(_join(where, name), msg + f" (a new one is set whole: policies.{name}={{...}})")
                node[name] = {}  # a table the scenario leaves out (validation says if no such key exists)
            node, loc, where, i = node[name], loc + [name], where + [name], j
        elif isinstance(node, list) and isinstance(last_key, str):
            k, j = _entry(node, parts, i, last_key, where)
            if j == len(parts):
                if value is None:
                    del node[k]
                else:
                    node[k] = value
                return loc + [k]
            node, loc, where, i = node[k], loc + [k], where + [".".join(parts[i:j])], j
        else:
            raise _Problem(_join(where), f"is {_toml_text(node)}, not a table: it has no key {parts[i]!r}")


def _resolved_data(scenario: Scenario) -> dict:
    data = scenario.model_dump(by_alias=True, mode="json", exclude_none=True)
    for policy in (data.get("policies") or {}).values():
        if isinstance(policy, dict):
            policy.pop("onsite", None)  # computed from the other keys; recomputed after the change
    return data


def apply_overrides(
    scenario: Scenario,
    overrides: Mapping[str, Any],
    source: str | None = None,
    shown: Mapping[str, str] | None = None,
) -> Scenario:
    """``scenario`` with ``overrides`` applied (see the module docstring), validated like a file.

    ``source`` names the scenario in messages (default: its file); ``shown`` says how each
    key was given (the command line passes ``--set KEY=VALUE`` as typed). Raises
    :class:`simulation.scenario.ScenarioError`.
    """
    from .scenario import ScenarioError, _key_path, parse_scenario

    before = origin(scenario)
    base = source if source is not None else (before.path or "<scenario>")
    if not isinstance(overrides, Mapping):
        raise ScenarioError(base, [("", f"overrides must be a mapping of dotted keys to values, got "
                                        f"{type(overrides).__name__}")])
    if not overrides:
        return scenario
    shown = dict(shown or {})

    def label(key: str) -> str:
        return shown.get(key) or f"{key}={_toml_text(overrides[key]) if overrides[key] is not None else 'None'}"

    data = _resolved_data(scenario)
    values = {key: _plain(value) for key, value in overrides.items()}
    located: dict[str, list] = {}
    for key, value in values.items():
        try:
            located[key] = _apply_one(data, key, value)
        except ValueError as exc:
            raise ScenarioError(f"{base} with {label(key) if isinstance(key, str) else '?'}", [("", str(exc))]
                                ) from None
        except _Problem as exc:
            raise ScenarioError(f"{base} with {label(key)}", [(exc.path, str(exc))]) from None
    everything = f"{base} with {' '.join(label(k) for k in values)}"
    try:
        new = parse_scenario(data, source=everything)
    except ScenarioError as exc:
        paths = {key: _key_path(loc, data) for key, loc in located.items()}
        blamed = set()
        for path, _ in exc.problems:
            hits = [k for k, p in paths.items() if path and (path == p or path.startswith((p + ".", p + "["))
                                                             or p.startswith((path + ".", path + "[")))]
            blamed.add(hits[0] if len(hits) == 1 else None)
        if len(blamed) == 1 and None not in blamed:
            raise ScenarioError(f"{base} with {label(blamed.pop())}", exc.problems) from None
        raise
    return _set_origin(new, before.with_overrides({k: _json_safe(v) for k, v in values.items()}))


def source_with_overrides(raw: bytes, overrides: tuple[tuple[str, Any], ...]) -> bytes:
    """The input file's bytes, headed by a comment naming the overrides applied (if any)."""
    if not overrides:
        return raw
    lines = ["# loket: this run changed the file below (see run.json 'overrides' and scenario.resolved.toml,",
             "# which hold what was simulated):"]
    for key, value in overrides:
        text = "removed (default)" if value is None else _toml_text(value)
        lines.append(one_line(f"#   {key} = {text}"))
    return ("\n".join(lines) + "\n\n").encode("utf-8") + raw
