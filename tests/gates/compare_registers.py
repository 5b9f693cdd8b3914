"""Compare two folders of figure registers (national.json and <slug>.json, as builds write them), figure by figure.

    python -m tests.gates.compare_registers BEFORE AFTER    # or: make compare-registers BEFORE=... AFTER=...

Prints every register only one folder has and every figure added, removed or changed (value, text, label, unit,
chapter or datasets); exits 0 when the folders hold the same registers with the same figures, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _figures(path: Path) -> dict[tuple[str, str], dict]:
    """A register's records keyed by (chapter, key), which the register keeps unique."""
    return {(r["chapter"], r["key"]): r for r in json.loads(path.read_text(encoding="utf-8"))}


def differences(before: Path, after: Path) -> list[str]:
    """Every difference between the registers in two folders, one line each ([] when there is none)."""
    found = []
    names_before = {p.name for p in before.glob("*.json")}
    names_after = {p.name for p in after.glob("*.json")}
    if not names_before and not names_after:
        return [f"no registers (*.json) in {before} or {after}"]
    found += [f"{name}: only in {before}" for name in sorted(names_before - names_after)]
    found += [f"{name}: only in {after}" for name in sorted(names_after - names_before)]
    for name in sorted(names_before & names_after):
        old, new = _figures(before / name), _figures(after / name)
        found += [f"{name}: {chapter} {key}: removed" for chapter, key in sorted(old.keys() - new.keys())]
        found += [f"{name}: {chapter} {key}: added" for chapter, key in sorted(new.keys() - old.keys())]
        for figure in sorted(old.keys() & new.keys()):
            fields = sorted(f for f in old[figure].keys() | new[figure].keys()
                            if old[figure].get(f) != new[figure].get(f))
            found += [f"{name}: {figure[0]} {figure[1]}: {field} {old[figure].get(field)!r} -> "
                      f"{new[figure].get(field)!r}" for field in fields]
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not all(Path(a).is_dir() for a in args):
        print("usage: python -m tests.gates.compare_registers BEFORE_FOLDER AFTER_FOLDER", file=sys.stderr)
        return 2
    before, after = (Path(a) for a in args)
    found = differences(before, after)
    for line in found:
        print(line)
    count = len(list(before.glob("*.json")))
    print(f"{len(found)} difference(s) between {before} and {after}" if found else
          f"no difference: {count} register(s), every figure the same")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
