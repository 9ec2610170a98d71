"""Writing a table as CSV several times faster than ``DataFrame.to_csv``, byte for byte the same.

``to_csv(index=False, float_format=F)`` formats every float through a Python-level formatter
and every row through the ``csv`` module; for the visit table (hundreds of thousands of rows)
that is most of the time spent writing a results folder. :func:`write_csv` builds each column
as a list of strings once — floats with ``F % x`` (missing values empty), integers with
``str``, categories by formatting each category once and indexing by code — and joins the
rows. Quoting follows the ``csv`` module's ``QUOTE_MINIMAL`` (pandas' default): a field with
a comma, a double quote or a line break is quoted, inner quotes doubled.

A table with a column of any other kind (datetimes, nullable integers, mixed objects, floats
without a format, ...) is written by pandas itself, so the result is always exactly
``df.to_csv(path, index=False, float_format=F)``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["csv_rows", "csv_text", "round_as_written", "write_csv"]

_SPECIAL = (",", '"', "\n", "\r")


def _field(text: str) -> str:
    if any(c in text for c in _SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def _strings(col: pd.Series, float_format: str | None) -> list[str] | None:
    """The column's CSV fields, or None when pandas must write it."""
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories
        if not pd.api.types.is_string_dtype(cats.dtype) or not all(isinstance(c, str) for c in cats):
            return None
        table = [_field(c) for c in cats] + [""]  # code -1 (missing) -> the last entry: empty
        return [table[c] for c in col.cat.codes.to_numpy().tolist()]
    if dtype == np.bool_:
        return ["True" if v else "False" for v in col.to_numpy().tolist()]
    if pd.api.types.is_integer_dtype(dtype) and isinstance(dtype, np.dtype):
        return list(map(str, col.to_numpy().tolist()))
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = col.to_numpy().tolist()
        if float_format is None:
            return None  # pandas' own repr of floats: leave it to pandas
        fmt = float_format
        return ["" if v != v else fmt % v for v in values]
    if pd.api.types.is_string_dtype(dtype):  # object or str columns of text; missing values empty
        out = []
        for v in col.to_numpy(dtype=object).tolist():
            if isinstance(v, str):
                out.append(_field(v))
            elif v is None or (isinstance(v, float) and v != v):
                out.append("")
            else:
                return None
        return out
    return None


def csv_text(df: pd.DataFrame, float_format: str | None = None) -> str:
    """``df.to_csv(index=False, float_format=float_format)`` as text."""
    if not df.columns.is_unique or not all(isinstance(c, str) for c in df.columns):
        return df.to_csv(index=False, float_format=float_format)
    columns = []
    for name in df.columns:
        strings = _strings(df[name], float_format)
        if strings is None:  # a kind of column written by pandas: let pandas write the table
            return df.to_csv(index=False, float_format=float_format)
        columns.append(strings)
    header = ",".join(_field(c) for c in df.columns)
    if len(df.columns) == 1:
        # The csv module quotes an empty field when it is the only one on its line.
        rows = ['""' if v == "" else v for v in columns[0]]
    else:
        rows = list(map(",".join, zip(*columns)))
    if not rows:
        return header + os.linesep
    return header + os.linesep + os.linesep.join(rows) + os.linesep


def csv_rows(df: pd.DataFrame, float_format: str | None = None, chunk_rows: int = 50_000) -> str:
    """The rows of ``csv_text(df, float_format)`` without the header line, formatted ``chunk_rows`` at a time
    (the strings of one chunk at a time in memory, not of the whole table)."""
    parts = []
    for start in range(0, len(df), chunk_rows):
        parts.append(csv_text(df.iloc[start:start + chunk_rows], float_format).split(os.linesep, 1)[1])
    return "".join(parts)


def write_csv(df: pd.DataFrame, path: str | Path, float_format: str | None = None, chunk_rows: int = 200_000) -> None:
    """Write ``df`` to ``path`` exactly as ``df.to_csv(path, index=False, float_format=float_format)``.

    Large tables are formatted ``chunk_rows`` rows at a time, so the text in memory stays small.
    """
    with open(path, "w", encoding="utf-8", newline="") as f:
        if len(df) <= chunk_rows:
            f.write(csv_text(df, float_format))
            return
        for start in range(0, len(df), chunk_rows):
            text = csv_text(df.iloc[start:start + chunk_rows], float_format)
            if start:
                text = text.split(os.linesep, 1)[1]  # the header once
            f.write(text)


def round_as_written(x: np.ndarray, decimals: int) -> np.ndarray:
    """``x`` as a CSV written with ``"%.{decimals}f"`` reads back: exactly ``float(f"{v:.{decimals}f}")``.

    The charts of a run are drawn from these values, so that they are the same charts that
    ``loket report`` later draws from the CSV file. Rounding is done in bulk (``rint(x *
    10**d) / 10**d``, which is exact when the product lands on the right integer); the rare
    values within rounding error of a tie are formatted one by one instead.
    """
    x = np.asarray(x, dtype=float)
    scale = 10.0**decimals
    scaled = x * scale
    out = np.rint(scaled) / scale
    frac = np.abs(scaled - np.floor(scaled) - 0.5)
    doubt = np.flatnonzero(frac <= 4e-16 * np.abs(scaled) + 1e-300)
    if len(doubt):
        fmt = f"%.{decimals}f"
        out[doubt] = [float(fmt % v) for v in x[doubt].tolist()]
    return out
