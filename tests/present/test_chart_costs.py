"""Altair's costs paid once: the compiled validator accepts what Altair accepts and leaves every fault to Altair's own
message; the schema-class table built once gives the same charts."""

from __future__ import annotations

import altair as alt
import fastjsonschema
import pandas as pd
import pytest
from altair.utils import schemapi

from analysis.present import chart_costs, theme

DATA = pd.DataFrame({"year": [2022, 2023], "value": [1.5, 2.0], "force": ["Kent", "Kent"]})


def _chart() -> alt.LayerChart:
    base = alt.Chart(DATA).encode(x="year:O", y="value:Q", color="force:N", tooltip=["force:N", "value:Q"])
    return theme.finish(base.mark_line() + base.mark_point(), name="toy", description="A toy chart.",
                        source="Nowhere.")


def test_installed_by_the_renderer():
    assert schemapi._FromDict.__init__ is chart_costs._table_once
    assert schemapi.SchemaBase.validate.__func__ is chart_costs._check


def test_a_chart_is_the_same_with_altairs_own_check_and_table(monkeypatch):
    ours = _chart().to_dict()
    monkeypatch.setattr(schemapi._FromDict, "__init__", chart_costs._build_table)
    monkeypatch.setattr(schemapi.SchemaBase, "validate", classmethod(chart_costs._altair_check))
    assert _chart().to_dict() == ours


def test_the_compiled_validator_accepts_a_finished_chart_and_rejects_a_fault():
    validate = chart_costs._compiled(alt.Chart._rootschema)
    spec = _chart().to_dict()
    validate(spec)
    spec["layer"][0]["mark"] = {"type": "no-such-mark"}
    with pytest.raises(fastjsonschema.JsonSchemaException):
        validate(spec)


def test_a_fault_is_named_by_altairs_own_check():
    bad = alt.Chart(DATA).mark_point().encode(x=alt.X("year:O", scale=alt.Scale(type="no-such-scale")))
    with pytest.raises(schemapi.SchemaValidationError, match="no-such-scale"):
        bad.to_dict()


def test_the_compiled_validator_is_kept_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(chart_costs, "VALIDATOR_DIR", tmp_path)
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
              "properties": {"n": {"type": "integer"}}}
    chart_costs._compiled(schema)({"n": 1})
    kept = list(tmp_path.glob("*.marshal"))
    assert len(kept) == 1
    kept[0].write_bytes(kept[0].read_bytes()[:10])  # cut short: compiled again, not an error
    with pytest.raises(fastjsonschema.JsonSchemaException):
        chart_costs._compiled(schema)({"n": "one"})
    assert kept[0].stat().st_size > 10
