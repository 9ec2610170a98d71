"""The per-visit table on its way to disk, one replication at a time.

A long run makes millions of visits. Rather than gather them all in memory before writing
``visits.csv``, each worker formats its replication's visits as CSV text and the main
process appends it, in replication order, to one file per policy; ``visits.csv`` is then
the header followed by those files, policy after policy — the same bytes as writing the
whole table at once, whatever the number of workers. Memory holds one replication at a
time instead of all of them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path

import pandas as pd

__all__ = ["VisitsSpool"]

_BLOCK = 1 << 20


class VisitsSpool:
    """``visits.csv`` being written: the rows of each policy in a temporary file, replications in order.

    The temporary folder is removed by :meth:`remove`, or when the spool is garbage
    collected, or at exit.
    """

    def __init__(self, policies: list[str], columns: list[str], dtypes: dict):
        self.policies = list(policies)
        self.columns = list(columns)
        self.dtypes = dict(dtypes)
        self.folder = Path(tempfile.mkdtemp(prefix="loket-visits-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        self._paths = [self.folder / f"{i}.csv" for i in range(len(self.policies))]
        self._files = [open(p, "w", encoding="utf-8", newline="") for p in self._paths]  # noqa: SIM115

    def append(self, texts: list[str]) -> None:
        """One replication: the CSV rows (no header) of each policy, in policy order."""
        for f, text in zip(self._files, texts):
            f.write(text)

    def close(self) -> None:
        for f in self._files:
            if not f.closed:
                f.close()

    def write_csv(self, path: Path) -> None:
        """Write ``visits.csv`` to ``path``: the header, then every policy's rows."""
        self.close()
        with open(path, "wb") as out:
            out.write((",".join(self.columns) + os.linesep).encode("utf-8"))
            for part in self._paths:
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, _BLOCK)

    def chunks(self, rows: int = 500_000):
        """The visits as DataFrames of at most ``rows`` rows, with the table's own column types."""
        self.close()
        for part in self._paths:
            if part.stat().st_size == 0:
                continue
            yield from pd.read_csv(part, names=self.columns, header=None, dtype=self.dtypes, chunksize=rows)

    def read(self) -> pd.DataFrame:
        """The whole table in memory (as ``results.visits`` holds it)."""
        frames = list(self.chunks())
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype=self.dtypes.get(c, float)) for c in self.columns})
        return pd.concat(frames, ignore_index=True)

    def remove(self) -> None:
        self.close()
        self._cleanup()
