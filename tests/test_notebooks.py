"""The analysts' notebooks: committed without outputs, and each runs top to bottom in a fresh kernel.

Each notebook is executed with nbclient in a new ``python3`` kernel whose working folder is a
temporary one (so a path that depends on where Jupyter was started fails here), small
(``LOKET_NOTEBOOK_REPLICATIONS=3``, the validation notebook on two cases), and any error in
any cell fails the test with the cell's traceback.
"""

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
EXPECTED = ["01_quickstart.ipynb", "02_wfh_policy_dukcapil.ipynb", "03_puskesmas_pathway.ipynb",
            "04_validation.ipynb", "05_sensitivity.ipynb"]
IDS = [p.stem for p in NOTEBOOKS]


def test_the_notebooks_are_the_ones_the_readme_lists():
    assert [p.name for p in NOTEBOOKS] == EXPECTED
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert name in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_a_story_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "commit notebooks without outputs"
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    # Prose between the code: no more than two code cells in a row.
    kinds = "".join("c" if c["cell_type"] == "code" else "m" for c in cells)
    assert "ccc" not in kinds, kinds
    source = "\n".join("".join(c["source"]) for c in code)
    assert 'os.environ.get("LOKET_NOTEBOOK_REPLICATIONS"' in source  # the parameter CI shrinks
    assert "%matplotlib inline" in source  # charts inline
    # No path relative to the folder Jupyter was started in.
    assert not re.search(r"""["'](\.\./|scenarios/|notebooks/)""", source)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The kernel inherits this environment: small runs, results into the temporary folder, and
    # this source tree first on the path (CI installs the package without -e).
    monkeypatch.setenv("LOKET_NOTEBOOK_REPLICATIONS", "3")
    monkeypatch.setenv("LOKET_NOTEBOOK_VALIDATION", "smoke")
    monkeypatch.setenv("LOKET_NOTEBOOK_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(elsewhere)}})
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell's traceback, on any error
    seconds = time.perf_counter() - started
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the notebook draws its charts inline"
    assert not os.listdir(elsewhere), "the notebook wrote into the folder it was started in"
    print(f"{path.name}: {seconds:.1f} s")
