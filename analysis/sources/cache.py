"""Caches for slow shared results: on disk, keyed by everything the result depends on; in memory, for a process's life."""

from __future__ import annotations

import dataclasses
import functools
import os
import pickle
import tempfile

import filelock
import pandas as pd

from analysis import config
from analysis.sources import fingerprint

CACHE_DIR = config.BUILD_DIR / "cache"
# Every function kept in memory, so a failed notebook can leave nothing behind (forget_all).
_KEPT: list = []


def on_disk(func):
    """Cache a no-argument function's result on disk, under a key of everything it depends on (fingerprint.of): a
    change to the code it reaches, a raw file's checksum, data/forces.csv, a setting or a library's version gives a
    new key, so a stale result is never read."""

    @functools.wraps(func)
    def cached():
        path = CACHE_DIR / f"{func.__name__}-{fingerprint.of(func)[:16]}.pkl"
        found = _read(path)
        if found is not _MISSING:
            return found
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        # One worker computes it; another that asks meanwhile waits for its result instead of computing it again.
        with filelock.FileLock(path.with_suffix(".lock")):
            found = _read(path)
            if found is not _MISSING:
                return found
            result = func()
            # Written whole, then renamed: parallel editions never read half a file.
            with tempfile.NamedTemporaryFile(dir=CACHE_DIR, delete=False) as tmp:
                pickle.dump(result, tmp)
            os.replace(tmp.name, path)
        return result

    return cached


_MISSING = object()


def _read(path):
    """The result kept at `path`, or _MISSING."""
    if path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            pass  # a truncated or damaged entry (a full disk, a copy cut short) is a miss: computed and rewritten
    return _MISSING


def in_memory(func):
    """Keep a pure function's result for the life of the process (a worker's kernel serves edition after edition),
    handing each caller its own copy of any table, list or dict, or of a dataclass holding one, so no caller can
    change what the next one gets; other values (str, numbers, other frozen dataclasses, read-only mappings) are
    handed out as they are."""
    kept = keep(func)

    @functools.wraps(func)
    def cached(*args, **kwargs):
        return _copied(kept(*args, **kwargs))

    cached.cache_clear = kept.cache_clear
    return cached


def keep(func):
    """`func` with its results kept for the life of the process (functools.lru_cache), forgotten by forget_all."""
    kept = functools.lru_cache(maxsize=None)(func)
    _KEPT.append(kept)
    return kept


def forget_all() -> None:
    """Forget every result kept in memory, as a new process would start."""
    for kept in _KEPT:
        kept.cache_clear()


def _copied(value):
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_copied(v) for v in value)
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # a fit holding tables (methods/funnel.Funnel)
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.init}
        if any(isinstance(v, (pd.DataFrame, pd.Series, dict, list)) for v in fields.values()):
            return dataclasses.replace(value, **{k: _copied(v) for k, v in fields.items()})
    return value
