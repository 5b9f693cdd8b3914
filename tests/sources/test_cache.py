"""The disk cache misses when anything its result depends on changes, and hits otherwise; in-memory caches hand out
copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy
import pandas as pd
import pytest
import scipy
import statsmodels

from analysis import config
from analysis.methods.funnel import Funnel
from analysis.sources import cache, fingerprint, forces, lookups, manifest

RUNS: list[int] = []


@cache.on_disk
def toy() -> dict:
    """A cached function that reads the force registry, and counts its runs."""
    RUNS.append(1)
    return {"forces": len(forces.registry())}


@pytest.fixture
def disk(tmp_path, monkeypatch):
    """An empty cache folder, and copies of the manifest and force registry that a test may change."""
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    for name in ("MANIFEST_PATH", "FORCES_PATH"):
        copy = tmp_path / getattr(config, name).name
        shutil.copy(getattr(config, name), copy)
        monkeypatch.setattr(config, name, copy)
    RUNS.clear()
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_call_reads_the_disk(disk, monkeypatch):
    first = toy()
    # Where the raw files are kept matters only through their checksums.
    monkeypatch.setenv(config.MIRROR_ENV, str(disk / "elsewhere"))
    assert toy() == first == {"forces": 43}
    assert len(RUNS) == 1 and len(list((disk / "cache").glob("toy-*.pkl"))) == 1


def _setting(disk, monkeypatch):
    monkeypatch.setattr(config, "MIN_EVENTS_FOR_RATIO", config.MIN_EVENTS_FOR_RATIO + 1)


def _lookup_checksum(disk, monkeypatch):
    # The area-to-force lookup, as every raw file, counts through its sha256 in the manifest.
    _edit(config.MANIFEST_PATH, manifest.raw_file(lookups.LOOKUP_FILE).sha256, "0" * 64)


def _force_registry(disk, monkeypatch):
    _edit(config.FORCES_PATH, "Kent Police", "Kent Constabulary")


def _code_reached_through_another_module(disk, monkeypatch):
    # This file imports forces, which imports schemas: schemas is reached only through another module.
    schemas = fingerprint.PACKAGE_DIR / "sources" / "schemas.py"
    here = Path(__file__).resolve()
    assert schemas not in fingerprint._imported(here) and schemas in fingerprint.reached(here)
    source = fingerprint._source
    monkeypatch.setattr(fingerprint, "_source", lambda path: source(path) + (b"\n# edited" if path == schemas else b""))


def _version(module):
    def change(disk, monkeypatch):
        monkeypatch.setattr(module, "__version__", module.__version__ + ".post1")

    return change


@pytest.mark.parametrize("change", [
    _setting, _lookup_checksum, _force_registry, _code_reached_through_another_module,
    *(_version(m) for m in (pd, numpy, scipy, statsmodels)),
], ids=["setting", "lookup checksum", "forces.csv", "code reached", "pandas", "numpy", "scipy", "statsmodels"])
def test_a_change_misses(disk, monkeypatch, change):
    toy()
    change(disk, monkeypatch)
    toy()
    assert len(RUNS) == 2 and len(list((disk / "cache").glob("toy-*.pkl"))) == 2
    toy()
    assert len(RUNS) == 2  # the new result is kept under the new key


def test_settings_read_values_not_places(monkeypatch):
    """A folder's place is no setting; a file's bytes are, and a set counts in a fixed order."""
    before = fingerprint.settings()
    monkeypatch.setattr(config, "BUILD_DIR", Path("/elsewhere"))
    assert fingerprint.settings() == before
    monkeypatch.setattr(config, "EXAMPLE_SET", frozenset({"b", "a"}), raising=False)
    assert "EXAMPLE_SET=['a', 'b']" in fingerprint.settings()


def test_in_memory_hands_out_copies():
    @cache.in_memory
    def shared() -> tuple:
        return pd.DataFrame({"x": [1, 2]}), {"rows": [1]}, "text"

    frame, mapping, _ = shared()
    frame.loc[0, "x"] = 99
    mapping["rows"].append(2)
    again, mapping_again, text = shared()
    assert again["x"].tolist() == [1, 2] and mapping_again == {"rows": [1]} and text == "text"


def test_in_memory_copies_the_tables_a_fit_holds():
    """A kept funnel (a frozen dataclass holding tables) is handed out with its own tables; one holding none is
    handed out as it is."""
    @cache.in_memory
    def fitted() -> Funnel:
        return Funnel(table=pd.DataFrame({"value": [1.0]}), curve=pd.DataFrame(), centre=1.0, spread={"phi": 2.0})

    first = fitted()
    first.table["value"] = 99.0
    first.spread["phi"] = 0.0
    again = fitted()
    assert again.table["value"].tolist() == [1.0] and again.spread == {"phi": 2.0} and again.centre == 1.0
    kent = forces.resolve("Kent")
    assert cache._copied(kent) is kent


def test_a_loader_hands_out_copies():
    registry = forces.registry()
    registry.loc[0, "name"] = "changed"
    assert forces.registry().loc[0, "name"] != "changed"
    forces.registry.cache_clear()
    assert len(forces.registry()) == 43


@pytest.mark.parametrize("cut", [0, 1, 20], ids=["empty", "one byte", "cut short"])
def test_a_truncated_entry_is_a_miss_and_is_rewritten(disk, cut):
    assert toy() == {"forces": 43} and len(RUNS) == 1
    (entry,) = cache.CACHE_DIR.glob("toy-*.pkl")
    entry.write_bytes(entry.read_bytes()[:cut])
    assert toy() == {"forces": 43} and len(RUNS) == 2
    assert toy() == {"forces": 43} and len(RUNS) == 2, "the damaged entry was not rewritten"


SLOW_RUNS: list[int] = []


@cache.on_disk
def slow_toy() -> int:
    """A cached function slow enough for a second caller to arrive while the first computes it."""
    import time

    SLOW_RUNS.append(1)
    time.sleep(0.5)
    return 7


def test_callers_at_the_same_time_compute_it_once(disk):
    from concurrent.futures import ThreadPoolExecutor

    SLOW_RUNS.clear()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: slow_toy(), range(2)))
    assert results == [7, 7] and len(SLOW_RUNS) == 1, "the second caller computed it again instead of waiting"
