"""Two of Altair's costs paid once per process, not once per chart: its table of schema classes, and the check of a
finished spec against Vega-Lite's schema by a validator compiled once (Altair's own check still names any fault)."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import tempfile

import altair as alt
import fastjsonschema
import filelock
from altair.utils import schemapi

from analysis import config

# Compiled code depends only on the installed libraries and this Python, like a .pyc, so it is kept beside the build,
# not in the data cache (a cold build empties that).
VALIDATOR_DIR = config.BUILD_DIR / "validators"

# Altair rebuilds, for every string or dict given to .encode(), a table of its ~570 schema classes keyed by a JSON
# hash of each one's schema: about 0.4 s of an edition's 6.6 CPU s. The classes never change once imported, so the
# table is built once for each set of classes (upstream's draft vega/altair#3547 does the same).
_TABLES: dict[tuple, dict] = {}
_build_table = schemapi._FromDict.__init__


def _table_once(self, wrapper_classes, /) -> None:
    classes = tuple(wrapper_classes)
    if classes not in _TABLES:
        _build_table(self, classes)
        _TABLES[classes] = self.class_dict
    self.class_dict = _TABLES[classes]


def _compiled(schema: dict):
    """Vega-Lite's validator compiled by fastjsonschema, read from VALIDATOR_DIR or compiled and kept there (about
    4 s, once per machine and library version; reading it back takes milliseconds)."""
    text = json.dumps(schema, sort_keys=True)
    key = hashlib.sha256(f"{fastjsonschema.VERSION} {sys.implementation.cache_tag} {text}".encode()).hexdigest()
    path = VALIDATOR_DIR / f"vega-lite-{key[:16]}.marshal"
    VALIDATOR_DIR.mkdir(parents=True, exist_ok=True)
    with filelock.FileLock(path.with_suffix(".lock")):  # two workers compile it once
        try:
            code = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):  # absent, or cut short
            code = compile(fastjsonschema.compile_to_code(schema), str(path), "exec")
            with tempfile.NamedTemporaryFile(dir=VALIDATOR_DIR, delete=False) as tmp:
                tmp.write(marshal.dumps(code))
            os.replace(tmp.name, path)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 (code fastjsonschema generated from Altair's own schema)
    return namespace["validate"]


_VALIDATOR = []  # compiled on the first chart checked
_altair_check = schemapi.SchemaBase.validate.__func__


def _check(cls, instance, schema=None) -> None:
    """A finished chart passes if the compiled validator accepts it against Vega-Lite's top-level spec; otherwise,
    and for every part of a chart, Altair's own check decides and names the fault."""
    if schema is None and issubclass(cls, alt.TopLevelMixin):
        if not _VALIDATOR:
            _VALIDATOR.append(_compiled(cls._rootschema))
        try:
            _VALIDATOR[0](instance)
            return
        except fastjsonschema.JsonSchemaException:
            pass
    _altair_check(cls, instance, schema)


def install() -> None:
    """Use both in this process (called once, by present/render)."""
    schemapi._FromDict.__init__ = _table_once
    schemapi.SchemaBase.validate = classmethod(_check)
