"""A clone from GitHub has no ../shared beside it: nothing the book or analysis/ runs may read it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from analysis import config

SHARED = config.REPO_ROOT.parent / "shared"
# What a path into the workspace's shared folder looks like in source code.
SHARED_REFERENCE = re.compile(r"\.\./shared|/shared/(data|evidence)|parent\s*/\s*[\"']shared[\"']")
CHECKED = ("analysis", "book", "editions", "_config.yml", "_toc.yml", "Makefile", "environment.yml")

# Run in the copy: every manifest file located, then every loader, while an audit hook records each file opened.
PROBE = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and args and isinstance(args[0], str) else None)
from analysis.sources import (boundaries, census, csew, evidence, files, forces, iopc, manifest, met_pas, pfa_tables,
                              policeuk, population, stop_search, use_of_force, workforce)
for file_id in manifest.load_manifest():
    files.locate(file_id)
forces.registry(); csew.load_national_series(); csew.load_headlines(); csew.load_open_data()
met_pas.load_boroughs(); stop_search.load_searches(); census.census2011_by_ethnicity()
workforce.load_workforce(); workforce.national_strength()
population.population_by_year(); census.census2021_by_ethnicity(); population.context_features()
for year in (2018, 2019):
    pfa_tables.recorded_crime_rate(year)
pfa_tables.recorded_crime(pfa_tables.DEC_2024); boundaries.boundaries()
iopc.national_series(); iopc.by_force(); evidence.load_register()
for year in use_of_force.FILES:
    use_of_force.load(year)
for kind in policeuk.SAMPLE:
    policeuk.load(kind)
print("\\n".join(opened))
"""


def tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=config.REPO_ROOT, capture_output=True, check=True).stdout
    return [config.REPO_ROOT / p for p in out.decode().split("\0") if p]


def test_no_source_file_names_the_shared_folder():
    hits = []
    for path in tracked_files():
        rel = path.relative_to(config.REPO_ROOT)
        if rel.parts[0] in CHECKED and path.suffix in {".py", ".ipynb", ".md", ".yml", ""}:
            text = path.read_text(encoding="utf-8", errors="replace")
            hits += [f"{rel}: {m.group(0)}" for m in SHARED_REFERENCE.finditer(text)]
    assert not hits, hits


def test_the_loaders_run_from_a_copy_with_no_shared_folder_beside_it(tmp_path):
    """Copy the tracked files where no ../shared exists, point HOME there, and run every loader."""
    clone = tmp_path / "clone"
    for path in tracked_files():
        target = clone / path.relative_to(config.REPO_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    assert not (clone.parent / "shared").exists()
    env = {k: v for k, v in os.environ.items() if k != config.MIRROR_ENV}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(clone))
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=clone, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    opened = run.stdout.splitlines()
    data = [p for p in opened if "/data/" in p]
    assert data and all(p.startswith(str(clone)) for p in data), data[:5]
    assert not [p for p in opened if p.startswith(str(SHARED))]
