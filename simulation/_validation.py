"""Shared pieces of scenario validation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

__all__ = ["Frozen", "KeyPathError", "DAY_NAMES", "DayName"]


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
