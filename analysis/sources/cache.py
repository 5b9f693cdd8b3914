"""Caches for slow shared results: on disk, keyed by the data checksums and the code; in memory, for a process's life."""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
import tempfile

import pandas as pd

from analysis import config
from analysis.sources import manifest

CACHE_DIR = config.BUILD_DIR / "cache"


def on_disk(file_ids: list[str], *modules):
    """Cache a no-argument function's result on disk; any change to the listed raw files'
    checksums, to the function or to the source of `modules` gives a new key, so a stale result
    is never read."""

    def wrap(func):
        @functools.wraps(func)
        def cached():
            digest = hashlib.sha256(inspect.getsource(func).encode())
            for file_id in file_ids:
                digest.update(manifest.raw_file(file_id).sha256.encode())
            for module in modules:
                digest.update(inspect.getsource(module).encode())
            path = CACHE_DIR / f"{func.__name__}-{digest.hexdigest()[:16]}.pkl"
            if path.exists():
                return pickle.loads(path.read_bytes())
            result = func()
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: parallel editions never read half a file.
            with tempfile.NamedTemporaryFile(dir=CACHE_DIR, delete=False) as tmp:
                pickle.dump(result, tmp)
            os.replace(tmp.name, path)
            return result

        return cached

    return wrap


def in_memory(func):
    """Keep a pure function's result for the life of the process (a worker's kernel serves edition after edition),
    handing each caller its own copy of any table, so no caller can change what the next one gets."""
    kept = functools.lru_cache(maxsize=None)(func)

    @functools.wraps(func)
    def cached(*args, **kwargs):
        return _copied(kept(*args, **kwargs))

    cached.cache_clear = kept.cache_clear
    return cached


def _copied(value):
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    return value
