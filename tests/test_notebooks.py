"""The analysts' notebooks run top to bottom against the public API."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_code_runs(path, monkeypatch):
    nb = json.loads(path.read_text())
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    monkeypatch.chdir(path.parent)
    namespace: dict = {}
    exec(compile(code, str(path), "exec"), namespace)
    assert "results" in namespace and len(namespace["results"].summary) > 0


def test_there_is_a_notebook():
    assert NOTEBOOKS
