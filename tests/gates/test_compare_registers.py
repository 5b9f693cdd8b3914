"""The register comparison finds a changed, an added and a removed figure and a missing register, and nothing else."""

from __future__ import annotations

import json

from tests.gates import compare_registers


def _write(folder, name, records):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps(records), encoding="utf-8")


def _record(key, value, chapter="01-trust"):
    return {"key": key, "value": value, "text": str(value), "unit": "%", "label": key, "chapter": chapter,
            "datasets": ["a/b"]}


def test_identical_folders_have_no_difference(tmp_path):
    for side in ("before", "after"):
        _write(tmp_path / side, "national.json", [_record("x", 1), _record("y", 2)])
    assert compare_registers.differences(tmp_path / "before", tmp_path / "after") == []
    assert compare_registers.main([str(tmp_path / "before"), str(tmp_path / "after")]) == 0


def test_every_kind_of_difference_is_named(tmp_path):
    _write(tmp_path / "before", "national.json", [_record("x", 1), _record("gone", 2)])
    _write(tmp_path / "before", "kent.json", [_record("x", 1)])
    _write(tmp_path / "after", "national.json", [_record("x", 1.5), _record("new", 3)])
    found = compare_registers.differences(tmp_path / "before", tmp_path / "after")
    assert found == [f"kent.json: only in {tmp_path / 'before'}",
                     "national.json: 01-trust gone: removed", "national.json: 01-trust new: added",
                     "national.json: 01-trust x: text '1' -> '1.5'", "national.json: 01-trust x: value 1 -> 1.5"]
    assert compare_registers.main([str(tmp_path / "before"), str(tmp_path / "after")]) == 1


def test_empty_folders_are_not_called_the_same(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert compare_registers.differences(tmp_path / "a", tmp_path / "b") == [
        f"no registers (*.json) in {tmp_path / 'a'} or {tmp_path / 'b'}"]
    assert compare_registers.main([str(tmp_path / "a"), str(tmp_path / "nowhere")]) == 2
