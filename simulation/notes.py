"""Notes on a scenario's figures — which are estimates, and why — kept as data.

A planner marks a figure as an estimate with a comment beside or above it::

    staff = 2                   # (estimate, docs/sources.md §7.2)

or, as data, in the scenario's ``[notes]`` table, keyed by the figure's dotted key (the
key syntax of ``--set``)::

    [notes]
    "stations.verifikasi.staff" = "estimate, docs/sources.md §7.2"

A note whose text says *estimate*, *estimated*, *assumption*, *perkiraan* or *asumsi*
marks the figure as an estimate: the report lists it, with the note, under "What the
numbers rest on" — the figure named in words (``Meja pelayanan: 2 officers``, see
:mod:`simulation.figure_words`). ``loket check`` validates the table (every key must name
a key the scenario has; a note is one line of plain text of at most 400 characters).

**Both languages.** ``[notes]`` (and the comments) are the notes in English; a
``[notes_id]`` table gives them in Bahasa Indonesia, by the same keys::

    [notes_id]
    "stations.verifikasi.staff" = "perkiraan, docs/sources.md §7.2"

The Indonesian report shows a figure's ``[notes_id]`` note, the English one its
``[notes]`` note (or comment); a figure noted in one language only shows that note in both.
A figure is an estimate when either note says so.

Comments are lost when a scenario is written out again, so Loket turns them into data:
``scenario.resolved.toml`` (and the web page's "this plan as a scenario file") carries a
``[notes]`` table with the ``[notes]`` of the input and every estimate its comments mark
(:func:`scenario_notes`), and its ``[notes_id]`` likewise. A run from the resolved file
therefore lists the same estimates as the run it came from. A note on a figure that a
variant changed (``--set``, or the web page's settings) is not carried: the figure is no
longer the one the note was about.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

__all__ = ["ESTIMATE", "MAX_NOTE", "NOTE_TABLES", "comment_notes", "estimates", "note_key_problem", "scenario_notes",
           "value_at"]

ESTIMATE = re.compile(r"\b(estimate|estimated|perkiraan|asumsi|assumption)\b", re.IGNORECASE)
"""A note that marks its figure as an estimate."""

MAX_NOTE = 400
"""Longest note kept (characters)."""

NOTE_TABLES = {"en": "notes", "id": "notes_id"}
"""The table holding a scenario's notes in each language (comments count as ``notes``)."""

_BARE = re.compile(r"[A-Za-z0-9_\-]+")


# ---------------------------------------------------------------------------------------
# Reading comments


def _lines(text: str) -> list[tuple[str, str | None, int]]:
    """Each line as ``(code, comment, depth)``: the TOML outside comments, the comment's text
    (None if none), and the bracket depth at the end of the line (a value spanning lines).
    Strings — one-line and multi-line, basic and literal — are skipped, so a ``#`` or a
    bracket inside one is not taken for a comment or a bracket."""
    out = []
    depth = 0
    in_string: str | None = None  # the closing quote: '"', "'", '"""' or "'''"
    for line in text.split("\n"):
        code: list[str] = []
        comment = None
        i = 0
        while i < len(line):
            ch = line[i]
            if in_string is not None:
                if in_string in ('"', '"""') and ch == "\\":
                    code.append(line[i:i + 2])
                    i += 2
                    continue
                if line.startswith(in_string, i):
                    code.append(in_string)
                    i += len(in_string)
                    in_string = None
                    continue
                code.append(ch)
                i += 1
                continue
            if ch == "#":
                comment = line[i + 1:].strip()
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                in_string = line[i:i + 3]
                code.append(in_string)
                i += 3
                continue
            if ch in "\"'":
                in_string = ch
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth = max(depth - 1, 0)
            code.append(ch)
            i += 1
        if in_string in ('"', "'"):  # a one-line string never spans lines (bad TOML: the parser says so)
            in_string = None
        out.append(("".join(code).strip(), comment, depth))
    return out


def _split_key(text: str) -> list[str] | None:
    """``a.b."c.d"`` -> ``["a", "b", "c.d"]`` (None if not a key)."""
    parts = []
    rest = text.strip()
    while rest:
        if rest[0] in "\"'":
            end = rest.find(rest[0], 1)
            if end < 0:
                return None
            parts.append(rest[1:end])
            rest = rest[end + 1:].strip()
        else:
            m = _BARE.match(rest)
            if not m:
                return None
            parts.append(m.group())
            rest = rest[m.end():].strip()
        if rest.startswith("."):
            rest = rest[1:].strip()
            if not rest:
                return None
        elif rest:
            return None
    return parts or None


def _dotted(parts: list, data: dict) -> str | None:
    """The ``--set`` key of a location with list positions (``["stations", 1, "staff"]``)."""
    from .scenario import entry_names

    out: list[str] = []
    node: Any = data
    for i, part in enumerate(parts):
        if isinstance(part, int):
            names = entry_names(node, parts[i - 1] if i else "")
            if not 0 <= part < len(names) or names[part] is None:
                return None
            out.append(names[part])
            node = node[part]
        else:
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out)


def comment_notes(text: str, data: dict | None = None) -> dict[str, str]:
    """The estimates a scenario file's comments mark, as ``{dotted key: note}``, in file order.

    A key's note is the comment at the end of its line (and on the lines of a value that
    spans several), after any run of comment lines just above it; only notes that mark an
    estimate (:data:`ESTIMATE`) are kept. ``data`` is the parsed file (read here if None): it
    names the entries of ``[[stations]]`` and ``[[arrivals]]``.
    """
    if data is None:
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            return {}
    table: list = []
    seen: dict[tuple, int] = {}
    pending: list[str] = []
    found: dict[str, str] = {}
    owner: tuple[list, list[str]] | None = None  # a value spanning lines: its key and its notes
    for code, comment, depth in _lines(text):
        if owner is not None:  # inside a value that spans lines
            if comment:
                owner[1].append(comment)
            if depth == 0:
                _record(found, owner[0], owner[1], data)
                owner = None
            continue
        if not code:
            if comment is not None:
                pending.append(comment)
            continue
        header = re.fullmatch(r"\[\[(.+)\]\]|\[(.+)\]", code)
        if header:
            pending = []
            parts = _split_key(header.group(1) or header.group(2))
            if parts is None:
                table = ["?"]
            elif header.group(1):  # [[stations]]: the next entry of that list
                n = seen.get(tuple(parts), -1) + 1
                seen[tuple(parts)] = n
                table = [*parts, n]
            else:
                table = parts
            continue
        key_text, eq, _ = code.partition("=")
        parts = _split_key(key_text) if eq else None
        if parts is None:
            pending = []
            continue
        notes = pending + ([comment] if comment else [])
        pending = []
        if depth > 0:
            owner = ([*table, *parts], notes)
            continue
        _record(found, [*table, *parts], notes, data)
    return found


def _record(found: dict, parts: list, notes: list[str], data: dict) -> None:
    text = " ".join(n for n in notes if n)
    if not ESTIMATE.search(text):
        return
    key = _dotted(parts, data)
    if key is None or key.split(".")[0] in NOTE_TABLES.values():
        return
    found.setdefault(key, _one_line(text))


def _one_line(text: str) -> str:
    from ._validation import shorten

    text = re.sub(r"[\x00-\x1f\x7f\u0080-\u009f\u2028\u2029]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    # shorten() appends "(1,120 characters)": cut further so the note stays within MAX_NOTE, the
    # limit `loket check` holds [notes] to (else a resolved scenario could not be read back).
    short = shorten(text, MAX_NOTE)
    return short if len(short) <= MAX_NOTE else shorten(text, 2 * MAX_NOTE - len(short))


# ---------------------------------------------------------------------------------------
# Keys and values


def value_at(data: dict, key: str) -> tuple[bool, Any]:
    """The value at a dotted ``key`` of the resolved scenario ``data``: ``(found, value)``.

    Tables by key, list entries (stations, arrivals, classes) by name, as ``--set``; a key
    part may hold dots (a policy ``wfh.v2``): the longest match wins.
    """
    from .scenario import entry_names

    parts = key.split(".")
    node: Any = data
    i = 0
    parent = ""
    while i < len(parts):
        hit = None
        for j in range(len(parts), i, -1):
            candidate = ".".join(parts[i:j])
            if isinstance(node, dict) and candidate in node:
                hit = (node[candidate], j, candidate)
                break
            if isinstance(node, (list, tuple)):
                names = entry_names(node, parent)
                if candidate in names:
                    hit = (node[names.index(candidate)], j, candidate)
                    break
        if hit is None:
            return False, None
        node, i, parent = hit
    return True, node


def note_key_problem(data: dict, key: str) -> str | None:
    """Why ``key`` cannot carry a note in the scenario ``data`` (None if it can)."""
    if not key or any(not p.strip() for p in key.split(".")):
        return "a note's key is a dotted key such as 'stations.ektp.staff'"
    if key.split(".")[0] in NOTE_TABLES.values():
        return "a note is about a figure of the scenario, not about another note"
    found, _ = value_at(data, key)
    if not found:
        return "names no key of the scenario (a note's key is dotted as for --set, e.g. 'stations.ektp.staff')"
    return None


# ---------------------------------------------------------------------------------------
# A scenario's notes


def _own_notes(scenario, table: str = "notes") -> dict[str, str]:
    """A scenario's ``[notes]``, then the estimates its file's comments mark (not already noted);
    for ``table="notes_id"`` its ``[notes_id]`` (comments are ``[notes]``)."""
    from .overrides import origin

    notes: dict[str, str] = dict(getattr(scenario, table))
    raw = origin(scenario).raw if table == "notes" else None
    if raw is not None:
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            text = ""
        for key, note in comment_notes(text).items():
            notes.setdefault(key, note)
    return notes


def scenario_notes(scenario, base=None, table: str = "notes") -> dict[str, str]:
    """Every note of ``scenario``: its ``[notes]`` table, then the estimates its file's
    comments mark (``table="notes_id"``: its ``[notes_id]``, the notes in Bahasa Indonesia).
    Notes on figures ``--set`` changed are left out. With ``base`` (the scenario a variant was
    made from: the office a web-page plan starts from), ``base``'s notes are taken too, except
    on figures whose value the variant changed."""
    from .overrides import origin

    notes = _own_notes(scenario, table)
    data = scenario.model_dump(by_alias=True, mode="json", exclude_none=True)
    changed = [key for key, _ in origin(scenario).overrides]
    if base is not None:
        notes = {**_own_notes(base, table), **notes}
        theirs = base.model_dump(by_alias=True, mode="json", exclude_none=True)
        mine = getattr(scenario, table)
        changed += [k for k in notes if k not in mine and value_at(data, k) != value_at(theirs, k)]
    return {k: v for k, v in notes.items()
            if not any(k == c or k.startswith(c + ".") or c.startswith(k + ".") for c in changed)
            and note_key_problem(data, k) is None}


def estimates(data: dict, lang: str = "en") -> list[dict]:
    """The figures a resolved scenario (``data``, with its ``[notes]`` and ``[notes_id]``) marks
    as estimates, for the report: ``{"key", "value", "comment"}`` in the order of the notes,
    ``comment`` the note in ``lang`` (the other language's where it has none)."""
    from .scenario import _toml

    tables = {name: {k: v for k, v in (data.get(name) or {}).items() if isinstance(v, str)}
              for name in NOTE_TABLES.values()}
    own = tables[NOTE_TABLES[lang]]
    out = []
    for key in dict.fromkeys(k for table in tables.values() for k in table):
        notes = [table[key] for table in tables.values() if key in table]
        if not any(ESTIMATE.search(n) for n in notes):
            continue
        found, value = value_at(data, key)
        if not found:
            continue
        note = own.get(key) or notes[0]
        out.append({"key": key, "value": _value_text(value, _toml)[:80], "comment": note[:MAX_NOTE]})
    return out


def _value_text(value: Any, toml) -> str:
    if isinstance(value, dict):  # a distribution's "dist" first, as files write it
        items = sorted(value.items(), key=lambda kv: kv[0] != "dist")
        return "{ " + ", ".join(f"{k} = {_value_text(v, toml)}" for k, v in items) + " }"
    return toml(value)
