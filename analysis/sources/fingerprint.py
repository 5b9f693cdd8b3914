"""What a cached result depends on, as one digest: the code it reaches, the data, the settings, the library versions."""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import inspect
import sys
from pathlib import Path

from analysis import config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The libraries whose arithmetic is in a cached number (intervals from scipy and statsmodels).
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels")
# Plain values are settings; modules, functions and classes in config are not.
_SETTING_TYPES = (str, int, float, tuple, list, dict, set, frozenset, Path)


def of(func) -> str:
    """The hex digest of everything `func`'s result depends on; any change to one of the parts changes it."""
    digest = hashlib.sha256(f"{func.__module__}.{func.__qualname__}".encode())
    for part in (code(func), settings(), versions()):
        digest.update(part.encode())
    return digest.hexdigest()


def code(func) -> str:
    """The source of the function's module and of every `analysis` module it imports, directly or through others."""
    digest = hashlib.sha256()
    for path in reached(Path(inspect.getsourcefile(func)).resolve()):
        digest.update(hashlib.sha256(_source(path)).digest())
    return digest.hexdigest()


@functools.cache
def reached(start: Path) -> tuple[Path, ...]:
    """`start` and the files of every `analysis` module it reaches by imports (function-level ones too), in order;
    parsed once per process, as code does not change under a running one."""
    seen, todo = {start}, [start]
    while todo:
        for path in _imported(todo.pop()):
            if path not in seen:
                seen.add(path)
                todo.append(path)
    return tuple(sorted(seen))


def _imported(path: Path) -> set[Path]:
    """The files of the `analysis` modules and packages one file imports, with the packages that hold them (whose
    __init__ runs first)."""
    names = set()
    for node in ast.walk(ast.parse(_source(path), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from analysis.sources import cache` imports a module; `from analysis.sources.files import locate`, a name.
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    files = set()
    for name in names:
        parts = name.split(".")
        if parts[0] != PACKAGE_DIR.name:
            continue
        for depth in range(1, len(parts) + 1):
            files.update(_module_file(parts[:depth]))
    return files


def _module_file(parts: list[str]) -> list[Path]:
    """The file of module `parts` (['analysis', 'sources', 'cache']), or none if it names something else."""
    base = PACKAGE_DIR.parent.joinpath(*parts)
    return [p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()]


def _source(path: Path) -> bytes:
    """A module's bytes: the one place modules are read, so a test can change what the key sees."""
    return path.read_bytes()


def settings() -> str:
    """The values of config's public settings, read when called (so a changed setting counts), a path to a file by
    the file's bytes: data/forces.csv, the force registry read outside the manifest, and data/manifest.yml, which
    holds every raw file's sha256. files.locate refuses a raw file whose bytes differ, so the checksums stand for
    the bytes read, wherever the mirror is. The whole manifest is a superset of what one function reads; recording
    the files it locates instead would miss those an in-memory cache read earlier in the process."""
    lines = []
    for name, value in sorted(vars(config).items()):
        if name.startswith("_") or not isinstance(value, _SETTING_TYPES):
            continue
        if isinstance(value, Path):
            # A folder's place says nothing about a result (a raw file in the mirror counts through its checksum).
            if not value.is_file():
                continue
            value = hashlib.sha256(value.read_bytes()).hexdigest()
        elif isinstance(value, (set, frozenset)):
            value = sorted(value)  # a set's order changes with the process's hash seed
        lines.append(f"{name}={value!r}")
    return "\n".join(lines)


def versions() -> str:
    """Python's and the libraries' versions, read from each module (so a test can change one)."""
    found = [f"python={sys.version}"]
    found += [f"{name}={importlib.import_module(name).__version__}" for name in LIBRARIES]
    return "\n".join(found)
