"""Shared pieces of scenario validation."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .limits import MAX_LABEL, MAX_MINUTES, MAX_TEXT

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

__all__ = ["Frozen", "KeyPathError", "DAY_NAMES", "DayName", "Minutes", "Label", "Text", "one_line", "shorten",
           "check_plain_text"]


class Frozen(BaseModel):
    """A scenario table: immutable once built, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class KeyPathError(ValueError):
    """A cross-field problem found by a model validator, located below the model.

    ``key_path`` continues the location pydantic reports for the model, so the message
    can name the exact key (``policies.wfh_half.wfh_share.ektp``).
    """

    def __init__(self, key_path: tuple, message: str):
        self.key_path = key_path
        super().__init__(message)


# Control characters (newlines, tabs, escapes), Unicode line and paragraph separators,
# and the bidirectional overrides that make text display in another order than it is stored.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def one_line(text: str) -> str:
    """``text`` safe to print on one line of a terminal: control characters shown as escapes (``\\n``)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to about ``limit`` characters, saying how long it was."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}...{text[-8:]} ({len(text):,} characters)"


def check_plain_text(text: str) -> str:
    """One line of printable text: no control characters, no line breaks."""
    bad = _UNSAFE.search(text)
    if bad:
        raise ValueError(f"must be one line of plain text; it contains the control character "
                         f"{bad.group().encode('unicode_escape').decode('ascii')} "
                         f"({unicodedata.name(bad.group(), f'U+{ord(bad.group()):04X}')})")
    return text


def _check_text(text: str) -> str:
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        raise ValueError(f"contains the control character {bad.group().encode('unicode_escape').decode('ascii')}")
    return text


Minutes = Annotated[float, Field(ge=0, le=MAX_MINUTES, allow_inf_nan=False)]
"""A time in minutes: at most a week."""
Label = Annotated[str, Field(max_length=MAX_LABEL), AfterValidator(check_plain_text)]
"""A name shown in charts and tables: one line of plain text."""
Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_check_text)]
"""Free text (a description): line breaks allowed, other control characters not."""
