"""Every number in a shipped scenario says where it comes from.

The rule (docs/sources.md, first paragraph): each number in ``scenarios/*.toml`` is commented
either with a section of ``docs/sources.md`` ("§3.4", "docs/sources.md §7.2") or with the word
"estimate". A comment applies to the statement on its own line (a trailing comment) and to the
statements below a block of comment lines, up to the next blank line or the next comment block.
Times written as text ("08:00") count as numbers. Every section a scenario cites must exist in
docs/sources.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
SOURCES = ROOT / "docs" / "sources.md"

CITATION = re.compile(r"§\s*(\d+(?:\.\d+)?)")
COVERED = re.compile(r"§\s*\d|\bestimate", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.])[+-]?\d")
TIME = re.compile(r"^\d{1,2}:\d{2}$")


@dataclass
class Statement:
    """One ``key = value`` of a TOML file (possibly over several lines) and the comments that apply to it."""

    line: int
    code: str = ""                 # the code, strings removed (a time string kept as the word TIME)
    comments: list[str] = field(default_factory=list)

    @property
    def numeric(self) -> bool:
        value = self.code.split("=", 1)[1] if "=" in self.code else self.code
        return bool(NUMBER.search(value)) or "TIME" in value


def _scan_line(line: str, in_string: str | None):
    """Split one line into code (strings blanked), the comment, and the multi-line string still open."""
    code, comment, i = [], "", 0
    while i < len(line):
        if in_string:
            end = line.find(in_string, i)
            if end < 0:
                return "".join(code), comment, in_string
            i, in_string = end + 3, None
            code.append('""')
            continue
        ch = line[i]
        if ch == "#":
            comment = line[i + 1:]
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            in_string, i = line[i:i + 3], i + 3
            continue
        if ch in "\"'":
            j, text = i + 1, []
            while j < len(line) and line[j] != ch:
                if ch == '"' and line[j] == "\\":
                    j += 1
                text.append(line[j] if j < len(line) else "")
                j += 1
            code.append(' TIME ' if TIME.match("".join(text)) else '""')
            i = j + 1
            continue
        code.append(ch)
        i += 1
    return "".join(code), comment, in_string


def statements(text: str) -> list[Statement]:
    """The statements of a TOML file, each with its own comments and its comment block's."""
    out: list[Statement] = []
    block: list[str] | None = None       # the comment block governing the current paragraph
    last_was_comment = False
    current: Statement | None = None
    depth, in_string = 0, None
    for number, line in enumerate(text.splitlines(), 1):
        code, comment, in_string_after = _scan_line(line, in_string)
        if current is not None:          # inside a multi-line statement
            current.code += " " + code
            if comment:
                current.comments.append(comment)
        elif code.strip():
            stripped = code.strip()
            if stripped.startswith("[") and "=" not in stripped.split("]", 1)[0]:
                # a table header: not a statement; it does not end the paragraph
                last_was_comment = False
                in_string = in_string_after
                continue
            current = Statement(number, code, [comment] if comment else [])
            current.comments.extend(block or [])
        elif comment or line.strip().startswith("#"):
            block = (block + [comment]) if (last_was_comment and block is not None) else [comment]
            last_was_comment = True
            in_string = in_string_after
            continue
        else:                            # a blank line ends the paragraph
            block, last_was_comment = None, False
            in_string = in_string_after
            continue
        last_was_comment = False
        depth += code.count("[") + code.count("{") - code.count("]") - code.count("}")
        in_string = in_string_after
        if depth <= 0 and in_string is None:
            out.append(current)
            current, depth = None, 0
    return out


def uncommented_numbers(text: str) -> list[int]:
    """Lines of statements holding a number with neither a § citation nor "estimate" in their comments."""
    return [s.line for s in statements(text) if s.numeric and not any(COVERED.search(c) for c in s.comments)]


def citations(text: str) -> set[str]:
    """Every § section cited in the file's comments."""
    found = set()
    for line in text.splitlines():
        _, comment, _ = _scan_line(line, None)
        found.update(CITATION.findall(comment))
    return found


def defined_sections(markdown: str) -> set[str]:
    """Sections of docs/sources.md: headings "## N. ..." and items "**N.k ...**"."""
    sections = set(re.findall(r"^## (\d+)\.", markdown, re.MULTILINE))
    sections |= set(re.findall(r"^\*\*(\d+\.\d+)\b", markdown, re.MULTILINE))
    return sections


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_number_cites_a_source_or_says_estimate(path):
    missing = uncommented_numbers(path.read_text(encoding="utf-8"))
    assert not missing, f"{path.name}: lines {missing} hold a number with no § section and no 'estimate'"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_cited_section_exists(path):
    defined = defined_sections(SOURCES.read_text(encoding="utf-8"))
    cited = citations(path.read_text(encoding="utf-8"))
    assert cited, f"{path.name} cites no section of docs/sources.md"
    assert not cited - defined, f"{path.name} cites sections docs/sources.md does not have: {sorted(cited - defined)}"


def test_sources_cross_references_exist():
    text = SOURCES.read_text(encoding="utf-8")
    defined = defined_sections(text)
    cited = set(CITATION.findall(text))
    assert {"1", "2", "3", "4", "5", "6", "7", "8", "9"} <= defined
    assert not cited - defined, sorted(cited - defined)


def test_sources_md_has_a_what_changed_section():
    text = SOURCES.read_text(encoding="utf-8")
    assert re.search(r"^## \d+\. What changed and why", text, re.MULTILINE)


# --- the checker itself catches what it should ---------------------------------------------------

BAD = '''
name = "x"
description = """three lines
08:00 here is text, not a number"""

[run]
days = 10                 # two weeks (§8)
open = "08:00"
seed = 7                  # §99.9

# Demand (estimate): the block covers the lines under it
[[arrivals]]
per_hour = [1, 2,
            3]
travel = { dist = "lognormal", mean = 25, cv = 0.6 }

max_trips = 3
classes = [
    { name = "a", share = 0.1 },   # §7.1
]
label = "WFH 50%"
'''


def test_the_checker_flags_uncommented_numbers_and_only_those():
    assert uncommented_numbers(BAD) == [8, 17]   # open = "08:00" and max_trips after the blank line


def test_the_checker_reads_citations_from_comments_only():
    assert citations(BAD) == {"8", "99.9", "7.1"}
    assert defined_sections("## 8. Run settings\n\n**7.1 Common.** text §7.1\n") == {"8", "7.1"}


def test_the_shipped_sources_file_does_not_define_a_made_up_section():
    assert "99.9" not in defined_sections(SOURCES.read_text(encoding="utf-8"))
