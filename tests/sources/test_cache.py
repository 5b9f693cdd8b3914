"""The disk cache recomputes when the data checksums change, and reuses a result otherwise."""

from __future__ import annotations

import dataclasses

from analysis.sources import cache, manifest

FILE = "police_forces/population"


def test_disk_cache_reuses_and_invalidates_on_a_data_change(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path)
    calls = []

    @cache.on_disk([FILE])
    def slow():
        calls.append(1)
        return {"answer": 42}

    assert slow() == {"answer": 42} and slow() == {"answer": 42}
    assert len(calls) == 1
    real = manifest.raw_file(FILE)
    monkeypatch.setattr(cache.manifest, "raw_file", lambda file_id: dataclasses.replace(real, sha256="0" * 64))
    assert slow() == {"answer": 42}
    assert len(calls) == 2 and len(list(tmp_path.glob("slow-*.pkl"))) == 2
