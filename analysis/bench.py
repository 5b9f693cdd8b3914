"""Benchmark: all 43 editions cold, one edition cold, a no-change rebuild, the national book, and the naive loop."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import cache, config, editions, forces

NAIVE_FORCES = ["E23000032", "E23000002", "W15000003"]  # Kent, Cumbria, South Wales


def _timed(label: str, func) -> float:
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    print(f"{label:<55} {seconds:8.1f} s", flush=True)
    return seconds


def _naive(code: str, root: Path) -> None:
    """The naive way: papermill's CLI once per chapter, then jupyter-book build, for one force."""
    bin_dir = Path(sys.executable).parent
    src = root / code
    shutil.copytree(config.REPO_ROOT / "book", src / "book")
    for name in editions.BOOK_FILES:
        shutil.copy2(config.REPO_ROOT / name, src / name)
    for nb in sorted((src / "book").glob("*.ipynb")):
        subprocess.run([str(bin_dir / "papermill"), str(nb), str(nb), "-p", "force", code, "--cwd", str(nb.parent)],
                       check=True, capture_output=True)
    subprocess.run([str(bin_dir / "jupyter-book"), "build", str(src), "--path-output", str(root / f"{code}-out")],
                   check=True, capture_output=True)


def main() -> int:
    out = Path(tempfile.mkdtemp(prefix="pcp-bench-"))
    every = sorted(forces.force_codes())

    def cold():
        shutil.rmtree(cache.CACHE_DIR, ignore_errors=True)

    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = {}
    cold()
    rows["one edition, cold"] = _timed("one edition, cold (Kent)", lambda: editions.build_edition(
        "E23000032", out / "one", out / "one-figures", use_cache=False))
    cold()
    rows["all 43 editions, cold"] = _timed("all 43 editions, cold (2 parallel)", lambda: editions.build_many(
        every, jobs=2, use_cache=False, out_dir=out / "all", figures_dir=out / "all-figures"))
    rows["all 43 again, nothing changed"] = _timed("all 43 editions again, nothing changed", lambda: editions.build_many(
        every, jobs=2, use_cache=True, out_dir=out / "all", figures_dir=out / "all-figures"))
    jb = Path(sys.executable).with_name("jupyter-book")
    rows["national book, cold"] = _timed("national book, cold", lambda: subprocess.run(
        [str(jb), "build", str(config.REPO_ROOT), "--path-output", str(out / "national")], check=True,
        capture_output=True))
    naive_root = out / "naive"
    naive = _timed(f"naive loop, {len(NAIVE_FORCES)} forces (papermill CLI + jupyter-book each)",
                   lambda: [_naive(c, naive_root) for c in NAIVE_FORCES]) / len(NAIVE_FORCES)
    per_edition = rows["all 43 editions, cold"] / len(every)
    print(f"{'naive, per edition':<55} {naive:8.1f} s")
    print(f"{'ours, per edition (all 43 cold / 43)':<55} {per_edition:8.1f} s")
    print(f"{'speed-up per edition':<55} {naive / per_edition:8.1f} x")
    shutil.rmtree(out, ignore_errors=True)
    return 0


def policeuk_bench(months: int = 12, street_rows: int = 125_000) -> float:
    """Load and summarise a generated police.uk folder of a large force's year (~1.5M street rows); prints the time."""
    from analysis import policeuk
    from tests.fixtures.make_policeuk import write_folder

    with tempfile.TemporaryDirectory(prefix="pcp-policeuk-") as tmp:
        folder = write_folder(Path(tmp), months=months, street_rows=street_rows, lsoas=1000)

        def load_and_summarise():
            crimes = policeuk.load_folder(folder, "street", "kent")
            for place in policeuk.PLACES:
                policeuk.concentration(crimes, place)
            policeuk.concentration_curve(crimes, "LSOA")
            policeuk.monthly_concentration(crimes)
            policeuk.monthly_share(policeuk.load_folder(folder, "outcomes", "kent"), "Outcome type", policeuk.NO_SUSPECT)
            policeuk.monthly_share(policeuk.load_folder(folder, "stop-and-search", "kent"), "Outcome", policeuk.NFA)
            return len(crimes)

        start = time.perf_counter()
        rows = load_and_summarise()
        seconds = time.perf_counter() - start
    print(f"{f'police.uk folder: {months} months, {rows:,} street rows, load + summarise':<55} {seconds:8.1f} s")
    return seconds
