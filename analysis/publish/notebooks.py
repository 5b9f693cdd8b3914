"""Re-execute the committed chapter notebooks in place, without timings, so the same code gives the same bytes on any
machine."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from analysis import config

BOOK = config.REPO_ROOT / "book"
CELL_TIMEOUT_S = 300


def execute(paths=None) -> None:
    """Run each notebook (default: every one in book/) from its own folder and write it back; execution timestamps,
    which differ on every run, are neither kept nor recorded."""
    for path in sorted(paths or BOOK.glob("*.ipynb")):
        print(f"executing {path.relative_to(config.REPO_ROOT)}", flush=True)
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        NotebookClient(nb, timeout=CELL_TIMEOUT_S, record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nbformat.write(nb, path)
