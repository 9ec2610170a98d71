"""How a visit ends: the one list of outcomes that the model, statistics, charts and report share.

Every visit a citizen makes to a station ends in exactly one outcome:

* ``served`` — called to a counter and served;
* ``turned_away`` — sent home without being called: the day's queue numbers were gone,
  the office closed while they waited (``after_close = "turn_away"``), or they reached the
  station after closing;
* ``reneged`` — gave up waiting when their patience ran out;
* ``balked`` — left at once because of the queue they saw (its length, or the displayed
  expected wait);
* ``online`` — the visit was submitted online and handled by an officer working from home
  (``service_start`` is empty if nobody picked it up before the simulated period ended).

``visits.csv`` writes the names; the model records the codes (:class:`Outcome`).
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Outcome", "OUTCOMES", "SENT_HOME", "NOT_MADE"]


class Outcome(IntEnum):
    """Outcome codes as the model records them (``OUTCOMES[code]`` is the name)."""

    SERVED = 0
    TURNED_AWAY = 1
    RENEGED = 2
    BALKED = 3
    ONLINE = 4


OUTCOMES: tuple[str, ...] = tuple(o.name.lower() for o in Outcome)
"""Outcome names, in code order: ``served, turned_away, reneged, balked, online``."""

SENT_HOME: tuple[str, ...] = ("turned_away", "balked", "reneged")
"""Outcomes of a visit that ended with the citizen going home unserved."""

NOT_MADE = -1
"""Code of a visit on a citizen's planned route that never happened (they went home earlier)."""
