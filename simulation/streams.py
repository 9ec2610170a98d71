"""Named random-number streams: no global random state, common random numbers by design.

Every random quantity in a replication comes from its own stream, derived from the
scenario's seed as ``SeedSequence(seed, spawn_key=(replication, kind, name))``:

* ``kind`` says what the stream is for (arrival times, service times, routing, ...), in a
  fixed order that never changes;
* ``name`` is the arrival stream or station it belongs to, hashed (CRC-32) so that adding,
  removing or reordering stations leaves every other station's numbers untouched.

Two staffing policies of the same scenario therefore see exactly the same citizens:
same arrival times, same service requirements, same routes. Different replications get
independent streams, and replication ``r`` is the same whichever worker process runs it.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["KINDS", "random_stream"]

KINDS = {
    "arrivals": 0,  # arrival times, per arrival stream
    "service": 1,  # service requirements, per station
    "routing": 2,  # where a citizen goes next, per arrival stream
    "patience": 3,  # how long a citizen will wait, per station
    "class": 4,  # priority class of a citizen, per arrival stream
    "channel": 5,  # counter or online, per station
    "return": 6,  # whether and when a sent-home citizen comes back, per arrival stream
    "travel": 7,  # travel time to the office, per arrival stream
}


def random_stream(seed: int, replication: int, kind: str, name: str) -> np.random.Generator:
    """The generator for one random source of one replication."""
    key = (int(replication), KINDS[kind], zlib.crc32(name.encode("utf-8")))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))
